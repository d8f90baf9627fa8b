"""Report figures drawn with matplotlib: SVG for the self-contained HTML, PNG for ``--png``.

Figures are embedded as ``<img src="data:image/svg+xml;base64,…">``: an SVG shown through an
image element cannot run scripts, whatever member names it contains.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from kohesi.report.content import ReportData  # noqa: E402
from kohesi.report.i18n import Lang  # noqa: E402

__all__ = ["figures", "to_data_uri"]

plt.rcParams.update({
    "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9.5,
    "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "kohesi",
})
INK, MUTED, ACCENT, WARN = "#1f2937", "#9ca3af", "#0f766e", "#b45309"
FACTION_COLOURS = ["#0f766e", "#b45309", "#7c3aed", "#be123c", "#1d4ed8", "#4d7c0f", "#a16207", "#0e7490"]


def _aspects(data: ReportData, t: Lang, names: dict[str, str]):
    """Aspect scores as bars with their intervals (the PNG export; the page draws them in HTML).
    Values are written right of the axis, where no interval line can cross them."""
    fig, ax = plt.subplots(figsize=(5.6, 2.6))
    rows = list(reversed(data.aspects))
    y = np.arange(len(rows))
    vals = [(a.value or 0) * 100 for a in rows]
    colours = [WARN if a.key in data.weakest_aspects else ACCENT for a in rows]
    ax.barh(y, vals, color=colours, height=0.55)
    for i, a in enumerate(rows):
        if a.lo is not None and a.hi is not None and a.value is not None:
            ax.plot([a.lo * 100, a.hi * 100], [i, i], color=INK, lw=1.2)
        ax.text(104, i, "–" if a.value is None else t.num(a.value * 100, 0), va="center", ha="left", color=INK,
                clip_on=False)
    ax.set_yticks(y, [names[a.key] for a in rows])
    ax.set_xlim(0, 100)
    ax.set_xlabel(t.gettext("score (0–100), line = 95% interval"))
    fig.tight_layout()
    return fig


def _trend(data: ReportData, t: Lang):
    """The index per week with its interval, posts per week, and who joined or left.

    Drawn for a phone (4.6 inches wide, read at 300–700 px): joins and leaves are a row of
    their own with a mark only in the weeks that had one (the count beside it when more than
    one); a simulation's interventions are dashed lines with their names."""
    fig, (ax, ax2, ax3) = plt.subplots(3, 1, figsize=(4.6, 4.2), sharex=True,
                                       gridspec_kw={"height_ratios": [2.4, 1.0, 0.55], "hspace": 0.12})
    tr = data.trend
    x = np.array([r["start"] for r in tr])
    step = x[1] - x[0] if len(x) > 1 else None
    v = np.array([np.nan if r["value"] is None else r["value"] * 100 for r in tr])
    lo = np.array([np.nan if r["lo"] is None else r["lo"] * 100 for r in tr])
    hi = np.array([np.nan if r["hi"] is None else r["hi"] * 100 for r in tr])
    for r in tr:
        if r["quiet"] and step is not None:
            ax.axvspan(r["start"], r["start"] + step, color="#f3f4f6", lw=0)
    ax.fill_between(x, lo, hi, color=ACCENT, alpha=0.18, lw=0)
    ax.plot(x, v, color=ACCENT, lw=1.8)
    ax.set_ylim(0, 100)
    ax.set_ylabel(t.gettext("cohesion index"))
    width = step * 0.8 if step is not None else 1
    ax2.bar(x, [r["posts"] for r in tr], width=width, color=MUTED, align="edge")
    ax2.set_ylabel(t.gettext("posts"))
    for row, key, marker, colour in ((1, "joins", "^", ACCENT), (0, "leaves", "v", WARN)):
        counts = np.array([r[key] for r in tr])
        has = counts > 0
        centre = x[has] + (step / 2 if step is not None else 0)
        ax3.plot(centre, np.full(has.sum(), row), marker, color=colour, ms=6, ls="none")
        for cx, n in zip(centre, counts[has], strict=True):
            if n > 1:
                ax3.annotate(t.num(n, 0), (cx, row), xytext=(5, 0), textcoords="offset points", va="center",
                             fontsize=8.5, color=colour)
    ax3.set_ylim(-0.7, 1.7)
    ax3.set_yticks([1, 0], [t.gettext("joined"), t.gettext("left")])
    ax3.tick_params(axis="y", length=0)
    ax3.spines["left"].set_visible(False)
    for i in data.reading.get("interventions") or []:
        for a in (ax, ax2, ax3):
            a.axvline(i["start"], color=INK, lw=1, ls="--", alpha=0.7)
        ax.annotate(i["kind"], (i["start"], 100), xytext=(3, -2), textcoords="offset points", va="top",
                    fontsize=8, color=INK)
    ax3.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=7))
    ax3.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: t.date(mdates.num2date(v), "MMM yy")))
    fig.subplots_adjust(left=0.17, right=0.97, top=0.97, bottom=0.09)
    return fig


