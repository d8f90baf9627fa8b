"""The report's method appendix as data, in the reader's language.

:func:`method_context` gives ``method.html.j2`` everything the appendix shows: the settings of
the run in words, the terms the formulas use, and per indicator its title, value (shares on the
0–100 reading scale, other measures in their own unit), interval, readable formula, full
citations, strength and how it is scored. The words live in ``method.toml`` beside this module,
in both report languages; indicator titles come from the gettext catalogue like the rest of the
page. The indicators' ``source=`` metadata names its works by short citations ("Gouldner 1960
(norm of reciprocity)"), resolved here against the bibliography in ``method.toml``.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup, escape

from kohesi.report.content import ReportData
from kohesi.report.i18n import Lang

__all__ = ["method_context", "texts", "split_source", "resolve_source", "citation", "formula_markup",
           "translate_note", "value_scale", "window_words"]

_ALLOWED_TAGS = re.compile(r"&lt;(/?)(sub|sup|i)&gt;")


@cache
def texts() -> dict[str, Any]:
    """The appendix's words (``method.toml``), parsed once."""
    raw = resources.files("kohesi.report").joinpath("method.toml").read_text("utf-8")
    return tomllib.loads(raw)


def _say(entry: dict[str, Any], t: Lang, **values: Any) -> str:
    """An ``{id = …, en = …}`` entry in the reader's language, with ``{placeholders}`` filled."""
    text = entry[t.code]
    return text.format_map(values) if values else text


# --- citations ---------------------------------------------------------------------------------

def split_source(source: str) -> list[str]:
    """The ``;``-separated parts of a ``source=`` string, ignoring ``;`` inside parentheses."""
    parts, depth, cur = [], 0, []
    for ch in source:
        depth += ch == "("
        depth -= ch == ")"
        if ch == ";" and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur).strip())
    return [p for p in parts if p]


def resolve_source(source: str) -> list[str]:
    """Bibliography keys of the works a ``source=`` string names, in order, without repeats.

    Each part must start with the ``cite`` (or an alias) of a ``[bib]`` entry; the longest match
    wins ("CHAOSS Time to First Response" before "CHAOSS"). Raises KeyError for a part that names
    no known work.
    """
    names = [(name, key) for key, b in texts()["bib"].items() for name in (b["cite"], *b.get("aliases", ()))]
    names.sort(key=lambda nk: -len(nk[0]))
    keys: list[str] = []
    for part in split_source(source):
        key = next((k for name, k in names if part.startswith(name)), None)
        if key is None:
            raise KeyError(f"no bibliography entry for {part!r}")
        if key not in keys:
            keys.append(key)
    return keys


def citation(key: str) -> Markup:
    """A full citation: authors (year). <cite>Title</cite>. Venue."""
    b = texts()["bib"][key]
    year = f" ({b['year']})" if b.get("year") else ""
    return Markup("{}{}. <cite>{}</cite>. {}.").format(b["authors"], year, b["title"], b["venue"])


# --- numbers and words -------------------------------------------------------------------------

def _plural(forms: dict[str, list[str]], n: float, t: Lang) -> str:
    one, many = forms[t.code]
    return one if n == 1 else many


def _duration(hours: float, t: Lang) -> str:
    d = texts()["duration"]
    if hours < 1:
        minutes = hours * 60
        return f"{t.num(minutes, 0)} {_plural(d['minutes'], round(minutes), t)}"
    if hours >= 48 and hours % 24 == 0:
        return f"{t.num(hours / 24, 0)} {_plural(d['days'], hours / 24, t)}"
    return f"{t.num(hours, 1)} {_plural(d['hours'], hours, t)}"


def _days(days: float, t: Lang) -> str:
    return f"{t.num(days, 1)} {_plural(texts()['duration']['days'], days, t)}"


def _times(n: float, t: Lang) -> str:
    d = texts()["duration"]
    return _say(d["once"], t) if n == 1 else _say(d["times"], t, n=t.num(n, 1))


def _share(x: float, t: Lang) -> str:
    """A share (0–1) on the 0–100 reading scale: "5 out of 100"."""
    return f"{t.num(x * 100, 1)} {_say(texts()['text']['of_100'], t)}"


