"""Indicators that need several windows, and the window layer itself, with hand values."""

import pytest

from kohesi.measure.frame import prepare
from kohesi.measure.graphs import windows_from_prepared
from kohesi.measure.params import MeasureParams
from kohesi.measure.registry import get
from kohesi.measure.testing import events_table

DAY = 24 * 60

# Week 1: a↔b, b→c, d posts alone.  Week 2: a↔b again, c→d new, e joins.  Week 3: b posts.
ROWS = [
    {"actor": "a", "t": 0},
    {"actor": "b", "t": 5, "reply_to": "e0"},
    {"actor": "a", "t": 9, "reply_to": "e1"},
    {"actor": "c", "t": 30, "target": "b"},
    {"actor": "d", "t": 40},
    {"actor": "a", "t": 7 * DAY},
    {"actor": "b", "t": 7 * DAY + 5, "reply_to": "e5"},
    {"actor": "c", "t": 7 * DAY + 9, "target": "d"},
    {"actor": "e", "t": 7 * DAY + 20},
    {"actor": "b", "t": 14 * DAY},
]


@pytest.fixture(scope="module")
def wins():
    params = MeasureParams()
    return windows_from_prepared(prepare(events_table(ROWS), window="7D", params=params), params)


def test_three_weekly_windows(wins):
    assert [w.n for w in wins] == [4, 5, 1]
    assert [list(w.names) for w in wins][1] == ["a", "b", "c", "d", "e"]


def test_retention(wins):
    # week 1 active a b c d; a b c act in week 2, d is only addressed there → 3/4
    assert get("retention")(wins[0]) == 0.75
    # week 2 active a b c e; only b returns → 1/4
    assert get("retention")(wins[1]) == 0.25


def test_tie_persistence(wins):
    # E1 = {ab, bc}, E2 = {ab, cd}: |∩| = 1, |∪| = 3
    assert get("tie_persistence")(wins[0]) == pytest.approx(1 / 3)


def test_repeat_dyads(wins):
    # week 2 ties ab (seen in week 1) and cd (new)
    assert get("repeat_dyad_rate")(wins[1]) == 0.5


def test_returning_share(wins):
    # week 2 active a b c e; a b c were first seen in week 1
    assert get("returning_share")(wins[1]) == 0.75


def test_dyad_intensity_per_week(wins):
    # week 1 dyads ab w=2, bc w=1 over 7 days: lower median 1
    assert get("dyad_intensity")(wins[0]) == 1.0


def test_responsiveness_gap_newcomers_vs_veterans():
    params = MeasureParams(newcomer_days=10)
    rows = [
        {"actor": "a", "t": 0},
        {"actor": "a", "t": 20 * DAY},
        {"actor": "b", "t": 20 * DAY + 1, "reply_to": "e1"},
        {"actor": "c", "t": 20 * DAY + 2},
    ]
    w = windows_from_prepared(prepare(events_table(rows), window=None, params=params), params)[0]
    # a is a veteran (20 days); b, c are newcomers. resp(veteran) = 1/2, resp(newcomers) = 0/2
    assert get("responsiveness_gap")(w) == 0.5


def test_participation_rate_uses_members_table():
    import pyarrow as pa

    params = MeasureParams()
    mem = pa.table({"actor": ["a", "b", "c", "d", "e", "f", "g", "h"]})
    w = windows_from_prepared(prepare(events_table(ROWS[:5]), members=mem, window=None, params=params), params)[0]
    assert get("participation_rate")(w) == 4 / 8  # a, b, c, d posted; e–h registered but silent


def test_participation_rate_without_members_table_counts_leavers_out():
    params = MeasureParams()
    rows = [{"actor": "a"}, {"actor": "b"}, {"actor": "c", "kind": "leave"}, {"actor": "d", "kind": "join"}]
    w = windows_from_prepared(prepare(events_table(rows), window=None, params=params), params)[0]
    # seen a b c d; c left → registered 3; active (posting) a, b → 2/3
    assert get("participation_rate")(w) == pytest.approx(2 / 3)


def test_polarisation_and_bridging_on_two_cliques():
    # two triangles joined by c–d: Leiden splits them; Q = 2(3/7 − 1/4); bridges c, d of 6
    rows = []
    for u, v in [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]:
        rows.append({"actor": u, "target": v})
    params = MeasureParams()
    w = windows_from_prepared(prepare(events_table(rows), window=None, params=params), params)[0]
    assert get("polarisation")(w) == pytest.approx(2 * (3 / 7 - 1 / 4))
    assert get("faction_bridging")(w) == pytest.approx(2 / 6)


def test_reply_target_resolved_by_join_and_inferred_flag():
    rows = [{"actor": "a"}, {"actor": "b", "reply_to": "e0", "reply_inferred": True}]
    on = windows_from_prepared(prepare(events_table(rows), window=None, params=MeasureParams()), MeasureParams())[0]
    assert list(zip(on.d_src, on.d_dst, strict=True)) == [(1, 0)]
    off_p = MeasureParams(use_inferred_replies=False)
    off = windows_from_prepared(prepare(events_table(rows), window=None, params=off_p), off_p)[0]
    assert len(off.d_src) == 0


def test_tie_threshold():
    rows = [{"actor": "a", "target": "b"}, {"actor": "a", "target": "b"}, {"actor": "a", "target": "c"}]
    p = MeasureParams(tie_threshold=2)
    w = windows_from_prepared(prepare(events_table(rows), window=None, params=p), p)[0]
    assert get("density")(w) == pytest.approx(1 / 3)
