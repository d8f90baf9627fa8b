"""The two runs: :func:`measure_many` (one group per unit) and :func:`sweep` (one grid point and
run per unit), resumable, on any executor, with identical tables from each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl

from kohesi.batch.executors import check_executor
from kohesi.batch.parts import OnDone, Parts, RunSummary, drive
from kohesi.batch.units import measure_unit, sweep_unit
from kohesi.sources import GroupSource, open_groups

__all__ = ["measure_many", "sweep"]


def measure_many(
    source: str | Path | Sequence[str | Path] | GroupSource,
    by: str = "group_id",
    *,
    output: str | Path,
    executor: str = "serial",
    scheduler: Any = None,
    workers: int | None = None,
    window: str | timedelta | None = "7D",
    bootstrap: int = 200,
    seed: int = 0,
    params: Any = None,
    tz: str | None = None,
    retries: int = 2,
    overwrite: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_done: OnDone | None = None,
) -> RunSummary:
    """Measure every group of ``source``, one group per unit of work; write one Parquet table.

    Parameters
    ----------
    source
        A ``.duckdb`` store, a Hive-partitioned Parquet folder (``<by>=<value>/*.parquet``), a
        Parquet file with a ``<by>`` column, a folder of exports or a list of export files.
    by
        The column that names a group (``group_id``); for exports the file name is the key.
    output
        The result table: ``<by>``, ``seed`` and the columns of
        :meth:`kohesi.measure.Profile.to_frame`. Errors go to ``<output stem>.errors.parquet``.
    executor, scheduler, workers
        ``"serial"``, ``"pool"`` (``workers`` spawned processes, default all cores, or the
        ``concurrent.futures`` Executor given as ``scheduler``) or ``"dask"`` (``scheduler`` =
        address or ``distributed.Client``; else a local cluster of ``workers`` processes).
    window, bootstrap, seed, params
        As for :func:`kohesi.measure.measure`; group ``g`` is measured with seed
        ``unit_seed(seed, g)`` (the table's ``seed`` column).
    retries
        Further attempts for a unit whose worker died.
    overwrite
        Start afresh instead of resuming.
    on_start, on_done
        ``on_start(total, already_done)`` once, ``on_done(key, ok, finished, total)`` per unit.

    Returns
    -------
    RunSummary
    """
    check_executor(executor, scheduler, workers)
    if bootstrap < 0:
        raise ValueError("bootstrap must be >= 0")
    src = open_groups(source, by, tz=tz)
    keys = src.keys()
    params_dict = params.to_dict() if params is not None else None
    settings = {"kind": "measure", "by": by, "window": None if window is None else str(window),
                "bootstrap": bootstrap, "seed": seed, "params": params_dict}
    parts = Parts(Path(output), [by], lambda df: df.get_column(by).cast(pl.String), by, settings, overwrite,
                   stream=True)
    done = parts.done() & set(keys)
    opts = {"window": window, "bootstrap": bootstrap, "seed": seed, "params": params}
    tasks = [(k, (src.unit(k), k, opts)) for k in keys if k not in done]
    if on_start is not None:
        on_start(len(keys), len(done))
    return drive(measure_unit, tasks, parts, total=len(keys), resumed=len(done), executor=executor,
                  scheduler=scheduler, workers=workers, retries=retries, on_done=on_done, batch=1)


_SWEEP_TASKS_PER_WORKER = 16


def sweep(
    scenario: Any,
    grid: dict[str, list] | str,
    runs: int,
    steps: int = 365,
    *,
    output: str | Path,
    seed: int = 0,
    tail: int = 30,
    intervention_start: int = 0,
    executor: str = "serial",
    scheduler: Any = None,
    workers: int | None = None,
    retries: int = 2,
    overwrite: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_done: OnDone | None = None,
) -> RunSummary:
    """Simulate every grid combination ``runs`` times and write one summary row per run.

    Run ``r`` of every combination uses seed ``seed + r`` (common random numbers: combinations
    differ only in their parameters), so any row is reproduced by ``simulate(…, seed=row.seed)``.
    Columns: ``point``, ``run``, ``seed``, one per grid parameter, ``steps`` and the mean of the
    last ``tail`` steps of :data:`SWEEP_METRICS`. Same executors, resume and errors table as
    :func:`measure_many` (errors keyed by ``unit`` = ``"<point>:<run>"``).
    """
    check_executor(executor, scheduler, workers)
    if runs < 1 or steps < 1 or tail < 1:
        raise ValueError("runs, steps and tail must be >= 1")
    from kohesi.simulate.grid import grid_points, parse_grid
    from kohesi.simulate.scenario import Scenario, load_scenario

    if isinstance(grid, str):
        grid = parse_grid(grid)

    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    points = grid_points(base, grid, intervention_start=intervention_start)
    settings = {"kind": "sweep", "scenario": base.to_dict(), "grid": grid, "runs": runs, "steps": steps, "seed": seed, "tail": tail,
                "start": intervention_start}

    def key_of(df: pl.DataFrame) -> pl.Series:
        return df.select(pl.format("{}:{}", "point", "run")).to_series()

    parts = Parts(Path(output), ["point", "run"], key_of, "unit", settings, overwrite, stream=False)
    done = parts.done()
    jobs = []
    for p in points:
        for r in range(runs):
            key = f"{p['point']}:{r}"
            if key in done:
                continue
            jobs.append((key, ({"key": key, "point": p["point"], "run": r, "seed": seed + r,
                                "scenario": p["scenario"], "interventions": p["interventions"],
                                "steps": steps, "tail": tail, "values": p["values"],
                                "schema": p["schema"]},)))
    total = len(points) * runs
    if on_start is not None:
        on_start(total, total - len(jobs))
    return drive(sweep_unit, jobs, parts, total=total, resumed=total - len(jobs), executor=executor,
                  scheduler=scheduler, workers=workers, retries=retries, on_done=on_done, batch=256,
                  per_worker=_SWEEP_TASKS_PER_WORKER)
