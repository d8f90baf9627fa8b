import polars as pl
import pyarrow as pa
import pytest

from kohesi.errors import InputError
from kohesi.measure import measure
from kohesi.measure.frame import to_polars
from kohesi.measure.testing import events_table
from kohesi.measure.windows import parse_duration


def test_parse_window_rejects_nonsense():
    with pytest.raises(ValueError):
        parse_duration("weekly")
    with pytest.raises(ValueError):
        parse_duration("0D")


def test_polars_and_arrow_inputs_give_identical_profiles():
    ev = events_table([{"actor": "a"}, {"actor": "b", "reply_to": "e0"}, {"actor": "c", "target": "a"}])
    p1 = measure(ev, window=None, bootstrap=5)
    p2 = measure(pl.from_arrow(ev), window=None, bootstrap=5)
    assert p1.to_frame().equals(p2.to_frame())


def test_minimal_columns_are_enough():
    t = pa.table({"group_id": ["g", "g"], "event_id": ["1", "2"], "ts": pa.array([0, 60_000_000], pa.timestamp("us")),
                  "actor": ["a", "b"], "kind": ["message", "message"], "reply_to": [None, "1"]})
    df, _ = to_polars(t)
    assert df.schema["ts"] == pl.Datetime("us", "UTC")
    assert measure(t, window=None, bootstrap=0).value("responsiveness") == 0.5


def test_one_group_only():
    a = events_table([{"actor": "a"}], group_id="g1")
    b = events_table([{"actor": "b"}], group_id="g2")
    with pytest.raises(InputError, match="one group"):
        measure(pa.concat_tables([a, b]))


def test_not_a_table():
    with pytest.raises(InputError):
        measure([1, 2, 3])