def _label_spots(points: np.ndarray, order: list[int], labels: list[str], width: float, height: float
                 ) -> dict[int, tuple[float, float, str]]:
    """Greedy label placement: each label, in ``order``, takes the first of eight spots around its
    point whose box overlaps no placed label and no other point; labels with no free spot are
    left out. Boxes are in axes units (``width`` per character, ``height`` per line)."""
    placed: list[tuple[float, float, float, float]] = []
    out = {}
    pad = 0.012
    for i in order:
        w, h = width * len(labels[i]), height
        x, y = points[i]
        for dx, dy, ha in ((pad, pad, "left"), (pad, -h - pad, "left"), (-pad - w, pad, "right"),
                           (-pad - w, -h - pad, "right"), (-w / 2, 2 * pad, "center"), (-w / 2, -h - 2 * pad, "center"),
                           (2 * pad, -h / 2, "left"), (-2 * pad - w, -h / 2, "right")):
            box = (x + dx, y + dy, x + dx + w, y + dy + h)
            if box[0] < -0.02 or box[2] > 1.02 or box[1] < -0.1 or box[3] > 1.06:
                continue
            if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed):
                continue
            others = np.delete(points, i, axis=0)
            if len(others) and np.any((others[:, 0] > box[0]) & (others[:, 0] < box[2])
                                      & (others[:, 1] > box[1]) & (others[:, 1] < box[3])):
                continue
            placed.append(box)
            out[i] = (box[0] if ha == "left" else box[2] if ha == "right" else (box[0] + box[2]) / 2, box[1], ha)
            break
    return out


