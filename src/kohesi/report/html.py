"""Render :class:`ReportData` into one self-contained HTML page (Jinja2, autoescaped)."""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from kohesi.report.content import WEAK, ReportData
from kohesi.report.i18n import Lang
from kohesi.report.method import method_context
from kohesi.report.names import ASPECT_NAMES, STAGE_NAMES, _n
from kohesi.report.plots import figures, to_data_uri

__all__ = ["render_html", "ASPECT_NAMES", "STAGE_NAMES"]


STAGE_HINTS = {
    "interaction": _n("Few members take part in the conversation at all."),
    "communication": _n("Many messages get no answer: conversations run one way."),
    "cooperation": _n("Few members take part in shared activities, and requests for help are often left unanswered."),
    "empathy": _n("When a member shares a trouble or asks for support, answers are few or slow."),
    "norms": _n("Thanks, apologies and shared habits are seldom seen in the chat."),
    "solidarity": _n("Many members do not stay active over time."),
}
LEVEL_NAMES = {"low": _n("low"), "moderate": _n("moderate"), "high": _n("high")}
REASONS = {
    "silent": _n("Have never written"),
    "isolated": _n("Write, but nobody answers them and they answer nobody"),
    "unanswered": _n("Write, but get no replies"),
}
PROXY_NAMES = {"validated": _n("validated"), "plausible": _n("plausible"), "weak": _n("weak proxy")}
CHECKS = {
    "posts": _n("only %(have)s posts so far (at least %(need)s are needed)"),
    "members": _n("only %(have)s members (at least %(need)s are needed)"),
    "days": _n("the chat covers %(have)s days (at least %(need)s are needed)"),
    "windows": _n("time windows with enough evidence: %(have)s (at least %(need)s are needed)"),
    "aspects": _n("not enough evidence for: %(aspects)s"),
}


def verdict_lines(checks: list[dict], t: Lang, aspect_names: dict[str, str]) -> list[str]:
    """Why the overall verdict is withheld, one translated sentence per failed check."""
    out = []
    for c in checks:
        text = t.gettext(CHECKS[c["code"]])
        if c["code"] == "aspects":
            out.append(text % {"aspects": ", ".join(aspect_names.get(a, a) for a in c["aspects"])})
        else:
            out.append(text % {"have": t.num(c["have"], 0), "need": t.num(c["need"], 0)})
    return out


def score_text(value: float | None, t: Lang) -> str:
    """A score (0–1) as a person reads it: "37 out of 100"."""
    return "–" if value is None else t.gettext("%(n)s out of 100") % {"n": t.num(value * 100, 0)}


def trigger_text(trigger: str, value: float, t: Lang) -> str:
    """A suggestion's trigger value on the 0–100 scale: aspect and stage scores out of 100,
    indicator shares (all between 0 and 1) as percentages."""
    return score_text(value, t) if trigger in ASPECT_NAMES or trigger in STAGE_NAMES else t.pct(value)


def left_out_groups(left_out: list[dict], limit: int = 12) -> list[dict]:
    """Members who may be left out, grouped by reason (most common reason first), each group's
    labels cut at ``limit``."""
    groups: dict[str, list[str]] = {}
    for m in left_out:
        groups.setdefault(m["reason"], []).append(m["label"])
    order = sorted(groups, key=lambda r: (-len(groups[r]), list(REASONS).index(r)))
    return [{"reason": r, "n": len(groups[r]), "labels": groups[r][:limit], "more": max(0, len(groups[r]) - limit)}
            for r in order]


def _env() -> Environment:
    env = Environment(loader=PackageLoader("kohesi.report", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True,
                      extensions=["jinja2.ext.i18n"])
    return env


def render_html(data: ReportData, t: Lang) -> str:
    """The report page: text, figures as data URIs, styles inline; opens offline."""
    env = _env()
    env.install_gettext_callables(t.gettext, t.ngettext, newstyle=True)
    aspect_names = {k: t.gettext(v) for k, v in ASPECT_NAMES.items()}
    figs = {name: to_data_uri(fig)
            for name, fig in figures(data, t, aspect_names, only=("trend", "network", "lorenz")).items()}
    css = resources.files("kohesi.report").joinpath("templates", "report.css").read_text("utf-8")
    trigger_names = {i["name"]: t.gettext(i["title"]) for i in data.indicators}
    trigger_names |= {k: t.gettext(v) for k, v in (ASPECT_NAMES | STAGE_NAMES).items()}
    return env.get_template("report.html.j2").render(
        d=data, t=t, figs=figs, css=css, trigger_names=trigger_names,
        aspect_names=aspect_names,
        stage_names={k: t.gettext(v) for k, v in STAGE_NAMES.items()},
        level_names={k: t.gettext(v) for k, v in LEVEL_NAMES.items()},
        reasons={k: t.gettext(v) for k, v in REASONS.items()},
        stage_hints={k: t.gettext(v) for k, v in STAGE_HINTS.items()}, weak_cut=WEAK,
        command_acts=Markup("<code>kohesi acts EXPORT --keep-text</code>"),
        left_groups=left_out_groups(data.left_out),
        score_text=lambda v: score_text(v, t), trigger_text=lambda k, v: trigger_text(k, v, t),
        proxy_names={k: t.gettext(v) for k, v in PROXY_NAMES.items()},
        verdict_lines=verdict_lines(data.verdict.get("checks", []), t, aspect_names),
        method=method_context(data, t),
    )
