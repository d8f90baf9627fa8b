"""Simulating: ``kohesi simulate`` and ``kohesi sweep``."""

# No `from __future__ import annotations` here: Typer would compile every parameter's annotation
# string each time the command line starts (bench/RESULTS.md, Startup).

from pathlib import Path
from typing import Annotated

import typer

from kohesi.cli.console import fail, new_table, out, print_table, progress
from kohesi.cli.options import check_scenario, writable

__all__ = ["simulate"]


def simulate(
    scenario: Annotated[str, typer.Option("--scenario", help="keluarga, kampung, kota, organisasi, komunitas-online, or a TOML file.", callback=check_scenario)] = "kampung",
    steps: Annotated[int, typer.Option("--steps", help="Days to simulate.", min=1)] = 365,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random numbers (0 or more).", min=0)] = 1,
    intervention: Annotated[list[str] | None, typer.Option("--intervention", "-i", metavar="<kind@start>", help=(
        "KIND@START[:PERIOD][*STRENGTH], e.g. gotong-royong@100:weekly (repeatable). KIND: education, "
        "gotong-royong, public-spaces, policy, media, leadership; START: the day it begins; PERIOD: daily, "
        "weekly, monthly, once (the default) or a number of days; STRENGTH: 1 by default."))] = None,
    runs: Annotated[int, typer.Option("--runs", help="Independent runs (seeds seed, seed+1, …) on a process pool.", min=1)] = 1,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write events (and .state/.members) as Parquet; with --runs, one file per run.", callback=writable(".parquet"))] = None,
) -> None:
    """Simulate how solidarity forms in a community, with scheduled interventions.

    Example: kohesi simulate --scenario kampung --steps 520 --seed 1 -i gotong-royong@100:weekly -o sim.parquet
    """
    from kohesi.simulate import run_many
    from kohesi.simulate import simulate as run_one

    _check_interventions(intervention or [])

    seeds = list(range(seed, seed + runs))
    if runs == 1:
        with progress(f"simulating {scenario} (days)", total=steps) as bar:
            results = [run_one(scenario, steps, seed, intervention or [], on_step=lambda t: bar(t, steps))]
    else:
        with progress(f"simulating {scenario} (runs)", total=runs) as bar:
            results = run_many(scenario, steps, seeds, intervention or [], on_result=lambda _r: bar.advance())
    summary = new_table(title=f"scenario {scenario}: last 30 days, mean over {runs} run(s)")
    cols = ["mean_trust", "cooperation_rate", "ties_per_member", "norm_dispersion", "solidarity"]
    for col in ("seed", "events", *cols):
        summary.add_column(col, justify="right")
    for res in results:
        tail = res.state.tail(30)
        summary.add_row(str(res.seed), f"{res.events.num_rows:,}", *(f"{tail[c].mean():.3f}" for c in cols))
    print_table(summary)
    if output is not None:
        for res in results:
            path = output if runs == 1 else output.with_name(f"{output.stem}-seed{res.seed}{output.suffix}")
            res.to_parquet(path)
            out.print(f"[green]wrote[/] {path}")


def _check_interventions(specs: list[str]) -> None:
    """Refuse a mistyped intervention in one line naming -i/--intervention, the kinds and the syntax."""
    from kohesi.simulate.scenario import parse_intervention

    for spec in specs:
        try:
            parse_intervention(spec)
        except ValueError as exc:  # a typo in the user's words, not a bug: one line, exit 2
            fail(f"--intervention/-i: {exc}")
