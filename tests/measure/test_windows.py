"""Indicators that need several windows, and the window layer itself, with hand values."""

import pytest

from kohesi.measure.catalogue import get
from kohesi.measure.frame import prepare
from kohesi.measure.graphs import windows_from_prepared
from kohesi.measure.params import MeasureParams
from kohesi.measure.testing import events_table
from kohesi.measure.windows import window_spec

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
    return windows_from_prepared(prepare(events_table(ROWS), window=window_spec("7D", anchor="start"), params=params),
                                 params)


def test_three_weekly_windows(wins):
    # every member known belongs to every window (nobody's arrival or departure is recorded)
    assert [w.n for w in wins] == [5, 5, 5]
    assert [list(w.names) for w in wins][1] == ["a", "b", "c", "d", "e"]
    assert [int(w.members.active.sum()) for w in wins] == [4, 4, 1]
    # the third week is observed for its first minute only
    assert [w.complete for w in wins] == [True, True, False]


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


def test_participation_rate_counts_everyone_who_belonged_during_the_window():
    params = MeasureParams()
    rows = [{"actor": "a"}, {"actor": "b"}, {"actor": "c", "kind": "leave"}, {"actor": "d", "kind": "join"}]
    w = windows_from_prepared(prepare(events_table(rows), window=None, params=params), params)[0]
    # a, b there from the start; c until they leave; d from their join: all four belonged
    # during the window, and only a and b posted
    assert get("participation_rate")(w) == pytest.approx(2 / 4)


def test_members_count_in_the_windows_they_belong_to():
    params = MeasureParams()
    week = 7 * DAY
    rows = [{"actor": "a", "t": 0}, {"actor": "b", "t": 1}, {"actor": "c", "t": 2},
            {"actor": "c", "kind": "leave", "t": week + 5},
            {"actor": "d", "kind": "join", "t": 2 * week + 5},
            {"actor": "a", "t": 3 * week - 1}]
    wins = windows_from_prepared(prepare(events_table(rows), window=window_spec("7D", anchor="start"), params=params),
                                 params)
    present = [sorted(w.names[w.members.present]) for w in wins]
    assert present == [["a", "b", "c"], ["a", "b", "c"], ["a", "b", "d"]]
    # week 2: nobody posted, three members belonged: a measured 0, not a gap
    assert get("participation_rate")(wins[1]) == 0.0


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
    assert list(zip(on.arcs.src, on.arcs.dst, strict=True)) == [(1, 0)]
    off_p = MeasureParams(use_inferred_replies=False)
    off = windows_from_prepared(prepare(events_table(rows), window=None, params=off_p), off_p)[0]
    assert len(off.arcs.src) == 0


def test_tie_threshold():
    rows = [{"actor": "a", "target": "b"}, {"actor": "a", "target": "b"}, {"actor": "a", "target": "c"}]
    p = MeasureParams(tie_threshold=2)
    w = windows_from_prepared(prepare(events_table(rows), window=None, params=p), p)[0]
    assert get("density")(w) == pytest.approx(1 / 3)
