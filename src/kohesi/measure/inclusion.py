"""Aspect C, inclusion and participation: who takes part, how evenly, and whether newcomers are
welcomed. Every member of the group in the window counts, silent ones too; the participation
rate itself lives with the interaction stage (:func:`~kohesi.measure.interaction.participation_rate`).
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import nan_rows, post_weight, ratio, smallest_share_count
from kohesi.measure._stats import gini_w
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["activity_equality", "newcomer_inclusion", "contributor_spread"]


@indicator(
    title="Activity equality (1 − Gini of posts)",
    range=(0.0, 1.0),
    proxy="validated",
    aspect="inclusion",
    source="Gini 1912; Dragolov et al. 2016 (Bertelsmann Social Cohesion Radar: participation)",
    formula="1 − Gini(posts per member), over every member of the group in the window (silent ones post 0)",
)
def activity_equality(w: Window, c: np.ndarray) -> np.ndarray:
    """1 − Gini of posts per member: 1 when every member writes equally often, near 0 when one
    member writes everything and the rest are silent.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> activity_equality(window_from_edges(posts={"a": 1, "b": 1}))
    1.0
    >>> activity_equality(window_from_edges(posts={"a": 0, "b": 0, "c": 0, "d": 4}))
    0.25
    """
    if w.members.posts.sum() == 0:
        return nan_rows(c)
    return 1.0 - gini_w(w.members.posts.astype(float), c)


@indicator(
    title="Newcomer inclusion",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="inclusion",
    needs=("reply",),
    source="CHAOSS Newcomer Experience",
    formula="#newcomers' first posts answered by another member within Δ / #newcomers' first posts",
)
def newcomer_inclusion(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of newcomers' first posts that someone answered within Δ.

    A newcomer is a member whose arrival the source records (a join or an add; for sources
    without membership records, a first appearance after the first ``newcomer_days``); members
    there from the start are not newcomers, so the first window is not flooded with "first"
    posts of old members.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "kind": "join", "t": 1},
    ...                 {"actor": "b", "t": 2}, {"actor": "a", "t": 3, "reply_to": "e2"},
    ...                 {"actor": "c", "kind": "join", "t": 4}, {"actor": "c", "t": 9}])
    >>> newcomer_inclusion(w)
    0.5
    """
    p = w.posts
    if not p.first.any():
        return nan_rows(c)
    ok = (p.lat >= 0) & (p.lat <= w.params.response_window_s)
    pw = post_weight(w, c) * p.first
    return ratio((pw * ok).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Contributor spread (CHAOSS absence factor / n)",
    range=(0.0, 0.5),
    proxy="plausible",
    aspect="inclusion",
    source="CHAOSS Contributor Absence Factor",
    formula="CAF / n, CAF = fewest members who write 50% of the posts, n = every member of the group in the window",
)
def contributor_spread(w: Window, c: np.ndarray) -> np.ndarray:
    """Fewest members who together write half the posts, as a share of the group (max 0.5).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> contributor_spread(window_from_edges(posts={"a": 5, "b": 3, "c": 1, "d": 1}))
    0.25
    >>> contributor_spread(window_from_edges(posts={"a": 1, "b": 1, "c": 1, "d": 1}))
    0.5
    """
    if w.members.posts.sum() == 0:
        return nan_rows(c)
    return ratio(smallest_share_count(w.members.posts.astype(float), c), c.sum(axis=1))
