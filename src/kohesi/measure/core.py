"""``measure``: one group's canonical events → :class:`Profile`.

A pure function of its inputs (seeded), so thousands of groups can run in parallel.

Uncertainty is a member (cluster) bootstrap over the whole period (Snijders & Borgatti 1999):
each replicate draws the group's members with replacement once, and every window is evaluated
under that same draw, so a member who dominates the whole period is in or out of a replicate
everywhere. Per-window intervals and whole-period intervals come from the same draws; the
whole-period replicate of an indicator or score is its mean over the complete windows.

Whole-period values and the verdict:

- windows the observation covers only in part (the first window of an export, say) are
  measured and shown, but carry no aspect or index and are left out of whole-period values;
- a window's index needs every aspect with enough evidence (:mod:`kohesi.measure.aggregate`)
  and at least ``min_window_posts`` posts by ``min_window_active`` members;
- the whole-period index — the *verdict* — needs every aspect with enough evidence in at least
  half the complete windows, and at least ``min_posts`` posts, ``min_members`` members,
  ``min_days`` days and ``min_windows`` windows with an index; otherwise the profile says
  "not enough evidence to judge" and why.
"""

from __future__ import annotations

import gc
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np
import polars as pl

from kohesi.measure._stats import mid_percentile
from kohesi.measure.aggregate import AGGREGATORS, Evidence, group_scores
from kohesi.measure.bootstrap import member_draws, percentile_intervals
from kohesi.measure.catalogue import all_indicators
from kohesi.measure.episodes import act_episodes
from kohesi.measure.frame import DAY_US, Prepared, prepare
from kohesi.measure.graphs import Window, windows_from_prepared
from kohesi.measure.members import find_factions, members_view, whole_graph
from kohesi.measure.nulls import null_samples
from kohesi.measure.params import ASPECTS, STAGES, MeasureParams
from kohesi.measure.profile import ROW_SCHEMA, SCORE_SCHEMA, WINDOW_SCHEMA, Profile, WholePeriod
from kohesi.measure.registry import Indicator, NotAvailable
from kohesi.measure.windows import Anchor, WindowSpec, window_spec

__all__ = ["measure", "evaluate_window", "WindowResult", "evidence_checks", "mean_over", "window_scores"]

ProgressCallback = Callable[[int, int], None]
"""A progress callback: ``progress(done, total)``."""

_NOT_HERE = "na_here"
_NO_SOURCE = "na_source"


@dataclass
class WindowResult:
    """Replicates (observed first), status, notes and null samples of one window's indicators.

    ``status`` is ``ok`` (a value), ``nan`` (applicable, nothing to measure in this window),
    ``na_here`` (not measurable in this window: no next window, no member attribute) or
    ``na_source`` (the source cannot record what it needs)."""

    index: int
    n: int
    reps: dict[str, np.ndarray] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    nulls: dict[str, np.ndarray] = field(default_factory=dict)
    boot: dict[str, bool] = field(default_factory=dict)
    posts: int = 0
    members: int = 0

    def applicable(self) -> set[str]:
        return {k for k, s in self.status.items() if s in ("ok", "nan")}


