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
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402

from kohesi.report.content import ReportData  # noqa: E402
from kohesi.report.i18n import Lang  # noqa: E402

__all__ = ["figures", "to_data_uri"]

plt.rcParams.update({
    "svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 9,
    "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "kohesi",
})
INK, MUTED, ACCENT, WARN = "#1f2937", "#9ca3af", "#0f766e", "#b45309"
FACTION_COLOURS = ["#0f766e", "#b45309", "#7c3aed", "#be123c", "#1d4ed8", "#4d7c0f", "#a16207", "#0e7490"]


def _aspects(data: ReportData, t: Lang, names: dict[str, str]):
    fig, ax = plt.subplots(figsize=(6.2, 2.6))
    rows = list(reversed(data.aspects))
    y = np.arange(len(rows))
    vals = [(a.value or 0) * 100 for a in rows]
    colours = [WARN if a.key in data.weakest_aspects else ACCENT for a in rows]
    ax.barh(y, vals, color=colours, height=0.55)
    for i, a in enumerate(rows):
        if a.lo is not None and a.hi is not None and a.value is not None:
            ax.plot([a.lo * 100, a.hi * 100], [i, i], color=INK, lw=1.2)
        ax.text(min(vals[i] + 2, 92), i, "–" if a.value is None else t.num(a.value * 100, 0), va="center", color=INK)
    ax.set_yticks(y, [names[a.key] for a in rows])
    ax.set_xlim(0, 100)
    ax.set_xlabel(t.gettext("score (0–100), line = 95% interval"))
    fig.tight_layout()
    return fig


def _trend(data: ReportData, t: Lang):
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(6.8, 3.6), sharex=True, gridspec_kw={"height_ratios": [2.2, 1]})
    tr = data.trend
    x = np.array([r["start"] for r in tr])
    v = np.array([np.nan if r["value"] is None else r["value"] * 100 for r in tr])
    lo = np.array([np.nan if r["lo"] is None else r["lo"] * 100 for r in tr])
    hi = np.array([np.nan if r["hi"] is None else r["hi"] * 100 for r in tr])
    for r in tr:
        if r["quiet"]:
            ax.axvspan(r["start"], r["start"] + (x[1] - x[0] if len(x) > 1 else 1), color="#f3f4f6", lw=0)
    ax.fill_between(x, lo, hi, color=ACCENT, alpha=0.18, lw=0)
    ax.plot(x, v, color=ACCENT, lw=1.8)
    ax.set_ylim(0, 100)
    ax.set_ylabel(t.gettext("cohesion index"))
    width = (x[1] - x[0]) * 0.8 if len(x) > 1 else 1
    ax2.bar(x, [r["posts"] for r in tr], width=width, color=MUTED, label=t.gettext("posts"))
    joins = np.array([r["joins"] for r in tr])
    leaves = np.array([r["leaves"] for r in tr])
    ax2b = ax2.twinx()
    ax2b.plot(x, joins, "^", color=ACCENT, ms=4, label=t.gettext("joined"))
    ax2b.plot(x, -leaves, "v", color=WARN, ms=4, label=t.gettext("left"))
    ax2b.axhline(0, color=MUTED, lw=0.5)
    ax2b.spines["top"].set_visible(False)
    ax2.set_ylabel(t.gettext("posts"))
    ax2b.set_ylabel(t.gettext("joined / left"))
    ax2b.legend(loc="upper left", fontsize=7, frameon=False, ncols=2)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig


def _network(data: ReportData, t: Lang):
    fig, ax = plt.subplots(figsize=(6.2, 4.6))
    net = data.network
    pos = {n["id"]: (n["x"], n["y"]) for n in net["nodes"]}
    wmax = max([e["w"] for e in net["edges"]] or [1])
    segments = [[pos[e["a"]], pos[e["b"]]] for e in net["edges"]]
    widths = [0.3 + 1.6 * e["w"] / wmax for e in net["edges"]]
    ax.add_collection(LineCollection(segments, colors=MUTED, linewidths=widths, alpha=0.6, zorder=1,
                                     rasterized=len(segments) > 300))
    for n in net["nodes"]:
        colour = FACTION_COLOURS[n["faction"] % len(FACTION_COLOURS)] if n["faction"] >= 0 else MUTED
        size = 18 + 6 * np.sqrt(n["posts"])
        if n["isolated"]:
            ax.scatter(*pos[n["id"]], s=size, facecolors="white", edgecolors=WARN, linewidths=1.2, zorder=2)
        else:
            ax.scatter(*pos[n["id"]], s=size, color=colour, zorder=2,
                       edgecolors=INK if n["bridge"] else "white", linewidths=2.0 if n["bridge"] else 0.5)
        if n["bridge"] or n["posts"] >= np.percentile([m["posts"] for m in net["nodes"]], 85):
            ax.annotate(n["label"], pos[n["id"]], fontsize=7, xytext=(4, 4), textcoords="offset points", color=INK)
    if net.get("n_isolated"):
        ax.axhline(0.06, color="#e5e7eb", lw=0.8)
    ax.set_axis_off()
    ax.set_title(t.gettext("colour = sub-group, thick outline = bridge, hollow = isolated"), fontsize=8, color=MUTED)
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


def figures(data: ReportData, t: Lang, names: dict[str, str]) -> dict[str, plt.Figure]:
    """The report's figures by name (only those its data allow)."""
    out = {"aspects": _aspects(data, t, names), "lorenz": _lorenz(data, t)}
    if len(data.trend) >= 2:
        out["trend"] = _trend(data, t)
    if data.network["nodes"]:
        out["network"] = _network(data, t)
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
