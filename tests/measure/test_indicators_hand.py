"""Every indicator on one tiny group, with values computed by hand (see the comments).

Events (minutes): e0 a posts; e1 b replies to e0 (+10); e2 c replies to e0 (+20); e3 a replies
to e1 (+30); e4 d posts; e5 b reacts to e4; e6 a mentions c; e7/e8 c and d join activity T1;
e9 a alone in activity T2.

Directed: b→a, c→a, a→b (replies), a→c (mention), b→d (reaction).
Dyads: a–b w=2 (reply), a–c w=2 (reply+mention), b–d w=1 (reaction), c–d w=1 (co-participation):
G_W is the 4-cycle a–b–d–c–a; the talk graph (without the activity-only tie c–d) is the path
c–a–b–d. The source is not recorded, so its capabilities are assumed from the events: replies,
mentions, reactions and activities, but no membership records and no deletions.
"""

import math

import numpy as np
import pytest

from kohesi.measure.catalogue import get
from kohesi.measure.testing import one_window

ROWS = [
    {"actor": "a", "t": 0},
    {"actor": "b", "t": 10, "reply_to": "e0"},
    {"actor": "c", "t": 20, "reply_to": "e0"},
    {"actor": "a", "t": 30, "reply_to": "e1"},
    {"actor": "d", "t": 40},
    {"actor": "b", "t": 45, "kind": "reaction", "reply_to": "e4"},
    {"actor": "a", "t": 50, "mentions": ["c"]},
    {"actor": "c", "t": 60, "kind": "activity", "thread": "T1"},
    {"actor": "d", "t": 61, "kind": "activity", "thread": "T1"},
    {"actor": "a", "t": 62, "kind": "activity", "thread": "T2"},
]

HAND = {
    "density": 4 / 6,  # 4 ties of 6 pairs
    "mean_degree": 2.0,  # 2m/n = 8/4
    "coverage": 1.0,
    "posts_per_member": 6 / 4,  # posts a3 b1 c1 d1 over 4 active members
    "reciprocity": 1.0,  # arcs b→a, c→a, a→b, a→c all reciprocated
    "reciprocity_gl": 1.0,  # (1 − 1/3) / (1 − 1/3), ā = 4/12
    "responsiveness": 2 / 6,  # e0 (10 min) and e1 (20 min) of 6 posts
    "response_time": 10.0,  # lower median of {10, 20}
    "global_efficiency": 5 / 6,  # 4-cycle: four pairs at 1, two at 2 → (4 + 1) / 6
    "coparticipation_share": 0.5,  # T1 has c, d; T2 only a
    "coparticipants_per_member": 2 / 9,  # c: 1/3, d: 1/3, a: 0
    "structural_cohesion": 2 / 3,  # κ(C4) = 2 over n − 1 = 3
    "embeddedness": 1.0,  # everyone in the single bicomponent
    "reaction_rate": 1 / 6,  # e4 got b's reaction
    "closure": 0.0,  # the talk graph (a path) has no triangle
    "peer_ties": 2 / 3,  # talk graph: m = 3, k_max = 2 (a), k̄ = 1.5 → (3 − 2) / (3 − 1.5)
    "participation_rate": 1.0,
    "activity_participation": 3 / 4,  # a, c, d took part in an activity
    "continuity": 1.0,  # halves split at minute 31: a, b, c active before and again after
    "activity_equality": 0.75,  # Gini(3,1,1,1) = 12 / (2·16·1.5) = 0.25
    "contributor_spread": 0.25,  # a alone writes 3 of 6 posts
    "faction_separation": 1 / 3,  # path c–a–b–d split {c,a}|{b,d}: e_in = 2/3, Σa² = 1/2 → (2/3 − 1/2) / (1/2)
    "polarisation": 1 / 6,  # Q = 2/3 − 1/2
    "attention_reach": 1.0,  # a, b, c, d each received a reply, mention or reaction
    "attention_equality": 0.85,  # received (2,1,1,1): Gini = 6 / (2·16·1.25) = 0.15
    "attention_spread": 0.5,  # 2 members needed for 2.5 of 5
    "group_size": 4.0,
    "mean_clustering": 0.0,
    "tie_strength": 1.5,  # (2 + 2 + 1 + 1) / 4
    "multiplexity": 0.25,  # only a–c has two relation kinds
    "strong_tie_share": 1.0,  # lower median weight is 1
    "primary_group": 0.0,  # multiplexity 0.25 < 0.3
    "burstiness": -1.0,  # posts every 10 minutes
    "activity_share": 3 / 9,  # 3 activity events, 6 posts
    "degree_centralization": 0.0,  # all degrees 2
    "top_responder_share": 1 / 3,  # ⌈0.05·4⌉ = 1 member; a, b, c made one reply each
    "one_off_dyad_share": 0.5,  # b–d and c–d
    "broadcast_share": 0.0,  # every post links or is answered/reacted/mentions
    "fragmentation": 0.0,
    "cheap_signal_ratio": 1 / 7,  # 1 reaction, 3 replies, 3 activity participations
    "reaction_only_ties": 1 / 3,  # b–d reaction-only; a–b, a–c conversational
}

