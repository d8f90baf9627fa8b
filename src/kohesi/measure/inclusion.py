"""Aspect C, inclusion and participation: who takes part, how evenly, and newcomers."""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import post_weight, ratio, require, smallest_share_count
from kohesi.measure._stats import gini_w
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["participation_rate", "activity_equality", "newcomer_inclusion", "contributor_spread"]


@indicator(
    title="Participation rate",
    range=(0.0, 1.0),
    proxy="validated",
    aspect="inclusion",
    source="Bertelsmann Social Cohesion Radar (civic participation); OECD 2011 (inclusion)",
    formula="#members active in the window / #registered members",
)
def participation_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the group's members who posted, reacted or took part in an activity.

    Registered members come from the members table when given; otherwise every member seen
    up to the window's end who has not left (a proxy: silent members never seen are missed).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> w = window_from_edges(posts={"a": 2, "b": 1})
    >>> w.registered = 4
    >>> participation_rate(w)
    0.5
    """
    if w.registered <= 0:
        return np.full(c.shape[0], np.nan)
    return np.minimum((c * w.active).sum(axis=1) / w.registered, 1.0)


@indicator(
    title="Activity equality (1 − Gini of posts)",
    range=(0.0, 1.0),
    proxy="validated",
    aspect="inclusion",
    source="Gini 1912; Bertelsmann SCR (participation); spec §2 Aspect C(b)",
    formula="1 − Gini(posts per member of the window)",
)
def activity_equality(w: Window, c: np.ndarray) -> np.ndarray:
    """1 − Gini of posts per member: 1 when every member of the window writes equally often.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> activity_equality(window_from_edges(posts={"a": 1, "b": 1}))
    1.0
    >>> activity_equality(window_from_edges(posts={"a": 0, "b": 0, "c": 0, "d": 4}))
    0.25
    """
    require(w, "posts")
    return 1.0 - gini_w(w.posts_per.astype(float), c)


@indicator(
    title="Newcomer inclusion",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="inclusion",
    source="CHAOSS Newcomer Experience",
    formula="#members' first-ever posts answered by another member within Δ / #first-ever posts",
)
def newcomer_inclusion(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of newcomers' first posts that someone answered within Δ.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "t": 3, "reply_to": "e0"},
    ...                 {"actor": "c", "t": 9}])
    >>> round(newcomer_inclusion(w), 4)
    0.3333
    """
    require(w, "reply")
    ok = (w.p_lat >= 0) & (w.p_lat <= w.params.response_window_s)
    pw = post_weight(w, c) * w.p_first
    return ratio((pw * ok).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Contributor spread (CHAOSS absence factor / n)",
    range=(0.0, 0.5),
    proxy="plausible",
    aspect="inclusion",
    source="CHAOSS Contributor Absence Factor",
    formula="CAF / n, CAF = fewest members who write 50% of the posts",
)
def contributor_spread(w: Window, c: np.ndarray) -> np.ndarray:
    """Fewest members who together write half the posts, as a share of members (max 0.5).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> contributor_spread(window_from_edges(posts={"a": 5, "b": 3, "c": 1, "d": 1}))
    0.25
    >>> contributor_spread(window_from_edges(posts={"a": 1, "b": 1, "c": 1, "d": 1}))
    0.5
    """
    require(w, "posts")
    return ratio(smallest_share_count(w.posts_per.astype(float), c), c.sum(axis=1))
