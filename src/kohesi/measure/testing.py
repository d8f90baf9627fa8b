"""Small builders for examples, doctests and tests: compact rows to canonical events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pyarrow as pa

from kohesi.events import EVENT_SCHEMA
from kohesi.measure.frame import prepare
from kohesi.measure.graphs import Window, windows_from_prepared
from kohesi.measure.params import MeasureParams

__all__ = ["events_table", "one_window", "T0"]

T0 = datetime(2024, 1, 1, tzinfo=UTC)
"""Time origin of :func:`events_table` rows (``t`` is minutes after it)."""


def events_table(rows: list[dict[str, Any]], group_id: str = "g") -> pa.Table:
    """Canonical events from compact dicts.

    Keys: ``actor``, ``kind`` (default ``message``), ``t`` (minutes after :data:`T0`), ``id``
    (default ``e<i>``), and any canonical column (``reply_to``, ``target``, ``mentions``,
    ``thread``, ``subtype``, ``acts``: a list of act names).

    Examples
    --------
    >>> events_table([{"actor": "a"}, {"actor": "b", "t": 5, "reply_to": "e0"}]).num_rows
    2
    """
    cols: dict[str, list[Any]] = {f.name: [] for f in EVENT_SCHEMA}
    for i, r in enumerate(rows):
        cols["group_id"].append(group_id)
        cols["event_id"].append(r.get("id", f"e{i}"))
        cols["ts"].append(T0 + timedelta(minutes=float(r.get("t", i))))
        cols["actor"].append(r.get("actor"))
        cols["kind"].append(r.get("kind", "message"))
        for k in ("subtype", "reply_to", "target", "mentions", "thread", "text", "acts"):
            cols[k].append(r.get(k))
        cols["reply_inferred"].append(r.get("reply_inferred", False))
        cols["n_chars"].append(r.get("n_chars", 0))
        cols["n_media"].append(0)
        cols["line"].append(i + 1)
    return pa.Table.from_pydict(cols, schema=EVENT_SCHEMA)


def one_window(
    rows: list[dict[str, Any]],
    params: MeasureParams | None = None,
    members: Any = None,
    capabilities: set[str] | None = None,
) -> Window:
    """The single whole-period :class:`Window` of the events in ``rows`` (capabilities as
    :func:`kohesi.measure.measure` assumes them for events without a recorded source, unless
    given)."""
    params = params or MeasureParams()
    prep = prepare(events_table(rows), members=members, window=None, params=params, capabilities=capabilities)
    return windows_from_prepared(prep, params)[0]


def synthetic_events(
    n_events: int,
    n_members: int = 100,
    days: float = 365.0,
    seed: int = 0,
    group_id: str = "synthetic",
) -> pa.Table:
    """A synthetic group, vectorised: Zipf-active members, replies to recent posts, reactions,
    mentions and weekly shared activities. For benchmarks and smoke tests, not for inference.

    Examples
    --------
    >>> t = synthetic_events(1000, 20, days=14)
    >>> t.num_rows, t.schema.equals(EVENT_SCHEMA)
    (1000, True)
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    weight = 1.0 / np.arange(1, n_members + 1) ** 0.8
    actor = rng.choice(n_members, size=n_events, p=weight / weight.sum())
    ts_us = np.sort(rng.uniform(0, days * 86400e6, size=n_events)).astype(np.int64)
    u = rng.random(n_events)
    kind = np.where(u < 0.65, "message", np.where(u < 0.75, "media", np.where(u < 0.92, "reaction", "activity")))
    idx = np.arange(n_events)
    back = rng.geometric(0.2, size=n_events)
    parent = idx - back
    wants_reply = (rng.random(n_events) < 0.5) | (kind == "reaction")
    has_parent = wants_reply & (parent >= 0) & (kind != "activity")
    parent = np.where(has_parent, parent, -1)
    ids = np.char.add("e", idx.astype(str)).astype(object)
    reply_to = np.where(has_parent, ids[np.maximum(parent, 0)], None)
    names = np.char.add("m", np.arange(n_members).astype(str)).astype(object)
    ment = rng.random(n_events) < 0.05
    mentions = [[names[m]] if f else None for f, m in zip(ment, rng.integers(0, n_members, n_events), strict=True)]
    week = (ts_us // (7 * 86400e6)).astype(np.int64)
    thread = np.where(
        kind == "activity",
        np.char.add(np.char.add("w", week.astype(str)), np.char.add("-", rng.integers(0, 150, n_events).astype(str))),
        None,
    )
    ts = pa.array(ts_us + int(T0.timestamp() * 1e6), type=pa.timestamp("us", tz="UTC"))
    return pa.Table.from_arrays(
        [
            pa.array([group_id] * n_events, pa.string()),
            pa.array(ids, pa.string()),
            ts,
            pa.array(names[actor], pa.string()),
            pa.array(kind.astype(object), pa.string()),
            pa.nulls(n_events, pa.string()),
            pa.array(reply_to, pa.string()),
            pa.array(np.zeros(n_events, dtype=bool)),
            pa.nulls(n_events, pa.string()),
            pa.array(mentions, pa.list_(pa.string())),
            pa.array(thread, pa.string()),
            pa.nulls(n_events, pa.string()),
            pa.array(rng.integers(1, 200, n_events).astype(np.int32)),
            pa.array(np.zeros(n_events, dtype=np.int16)),
            pa.array(idx + 1),
            pa.nulls(n_events, EVENT_SCHEMA.field("acts").type),
        ],
        schema=EVENT_SCHEMA,
    )