NOT_AVAILABLE = [
    "supportive_response_rate",  # no text: no acts (tests/measure/test_act_indicators.py)
    "support_latency",
    "help_response_rate",
    "thanks_reciprocity",
    "norm_reminder_rate",
    "conflict_repair_rate",
    "retention",  # last window
    "tie_persistence",  # last window
    "repeat_dyad_rate",  # first window
    "returning_share",  # first window
    "staying",  # no membership records
    "removal_rate",  # no membership records
    "disruption_rate",  # neither deletions nor text recorded
    "attribute_assortativity",
    "ei_homophily",
    "role_diversity",
    "cross_role_ties",
    "task_interdependence",
    "attribute_responsiveness_gap",
]


@pytest.fixture(scope="module")
def window():
    return one_window(ROWS)


def test_graph_is_the_hand_drawn_four_cycle(window):
    assert list(window.names) == ["a", "b", "c", "d"]
    d = window.dyads
    dyads = {(window.names[a], window.names[b]): w for a, b, w in zip(d.a, d.b, d.weight, strict=True)}
    assert dyads == {("a", "b"): 2.0, ("a", "c"): 2.0, ("b", "d"): 1.0, ("c", "d"): 1.0}
    talk = window.talk().dyads
    assert {(window.names[a], window.names[b]) for a, b in zip(talk.a, talk.b, strict=True)} == {
        ("a", "b"), ("a", "c"), ("b", "d")}


@pytest.mark.parametrize("name", sorted(HAND))
def test_hand_value(window, name):
    assert get(name)(window) == pytest.approx(HAND[name], abs=1e-12)


@pytest.mark.parametrize("name", NOT_AVAILABLE)
def test_missing_data_is_not_available_not_zero(window, name):
    from kohesi.measure.registry import NotAvailable

    with pytest.raises(NotAvailable):
        get(name)(window)


def test_rhythm_alignment_needs_five_posts(window):
    assert math.isnan(get("rhythm_alignment")(window))


def test_no_newcomer_no_newcomer_inclusion(window):
    """Nobody's arrival is recorded: newcomer inclusion has nothing to measure (not 0)."""
    assert math.isnan(get("newcomer_inclusion")(window))


def test_whatsapp_like_source_without_reactions():
    w = one_window([{"actor": "a"}, {"actor": "b", "reply_to": "e0"}])
    from kohesi.measure.registry import NotAvailable

    for name in ("reaction_rate", "cheap_signal_ratio", "reaction_only_ties"):
        with pytest.raises(NotAvailable):
            get(name)(w)
    assert get("responsiveness")(w) == 0.5


def test_every_indicator_is_covered_here():
    from kohesi.measure.catalogue import all_indicators

    extra = {"rhythm_alignment", "faction_bridging", "responsiveness_gap", "dyad_intensity", "newcomer_inclusion"}
    names = {i.name for i in all_indicators()}
    assert names - set(HAND) - set(NOT_AVAILABLE) == extra
    assert np.isfinite(list(HAND.values())).all()
