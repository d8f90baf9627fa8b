"""What a report says, as data: built from a measured :class:`Profile` (and the members table,
for names), without reading the events again.

Everything here is language-neutral (keys and numbers); :mod:`kohesi.report.html` puts it into
words. ``--format json`` writes this same content.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from kohesi.measure import ASPECTS, STAGES, Profile, all_indicators
from kohesi.measure._rng import igraph_seed
from kohesi.report.suggestions import Suggestion, suggest

__all__ = ["ReportData", "build"]

LEVELS = ((0.40, "low"), (0.65, "moderate"), (1.01, "high"))
"""Index (0–1) bands for the plain-words headline; the bands are a reading aid, not a norm."""
WEAK = 0.5
"""An aspect is marked weak when it is among the two lowest *and* below this score (0–1): a
group whose every aspect is strong has no weak aspect to point at."""


def _f(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


@dataclass
class Score:
    key: str
    value: float | None
    lo: float | None
    hi: float | None
    available: bool = True
    note: str | None = None
    evidence: tuple[int, int] | None = None
    """(indicators available, indicators the source can measure); for the whole period,
    (complete windows with enough evidence, complete windows)."""


@dataclass
class ReportData:
    group_id: str
    start: datetime
    end: datetime
    n_events: int
    n_posts: int
    n_members: int
    n_active: int
    index: Score
    level: str | None
    previous: Score | None
    aspects: list[Score]
    stages: list[Score]
    weakest_stage: str | None
    weakest_aspects: list[str]
    group_type: dict[str, Any]
    solidarity_type: dict[str, Any]
    trend: list[dict[str, Any]]
    network: dict[str, Any]
    participation: dict[str, Any]
    left_out: list[dict[str, Any]]
    suggestions: list[Suggestion]
    indicators: list[dict[str, Any]]
    params: dict[str, Any]
    reading: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    survey: list[dict[str, Any]] = field(default_factory=list)
    verdict: dict[str, Any] = field(default_factory=dict)
    tz: str = "UTC"
    acts: dict[str, Any] | None = None
    """What members did for each other, counted from their acts (None: the source has no
    text), see :func:`kohesi.measure.episodes.act_episodes`."""
    names: bool = False
    """Members are shown by name (asked for with ``--names``), not by code."""
    change: dict[str, Any] | None = None
    """What changed since an earlier export of the same group (None: no earlier period to
    compare with)."""

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["start"], d["end"] = self.start.isoformat(), self.end.isoformat()
        for row in d["trend"]:
            row["start"] = row["start"].isoformat()
        return d


def weak_aspects(aspects: list[Score], cut: float = WEAK) -> list[str]:
    """The aspects to mark weak: of the two lowest, those scoring below ``cut``.

    >>> weak_aspects([Score(k, v, None, None) for k, v in zip("abcde", (0.74, 0.8, 0.9, 0.85, 0.77))])
    []
    >>> weak_aspects([Score(k, v, None, None) for k, v in zip("abcde", (0.57, 0.84, 0.37, 0.93, 0.45))])
    ['c', 'e']
    """
    lowest = sorted((a for a in aspects if a.value is not None), key=lambda a: a.value)[:2]
    return [a.key for a in lowest if a.value < cut]


def _score(frame: pl.DataFrame, name_col: str, name: str, window: str = "all") -> Score:
    r = frame.filter((pl.col("window") == window) & (pl.col(name_col) == name))
    if r.height == 0:
        return Score(name, None, None, None, available=False)
    v, lo, hi = (_f(r[c][0]) for c in ("value", "lo", "hi"))
    enough = bool(r["enough"][0]) if "enough" in r.columns else v is not None
    if not enough:
        v = lo = hi = None
    ev = (int(r["n_available"][0]), int(r["n_applicable"][0])) if "n_available" in r.columns else None
    return Score(name, v, lo, hi, available=v is not None, note=r["note"][0] if "note" in r.columns else None,
                 evidence=ev)


def _row(profile: Profile, name: str) -> dict[str, Any] | None:
    r = profile.rows.filter((pl.col("window") == "all") & (pl.col("indicator") == name))
    if r.height == 0 or not r["available"][0]:
        return None
    return {c: _f(r[c][0]) for c in ("value", "lo", "hi", "null_pct")}


def _labels(members: pl.DataFrame | None, mview: pl.DataFrame, names: bool) -> dict[str, str]:
    """Display label per member: the name when asked for and known, else a short stable code."""
    order = mview.sort(["posts", "member"], descending=[True, False])["member"].to_list()
    labels = {m: f"A{i + 1:02d}" for i, m in enumerate(order)}
    if names and members is not None and "name" in members.columns:
        for actor, name in members.select("actor", "name").iter_rows():
            if name and actor in labels:
                labels[actor] = name
    return labels


def _trend(profile: Profile) -> list[dict[str, Any]]:
    """One row per window: index with interval, posts, joins and leaves, in the group's calendar."""
    from zoneinfo import ZoneInfo

    idx = profile.index.filter(pl.col("window") != "all").sort("start")
    if idx.height == 0 or profile.window_table is None:
        return []
    counts = {r["window"]: r for r in profile.window_table.iter_rows(named=True)}
    zone = ZoneInfo(profile.meta.get("tz") or "UTC")
    posts = [counts[w]["posts"] for w in idx["window"].to_list()]
    median_posts = float(np.median(posts)) if posts else 0.0
    out = []
    for r in idx.iter_rows(named=True):
        c = counts[r["window"]]
        out.append({
            "start": r["start"].astimezone(zone).replace(tzinfo=None), "label": r["window"],
            "value": _f(r["value"]), "lo": _f(r["lo"]), "hi": _f(r["hi"]),
            "posts": int(c["posts"]), "joins": int(c["joins"]), "leaves": int(c["leaves"]),
            "quiet": median_posts > 0 and c["posts"] < 0.2 * median_posts,
            "complete": bool(c["complete"]), "note": r["note"],
        })
    return out


