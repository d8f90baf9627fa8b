"""``measure``: one group's canonical events → :class:`Profile`.

A pure function of its inputs (seeded), so thousands of groups can run in parallel.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import numpy as np
import polars as pl

from kohesi.measure._stats import mid_percentile
from kohesi.measure.aggregate import AGGREGATORS, group_scores
from kohesi.measure.bootstrap import (
    block_means,
    member_draws,
    percentile_interval,
    percentile_intervals,
)
from kohesi.measure.frame import Prepared, prepare
from kohesi.measure.graphs import Window, windows_from_prepared
from kohesi.measure.members import Factions, find_factions, members_view, whole_graph
from kohesi.measure.nulls import null_samples
from kohesi.measure.params import MeasureParams
from kohesi.measure.profile import ROW_SCHEMA, SCORE_SCHEMA, Profile
from kohesi.measure.registry import Indicator, NotAvailable, all_indicators

__all__ = ["measure", "evaluate_window", "WindowResult"]


class WindowResult:
    """Replicates (observed first), availability, notes and null samples of one window."""

    __slots__ = ("window", "reps", "available", "notes", "nulls", "boot")

    def __init__(self, window: Window) -> None:
        self.window = window
        self.reps: dict[str, np.ndarray] = {}
        self.available: dict[str, bool] = {}
        self.notes: dict[str, str] = {}
        self.nulls: dict[str, np.ndarray] = {}
        self.boot: dict[str, bool] = {}


def evaluate_window(
    w: Window, indicators: list[Indicator], bootstrap: int, seed: int, params: MeasureParams
) -> WindowResult:
    """Evaluate every indicator on window ``w``: observed value, member-bootstrap replicates, nulls.

    The observed value is computed in float64 with c = 1; replicates in float32 (multiplicities
    are small integers, so sums stay exact up to 2²⁴), halving the memory traffic.
    """
    res = WindowResult(w)
    rng = np.random.default_rng([seed, w.index])
    c_obs = w.ones()
    draws = member_draws(w.n, bootstrap, rng).astype(np.float32) if w.n and bootstrap else None
    for ind in indicators:
        try:
            if w.n == 0:
                raise NotAvailable("no members in this window")
            obs = float(np.asarray(ind.func(w, c_obs), dtype=float)[0])
            if ind.bootstrap and draws is not None:
                reps = np.r_[obs, np.asarray(ind.func(w, draws), dtype=float)]
                res.boot[ind.name] = True
            else:
                reps = np.full(1 + bootstrap, obs)
                res.boot[ind.name] = False
            res.reps[ind.name] = reps
            res.available[ind.name] = True
        except NotAvailable as e:
            res.reps[ind.name] = np.full(1 + bootstrap, np.nan)
            res.available[ind.name] = False
            res.notes[ind.name] = str(e)
    if params.null_model != "none" and w.n:
        todo = [i for i in indicators if i.null is not None and res.available[i.name]]
        res.nulls = null_samples(w, todo, params.null_samples, seed)
    w.release()
    return res


def _scores_for(res: WindowResult, indicators: list[Indicator], params: MeasureParams) -> dict[tuple[str, str], np.ndarray]:
    scores = {i.name: i.score(res.reps[i.name], res.nulls.get(i.name)) for i in indicators if i.scored}
    out: dict[tuple[str, str], np.ndarray] = {}
    aspects = group_scores(scores, indicators, "aspect")
    for k, v in aspects.items():
        out[("aspect", k)] = v
    for k, v in group_scores(scores, indicators, "stage").items():
        out[("stage", k)] = v
    agg = AGGREGATORS[params.index_method]
    if aspects:
        out[("index", "index")] = agg(aspects, params.aspect_weights, params.index_floor)
    return out


def _whole_period(prep: Prepared, params: MeasureParams, seed: int) -> tuple[Factions, pl.DataFrame]:
    """Factions and the members view over the whole period."""
    g = whole_graph(prep, params)
    factions = find_factions(
        g, prep.names, restarts=params.faction_restarts, seed=seed, resolution=params.faction_resolution
    )
    return factions, members_view(prep, params, g, factions)


_FORKED: dict[str, Any] = {}


def _forked_window(i: int) -> WindowResult:
    a = _FORKED
    res = evaluate_window(a["wins"][i], a["inds"], a["bootstrap"], a["seed"], a["params"])
    res.window = None  # type: ignore[assignment]
    return res


_PARALLEL_MIN_EVENTS = 50_000


def _workers(n_jobs: int | None, prep: Prepared, n_windows: int) -> int:
    """Worker processes to use: 1 for small groups (forking costs more than it saves)."""
    if n_jobs is None or n_jobs == 1 or n_windows < 2 or len(prep.ev["w"]) < _PARALLEL_MIN_EVENTS:
        return 1
    return max(1, os.cpu_count() or 1) if n_jobs < 0 else n_jobs


def _evaluate_all(
    prep: Prepared, wins: list[Window], inds: list[Indicator], bootstrap: int, seed: int, params: MeasureParams,
    n_jobs: int | None,
) -> tuple[list[WindowResult], tuple[Factions, pl.DataFrame]]:
    """Every window, and the whole-period factions and members view, serially or with the
    windows on forked worker processes that inherit them (nothing large is pickled on the way
    in) while this process does the whole period (polars must not run in a forked child)."""
    workers = _workers(n_jobs, prep, len(wins))
    if workers == 1:
        return [evaluate_window(w, inds, bootstrap, seed, params) for w in wins], _whole_period(prep, params, seed)
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    _FORKED.update(wins=wins, inds=inds, bootstrap=bootstrap, seed=seed, params=params)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork")) as pool:
            futures = [pool.submit(_forked_window, i) for i in range(len(wins))]
            whole = _whole_period(prep, params, seed)
            out = [f.result() for f in futures]
    finally:
        _FORKED.clear()
    for res, w in zip(out, wins, strict=True):
        res.window = w
    return out, whole


def measure(
    events: Any,
    members: Any = None,
    window: str | timedelta | None = "7D",
    params: MeasureParams | None = None,
    bootstrap: int = 200,
    seed: int = 0,
    indicators: list[str] | None = None,
    n_jobs: int | None = 1,
) -> Profile:
    """Measure one group's cohesion and solidarity from its canonical events.

    Parameters
    ----------
    events : pyarrow.Table, polars.DataFrame or pandas.DataFrame
        One group's events in the canonical schema (:mod:`kohesi.events`).
    members : table, optional
        Members table (``actor`` plus attribute columns such as ``role``); enables the registered
        member count and attribute-based indicators.
    window : str, timedelta or None
        Window width, e.g. ``"7D"``, ``"1D"``, ``"12h"``; None = one window over the whole period.
    params : MeasureParams
        Δ, θ, null model, thresholds, aspect weights.
    bootstrap : int
        Member-bootstrap replicates per window (and moving-block replicates over windows).
    seed : int
        Seed: equal inputs and seed give identical results.
    indicators : list of str, optional
        Restrict to these indicators (default: all registered).
    n_jobs : int or None
        Worker processes (forked) over windows, beside one for the whole-period factions and
        members view; -1 = every CPU. Results are identical for any n_jobs. Groups under 50,000
        events always run in this process. Keep 1 when many groups already run in parallel.

    Returns
    -------
    Profile

    Examples
    --------
    >>> from kohesi.measure.testing import events_table
    >>> ev = events_table([{"actor": "a"}, {"actor": "b", "reply_to": "e0"},
    ...                    {"actor": "a", "reply_to": "e1"}])
    >>> p = measure(ev, window=None, bootstrap=0)
    >>> p.value("reciprocity"), p.value("density")
    (1.0, 1.0)
    """
    params = params or MeasureParams()
    if bootstrap < 0:
        raise ValueError("bootstrap must be >= 0")
    prep = prepare(events, members=members, window=window, params=params)
    wins = windows_from_prepared(prep, params)
    inds = all_indicators()
    if indicators is not None:
        unknown = set(indicators) - {i.name for i in inds}
        if unknown:
            raise ValueError(f"unknown indicators: {sorted(unknown)}")
        inds = [i for i in inds if i.name in indicators]
    results, (factions, mview) = _evaluate_all(prep, wins, inds, bootstrap, seed, params, n_jobs)
    rows = _indicator_rows(results, inds, bootstrap, seed, params)
    scores = _score_rows(results, inds, bootstrap, seed, params)
    meta = {
        "window": None if window is None else str(window),
        "n_windows": len(wins),
        "bootstrap": bootstrap,
        "seed": seed,
        "n_events": int(len(prep.ev["w"])),
        "n_members": int(len(prep.names)),
        "sources_have": prep.has,
    }
    return Profile(prep.group_id, params, rows, scores, mview, factions, meta)


def _indicator_rows(
    results: list[WindowResult], inds: list[Indicator], bootstrap: int, seed: int, params: MeasureParams
) -> pl.DataFrame:
    recs: dict[str, list[Any]] = {k: [] for k in ROW_SCHEMA}
    for res in results:
        w = res.window
        booted = np.array([bool(res.boot.get(i.name)) for i in inds])
        ci = np.full((len(inds), 2), np.nan)
        if booted.any():
            ci[booted] = percentile_intervals(np.stack([res.reps[i.name][1:] for i, b in zip(inds, booted, strict=True) if b]))
        for ind, (lo, hi) in zip(inds, ci.tolist(), strict=True):
            reps = res.reps[ind.name]
            null = res.nulls.get(ind.name)
            recs["window"].append(w.label)
            recs["start"].append(w.start)
            recs["end"].append(w.end)
            recs["indicator"].append(ind.name)
            recs["value"].append(float(reps[0]))
            recs["lo"].append(lo)
            recs["hi"].append(hi)
            recs["n"].append(w.n)
            recs["null_pct"].append(mid_percentile(float(reps[0]), null) if null is not None else np.nan)
            recs["available"].append(res.available[ind.name])
            recs["note"].append(res.notes.get(ind.name))
    for j, ind in enumerate(inds):
        series = np.array([r.reps[ind.name][0] for r in results])
        rng = np.random.default_rng([seed, 10**6 + j])
        mb = block_means(series, max(bootstrap, 0), rng, params.block_length) if bootstrap else np.array([])
        lo, hi = percentile_interval(mb) if len(mb) else (np.nan, np.nan)
        pcts = [mid_percentile(float(r.reps[ind.name][0]), r.nulls[ind.name]) for r in results if ind.name in r.nulls]
        finite = np.isfinite(series)
        avail = any(r.available[ind.name] for r in results)
        recs["window"].append("all")
        recs["start"].append(results[0].window.start)
        recs["end"].append(results[-1].window.end)
        recs["indicator"].append(ind.name)
        recs["value"].append(float(series[finite].mean()) if finite.any() else np.nan)
        recs["lo"].append(lo)
        recs["hi"].append(hi)
        recs["n"].append(int(finite.sum()))
        recs["null_pct"].append(float(np.nanmean(pcts)) if pcts and np.isfinite(pcts).any() else np.nan)
        recs["available"].append(avail)
        recs["note"].append(None if avail else next(iter(r.notes.get(ind.name) for r in results), None))
    return pl.DataFrame(recs, schema=ROW_SCHEMA)


def _score_rows(
    results: list[WindowResult], inds: list[Indicator], bootstrap: int, seed: int, params: MeasureParams
) -> pl.DataFrame:
    recs: dict[str, list[Any]] = {k: [] for k in SCORE_SCHEMA} | {"kind": []}
    series: dict[tuple[str, str], list[float]] = {}
    per_window = [_scores_for(r, inds, params) for r in results]
    keys = sorted({k for s in per_window for k in s}, key=lambda k: ("aspect", "stage", "index").index(k[0]))
    for res, sc in zip(results, per_window, strict=True):
        w = res.window
        reps_all = np.stack([sc.get(key, np.full(1 + bootstrap, np.nan)) for key in keys]) if keys else np.zeros((0, 1))
        ci = percentile_intervals(reps_all[:, 1:]) if bootstrap else np.full((len(keys), 2), np.nan)
        for key, reps, (lo, hi) in zip(keys, reps_all, ci.tolist(), strict=True):
            series.setdefault(key, []).append(float(reps[0]))
            _add(recs, key, w.label, w.start, w.end, float(reps[0]), lo, hi)
    for j, key in enumerate(keys):
        x = np.asarray(series[key])
        rng = np.random.default_rng([seed, 2 * 10**6 + j])
        mb = block_means(x, bootstrap, rng, params.block_length) if bootstrap else np.array([])
        lo, hi = percentile_interval(mb) if len(mb) else (np.nan, np.nan)
        val = float(np.nanmean(x)) if np.isfinite(x).any() else np.nan
        _add(recs, key, "all", results[0].window.start, results[-1].window.end, val, lo, hi)
    return pl.DataFrame(recs, schema=SCORE_SCHEMA | {"kind": pl.String})


def _add(recs: dict[str, list[Any]], key: tuple[str, str], label: str, start: Any, end: Any, v: float, lo: float, hi: float) -> None:
    recs["kind"].append(key[0])
    recs["name"].append(key[1])
    recs["window"].append(label)
    recs["start"].append(start)
    recs["end"].append(end)
    recs["value"].append(v)
    recs["lo"].append(lo)
    recs["hi"].append(hi)
