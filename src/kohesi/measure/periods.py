"""Two periods of one group compared: what changed since an earlier export.

An organiser exports the group's chat every few months; each export holds the whole history the
phone has, so a later export contains an earlier one. The earlier export's last message ``split``
cuts the history in two:

- the **new period**: the complete windows of the whole history that start after ``split``
  (the windows a report of the later export shows: anchored at its end);
- the **earlier period**: as many complete windows, the last ones of the earlier export
  (everything up to ``split``, anchored at its end) — the same length, so that indicators that
  depend on the span (the evidence rule's posts and days, say) are comparable. When the history
  before ``split`` is shorter, the earlier period is shorter too, and says so.

Each period is measured as a report of its own export would measure it (its members are those
its export knows; a member who went quiet still counts, silent, in the new period), and its
whole-period aspects and index are the means over its windows, as in
:func:`kohesi.measure.measure`.

**Uncertainty: a paired two-way bootstrap.** The two periods share their members, so they are
not independent samples: each replicate draws the members of both periods *once*, with
replacement (Snijders & Borgatti 1999; the member bootstrap of :mod:`kohesi.measure.core`), and
evaluates both periods under that same draw, so a member who dominates both periods is in or
out of both — the paired bootstrap of a difference. Members are not the only source of noise: a
busy week or a holiday moves everyone at once, and a member bootstrap cannot see it. So each
replicate also resamples each period's windows in moving blocks (Künsch 1989; block length
round(T^(1/3)), Hall, Horowitz & Jing 1995). Resampling rows and columns of a members × weeks
array at once is the pigeonhole bootstrap (Owen 2007, Ann. Appl. Stat. 1:386), which
overstates the variance slightly: erring towards "no clear change". The 95% interval of the
difference is the percentile interval of new − earlier over the replicates.

**The call**, per number: ``rose`` or ``fell`` when the interval of the difference excludes 0,
``no_change`` when it contains it, and ``not_enough`` when either period is too thin by the
evidence rule of a report (:func:`period_verdict`: posts, members, days, windows with an index,
every aspect with enough evidence in half the windows), or the number has no value in a period.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from kohesi.measure.aggregate import AGGREGATORS
from kohesi.measure.bootstrap import block_indices, block_length, member_draws, percentile_intervals
from kohesi.measure.catalogue import all_indicators
from kohesi.measure.core import (
    WindowResult,
    evaluate_window,
    evidence_checks,
    mean_over,
    window_scores,
)
from kohesi.measure.frame import DAY_US, Prepared, prepare, to_polars
from kohesi.measure.graphs import Window, windows_from_prepared
from kohesi.measure.params import ASPECTS, MeasureParams
from kohesi.measure.windows import WindowSpec, utc_from_us, window_spec

__all__ = ["Period", "PeriodComparison", "compare_periods", "period_verdict", "CALLS"]

CALLS = ("rose", "fell", "no_change", "not_enough")
"""What a comparison says of one number."""

ROW_SCHEMA = {
    "kind": pl.String, "name": pl.String,
    "earlier": pl.Float64, "earlier_lo": pl.Float64, "earlier_hi": pl.Float64,
    "new": pl.Float64, "new_lo": pl.Float64, "new_hi": pl.Float64,
    "delta": pl.Float64, "lo": pl.Float64, "hi": pl.Float64, "call": pl.String,
}
"""Columns of :attr:`PeriodComparison.rows` (values on the 0–1 scale of the index)."""


@dataclass(frozen=True)
class Period:
    """One measured period: its windows' bounds (UTC), its counts and its verdict."""

    name: str
    start: datetime | None
    end: datetime | None
    windows: int
    posts: int
    members: int
    active: int
    days: float
    verdict: dict[str, Any]


