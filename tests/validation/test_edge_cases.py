"""Groups at the edges of what can be measured: one post, one member a week, long silences.

Each measures and reports without an error, and none gets a verdict it has no evidence for.
"""

from __future__ import annotations

import pytest

from kohesi.measure import measure
from kohesi.measure.testing import events_table
from kohesi.report import report_from_events

DAY = 24 * 60

CASES = {
    "one post": [{"actor": "a"}],
    "one member every week": [{"actor": "a", "t": w * 7 * DAY + 60} for w in range(10)],
    "a different lone member each week": [{"actor": f"m{w}", "t": w * 7 * DAY + 60} for w in range(10)],
    "long silences": [{"actor": a, "t": d * DAY + i} for d in (0, 1, 90, 91, 200) for i, a in enumerate("abc")],
    "only joins and leaves": [{"actor": "a", "kind": "join"}, {"actor": "b", "kind": "join", "t": 9 * DAY},
                              {"actor": "a", "kind": "leave", "t": 20 * DAY}],
    "a member removed in a silent week": [{"actor": "a"}, {"actor": "b", "t": 1},
                                          {"actor": "a", "kind": "remove", "target": "b", "t": 10 * DAY},
                                          {"actor": "a", "t": 30 * DAY}],
}


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("window", ["7d", "1d", None])
def test_measures_without_a_verdict(name, window):
    ev = events_table(CASES[name])
    p = measure(ev, window=window, bootstrap=10)
    assert not p.verdict["given"] and p.verdict["reasons"]
    assert p.index.height >= 2 if window else p.index.height == 2


@pytest.mark.parametrize("name", sorted(CASES))
def test_reports(name):
    html = report_from_events(events_table(CASES[name]), bootstrap=10, lang_code="id").to_html()
    assert 'id="no-verdict"' in html