def evaluate_window(
    w: Window, indicators: list[Indicator], draws: np.ndarray | None, seed: int, params: MeasureParams
) -> WindowResult:
    """Evaluate every indicator on window ``w``: observed value, bootstrap replicates, nulls.

    ``draws`` are the whole-period member multiplicities (B, N) in global member ids; the
    window uses the columns of its own members (report-only indicators the first
    ``params.report_bootstrap`` of them). The observed value is computed in float64 with
    c = 1; replicates in float32 (multiplicities are small integers, so sums stay exact up to
    2²⁴), halving the memory traffic.
    """
    B = 0 if draws is None else draws.shape[0]
    res = WindowResult(w.index, w.n, posts=len(w.posts), members=w.n)
    c_obs = w.ones()
    c_boot = draws[:, w.members.gid] if B and w.n else None
    for ind in indicators:
        why = ind.missing(w.caps)
        if why:
            res.reps[ind.name] = np.full(1 + B, np.nan)
            res.status[ind.name], res.notes[ind.name] = _NO_SOURCE, why
            continue
        try:
            if w.n == 0:
                raise NotAvailable("no members in this window")
            obs = float(np.asarray(ind.func(w, c_obs), dtype=float)[0])
            if ind.bootstrap and c_boot is not None and np.isfinite(obs):
                if ind.scored or B <= params.report_bootstrap:
                    boot = np.asarray(ind.func(w, c_boot), dtype=float)
                else:  # a descriptor: fewer replicates, the rest left empty
                    boot = np.full(B, np.nan)
                    boot[: params.report_bootstrap] = ind.func(w, c_boot[: params.report_bootstrap])
                reps = np.r_[obs, boot]
                res.boot[ind.name] = True
            else:
                reps = np.full(1 + B, obs)
                res.boot[ind.name] = False
            res.reps[ind.name] = reps
            res.status[ind.name] = "ok" if np.isfinite(obs) else "nan"
            if not np.isfinite(obs):
                res.notes[ind.name] = "nothing to measure in this window"
        except NotAvailable as e:
            res.reps[ind.name] = np.full(1 + B, np.nan)
            res.status[ind.name], res.notes[ind.name] = _NOT_HERE, str(e)
    if params.null_model != "none" and w.n:
        todo = [i for i in indicators if i.null is not None and res.status[i.name] == "ok"]
        res.nulls = null_samples(w, todo, params.null_samples, seed)
    w.release()
    return res


def _whole_period(prep: Prepared, params: MeasureParams, seed: int) -> WholePeriod:
    """The whole-period graph, its factions and the members view."""
    g = whole_graph(prep, params)
    restarts = params.faction_restarts if g.ecount() <= 50_000 else min(params.faction_restarts,
                                                                         params.faction_restarts_large)
    factions = find_factions(g, prep.names, restarts=restarts, seed=seed, resolution=params.faction_resolution)
    return WholePeriod(g, factions, members_view(prep, params, g, factions))


_FORKED: dict[str, Any] = {}