def _placeholders(data: ReportData, t: Lang) -> dict[str, str]:
    p = (data.params or {}).get("measure", {})
    return {
        "delta": _duration(float(p.get("response_window_h", 24.0)), t),
        "repair": _duration(float(p.get("repair_window_h", 72.0)), t),
        "newcomer": _days(float(p.get("newcomer_days", 30.0)), t),
        "theta": _times(float(p.get("tie_threshold", 1.0)), t),
        "half": "",
        "primary_n": t.num(p.get("primary_max_n", 50), 0),
        "primary_density": t.num(p.get("primary_min_density", 0.5)),
        "primary_mult": t.num(p.get("primary_min_multiplexity", 0.3)),
    }


def formula_markup(name: str, t: Lang, values: dict[str, str]) -> Markup:
    """The readable formula of indicator ``name``: escaped text, with only <sub>, <sup> and <i>
    kept as markup and ``{placeholders}`` filled from ``values``."""
    text = texts()["indicator"][name]["formula"][t.code].format_map(values)
    return Markup(_ALLOWED_TAGS.sub(r"<\1\2>", str(escape(text))))


def value_scale(ind: Any) -> str:
    """``"share"`` (a proportion, shown 0–100) or ``"unit"`` (shown in its own unit), from the
    indicator's range."""
    lo, hi = ind.range
    return "share" if lo >= 0 and hi <= 1 else "unit"


def _digits(x: float, scale: str) -> int:
    """Decimals to show: shares (0–100) whole from 10 up; own units two, one from 10, none from 100."""
    if scale == "share":
        return 0 if abs(x) >= 10 else 1
    return 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2


def _value_texts(i: dict[str, Any], ind: Any, t: Lang) -> tuple[str | None, str | None, str | None]:
    """(value, unit words, interval) as the reader sees them."""
    if not i.get("available") or i.get("value") is None:
        return None, None, None
    scale = value_scale(ind)
    k = 100.0 if scale == "share" else 1.0
    v = i["value"] * k
    digits = _digits(v, scale)
    unit = (_say(texts()["text"]["of_100"], t) if scale == "share"
            else _say(texts()["indicator"][ind.name]["unit"], t))
    interval = None
    if i.get("lo") is not None and i.get("hi") is not None:
        interval = _say(texts()["text"]["interval"], t, lo=t.num(i["lo"] * k, digits), hi=t.num(i["hi"] * k, digits))
    return t.num(v, digits), unit, interval


def translate_note(note: str | None, t: Lang) -> Markup | None:
    """Why an indicator is not available, from the measure modules' message, in the reader's
    language (a generic sentence for a message ``method.toml`` does not know); command-line
    options in it (``--members``) are set as code."""
    if not note:
        return None
    text = _note_text(note, t)
    return Markup(re.sub(r"(--[a-z][a-z-]*)", r"<code>\1</code>", str(escape(text))))


def _note_text(note: str, t: Lang) -> str:
    tx = texts()
    for rule in tx["note"]:
        m = re.match(rule["match"], note)
        if not m:
            continue
        found = m.groupdict()
        if rule.get("capabilities"):  # "reactions or mentions": each said again from [capability]
            words = {v["en"]: v[t.code] for v in tx["capability"].values()}
            alts = found["what"].split(" or ")
            if not all(a in words for a in alts):
                continue
            found["what"] = f" {_say(tx['text']['or'], t)} ".join(words[a] for a in alts)
        return _say(rule, t, **found)
    return _say(tx["fallback_note"], t)


# --- settings ----------------------------------------------------------------------------------

def window_words(data: ReportData, t: Lang) -> str:
    """The run's time periods in words: length, anchor, offset and how many were complete."""
    w = texts()["setting"]["window"]
    spec = (data.params or {}).get("window_spec") or {}
    every = spec.get("every")
    if not every:
        parts = [_say(w["whole"], t)]
    else:
        from kohesi.measure.windows import parse_duration

        def length(text: str, tpl: dict) -> str:
            n, unit = parse_duration(text, allow_zero=True)
            return _say(tpl, t, n=t.num(n, 0), unit=_plural(w["units"][unit], n, t))

        named = w["named"].get(every)
        parts = [_say(named, t) if named else length(every, w["every"])]
        if spec.get("period") and spec["period"] != every:
            parts[0] += ", " + length(spec["period"], w["long"])
        if spec.get("anchor") in w["anchor"]:
            parts.append(_say(w["anchor"][spec["anchor"]], t))
        offset = str(spec.get("offset") or "0d")
        if parse_duration(offset.lstrip("+-"), allow_zero=True)[0]:
            parts.append(length(offset.lstrip("+-"), w["offset"]) if not offset.startswith("-")
                         else "−" + length(offset.lstrip("+-"), w["offset"]))
    n, complete = data.params.get("n_windows"), data.params.get("n_complete_windows")
    if every and n is not None and complete is not None and n > 1:
        parts.append(_say(w["count"], t, n=t.num(n, 0), complete=t.num(complete, 0)))
    return "; ".join(parts)