def _network(profile: Profile, labels: dict[str, str], seed: int) -> dict[str, Any]:
    whole = profile.whole
    if whole is None or whole.graph.vcount() == 0:
        return {"nodes": [], "edges": []}
    g = whole.graph
    names = whole.members.get_column("member").to_list()
    fac = dict(profile.factions.membership.iter_rows())
    mv = {r["member"]: r for r in profile.members.iter_rows(named=True)}
    degree = np.asarray(g.degree())
    linked = np.flatnonzero(degree > 0)
    coords = np.zeros((g.vcount(), 2))
    if len(linked):
        sub = g.induced_subgraph(linked.tolist())
        start = np.random.default_rng(seed).random((sub.vcount(), 2)).tolist()
        with igraph_seed(seed):  # the layout draws from igraph's own generator too
            lay = np.asarray(sub.layout_fruchterman_reingold(weights="weight", seed=start, niter=500).coords,
                             dtype=float)
        lay -= lay.min(axis=0)
        span = lay.max(axis=0)
        span[span == 0] = 1
        coords[linked] = 0.12 + 0.88 * lay / span
    alone = np.flatnonzero(degree == 0)
    if len(alone):
        coords[alone, 0] = np.linspace(0.05, 0.95, len(alone)) if len(alone) > 1 else 0.5
        coords[alone, 1] = 0.0
    bridges = {m for pair in profile.factions.bridges.select("member_a", "member_b").iter_rows() for m in pair}
    top_brokers = set(profile.members.filter(pl.col("broker_rank") <= 3)["member"].to_list())
    nodes = []
    for i, m in enumerate(names):
        row = mv.get(m, {})
        nodes.append({
            "id": m, "label": labels.get(m, m), "faction": int(fac.get(m, -1)),
            "x": float(coords[i, 0]), "y": float(coords[i, 1]),
            "posts": int(row.get("posts", 0) or 0),
            "isolated": bool(row.get("isolated", False)),
            "alone": bool(degree[i] == 0),
            "bridge": m in bridges and m in top_brokers,
        })
    edges = [{"a": names[a], "b": names[b], "w": float(w)} for (a, b), w in zip(g.get_edgelist(), g.es["weight"], strict=True)]
    sizes = pl.DataFrame({"f": [n["faction"] for n in nodes if not n["isolated"]]}).group_by("f").len()
    n_factions = int((sizes["len"] >= 2).sum()) if sizes.height else 0
    return {"nodes": nodes, "edges": edges, "modularity": _f(profile.factions.modularity),
            "n_factions": n_factions, "n_isolated": int(len(alone))}


def _lorenz(posts: np.ndarray) -> tuple[list[list[float]], float | None]:
    x = np.sort(posts.astype(float))
    if len(x) == 0 or x.sum() == 0:
        return [], None
    cum = np.concatenate([[0.0], np.cumsum(x) / x.sum()])
    pop = np.linspace(0, 1, len(cum))
    gini = 1 - float(np.sum((cum[1:] + cum[:-1]) * np.diff(pop)))
    return [[float(a), float(b)] for a, b in zip(pop, cum, strict=True)], gini


def _reading(reading: dict[str, Any] | None, zone) -> dict[str, Any]:
    """How the source was read; a simulation's intervention times in the group's calendar."""
    out = {**(reading or {}), "reply_gap_min": (reading or {}).get("reply_gap_min")}
    if out.get("interventions"):
        out["interventions"] = [{**i, "start": i["start"].astimezone(zone).replace(tzinfo=None)}
                                for i in out["interventions"]]
    return out