def _single_threaded() -> None:
    """In a forked worker: BLAS on one thread, so that the workers do not oversubscribe the
    cores they share (results are identical; only speed changes)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _forked_window(i: int) -> WindowResult:
    a = _FORKED
    return evaluate_window(a["wins"][i], a["inds"], a["draws"], a["seed"], a["params"])


_PARALLEL_MIN_EVENTS = 50_000


def _workers(n_jobs: int | None, prep: Prepared, n_windows: int) -> int:
    """Worker processes to use: 1 for small groups (forking costs more than it saves)."""
    if n_jobs is None or n_jobs == 1 or n_windows < 2 or len(prep.events.t) < _PARALLEL_MIN_EVENTS:
        return 1
    return max(1, os.cpu_count() or 1) if n_jobs < 0 else n_jobs


def _evaluate_all(
    prep: Prepared, wins: list[Window], inds: list[Indicator], draws: np.ndarray | None, seed: int,
    params: MeasureParams, n_jobs: int | None, progress: ProgressCallback | None = None,
) -> tuple[list[WindowResult], WholePeriod]:
    """Every window, and the whole period, serially or with the windows on forked worker
    processes that inherit them (nothing large is pickled on the way in) while this process
    does the whole period (polars must not run in a forked child).

    ``progress(done, total)`` is called in this process with the windows evaluated so far:
    first ``(0, total)``, then after each window (with workers: as windows finish, once this
    process has done the whole period)."""
    total = len(wins)
    if progress is not None:
        progress(0, total)
    workers = _workers(n_jobs, prep, len(wins))
    if workers == 1:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):  # the matrices are small: BLAS threads only spin
            results = []
            for w in wins:
                results.append(evaluate_window(w, inds, draws, seed, params))
                if progress is not None:
                    progress(len(results), total)
            return results, _whole_period(prep, params, seed)
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor, as_completed

    _FORKED.update(wins=wins, inds=inds, draws=draws, seed=seed, params=params)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"),
                                 initializer=_single_threaded) as pool:
            futures = [pool.submit(_forked_window, i) for i in range(len(wins))]
            whole = _whole_period(prep, params, seed)
            if progress is not None:
                for done, _ in enumerate(as_completed(futures), start=1):
                    progress(done, total)
            out = [f.result() for f in futures]
    finally:
        _FORKED.clear()
    return out, whole


def measure(
    events: Any,
    members: Any = None,
    window: str | timedelta | WindowSpec | None = "7D",
    params: MeasureParams | None = None,
    bootstrap: int = 200,
    seed: int = 0,
    indicators: list[str] | None = None,
    n_jobs: int | None = 1,
    *,
    tz: str | None = None,
    capabilities: set[str] | frozenset[str] | None = None,
    every: str | None = None,
    period: str | None = None,
    offset: str | None = None,
    anchor: Anchor | None = None,
    progress: ProgressCallback | None = None,
) -> Profile:
    """Measure one group's cohesion and solidarity from its canonical events.

    Parameters
    ----------
    events : pyarrow.Table, polars.DataFrame or pandas.DataFrame
        One group's events in the canonical schema (:mod:`kohesi.events`). A pyarrow table read
        by kohesi carries its source, capabilities and timezone (:func:`kohesi.events.source_info`).
    members : table, optional
        Members table (``actor`` plus attribute columns such as ``role``): every listed member
        counts, silent or not, and attributes feed the attribute-based indicators.
    window : str, timedelta, WindowSpec or None
        Window width in the group's calendar, e.g. ``"7D"``, ``"1D"``, ``"1mo"``, ``"12h"``;
        None = one window over the whole period. ``every``, ``period``, ``offset`` and
        ``anchor`` refine it (:mod:`kohesi.measure.windows`).
    params : MeasureParams
        Δ, θ, null model, evidence rules, aspect weights.
    bootstrap : int
        Member-bootstrap replicates (one draw of members for the whole period per replicate).
    seed : int
        Seed: equal inputs and seed give identical results, in any process.
    indicators : list of str, optional
        Restrict to these indicators (default: all registered).
    n_jobs : int or None
        Worker processes (forked) over windows; -1 = every CPU. Results are identical for any
        n_jobs. Groups under 50,000 events always run in this process.
    tz : str, optional
        The group's IANA timezone (default: the one recorded with the events, else UTC).
    capabilities : set of str, optional
        What the source can record (:data:`kohesi.events.CAPABILITIES`); default: recorded with
        the events, else assumed from them (replies and mentions wherever members post).
    progress : callable, optional
        ``progress(done, total)``: called with the number of windows evaluated so far, from
        ``(0, total)`` once the windows are known up to ``(total, total)``; for a progress bar.
        Called in this process, whatever ``n_jobs``.

    Returns
    -------
    Profile

    Examples
    --------
    >>> from kohesi.measure.testing import events_table
    >>> ev = events_table([{"actor": "a"}, {"actor": "b", "reply_to": "e0"},
    ...                    {"actor": "a", "reply_to": "e1"}])
    >>> p = measure(ev, window=None, bootstrap=0)
    >>> p.value("reciprocity"), p.value("responsiveness")
    (1.0, 0.6666666666666666)
    >>> p.verdict["given"], p.verdict["reasons"][0]
    (False, 'only 3 posts (at least 100 needed)')
    """
    params = params or MeasureParams()
    if bootstrap < 0:
        raise ValueError("bootstrap must be >= 0")
    spec = window_spec(window, every=every, period=period, offset=offset, anchor=anchor)
    prep = prepare(events, members=members, window=spec, params=params, tz=tz, capabilities=capabilities)
    wins = windows_from_prepared(prep, params)
    inds = all_indicators()
    if indicators is not None:
        unknown = sorted(set(indicators) - {i.name for i in inds})
        if unknown:
            raise ValueError(f"unknown indicators: {unknown}")
        inds = [i for i in inds if i.name in indicators]
    rng = np.random.default_rng([seed, 0x6B6F])
    draws = member_draws(len(prep.names), bootstrap, rng).astype(np.float32) if bootstrap else None
    gc.freeze()  # the prepared group is long-lived: keep the collector from rescanning it per window
    try:
        results, whole = _evaluate_all(prep, wins, inds, draws, seed, params, n_jobs, progress)
    finally:
        gc.unfreeze()
    complete = np.array([w.complete for w in wins])
    use = complete if complete.any() else np.ones(len(wins), dtype=bool)
    rows = _indicator_rows(results, wins, inds, use)
    scores, window_index = _score_rows(results, wins, inds, params, use)
    verdict = _verdict(prep, wins, results, scores, window_index, params, use)
    if not verdict["given"]:
        last = scores.height - 1
        scores = scores.with_columns(
            value=pl.when(pl.int_range(pl.len()) == last).then(None).otherwise(pl.col("value")),
            lo=pl.when(pl.int_range(pl.len()) == last).then(None).otherwise(pl.col("lo")),
            hi=pl.when(pl.int_range(pl.len()) == last).then(None).otherwise(pl.col("hi")),
            enough=pl.when(pl.int_range(pl.len()) == last).then(False).otherwise(pl.col("enough")),
            note=pl.when(pl.int_range(pl.len()) == last).then(pl.lit("not enough evidence to judge: " + "; ".join(verdict["reasons"])))
            .otherwise(pl.col("note")),
        )
    first_us, last_us = int(prep.timeline.first_us), int(prep.timeline.last_us)
    meta = {
        "first": _iso(first_us),
        "last": _iso(last_us),
        "window": spec.describe(),
        "window_spec": {"every": spec.every, "period": spec.period, "offset": spec.offset, "anchor": spec.anchor},
        "tz": prep.source.tz,
        "source": prep.source.source,
        "capabilities": sorted(prep.caps),
        "capabilities_basis": prep.caps_basis,
        "n_windows": len(wins),
        "n_complete_windows": int(complete.sum()),
        "bootstrap": bootstrap,
        "seed": seed,
        "n_events": int(len(prep.events.t)),
        "n_posts": int(len(prep.posts.e)),
        "n_members": int(len(prep.names)),
        "n_active": int(len(np.unique(prep.events.aid[prep.events.active & (prep.events.aid >= 0)]))),
        "verdict": verdict,
        "acts": act_episodes(prep, params),
    }
    return Profile(prep.group_id, params, rows, scores, whole.members, whole.factions, meta, whole,
                   _window_table(prep, wins))


def _iso(us: int) -> str:
    from datetime import UTC, datetime

    return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _window_table(prep: Prepared, wins: list[Window]) -> pl.DataFrame:
    """Bounds, coverage and counts of every window (for trends and the report)."""
    ev = prep.events
    lo, hi = prep.timeline.slices(ev.t)
    cum = {k: np.r_[0, np.cumsum(v)] for k, v in (("posts", ev.is_post), ("joins", ev.arrived),
                                                     ("leaves", ev.exit_member >= 0))}
    return pl.DataFrame({
        "window": [w.label for w in wins], "start": [w.start for w in wins], "end": [w.end for w in wins],
        "complete": [w.complete for w in wins], "coverage": [w.coverage for w in wins],
        "events": (hi - lo).astype(np.int64), **{k: (c[hi] - c[lo]).astype(np.int64) for k, c in cum.items()},
        "members": [w.n for w in wins], "active": [int(w.members.active.sum()) for w in wins],
    }, schema=WINDOW_SCHEMA)


def _indicator_rows(results: list[WindowResult], wins: list[Window], inds: list[Indicator], use: np.ndarray) -> pl.DataFrame:
    recs: dict[str, list[Any]] = {k: [] for k in ROW_SCHEMA}

    def add(label: str, start: Any, end: Any, name: str, v: float, lo: float, hi: float, n: int, pct: float,
            avail: bool, note: str | None, complete: bool) -> None:
        for k, x in zip(ROW_SCHEMA, (label, start, end, name, v, lo, hi, n, pct, avail, note, complete), strict=True):
            recs[k].append(x)

    for res, w in zip(results, wins, strict=True):
        booted = np.array([bool(res.boot.get(i.name)) for i in inds])
        ci = np.full((len(inds), 2), np.nan)
        if booted.any():
            ci[booted] = percentile_intervals(np.stack([res.reps[i.name][1:] for i, b in zip(inds, booted, strict=True) if b]))
        for ind, (lo, hi) in zip(inds, ci.tolist(), strict=True):
            obs = float(res.reps[ind.name][0])
            null = res.nulls.get(ind.name)
            add(w.label, w.start, w.end, ind.name, obs, lo, hi, w.n,
                mid_percentile(obs, null) if null is not None else np.nan,
                res.status[ind.name] == "ok", res.notes.get(ind.name), w.complete)
    sel = [r for r, u in zip(results, use, strict=True) if u]
    first, last = wins[int(np.flatnonzero(use)[0])], wins[int(np.flatnonzero(use)[-1])]
    for ind in inds:
        stack = np.stack([r.reps[ind.name] for r in sel])  # (T, 1 + B)
        finite = np.isfinite(stack[:, 0])
        value = float(stack[finite, 0].mean()) if finite.any() else np.nan
        lo = hi = np.nan
        if finite.any() and stack.shape[1] > 1 and any(r.boot.get(ind.name) for r in sel):
            reps = mean_over(finite, stack[:, 1:])
            lo, hi = percentile_intervals(reps[None, :])[0]
        pcts = [mid_percentile(float(r.reps[ind.name][0]), r.nulls[ind.name]) for r in sel if ind.name in r.nulls]
        pcts = [p for p in pcts if np.isfinite(p)]
        notes = [r.notes[ind.name] for r in sel if ind.name in r.notes]
        add("all", first.start, last.end, ind.name, value, lo, hi, int(finite.sum()),
            float(np.mean(pcts)) if pcts else np.nan, bool(finite.any()),
            None if finite.any() else (notes[0] if notes else None), True)
    return pl.DataFrame(recs, schema=ROW_SCHEMA)


def mean_over(rows: np.ndarray, values: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Mean over the windows where ``rows`` holds, per replicate column (NaN replicates skipped).

    ``values`` is (T, 1 + B): the observed column, then B replicates; ``weights`` (B, T), how
    often each window is drawn in each replicate (a block bootstrap of windows), weigh the
    replicate columns (None: every window once)."""
    if not rows.any():
        return np.full(values.shape[1], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if weights is None:
            return np.nanmean(values[rows], axis=0)
        x = values[rows]
        w = np.c_[np.ones(len(x)), weights[:, rows].T] * np.isfinite(x)
        total = w.sum(axis=0)
        return np.where(total > 0, (w * np.nan_to_num(x)).sum(axis=0) / np.where(total > 0, total, 1), np.nan)


def window_scores(res: WindowResult, w: Window, inds: list[Indicator], params: MeasureParams
                   ) -> dict[tuple[str, str], tuple[np.ndarray, Evidence]]:
    """One window's aspect and stage scores and its index, each (observed + replicates, evidence),
    keyed ``(kind, name)``; the index is withheld, with its reason, when a weighted aspect lacks
    evidence or the window is thin."""
    scores = {}
    for i in inds:
        if i.scored:
            scores[i.name] = i.score(res.reps[i.name], _null_mean(i, res, params))
    applicable = res.applicable()
    out: dict[tuple[str, str], tuple[np.ndarray, Evidence]] = {}
    aspects = group_scores(scores, inds, "aspect", applicable)
    stages = group_scores(scores, inds, "stage", applicable)
    for a in ASPECTS:
        if a in aspects:
            out[("aspect", a)] = aspects[a]
    for s in STAGES:
        if s in stages:
            out[("stage", s)] = stages[s]
    reps = 1 + (len(next(iter(res.reps.values()))) - 1 if res.reps else 0)
    weights = {a: v for a, v in params.aspect_weights.items() if v > 0}
    lacking = [a for a in ASPECTS if a in weights and (a not in aspects or not aspects[a][1].enough)]
    thin = []
    if res.posts < params.min_window_posts:
        thin.append(f"{res.posts} posts (at least {params.min_window_posts} needed)")
    if res.members < params.min_window_members:
        thin.append(f"{res.members} members (at least {params.min_window_members} needed)")
    reason = None
    if lacking:
        reason = "not enough evidence for " + ", ".join(lacking)
    elif thin:
        reason = "thin window: " + ", ".join(thin)
    if reason is None:
        value = AGGREGATORS[params.index_method]({a: aspects[a][0] for a in weights}, weights, params.index_floor)
    else:
        value = np.full(reps, np.nan)
    out[("index", "index")] = (value, Evidence(tuple(a for a in weights if a in aspects and aspects[a][1].enough),
                                               tuple(weights), None, reason is None, reason))
    return out


def _null_mean(ind: Indicator, res: WindowResult, params: MeasureParams) -> float | None:
    """The null-model mean an ``excess``-scored indicator is scored against. Where the null
    model could make no sample (too few ties to rewire), the observed network is the only one
    its degrees allow, so the null mean is the value itself. None without a null model."""
    if ind.scoring != "excess" or params.null_model == "none":
        return None
    if ind.name in res.nulls and np.isfinite(res.nulls[ind.name]).any():
        return float(np.nanmean(res.nulls[ind.name]))
    return float(res.reps[ind.name][0]) if res.status[ind.name] == "ok" else None


def _score_rows(results: list[WindowResult], wins: list[Window], inds: list[Indicator], params: MeasureParams,
                use: np.ndarray) -> tuple[pl.DataFrame, np.ndarray]:
    recs: dict[str, list[Any]] = {k: [] for k in SCORE_SCHEMA}
    keys = [("aspect", a) for a in ASPECTS] + [("stage", s) for s in STAGES] + [("index", "index")]
    present = set()
    per_window = []
    for res, w in zip(results, wins, strict=True):
        sc = window_scores(res, w, inds, params)
        if not w.complete:
            sc = {k: (np.full_like(v, np.nan), Evidence(e.available, e.applicable, e.core, False,
                                                         f"partial window: {w.coverage:.0%} of it was observed"))
                  for k, (v, e) in sc.items()}
        per_window.append(sc)
        present.update(sc)
    keys = [k for k in keys if k in present]

    def add(kind: str, name: str, label: str, start: Any, end: Any, v: float, lo: float, hi: float,
            n_av: int, n_ap: int, enough: bool, note: str | None) -> None:
        for col, x in zip(SCORE_SCHEMA, (kind, name, label, start, end, v, lo, hi, n_av, n_ap, enough, note), strict=True):
            recs[col].append(x)

    B = max((len(next(iter(r.reps.values()))) - 1 for r in results if r.reps), default=0)
    window_index = np.full(len(wins), np.nan)
    for k_w, (sc, w) in enumerate(zip(per_window, wins, strict=True)):
        stack = np.stack([sc[k][0] if k in sc else np.full(1 + B, np.nan) for k in keys])
        ci = percentile_intervals(stack[:, 1:]) if B else np.full((len(keys), 2), np.nan)
        for key, reps, (lo, hi) in zip(keys, stack, ci.tolist(), strict=True):
            ev = sc.get(key, (None, Evidence((), (), None, False, "not measured")))[1]
            add(key[0], key[1], w.label, w.start, w.end, float(reps[0]), lo, hi, len(ev.available), len(ev.applicable),
                ev.enough, ev.reason)
        if ("index", "index") in sc:
            window_index[k_w] = float(sc[("index", "index")][0][0])
    sel = [sc for sc, u in zip(per_window, use, strict=True) if u]
    first, last = wins[int(np.flatnonzero(use)[0])], wins[int(np.flatnonzero(use)[-1])]
    whole: dict[tuple[str, str], np.ndarray] = {}
    for key in keys:
        if key[0] == "index":
            continue
        series = np.stack([sc[key][0] if key in sc else np.full(1 + B, np.nan) for sc in sel])
        enough = np.array([key in sc and sc[key][1].enough for sc in sel])
        ok = enough & np.isfinite(series[:, 0])
        n_av, n_ap = int(ok.sum()), len(sel)
        good = n_ap > 0 and n_av * 2 >= n_ap and n_av > 0
        reps = mean_over(ok, series)
        whole[key] = reps if good else np.full(1 + B, np.nan)
        lo, hi = percentile_intervals(reps[None, 1:])[0] if B else (np.nan, np.nan)
        why = [sc[key][1].reason for sc in sel if key in sc and sc[key][1].reason]
        common = max(sorted(set(why)), key=why.count) if why and n_av == 0 else None
        note = None if good else (common or f"enough evidence in {n_av} of {n_ap} complete windows")
        add(key[0], key[1], "all", first.start, last.end, float(reps[0]), lo, hi, n_av, n_ap, good, note)
    weights = {a: v for a, v in params.aspect_weights.items() if v > 0}
    lacking = [a for a in weights if not np.isfinite(whole.get(("aspect", a), np.array([np.nan]))[0])]
    if lacking:
        reps = np.full(1 + B, np.nan)
        note = "not enough evidence for " + ", ".join(lacking)
    else:
        reps = AGGREGATORS[params.index_method]({a: whole[("aspect", a)] for a in weights}, weights, params.index_floor)
        note = None
    lo, hi = percentile_intervals(reps[None, 1:])[0] if B else (np.nan, np.nan)
    n_ok = len(weights) - len(lacking)
    add("index", "index", "all", first.start, last.end, float(reps[0]), lo, hi, n_ok, len(weights), not lacking, note)
    return pl.DataFrame(recs, schema=SCORE_SCHEMA), window_index


def evidence_checks(posts: int, members: int, days: float, windows_with_index: int | None,
                    params: MeasureParams) -> list[dict[str, Any]]:
    """The minimum-evidence rule's failed checks (posts, members, days covered, and windows with
    an index unless ``windows_with_index`` is None), each with its code, what the data have, what
    the rule needs, and a sentence; the report words them from the codes.

    >>> [c["code"] for c in evidence_checks(12, 30, 20.0, 0, MeasureParams())]
    ['posts', 'windows']
    """
    checks: list[dict[str, Any]] = []
    if posts < params.min_posts:
        checks.append({"code": "posts", "have": posts, "need": params.min_posts,
                       "text": f"only {posts} posts (at least {params.min_posts} needed)"})
    if members < params.min_members:
        checks.append({"code": "members", "have": members, "need": params.min_members,
                       "text": f"only {members} members (at least {params.min_members} needed)"})
    if days < params.min_days:
        checks.append({"code": "days", "have": round(days), "need": params.min_days,
                       "text": f"the data cover {round(days)} days (at least {params.min_days:.0f} needed)"})
    if windows_with_index is not None and windows_with_index < params.min_windows:
        checks.append({"code": "windows", "have": windows_with_index, "need": params.min_windows,
                       "text": f"time windows with enough evidence: {windows_with_index} "
                               f"(at least {params.min_windows} needed)"})
    return checks


def _verdict(prep: Prepared, wins: list[Window], results: list[WindowResult], scores: pl.DataFrame,
             window_index: np.ndarray, params: MeasureParams, use: np.ndarray) -> dict[str, Any]:
    """Whether the whole-period index may be given, and why not (the minimum-evidence rule)."""
    n_posts = int(len(prep.posts.e))
    n_active = int(len(np.unique(prep.events.aid[prep.events.active & (prep.events.aid >= 0)])))
    n_members = int(len(prep.names))
    days = (prep.timeline.last_us - prep.timeline.first_us) / DAY_US
    windowed = prep.timeline.spec.every is not None
    with_index = int(np.isfinite(window_index[use]).sum()) if windowed else int(np.isfinite(window_index).sum())
    checks = evidence_checks(n_posts, n_members, days, with_index if windowed else None, params)
    idx = scores.filter((pl.col("kind") == "index") & (pl.col("window") == "all"))
    if idx.height and not idx.get_column("enough")[0]:
        lacking = [a for a in ASPECTS if not scores.filter(
            (pl.col("kind") == "aspect") & (pl.col("name") == a) & (pl.col("window") == "all")).get_column("enough").any()]
        checks.append({"code": "aspects", "aspects": lacking, "text": idx.get_column("note")[0]})
    reasons = [c["text"] for c in checks]
    return {
        "given": not reasons,
        "reasons": reasons,
        "checks": checks,
        "posts": n_posts,
        "members": n_members,
        "active_members": n_active,
        "days": round(days, 1),
        "windows_with_index": with_index,
        "rule": {"min_posts": params.min_posts, "min_members": params.min_members, "min_days": params.min_days,
                 "min_windows": params.min_windows, "min_window_posts": params.min_window_posts,
                 "min_window_members": params.min_window_members},
    }
