"""Run the solidarity model and turn it into canonical events: :func:`simulate`, :func:`run_many`.

Time axis: step ``t`` is day ``t`` counted from :data:`START` (Monday 2024-01-01, UTC), so the
measurement pipeline's daily and weekly windows apply unchanged. Within a day: founding joins
at 06:00 on day 0, shared tasks from 07:00, messages between 07:00 and 21:00 (replies at most
90 minutes later), and members who move away leave after 23:00, their replacement joining
before midnight.

Events emitted (``group_id`` = ``"sim-<scenario>-<seed>"``, actors ``"u<id>"``):

- ``join`` (subtype ``founding``) for every initial member on day 0; ``leave`` and ``join``
  (subtype ``newcomer``) when mobility replaces a member;
- ``message`` for a sampled interaction: the initiator writes to its partner
  (``target`` = partner; subtype ``offline``, ``online`` or ``encounter``); when the
  communication succeeds the partner answers with a second ``message`` whose ``reply_to`` is
  the first one's ``event_id`` (``reply_inferred`` false: the link is known);
- ``activity`` for a sampled contribution to a shared task (``thread`` = task id
  ``task-<day>-<community>``, subtype ``task`` or ``gotong-royong``); free-riders do not appear.

**Volume.** Interactions and contributions are each sampled uniformly at random at a rate fixed
when the model starts, so that about ``event_budget`` of each are recorded per step in the
initial state (all of them in small groups). Because the rate stays fixed, the volume of events
rises and falls with the group's activity, as a real group's does: an intervention that brings
more members to work together leaves more sign-ups. Membership events are never sampled. ``events=False`` skips events entirely (state only), for large sweeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from kohesi.events import MEMBER_SCHEMA, validate_events
from kohesi.simulate._kernels import MSG_ENCOUNTER, MSG_OFFLINE, MSG_ONLINE
from kohesi.simulate.model import SolidarityModel
from kohesi.simulate.scenario import Intervention, Scenario, load_scenario, parse_intervention

__all__ = ["START", "SimulationResult", "simulate", "run_many"]

START = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
"""Day 0 of every simulation."""

_DAY_US = 86_400_000_000
_SUBTYPES = np.array(["offline", "online", "encounter"])
assert (MSG_OFFLINE, MSG_ONLINE, MSG_ENCOUNTER) == (0, 1, 2)


@dataclass(frozen=True)
class SimulationResult:
    """One simulated community.

    Attributes
    ----------
    scenario, seed, steps, interventions
        What was run.
    group_id
        The ``group_id`` of every event.
    events
        Canonical events (:data:`kohesi.events.EVENT_SCHEMA`), sorted by time.
    state
        One row per step (``step``, ``date`` and the columns listed in
        :data:`kohesi.simulate.model.STATE_COLUMNS` plus contacts, cooperation_rate,
        solidarity…), a polars DataFrame.
    members
        Members at the end (:data:`kohesi.events.MEMBER_SCHEMA` plus ``role``,
        ``neighbourhood`` and ``leader``).
    """

    scenario: Scenario
    seed: int
    steps: int
    interventions: tuple[Intervention, ...]
    group_id: str
    events: pa.Table
    state: pl.DataFrame
    members: pa.Table = field(repr=False)

    def to_frame(self) -> pl.DataFrame:
        """The per-step state."""
        return self.state

    def to_parquet(self, path: str | Path) -> list[Path]:
        """Write events to ``path`` and the state and members beside it.

        ``run.parquet`` gives ``run.parquet`` (events), ``run.state.parquet`` and
        ``run.members.parquet``. The events file carries the scenario, seed and interventions in
        its schema metadata. Returns the paths written.
        """
        path = Path(path)
        stem = path.name[: -len(".parquet")] if path.name.endswith(".parquet") else path.name
        meta = dict(self.events.schema.metadata or {})
        meta.update({
            b"kohesi.simulate.scenario": repr(self.scenario.to_dict()).encode(),
            b"kohesi.simulate.seed": str(self.seed).encode(),
            b"kohesi.simulate.interventions": ",".join(
                f"{i.kind}@{i.start}:{i.period}*{i.strength}" for i in self.interventions
            ).encode(),
        })
        out = [path, path.with_name(f"{stem}.state.parquet"), path.with_name(f"{stem}.members.parquet")]
        pq.write_table(self.events.replace_schema_metadata(meta), out[0])
        self.state.write_parquet(out[1])
        pq.write_table(self.members, out[2])
        return out


def simulate(
    scenario: str | Path | Scenario,
    steps: int,
    seed: int = 0,
    interventions: Iterable[Intervention | str] = (),
    *,
    events: bool = True,
    event_budget: int = 200,
    on_step: Callable[[int], None] | None = None,
) -> SimulationResult:
    """Simulate a community for ``steps`` days.

    Parameters
    ----------
    scenario
        A built-in scenario name (``keluarga``, ``kampung``, ``kota``, ``organisasi``,
        ``komunitas-online``), a TOML path, or a :class:`Scenario`.
    steps
        Number of days.
    seed
        The same seed gives the same events and state, bit for bit.
    interventions
        :class:`Intervention` objects or strings such as ``"gotong-royong@100:weekly"``.
    events
        Record events (``False``: state only, for large runs and sweeps).
    event_budget
        About how many interactions and how many task contributions to record per step.
    on_step
        Called with the step number after each step (a progress bar).

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> r = simulate("keluarga", steps=14, seed=1)
    >>> r.state.height, r.events.schema.metadata[b"kohesi.schema"]
    (14, b'events/2')
    >>> simulate("keluarga", steps=14, seed=1).events.equals(r.events)
    True
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if steps < 0:
        raise ValueError("steps must be >= 0")
    ivs = tuple(parse_intervention(i) for i in interventions)
    model = SolidarityModel(sc, seed, ivs, events=events, event_budget=event_budget)
    rows = []
    for t in range(steps):
        rows.append(model.step())
        if on_step is not None:
            on_step(t + 1)
    group_id = f"sim-{sc.name}-{seed}"
    state = _state_frame(rows)
    table = _events(model, group_id, seed) if events else _events_empty()
    members = _members(model, group_id)
    return SimulationResult(sc, seed, steps, ivs, group_id, table, state, members)