@dataclass(frozen=True)
class PeriodComparison:
    """The earlier and the new period, the index and the five aspects in each, and their change.

    ``rows``: one row per number (:data:`ROW_SCHEMA`): ``kind`` (index, aspect), ``name``, the
    value and 95% interval in each period, the difference new − earlier with its interval, and
    the ``call`` (:data:`CALLS`). ``meta``: the split, the method and its parameters."""

    split: datetime
    earlier: Period
    new: Period
    rows: pl.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def given(self) -> bool:
        """Both periods hold enough evidence for a comparison."""
        return bool(self.earlier.verdict.get("given") and self.new.verdict.get("given"))


def _us(when: datetime) -> int:
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return int((when - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1))


@dataclass
class _Measured:
    """One period's windows, their results and per-window scores (replicates, observed first)."""

    prep: Prepared
    wins: list[Window]
    results: list[WindowResult]
    scores: list[dict]
    gids: np.ndarray
    active: np.ndarray


def _evaluate(prep: Prepared, pick: list[int], draws: np.ndarray | None, seed: int,
              params: MeasureParams) -> _Measured:
    """Evaluate the windows ``pick`` of ``prep`` (scored indicators only) under ``draws``."""
    from threadpoolctl import threadpool_limits

    inds = [i for i in all_indicators() if i.scored]
    wins_all = windows_from_prepared(prep, params)
    wins = [wins_all[k] for k in pick]
    gids, active, results, scores = [], [], [], []
    with threadpool_limits(1):  # small matrices: BLAS threads only spin (as measure does)
        for w in wins:
            gids.append(w.members.gid)
            active.append(w.members.gid[w.members.active])
            res = evaluate_window(w, inds, draws, seed, params)
            results.append(res)
            scores.append(window_scores(res, w, inds, params))
    return _Measured(prep, wins, results, scores, _union(gids), _union(active))


def _union(ids: list[np.ndarray]) -> np.ndarray:
    return np.unique(np.concatenate(ids)) if ids else np.zeros(0, np.int64)


def period_verdict(posts: int, members: int, days: float, windows_with_index: int,
                   lacking: list[str], params: MeasureParams) -> dict[str, Any]:
    """The evidence rule of a report's verdict (:func:`kohesi.measure.core._verdict`), applied to
    one period: at least ``min_posts`` posts, ``min_members`` members, ``min_days`` days and
    ``min_windows`` windows with an index, and every aspect with enough evidence in at least half
    the period's windows (``lacking`` names those that have not). Returns ``given``, ``reasons``
    and ``checks`` in the profile's verdict format, so that a report words them alike.

    Examples
    --------
    >>> v = period_verdict(12, 30, 20.0, 0, [], MeasureParams())
    >>> v["given"], [c["code"] for c in v["checks"]]
    (False, ['posts', 'windows'])
    """
    checks = evidence_checks(posts, members, days, windows_with_index, params)
    if lacking:
        checks.append({"code": "aspects", "aspects": lacking, "text": "not enough evidence for " + ", ".join(lacking)})
    return {"given": not checks, "reasons": [c["text"] for c in checks], "checks": checks, "posts": posts,
            "members": members, "days": round(days, 1), "windows_with_index": windows_with_index}


def _whole(m: _Measured, weights_rs: np.ndarray | None, B: int, params: MeasureParams
           ) -> tuple[dict[tuple[str, str], np.ndarray], list[str], int]:
    """Whole-period replicates (observed first) of the aspects and the index over the period's
    windows, as :func:`kohesi.measure.measure` forms them: an aspect is the mean over the windows
    where it has enough evidence, given when those are at least half the windows; the index is
    the aggregate of the five aspects. ``weights_rs`` (B, T) are how often each window is drawn
    in each replicate (None: every window once). Also returns the aspects without enough
    evidence and the number of windows with an index."""
    T = len(m.scores)
    out: dict[tuple[str, str], np.ndarray] = {}
    lacking = []
    weights = {a: v for a, v in params.aspect_weights.items() if v > 0}
    for a in ASPECTS:
        key = ("aspect", a)
        series = np.stack([sc[key][0] if key in sc else np.full(1 + B, np.nan) for sc in m.scores]) if T \
            else np.zeros((0, 1 + B))
        ok = np.array([key in sc and sc[key][1].enough for sc in m.scores], dtype=bool) & np.isfinite(series[:, 0])
        good = T > 0 and ok.sum() * 2 >= T and ok.any()
        if not good:
            out[key] = np.full(1 + B, np.nan)
            if a in weights:
                lacking.append(a)
            continue
        out[key] = mean_over(ok, series, weights_rs)
    if lacking:
        out[("index", "index")] = np.full(1 + B, np.nan)
    else:
        out[("index", "index")] = AGGREGATORS[params.index_method](
            {a: out[("aspect", a)] for a in weights}, weights, params.index_floor)
    with_index = int(sum(np.isfinite(sc[("index", "index")][0][0]) for sc in m.scores))
    return out, lacking, with_index


