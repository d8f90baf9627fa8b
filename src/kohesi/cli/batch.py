"""Many groups and parameter sweeps: ``kohesi measure DATA --by group_id`` and ``kohesi sweep``.

Two command functions, registered by :mod:`kohesi.cli.app`. By default the work runs on a
process pool on this machine; ``--workers N`` starts a local Dask cluster of N processes;
``--scheduler tcp://host:8786`` uses an existing Dask cluster. Exit codes: 0 when every unit
ran, 3 when the run completed but some units failed (listed in the errors table), 2 on bad
arguments or input.
"""

# No `from __future__ import annotations` here: Typer would compile every parameter's annotation
# string each time the command line starts (bench/RESULTS.md, Startup).

from pathlib import Path
from typing import Annotated, Any

import typer

from kohesi.cli.console import err, fail, out, progress
from kohesi.cli.options import check_scenario, check_tz, writable
from kohesi.errors import KohesiError

__all__ = ["measure_by_group", "sweep_command"]

SchedulerOpt = Annotated[str | None, typer.Option(
    "--scheduler", help="Address of an existing Dask scheduler, e.g. tcp://10.0.0.5:8786 (needs dask[distributed]).")]
WorkersOpt = Annotated[int | None, typer.Option(
    "--workers", help="Start a local Dask cluster of N single-threaded worker processes.", min=1)]
ProcessesOpt = Annotated[int | None, typer.Option(
    "--processes", help="Size of the local process pool (default: all cores). Ignored with --scheduler/--workers.", min=1)]
SerialOpt = Annotated[bool, typer.Option("--serial", help="Run in this process, one unit after another.")]
FreshOpt = Annotated[bool, typer.Option("--fresh", help="Start afresh instead of resuming an earlier run into -o.")]


def _executor(scheduler: str | None, workers: int | None, processes: int | None,
              serial: bool) -> tuple[str, int | None]:
    if sum(x is not None and x is not False for x in (scheduler, workers, serial or None)) > 1:
        fail("choose one of --scheduler, --workers and --serial")
    if scheduler is not None:
        return "dask", None
    if workers is not None:
        return "dask", workers
    if serial:
        return "serial", None
    return "pool", processes


def _run_with_bar(label: str, fn: Any, **kwargs: Any) -> Any:
    with progress(label, remaining=True, failed=True) as bar:
        failed = [0]

        def on_start(total: int, done: int) -> None:
            bar(done, total)
            if done:
                err.print(f"[dim]resuming: {done:,} of {total:,} already done[/]", highlight=False)

        def on_done(key: str, ok: bool, finished: int, total: int) -> None:
            if not ok:
                failed[0] += 1
            bar.update(completed=finished, failed=failed[0])

        return fn(on_start=on_start, on_done=on_done, **kwargs)


def _finish(summary: Any, what: str) -> None:
    out.print(f"[green]wrote[/] {summary.output} ({summary.computed:,} {what} computed, "
              f"{summary.resumed:,} resumed, {summary.seconds:.1f} s on {summary.executor})", highlight=False)
    if summary.failed:
        errors = summary.errors()
        err.print(f"[yellow]warning:[/] {summary.failed:,} {what} failed; see {summary.errors_path}", highlight=False)
        for row in errors.head(5).iter_rows():
            err.print(f"  {row[0]}: {row[1]}", highlight=False, markup=False)
        raise typer.Exit(3)


def measure_by_group(
    data: Annotated[list[Path], typer.Argument(help="A store (.duckdb), a Parquet dataset partitioned by group (group_id=<g>/…), a Parquet events file, a folder of exports, or several export files.")],
    by: Annotated[str, typer.Option("--by", help="Column that names a group.")] = "group_id",
    output: Annotated[Path, typer.Option("--output", "-o", help="Result table (Parquet): one profile row set per group.")] = Path("profiles.parquet"),
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    processes: ProcessesOpt = None,
    serial: SerialOpt = False,
    window: Annotated[str, typer.Option("--window", help="Window width, e.g. 7d, 1d, 12h.")] = "7d",
    bootstrap: Annotated[int, typer.Option("--bootstrap")] = 200,
    seed: Annotated[int, typer.Option("--seed", help="Run seed; group g uses unit_seed(seed, g), kept in the seed column.")] = 0,
    tz: Annotated[str | None, typer.Option("--tz", help="Timezone of the exports' clock times (IANA name).", callback=check_tz)] = None,
    fresh: FreshOpt = False,
) -> None:
    """Measure every group of DATA, in parallel; write one table, resuming where a run stopped.

    Example: kohesi measure groups/ --by group_id --workers 2 -o profiles.parquet
    """
    from kohesi.batch import measure_many
    from kohesi.sources import open_groups

    executor, n = _executor(scheduler, workers, processes, serial)
    try:
        source = open_groups(data[0] if len(data) == 1 else data, by, tz=tz)
    except (KohesiError, ValueError) as exc:
        fail(str(exc))
    try:
        summary = _run_with_bar("measuring groups", measure_many, source=source, by=by, output=output,
                                executor=executor, scheduler=scheduler, workers=n, window=window,
                                bootstrap=bootstrap, seed=seed, tz=tz, overwrite=fresh)
    except (KohesiError, ValueError) as exc:
        fail(str(exc))
    _finish(summary, "groups")


def sweep_command(
    grid: Annotated[str, typer.Option("--grid", help='Parameter grid, e.g. "gotong_royong=0,weekly,monthly;individualism=0.2:0.8:4".')],
    scenario: Annotated[str, typer.Option("--scenario", help="keluarga, kampung, kota, organisasi, komunitas-online, or a TOML file.", callback=check_scenario)] = "kampung",
    runs: Annotated[int, typer.Option("--runs", help="Runs per grid point (seeds seed, seed+1, …).", min=1)] = 10,
    steps: Annotated[int, typer.Option("--steps", help="Days to simulate.", min=1)] = 365,
    seed: Annotated[int, typer.Option("--seed", min=0)] = 0,
    tail: Annotated[int, typer.Option("--tail", help="Summarise the mean of the last N days.", min=1)] = 30,
    start: Annotated[int, typer.Option("--start", help="Day the grid's interventions start.", min=0)] = 0,
    output: Annotated[Path, typer.Option("--output", "-o", help="Result table (Parquet): one row per grid point and run.", callback=writable(".parquet"))] = Path("sweep.parquet"),
    scheduler: SchedulerOpt = None,
    workers: WorkersOpt = None,
    processes: ProcessesOpt = None,
    serial: SerialOpt = False,
    fresh: FreshOpt = False,
) -> None:
    """Simulate every combination of a parameter grid several times; one summary row per run.

    Example: kohesi sweep --scenario kampung --grid "gotong_royong=0,weekly,monthly;individualism=0.2:0.8:4" --runs 50 -o sweep.parquet
    """
    from kohesi.batch import sweep
    from kohesi.simulate import grid_points, parse_grid

    executor, n = _executor(scheduler, workers, processes, serial)
    try:
        grid_points(scenario, parse_grid(grid), intervention_start=start)  # errors before the bar
    except (KohesiError, ValueError) as exc:
        fail(f"--grid: {exc}")
    try:
        summary = _run_with_bar("simulating", sweep, scenario=scenario, grid=grid, runs=runs, steps=steps,
                                output=output, seed=seed, tail=tail, intervention_start=start,
                                executor=executor, scheduler=scheduler, workers=n, overwrite=fresh)
    except (KohesiError, ValueError) as exc:
        fail(str(exc))
    _finish(summary, "runs")