def _run_one(args: tuple) -> SimulationResult:
    scenario, steps, seed, interventions, kwargs = args
    return simulate(scenario, steps, seed, interventions, **kwargs)


def run_many(
    scenario: str | Path | Scenario,
    steps: int,
    seeds: Sequence[int],
    interventions: Iterable[Intervention | str] = (),
    *,
    processes: int | None = None,
    events: bool = True,
    event_budget: int = 200,
    on_result: Callable[[SimulationResult], None] | None = None,
) -> list[SimulationResult]:
    """Run :func:`simulate` for every seed on a process pool; results in the order of ``seeds``.

    ``processes=1`` runs in this process. Workers are spawned (not forked), so the results are
    identical to serial runs. ``on_result`` is called as each run finishes (a progress bar).
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    ivs = tuple(parse_intervention(i) for i in interventions)
    kwargs = {"events": events, "event_budget": event_budget}
    jobs = [(sc, steps, int(s), ivs, kwargs) for s in seeds]
    results = []
    if processes == 1 or len(jobs) <= 1:
        for j in jobs:
            results.append(_run_one(j))
            if on_result is not None:
                on_result(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn")) as pool:
        for res in pool.map(_run_one, jobs):
            results.append(res)
            if on_result is not None:
                on_result(res)
    return results


def _state_frame(rows: list[dict[str, float]]) -> pl.DataFrame:
    if not rows:
        return pl.DataFrame({"step": pl.Series([], dtype=pl.Int64)})
    frame = pl.DataFrame(rows)
    return frame.with_columns(
        pl.col("step").cast(pl.Int64),
        (pl.lit(START.date()) + pl.duration(days=pl.col("step"))).alias("date"),
    ).select("step", "date", pl.exclude("step", "date"))


def _stack(chunks: list[np.ndarray], width: int) -> np.ndarray:
    return np.concatenate(chunks) if chunks else np.zeros((0, width), dtype=np.int64)


def _events_empty() -> pa.Table:
    return validate_events(pa.table({
        "group_id": pa.array([], pa.string()), "event_id": pa.array([], pa.string()),
        "ts": pa.array([], pa.timestamp("us", tz="UTC")), "kind": pa.array([], pa.string()),
    }))


def _events(model: SolidarityModel, group_id: str, seed: int) -> pa.Table:
    rng = np.random.default_rng([seed, 0x6B6F68])
    start_us = int(START.timestamp() * 1_000_000)
    frames = []

    founding = np.arange(model.scenario.n_agents, dtype=np.int64)
    mem = _stack(model.membership, 4)
    frames.append(pl.DataFrame({"uid": founding}).select(
        pl.format("f{}", "uid").alias("event_id"),
        (start_us + 6 * 3_600_000_000 + pl.col("uid")).alias("ts_us"),
        "uid", pl.lit("join").alias("kind"), pl.lit("founding").alias("subtype"),
    ))
    if len(mem):
        frames.append(pl.DataFrame({
            "seq": np.arange(len(mem)), "t": mem[:, 0], "uid": mem[:, 1],
            "leave": mem[:, 2] == 1, "sec": mem[:, 3],
        }).select(
            pl.format("{}{}", pl.when(pl.col("leave")).then(pl.lit("l")).otherwise(pl.lit("j")), pl.col("seq")).alias("event_id"),
            (start_us + pl.col("t") * _DAY_US + pl.col("sec") * 1_000_000).alias("ts_us"),
            pl.col("uid"),
            pl.when(pl.col("leave")).then(pl.lit("leave")).otherwise(pl.lit("join")).alias("kind"),
            pl.when(pl.col("leave")).then(pl.lit("moved-away")).otherwise(pl.lit("newcomer")).alias("subtype"),
        ))

    msg = _stack(model.messages, 6)
    if len(msg):
        m = len(msg)
        online = msg[:, 4] == MSG_ONLINE
        chars = np.where(online, rng.lognormal(3.0, 0.8, m), rng.lognormal(3.6, 0.8, m)).astype(np.int32) + 1
        reply_chars = np.where(online, rng.lognormal(2.8, 0.8, m), rng.lognormal(3.4, 0.8, m)).astype(np.int32) + 1
        latency = np.minimum(np.where(online, rng.exponential(300.0, m), rng.exponential(900.0, m)), 5400.0)
        latency_us = (latency * 1_000_000).astype(np.int64) + 1_000_000
        base = pl.DataFrame({
            "seq": np.arange(m), "t": msg[:, 0], "a": msg[:, 1], "b": msg[:, 2],
            "ok": msg[:, 3] == 1, "sub": _SUBTYPES[msg[:, 4]],
            "ts_us": start_us + msg[:, 0] * _DAY_US + msg[:, 5] * 1_000_000,
            "chars": chars, "reply_chars": reply_chars, "lat": latency_us,
        })
        frames.append(base.select(
            pl.format("m{}", "seq").alias("event_id"), "ts_us", pl.col("a").alias("uid"),
            pl.lit("message").alias("kind"), pl.col("sub").alias("subtype"),
            pl.format("u{}", "b").alias("target"), pl.col("chars").alias("n_chars"),
        ))
        frames.append(base.filter("ok").select(
            pl.format("r{}", "seq").alias("event_id"), (pl.col("ts_us") + pl.col("lat")).alias("ts_us"),
            pl.col("b").alias("uid"), pl.lit("message").alias("kind"), pl.col("sub").alias("subtype"),
            pl.format("m{}", "seq").alias("reply_to"), pl.format("u{}", "a").alias("target"),
            pl.col("reply_chars").alias("n_chars"),
        ))

    act = _stack(model.activities, 4)
    if len(act):
        gotong = np.isin(act[:, 0], np.asarray(model.gotong_steps, dtype=np.int64))
        frames.append(pl.DataFrame({
            "seq": np.arange(len(act)), "t": act[:, 0], "uid": act[:, 1], "c": act[:, 2],
            "sec": act[:, 3], "gr": gotong,
        }).select(
            pl.format("a{}", "seq").alias("event_id"),
            (start_us + pl.col("t") * _DAY_US + (7 * 3600 + pl.col("sec")) * 1_000_000).alias("ts_us"),
            "uid", pl.lit("activity").alias("kind"),
            pl.when("gr").then(pl.lit("gotong-royong")).otherwise(pl.lit("task")).alias("subtype"),
            pl.format("task-{}-{}", "t", "c").alias("thread"),
        ))

    df = pl.concat(frames, how="diagonal_relaxed").sort(["ts_us", "event_id"])
    df = df.select(
        pl.lit(group_id).alias("group_id"),
        "event_id",
        pl.col("ts_us").cast(pl.Datetime("us", "UTC")).alias("ts"),
        pl.format("u{}", "uid").alias("actor"),
        "kind", "subtype",
        pl.col("reply_to") if "reply_to" in df.columns else pl.lit(None, pl.String).alias("reply_to"),
        pl.when(pl.col("kind") == "message").then(pl.lit(False)).otherwise(pl.lit(None, pl.Boolean)).alias("reply_inferred"),
        pl.col("target") if "target" in df.columns else pl.lit(None, pl.String).alias("target"),
        pl.col("thread") if "thread" in df.columns else pl.lit(None, pl.String).alias("thread"),
        pl.col("n_chars").cast(pl.Int32) if "n_chars" in df.columns else pl.lit(None, pl.Int32).alias("n_chars"),
    )
    return validate_events(df.to_arrow(), source=group_id)


def _members(model: SolidarityModel, group_id: str) -> pa.Table:
    n = model.n
    actors = pa.array(np.char.add("u", model.uid.astype(str)))
    table = pa.table({
        "group_id": pa.array([group_id] * n, pa.string()),
        "actor": actors,
        "name": pa.nulls(n, pa.string()),
        "is_phone": pa.nulls(n, pa.bool_()),
    }, schema=MEMBER_SCHEMA)
    return (table.append_column("role", pa.array([f"role-{r}" for r in model.role.tolist()]))
            .append_column("neighbourhood", pa.array([f"c{c}" for c in model.comm.tolist()]))
            .append_column("leader", pa.array(model.leader)))