def _period(name: str, m: _Measured, lacking: list[str], with_index: int, params: MeasureParams) -> Period:
    if not m.wins:
        verdict = period_verdict(0, 0, 0.0, 0, [], params)
        return Period(name, None, None, 0, 0, 0, 0, 0.0, verdict)
    lo, hi = _us(m.wins[0].start), _us(m.wins[-1].end)
    t = m.prep.events.t
    inside = (t >= lo) & (t < hi)
    posts = int(((m.prep.posts.t >= lo) & (m.prep.posts.t < hi)).sum())
    days = (hi - lo) / DAY_US if inside.any() else 0.0  # complete windows: every day of them observed
    verdict = period_verdict(posts, len(m.gids), days, with_index, lacking, params)
    return Period(name, m.wins[0].start, m.wins[-1].end, len(m.wins), posts, len(m.gids), len(m.active), days,
                  verdict)


def compare_periods(
    events: Any,
    split: datetime,
    members: Any = None,
    window: str | timedelta | WindowSpec = "7D",
    params: MeasureParams | None = None,
    bootstrap: int = 200,
    seed: int = 0,
    *,
    tz: str | None = None,
    capabilities: set[str] | frozenset[str] | None = None,
    level: float = 0.95,
    resample_windows: bool = True,
) -> PeriodComparison:
    """Compare the period after ``split`` (the earlier export's last message) with the period
    of the same length before it (see the module docstring).

    Parameters
    ----------
    events : table
        One group's whole history in the canonical schema (both exports merged by event id).
    split : datetime
        The earlier export's last event; a naive datetime is read as UTC.
    members : table, optional
        Members table, as for :func:`kohesi.measure.measure`.
    window : str, timedelta or WindowSpec
        Window width (a windowed specification: the periods are made of windows). ``"7D"``.
    bootstrap : int
        Replicates of the paired bootstrap (members drawn once for both periods, windows
        resampled in blocks within each). 0: values only, without intervals, so every call is
        ``not_enough``.
    resample_windows : bool
        Also resample windows (the pigeonhole bootstrap); False: members only.

    Returns
    -------
    PeriodComparison

    Examples
    --------
    >>> from kohesi.measure.testing import events_table
    >>> ev = events_table([{"actor": "a", "t": 0}, {"actor": "b", "t": 60 * 24 * 30}])
    >>> c = compare_periods(ev, datetime(2024, 1, 2, tzinfo=UTC), bootstrap=10)
    >>> c.given, sorted(set(c.rows["call"]))
    (False, ['not_enough'])
    """
    params = params or MeasureParams()
    spec = window_spec(window)
    if spec.every is None:
        raise ValueError("a comparison of periods needs windows (e.g. window='7D'), not one window")
    df, _ = to_polars(events)
    split_us = _us(split)
    new_prep = prepare(events, members=members, window=spec, params=params, tz=tz, capabilities=capabilities)
    caps = new_prep.caps
    zone = new_prep.source.tz or "UTC"
    early_df = df.filter(pl.col("ts") <= pl.lit(utc_from_us(split_us)))
    tl = new_prep.timeline
    new_pick = [k for k in range(len(tl)) if tl.complete[k] and tl.starts_us[k] >= split_us]
    early_prep = None
    early_pick: list[int] = []
    if early_df.height:
        early_prep = prepare(early_df, members=members, window=spec, params=params, tz=zone, capabilities=caps)
        etl = early_prep.timeline
        complete = [k for k in range(len(etl)) if etl.complete[k]]
        early_pick = complete[len(complete) - len(new_pick):] if new_pick else []
    names = new_prep.names if early_prep is None else np.union1d(new_prep.names, early_prep.names)
    names = np.asarray(names, dtype=object)
    rng = np.random.default_rng([seed, 0x6B6F, 0x7072])
    draws = member_draws(len(names), bootstrap, rng).astype(np.float32) if bootstrap else None

    def cols(prep: Prepared) -> np.ndarray | None:
        if draws is None:
            return None
        return draws[:, np.searchsorted(names, np.asarray(prep.names, dtype=object))]

    new_m = _evaluate(new_prep, new_pick, cols(new_prep), seed, params)
    early_m = (_evaluate(early_prep, early_pick, cols(early_prep), seed, params) if early_prep is not None
               else _Measured(new_prep, [], [], [], np.zeros(0, np.int64), np.zeros(0, np.int64)))

    def block_weights(T: int) -> np.ndarray | None:
        if not (resample_windows and bootstrap and T):
            return None
        idx = block_indices(T, bootstrap, params.block_length or block_length(T), rng)
        return np.stack([np.bincount(row, minlength=T) for row in idx]).astype(float)

    new_w, early_w = block_weights(len(new_m.wins)), block_weights(len(early_m.wins))
    new_v, new_lacking, new_ix = _whole(new_m, new_w, bootstrap, params)
    early_v, early_lacking, early_ix = _whole(early_m, early_w, bootstrap, params)
    new_p = _period("new", new_m, new_lacking, new_ix, params)
    early_p = _period("earlier", early_m, early_lacking, early_ix, params)
    given = bool(new_p.verdict["given"] and early_p.verdict["given"])
    for p, v in ((new_p, new_v), (early_p, early_v)):
        if not p.verdict["given"]:  # as a report withholds its index: no verdict, no index
            v[("index", "index")] = np.full(1 + bootstrap, np.nan)
    recs = []
    for key in [("index", "index")] + [("aspect", a) for a in ASPECTS]:
        e, n = early_v[key], new_v[key]
        d = n - e
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            ci = percentile_intervals(np.stack([e[1:], n[1:], d[1:]]), level) if bootstrap \
                else np.full((3, 2), np.nan)
        lo, hi = ci[2]
        if not given or not (np.isfinite(e[0]) and np.isfinite(n[0]) and np.isfinite(lo) and np.isfinite(hi)):
            call = "not_enough"
        elif lo > 0:
            call = "rose"
        elif hi < 0:
            call = "fell"
        else:
            call = "no_change"
        recs.append({"kind": key[0], "name": key[1], "earlier": e[0], "earlier_lo": ci[0][0], "earlier_hi": ci[0][1],
                     "new": n[0], "new_lo": ci[1][0], "new_hi": ci[1][1], "delta": d[0], "lo": lo, "hi": hi,
                     "call": call})
    rows = pl.DataFrame(recs, schema=ROW_SCHEMA).with_columns(pl.col(pl.Float64).fill_nan(None))
    n_blocks = [params.block_length or block_length(len(m.wins)) for m in (early_m, new_m) if m.wins]
    meta = {
        "split": utc_from_us(split_us).strftime("%Y-%m-%dT%H:%M:%SZ"), "tz": zone, "window": spec.describe(),
        "bootstrap": bootstrap, "seed": seed, "level": level,
        "method": "paired bootstrap: members drawn once for both periods"
                  + (", windows resampled in moving blocks within each" if resample_windows else ""),
        "block_length": max(n_blocks) if n_blocks and resample_windows else None,
        "same_length": len(early_m.wins) == len(new_m.wins),
    }
    return PeriodComparison(utc_from_us(split_us), early_p, new_p, rows, meta)