def build(profile: Profile, *, members=None, names: bool = False, seed: int = 0,
          reading: dict[str, Any] | None = None) -> ReportData:
    """Assemble the report content for one group from its measured :class:`Profile` (and, for
    names, the members table)."""
    mem = (pl.from_arrow(members) if members is not None and not isinstance(members, pl.DataFrame) else members)
    labels = _labels(mem, profile.members, names)
    index = _score(profile.index.with_columns(pl.lit("index").alias("name")), "name", "index")
    verdict = profile.verdict
    if not verdict.get("given"):
        index = Score("index", None, None, None, available=False, note="; ".join(verdict.get("reasons", [])))
    windows = profile.index.filter((pl.col("window") != "all") & pl.col("value").is_not_nan()).sort("start")
    previous = None
    index_recent = None
    if verdict.get("given") and windows.height >= 8:
        half = 4
        last, prev = windows.tail(half)["value"].mean(), windows.tail(2 * half).head(half)["value"].mean()
        previous = Score("previous", _f(prev), None, None)
        index_recent = _f(last)
    level = None
    if index.value is not None:
        level = next(name for cut, name in LEVELS if index.value < cut)
    aspects = [_score(profile.aspects, "aspect", a) for a in ASPECTS]
    stages = [_score(profile.stages, "stage", s) for s in STAGES]
    avail_stages = [s for s in stages if s.value is not None]
    weakest_stage = min(avail_stages, key=lambda s: s.value).key if avail_stages else None
    weakest_aspects = weak_aspects(aspects)

    def val(name: str) -> float | None:
        r = _row(profile, name)
        return None if r is None else r["value"]

    group_type = {
        "size": val("group_size"), "density": val("density"), "clustering": val("mean_clustering"),
        "multiplexity": val("multiplexity"), "strong_tie_share": val("strong_tie_share"),
        "primary": None if val("primary_group") is None else bool(val("primary_group") >= 0.5),
        "thresholds": {"max_size": profile.params.primary_max_n, "min_density": profile.params.primary_min_density,
                       "min_multiplexity": profile.params.primary_min_multiplexity},
    }
    mech = val("attribute_assortativity")
    org = val("cross_role_ties")
    solidarity_type = {"available": mech is not None or org is not None, "similarity": mech, "interdependence": org,
                       "role_diversity": val("role_diversity")}
    mview = profile.members
    posts = mview["posts"].to_numpy()
    lorenz, gini = _lorenz(posts)
    participation = {
        "lorenz": lorenz, "gini": gini,
        "newcomer_inclusion": val("newcomer_inclusion"), "responsiveness": val("responsiveness"),
        "response_time": val("response_time"), "participation_rate": val("participation_rate"),
        "silent": int((posts == 0).sum()), "members": len(posts),
        "top_share": float(np.sort(posts)[::-1][: max(1, len(posts) // 10)].sum() / max(posts.sum(), 1)) if len(posts) else None,
    }
    left_out = []
    for r in mview.sort("posts").iter_rows(named=True):
        reason = None
        if r["posts"] == 0:
            reason = "silent"
        elif r["isolated"]:
            reason = "isolated"
        elif r["attention_received"] == 0:
            reason = "unanswered"
        if reason:
            left_out.append({"label": labels.get(r["member"], r["member"]), "reason": reason, "posts": int(r["posts"])})
    indicators = []
    by_name = {i.name: i for i in all_indicators()}
    for r in profile.rows.filter(pl.col("window") == "all").iter_rows(named=True):
        meta = by_name.get(r["indicator"])
        indicators.append({
            "name": r["indicator"], "title": meta.title if meta else r["indicator"],
            "value": _f(r["value"]), "lo": _f(r["lo"]), "hi": _f(r["hi"]), "n": r["n"],
            "null_pct": _f(r["null_pct"]), "available": bool(r["available"]), "note": r["note"],
            "stage": meta.stage if meta else None, "aspect": meta.aspect if meta else None,
            "proxy": meta.proxy if meta else None, "orientation": meta.orientation if meta else None,
            "formula": meta.formula if meta else "", "source": meta.source if meta else "",
            "tags": list(meta.tags) if meta else [],
        })
    scores = {a.key: a.value for a in aspects} | {s.key: s.value for s in stages}
    acts = profile.meta.get("acts")
    suggestions = suggest(scores, {i["name"]: i["value"] for i in indicators if i["available"]},
                          facts=(acts or {}).get("recent"))
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(profile.meta.get("tz") or "UTC")
    first, last = (datetime.fromisoformat(profile.meta[k].replace("Z", "+00:00")).astimezone(zone).replace(tzinfo=None)
                   for k in ("first", "last"))
    return ReportData(
        group_id=profile.group_id,
        start=first, end=last,
        n_events=int(profile.meta["n_events"]), n_posts=int(profile.meta["n_posts"]),
        n_members=len(posts), n_active=int((posts > 0).sum()),
        index=index, level=level,
        previous=Score("change", index_recent, previous.value, None) if previous else None,
        aspects=aspects, stages=stages, weakest_stage=weakest_stage, weakest_aspects=weakest_aspects,
        group_type=group_type, solidarity_type=solidarity_type,
        trend=_trend(profile),
        network=_network(profile, labels, seed),
        participation=participation, left_out=left_out, suggestions=suggestions,
        indicators=indicators,
        params={"measure": profile.params.to_dict(), **profile.meta},
        reading=_reading(reading, zone), labels=labels,
        verdict=verdict, tz=profile.meta.get("tz") or "UTC", acts=acts,
        names=names and any(labels.get(m) != code for m, code in _labels(None, mview, False).items()),
    )

