"""Indicators read from communicative acts, on one small group computed by hand.

Minutes after the start (all members post; the source records replies and text):

- 0   a: "Bapak saya meninggal" (distress)         → b's sympathy at 3, c's at 10: answered at +3 min
- 20  c: asks for a ladder (help_request)          → d offers at 50 (+30 min), c thanks at 55 (+5 min)
- 60  d: asks for a lift (help_request)            → nobody offers (a's thanks at 70 is not help)
- 80  b: hostile to a (hostility, answers a's post at 75) → a apologises at 200 (within 72 h): repaired
- 300 c: disagrees (disagreement)                  → only d agrees at 310: not a party, not repaired
- 400 a: norm reminder
- 2000 b: asks for help (help_request)             → a offers at 3500 (+25 h > Δ = 24 h): not answered
"""

import math

import pytest

from kohesi.measure.catalogue import get
from kohesi.measure.testing import one_window

ROWS = [
    {"actor": "a", "t": 0, "acts": ["distress"]},
    {"actor": "b", "t": 3, "acts": ["sympathy"]},
    {"actor": "c", "t": 10, "acts": ["sympathy"]},
    {"actor": "c", "t": 20, "acts": ["help_request"]},
    {"actor": "d", "t": 50, "acts": ["help_offer"]},
    {"actor": "c", "t": 55, "acts": ["thanks"]},
    {"actor": "d", "t": 60, "acts": ["help_request"]},
    {"actor": "a", "t": 70, "acts": ["thanks"]},
    {"actor": "a", "t": 75, "acts": []},
    {"actor": "b", "t": 80, "acts": ["hostility"], "reply_to": "e8"},
    {"actor": "a", "t": 200, "acts": ["apology"]},
    {"actor": "c", "t": 300, "acts": ["disagreement"]},
    {"actor": "d", "t": 310, "acts": ["agreement"]},
    {"actor": "a", "t": 400, "acts": ["norm_reminder"]},
    {"actor": "b", "t": 2000, "acts": ["help_request"]},
    {"actor": "a", "t": 3500, "acts": ["help_offer"]},
]

HAND = {
    # requests: e0 distress (answered +3 min), e3 help (+30 min), e6 help (none), e14 help (+25 h) → 2/4
    "supportive_response_rate": 2 / 4,
    # median of the answered ones' latencies {3, 30} minutes = 16.5 min (mean of the two middle values)
    "support_latency": 16.5 / 60,
    # help requests e3, e6, e14; only e3 answered with an offer within 24 h
    "help_response_rate": 1 / 3,
    # the one answered help request (e3) was thanked by its asker 5 min after the offer
    "thanks_reciprocity": 1.0,
    # 1 reminder in 16 posts
    "norm_reminder_rate": 100 / 16,
    # e9 hostility repaired by a (the member it answers) apologising; e11 disagreement: only a third party agrees
    "conflict_repair_rate": 1 / 2,
    # 1 hostile post of 16 (no deletions)
    "disruption_rate": 1 / 16,
}


@pytest.fixture(scope="module")
def window():
    return one_window(ROWS, capabilities={"reply", "text"})


@pytest.mark.parametrize("name", sorted(HAND))
def test_by_hand(window, name):
    assert get(name)(window) == pytest.approx(HAND[name], abs=1e-9)


@pytest.mark.parametrize("name", sorted(HAND))
def test_not_available_without_text(name):
    from kohesi.measure.registry import NotAvailable

    w = one_window(ROWS, capabilities={"reply", "deletion"} if name == "disruption_rate" else {"reply"})
    if name == "disruption_rate":  # deletions still count; hostility is not read without text
        assert get(name)(w) == 0.0
        return
    with pytest.raises(NotAvailable):
        get(name)(w)


def test_no_request_no_value():
    """A window without a request for support has no answer rate (nothing to answer), not 0."""
    w = one_window([{"actor": "a", "acts": ["thanks"]}, {"actor": "b", "acts": []}], capabilities={"reply", "text"})
    for name in ("supportive_response_rate", "help_response_rate", "thanks_reciprocity", "conflict_repair_rate",
                 "support_latency"):
        assert math.isnan(get(name)(w)), name


def test_own_answers_do_not_count():
    """Sympathy a member gives their own announcement is not support; an answer in the same minute is."""
    w = one_window([{"actor": "a", "t": 0, "acts": ["distress"]}, {"actor": "a", "t": 1, "acts": ["sympathy"]}],
                   capabilities={"reply", "text"})
    assert get("supportive_response_rate")(w) == 0.0
    w = one_window([{"actor": "a", "t": 0, "acts": ["distress"]}, {"actor": "b", "t": 0, "acts": ["sympathy"]}],
                   capabilities={"reply", "text"})
    assert get("supportive_response_rate")(w) == 1.0
