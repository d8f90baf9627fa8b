"""Units of work: one group measured, or one (grid point, run) simulated.

A unit returns ``(key, rows, None)``, or ``(key, None, error)`` when its data are bad: bad data
become a row of the errors table and the run goes on.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from kohesi.batch.seeds import unit_seed
from kohesi.sources import GroupSource

__all__ = ["Result", "SWEEP_METRICS", "measure_unit", "sweep_unit", "failure_message"]

SWEEP_METRICS = ("mean_trust", "cooperation_rate", "ties_per_member", "norm_dispersion", "solidarity")
"""State columns a sweep row summarises (mean of the last ``tail`` steps)."""

Result = tuple[str, pl.DataFrame | None, str | None]


def failure_message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def measure_unit(source: GroupSource, key: str, opts: dict[str, Any]) -> Result:
    """Measure one group: ``(key, rows, None)`` or ``(key, None, error)`` when its data is bad.

    ``opts`` holds ``window``, ``bootstrap``, ``seed`` (the run's seed; the group's own is
    :func:`unit_seed`) and ``params`` (a :class:`~kohesi.measure.params.MeasureParams` or None).
    """
    from kohesi.measure import measure

    try:
        events, members = source.load(key)
        seed = unit_seed(opts["seed"], key)
        profile = measure(events, members, window=opts["window"], params=opts.get("params"),
                          bootstrap=opts["bootstrap"], seed=seed)
        rows = profile.to_frame()
        rows = rows.select(pl.lit(key, pl.String).alias(source.by), pl.lit(seed, pl.Int64).alias("seed"), pl.all())
        return key, rows, None
    except MemoryError:
        raise  # a worker problem, not the data's: let the executor retry elsewhere
    except Exception as exc:  # noqa: BLE001 - bad data becomes a row of the errors table
        return key, None, failure_message(exc)


def sweep_unit(job: dict[str, Any]) -> Result:
    """One (grid point, run): simulate without events and summarise the last ``tail`` steps."""
    from kohesi.simulate import simulate

    key = job["key"]
    try:
        res = simulate(job["scenario"], job["steps"], job["seed"], job["interventions"], events=False)
        tail = res.state.tail(job["tail"])
        row: dict[str, Any] = {"point": job["point"], "run": job["run"], "seed": job["seed"]}
        row.update(job["values"])
        row["steps"] = job["steps"]
        for col in SWEEP_METRICS:
            row[col] = float(tail[col].mean()) if tail.height else float("nan")
        schema = {"point": pl.Int64, "run": pl.Int64, "seed": pl.Int64, **job["schema"], "steps": pl.Int64}
        schema |= {c: pl.Float64 for c in SWEEP_METRICS}
        return key, pl.DataFrame([row], schema=schema), None
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001
        return key, None, failure_message(exc)
