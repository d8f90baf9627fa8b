"""Time and process invariance: the group's own calendar, and byte-identical output anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kohesi.events import EVENT_SCHEMA, SourceInfo, source_info, with_source_info
from kohesi.measure import measure
from kohesi.measure.frame import prepare
from kohesi.measure.graphs import windows_from_prepared
from kohesi.measure.params import MeasureParams
from kohesi.sources import open_group as load_group

JAKARTA = ZoneInfo("Asia/Jakarta")


def _events(local_times: list[datetime], tz: str, actors: list[str] | None = None) -> pa.Table:
    n = len(local_times)
    actors = actors or [f"m{i % 5}" for i in range(n)]
    table = pa.Table.from_pydict({
        "group_id": ["g"] * n, "event_id": [f"e{i}" for i in range(n)],
        "ts": [t.astimezone(UTC) for t in local_times], "actor": actors, "kind": ["message"] * n,
    })
    cols = {f.name: table.column(f.name) if f.name in table.column_names else pa.nulls(n, f.type) for f in EVENT_SCHEMA}
    return with_source_info(pa.Table.from_pydict(cols, schema=EVENT_SCHEMA), SourceInfo("test", frozenset({"reply"}), tz))


def test_daily_windows_are_the_groups_local_days():
    """14 local days of a Jakarta group (UTC+7), with posts at 01:00 and 23:30 local time: 14
    daily windows, each from local midnight, each post in its own local day."""
    days = [datetime(2024, 3, 1, tzinfo=JAKARTA) + timedelta(days=d) for d in range(14)]
    times = [d + timedelta(hours=h) for d in days for h in (1, 9, 23.5)]
    ev = _events(times, "Asia/Jakarta")
    p = measure(ev, window="1d", bootstrap=0, indicators=["participation_rate"])
    starts = p.index.filter(p.index["window"] != "all")["start"].to_list()
    assert len(starts) == 14
    assert all(s.astimezone(JAKARTA).hour == 0 for s in starts)
    assert p.windows[0] == "2024-03-01" and p.windows[-1] == "2024-03-14"
    params = MeasureParams()
    wins = windows_from_prepared(prepare(ev, window="1d", params=params), params)
    assert [len(w.posts) for w in wins] == [3] * 14
    assert sorted(set(np.concatenate([w.posts.hour for w in wins]).tolist())) == [1, 9, 23]


def test_the_timezone_travels_with_the_events_and_can_be_overridden():
    ev = _events([datetime(2024, 3, 1, 1, tzinfo=JAKARTA), datetime(2024, 3, 1, 2, tzinfo=JAKARTA)], "Asia/Jakarta")
    assert source_info(ev).tz == "Asia/Jakarta"
    assert measure(ev, window=None, bootstrap=0, indicators=["density"]).meta["tz"] == "Asia/Jakarta"
    assert measure(ev, window=None, bootstrap=0, indicators=["density"], tz="UTC").meta["tz"] == "UTC"


def test_weekly_windows_across_daylight_saving_keep_local_midnight():
    berlin = ZoneInfo("Europe/Berlin")
    times = [datetime(2024, 3, 18, 12, tzinfo=berlin) + timedelta(days=d) for d in range(21)]
    p = measure(_events(times, "Europe/Berlin"), window="7d", anchor="start", bootstrap=0, indicators=["density"])
    idx = p.index.filter(p.index["window"] != "all")
    hours = ((idx["end"] - idx["start"]).dt.total_seconds() / 3600).to_list()
    assert hours == [168.0, 167.0, 168.0]  # clocks go forward on 31 March
    assert all(s.astimezone(berlin).hour == 0 for s in idx["start"].to_list())


def test_since_and_until_are_local_dates(tmp_path):
    times = [datetime(2024, 3, 1, tzinfo=JAKARTA) + timedelta(hours=h) for h in range(0, 72, 6)]
    path = tmp_path / "ev.parquet"
    pq.write_table(_events(times, "Asia/Jakarta"), path)
    loaded = load_group(path, since="2024-03-02", until="2024-03-03")
    local = [t.astimezone(JAKARTA) for t in loaded.events.column("ts").to_pylist()]
    assert len(local) == 4 and all(t.date().isoformat() == "2024-03-02" for t in local)


@pytest.mark.slow
def test_measure_output_is_byte_identical_whatever_the_hash_seed(tmp_path):
    """Two ``kohesi measure`` processes with different PYTHONHASHSEED write the same bytes."""
    sys.path.insert(0, str(os.path.join(os.path.dirname(__file__), "..")))
    from helpers import archetypes as A

    g = A.hostile(weeks=4)
    pq.write_table(g.events, tmp_path / "g.parquet")
    outs = []
    for hash_seed in ("1", "4242"):
        env = {"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": hash_seed, "KOHESI_HOME": str(tmp_path)}
        r = subprocess.run([sys.executable, "-m", "kohesi", "measure", str(tmp_path / "g.parquet"), "--format", "json",
                            "--bootstrap", "30", "--seed", "7"], capture_output=True, env=env, timeout=300)
        assert r.returncode == 0, r.stderr.decode()[-2000:]
        outs.append(r.stdout)
    assert outs[0] == outs[1] and len(outs[0]) > 10_000