def _network(data: ReportData, t: Lang):
    """Who talks with whom: members in their sub-group's colour, bridges outlined, and the
    members who write to nobody (isolated) in a row of their own along the bottom, each labelled.
    Labels never overlap: the most important (bridges, then the most active) are placed first."""
    fig, ax = plt.subplots(figsize=(4.6, 4.4))
    net = data.network
    nodes = net["nodes"]
    pos = {n["id"]: (n["x"], n["y"]) for n in nodes}
    wmax = max([e["w"] for e in net["edges"]] or [1])
    segments = [[pos[e["a"]], pos[e["b"]]] for e in net["edges"]]
    widths = [0.3 + 1.6 * e["w"] / wmax for e in net["edges"]]
    ax.add_collection(LineCollection(segments, colors=MUTED, linewidths=widths, alpha=0.6, zorder=1,
                                     rasterized=len(segments) > 300))
    for n in nodes:
        colour = FACTION_COLOURS[n["faction"] % len(FACTION_COLOURS)] if n["faction"] >= 0 else MUTED
        size = 18 + 6 * np.sqrt(n["posts"])
        if n["isolated"]:
            ax.scatter(*pos[n["id"]], s=size, facecolors="white", edgecolors=WARN, linewidths=1.2, zorder=2)
        else:
            ax.scatter(*pos[n["id"]], s=size, color=colour, zorder=2,
                       edgecolors=INK if n["bridge"] else "white", linewidths=2.0 if n["bridge"] else 0.5)
    linked = [i for i, n in enumerate(nodes) if not n.get("alone")]
    alone = [i for i, n in enumerate(nodes) if n.get("alone")]
    points = np.array([pos[n["id"]] for n in nodes]) if nodes else np.zeros((0, 2))
    top = np.percentile([n["posts"] for n in nodes], 85) if nodes else 0
    order = sorted((i for i in linked if nodes[i]["bridge"] or nodes[i]["posts"] >= top),
                   key=lambda i: (not nodes[i]["bridge"], -nodes[i]["posts"], nodes[i]["label"]))[:8]
    for i, (lx, ly, ha) in _label_spots(points, order, [n["label"] for n in nodes], 0.021, 0.045).items():
        ax.text(lx, ly, nodes[i]["label"], fontsize=8.5, color=INK, ha=ha, va="bottom", zorder=3)
    if alone:
        ax.axhline(0.06, color="#e5e7eb", lw=0.8)
        shown = alone if len(alone) <= 16 else alone[:15]
        for i in shown:
            ax.text(points[i, 0], -0.035, nodes[i]["label"], fontsize=8, color=WARN, ha="center", va="top",
                    rotation=90 if len(alone) > 6 else 0)
        if len(shown) < len(alone):
            ax.text(1.0, -0.035, f"+{t.num(len(alone) - len(shown), 0)}", fontsize=7, color=WARN, ha="right", va="top")
    ax.set_xlim(-0.03, 1.03)
    ax.set_ylim(-0.16 if alone else -0.03, 1.05)
    ax.set_axis_off()
    ax.set_title(t.gettext("colour = sub-group, thick outline = bridge, hollow = isolated"), fontsize=8.5, color=MUTED,
                 wrap=True)
    fig.tight_layout()
    return fig


def _lorenz(data: ReportData, t: Lang):
    fig, ax = plt.subplots(figsize=(3.8, 3.4))
    pts = np.array(data.participation["lorenz"] or [[0, 0], [1, 1]])
    ax.plot([0, 1], [0, 1], color=MUTED, lw=1, ls="--", label=t.gettext("everyone equal"))
    ax.plot(pts[:, 0], pts[:, 1], color=ACCENT, lw=2, label=t.gettext("this group"))
    ax.fill_between(pts[:, 0], pts[:, 1], pts[:, 0], color=ACCENT, alpha=0.12)
    ax.set_xlabel(t.gettext("share of members (least active first)"), wrap=True, fontsize=8)
    ax.set_ylabel(t.gettext("share of posts"))
    ax.legend(fontsize=7, frameon=False)
    fig.tight_layout()
    return fig


FIGURES = ("aspects", "trend", "network", "lorenz")


def figures(data: ReportData, t: Lang, names: dict[str, str],
            only: tuple[str, ...] = FIGURES) -> dict[str, plt.Figure]:
    """The report's figures by name (those of ``only`` that its data allow)."""
    out = {}
    if "aspects" in only:
        out["aspects"] = _aspects(data, t, names)
    if "trend" in only and len(data.trend) >= 2:
        out["trend"] = _trend(data, t)
    if "network" in only and data.network["nodes"]:
        out["network"] = _network(data, t)
    if "lorenz" in only:
        out["lorenz"] = _lorenz(data, t)
    return out


def to_data_uri(fig) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buf.getvalue().encode("utf-8")).decode("ascii")


def write_pngs(figs: dict, folder: str | Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fig in figs.items():
        path = folder / f"{name}.png"
        fig.savefig(path, dpi=150)
        plt.close(fig)
        paths.append(path)
    return paths