def _zone_text(zone: str, when: datetime | None) -> str:
    abbr = texts()["setting"]["tz"]["abbr"].get(zone)
    try:
        off = ZoneInfo(zone).utcoffset(when or datetime(2000, 1, 1))
    except (ZoneInfoNotFoundError, ValueError):
        off = None
    bits = [abbr] if abbr else []
    if off is not None:
        minutes = int(off.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        h, m = divmod(abs(minutes), 60)
        bits.append(f"UTC{sign}{h}" + (f":{m:02d}" if m else "") if minutes else "UTC")
    return f"{zone} ({', '.join(bits)})" if bits and zone != "UTC" else zone


def _source_text(data: ReportData, t: Lang) -> str | None:
    r = data.reading or {}
    fmt = r.get("format")
    if not fmt:
        return None
    s = texts()["setting"]["source"]
    names = s["format"]
    entry = names.get(fmt) or names.get(fmt.split("-")[0])
    out = _say(entry, t) if entry else fmt
    if r.get("n_lines"):
        out = _say(s["text"], t, format=out, lines=t.num(r["n_lines"], 0))
    if r.get("date_order") in s["order"]:
        basis = s["basis"].get(r.get("date_order_basis") or "")
        order = _say(s["order"][r["date_order"]], t)
        out += "; " + (_say(s["dates"], t, order=order, basis=_say(basis, t)) if basis else order)
    return out


def _settings(data: ReportData, t: Lang, ph: dict[str, str]) -> list[dict[str, Any]]:
    st = texts()["setting"]
    p = (data.params or {}).get("measure", {})
    out: list[dict[str, Any]] = []

    def add(key: str, text: str | None, sources: list[str] | None = None) -> None:
        if text:
            out.append({"key": key, "label": _say(st[key]["label"], t), "text": text,
                        "refs": [citation(k) for k in sources or ()]})

    add("window", window_words(data, t))
    add("tz", _say(st["tz"]["text"], t, zone=_zone_text(data.tz, data.end)))
    add("source", _source_text(data, t))
    if data.acts is not None:
        add("acts", _say(st["acts"]["text"], t, recall=t.num(st["acts"]["recall"], 0),
                         precision=t.num(st["acts"]["precision"], 0),
                         agreement=t.num(st["acts"]["agreement"], 0)))
    replies = []
    gap = (data.reading or {}).get("reply_gap_min")
    if gap and p.get("use_inferred_replies", True):
        replies.append(_say(st["replies"]["inferred"], t, m=t.num(gap, 0)))
    replies.append(_say(st["replies"]["delta"], t, delta=ph["delta"]))
    add("replies", " ".join(replies))
    b = int(data.params.get("bootstrap") or 0)
    add("bootstrap", _say(st["bootstrap"]["text"], t, b=t.num(b, 0), r=t.num(min(b, p.get("report_bootstrap", b)), 0),
                          seed=t.num(data.params.get("seed", 0), 0)) if b else _say(st["bootstrap"]["none"], t),
        st["bootstrap"]["sources"] if b else None)
    null = p.get("null_model", "rewire")
    add("null", _say(st["null"]["text"], t, k=t.num(p.get("null_samples", 0), 0))
        if null != "none" and p.get("null_samples") else _say(st["null"]["none"], t),
        st["null"]["sources"] if null != "none" and p.get("null_samples") else None)
    weights = p.get("aspect_weights") or {}
    if len(set(weights.values())) <= 1:
        wtext = _say(st["index"]["equal"], t)
    else:
        from kohesi.report.names import ASPECT_NAMES

        wtext = _say(st["index"]["weights"], t, list=", ".join(
            f"{t.gettext(ASPECT_NAMES[a])} {t.num(v)}" for a, v in weights.items() if a in ASPECT_NAMES))
    method = p.get("index_method", "geometric")
    add("index", _say(st["index"][method], t, weights=wtext, floor=t.num(p.get("index_floor", 0.01) * 100, 1)),
        st["index"]["sources"])
    rule = (data.verdict or {}).get("rule")
    if rule:
        add("evidence", _say(st["evidence"]["text"], t, posts=t.num(rule["min_posts"], 0),
                             members=t.num(rule["min_members"], 0), days=t.num(rule["min_days"], 0),
                             windows=t.num(rule.get("min_windows", 0), 0),
                             wposts=t.num(rule.get("min_window_posts", 0), 0),
                             wmembers=t.num(rule.get("min_window_members", 0), 0)))
    return out


# --- indicators --------------------------------------------------------------------------------

def _card(i: dict[str, Any], ind: Any, t: Lang, ph: dict[str, str], names: dict[str, str]) -> dict[str, Any]:
    tx = texts()
    value, unit, interval = _value_texts(i, ind, t)
    direction = _say(tx["direction"][ind.orientation], t)
    counted = [names[k] for k in (ind.stage, *ind.aspects) if k in names] if ind.scored else []
    scoring = (_say(tx["text"]["counts_in"], t, direction=direction,
                    names=f" {_say(tx['text']['and'], t)} ".join(counted)) if counted else direction)
    null = None
    if i.get("available") and i.get("null_pct") is not None and ind.null in tx["null"]:
        null = _say(tx["null"][ind.null], t, p=t.num(i["null_pct"] * 100, 0))
    return {
        "name": ind.name,
        "title": t.gettext(ind.title),
        "available": value is not None,
        "value": value,
        "unit": unit,
        "interval": interval,
        "null": null,
        "note": None if value is not None else translate_note(i.get("note"), t),
        "formula": formula_markup(ind.name, t, {**ph, "half": _share(ind.half, t) if ind.half else ""}),
        "cites": [{"key": k, "short": texts()["bib"][k]["cite"]} for k in resolve_source(ind.source)],
        "strength": _say(tx["strength"][ind.proxy], t),
        "scoring": scoring,
    }


def method_context(data: ReportData, t: Lang) -> dict[str, Any]:
    """Everything the method appendix shows, in the reader's language (see module docstring)."""
    from kohesi.measure import all_indicators
    from kohesi.report.names import ASPECT_NAMES, STAGE_NAMES

    tx = texts()
    ph = _placeholders(data, t)
    names = {k: t.gettext(v) for k, v in (STAGE_NAMES | ASPECT_NAMES).items()}
    by_name = {ind.name: ind for ind in all_indicators()}
    module = {ind.name: ind.module.rsplit(".", 1)[-1] for ind in by_name.values()}
    groups = []
    for g in tx["group"]:
        title = names[g["stage"]] if "stage" in g else names[g["aspect"]] if "aspect" in g else _say(g["title"], t)
        cards = [_card(i, by_name[i["name"]], t, ph, names) for i in data.indicators
                 if i["name"] in by_name and module[i["name"]] in g["modules"]]
        if cards:
            groups.append({"title": title, "indicators": cards})
    return {
        "heading": _say(tx["text"]["heading"], t),
        "intro": _say(tx["text"]["intro"], t),
        "reading": _say(tx["text"]["reading"], t),
        "labels": {k: _say(v, t) for k, v in tx["text"].items()},
        "settings": _settings(data, t, ph),
        "terms": [{"term": _say(x["term"], t), "text": _say(x, t, **ph)} for x in tx["term"]],
        "strengths": [{"name": _say(s, t), "text": _say(s["explain"], t)} for s in tx["strength"].values()],
        "groups": groups,
        "bibliography": [{"key": k, "text": citation(k)} for k in sorted(
            {c["key"] for g in groups for card in g["indicators"] for c in card["cites"]},
            key=lambda k: (tx["bib"][k]["authors"].lower(), str(tx["bib"][k].get("year", "")),
                           tx["bib"][k]["title"].lower(), k))],
    }

