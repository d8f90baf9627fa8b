"""Aspect A, trust and shared norms: closure and repeated dyads.

Closure is not trust (Coleman 1988 argues it enables trust); both are **weak** log proxies. The
aspect's other indicators are :func:`~kohesi.measure.communication.responsiveness`,
:func:`~kohesi.measure.communication.reciprocity_gl` and
:func:`~kohesi.measure.threats.broadcast_share`.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import deg, ratio, tie_weight
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator
from kohesi.measure.triangles import transitivity

__all__ = ["closure", "peer_ties", "repeat_dyad_rate", "weighted_triangles"]


def weighted_triangles(w: Window, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Triangles Σ c_a c_b c_c and connected triples Σ_v c_v (s_v² − q_v)/2 of G_W."""
    t = (w.triangle_corner_weights(c) * c).sum(axis=1) / 3.0
    if w.n == 0:
        return t, np.zeros(c.shape[0])
    s = deg(w, c)
    q = w.memo("deg_sq", c, lambda: np.asarray((w.adj @ (c**2).T).T))
    triples = (c * (s**2 - q) / 2.0).sum(axis=1)
    return t, triples


@indicator(
    title="Closure (global transitivity)",
    range=(0.0, 1.0),
    proxy="weak",
    aspect="trust_norms",
    needs=("reply|mention|reaction|activity",),
    null="rewire",
    scoring="excess",
    source="Coleman 1988 (closure); Wasserman & Faust 1994; Newman 2003, SIAM Rev. 45:167, Eq. (3)",
    formula="C = 3 × #triangles / #connected triples of the talk graph (G_W without activity-only ties); scored as (C − C₀)/(1 − C₀), C₀ = mean C of degree-preserving rewirings",
)
def closure(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of two-paths u–v–x closed by a tie u–x: friends of friends interact too.

    Raw transitivity is high in small dense groups and low in large sparse ones whatever the
    members do, so the score is the closure beyond a degree-preserving rewiring (Maslov &
    Sneppen 2002): 0 as random, 1 fully closed. A complete group, which no rewiring changes,
    scores 1.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> round(closure(window_from_edges([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])), 4)
    0.6
    """
    w = w.talk()
    if w.is_observed(c):
        t = w.tie
        return np.array([transitivity(w.n, w.dyads.a[t], w.dyads.b[t]) if w.n >= 3 else np.nan])
    t, triples = weighted_triangles(w, c)
    return ratio(3.0 * t, triples)


@indicator(
    title="Peer ties (ties that do not run through the hub)",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="trust_norms",
    needs=("reply|mention|reaction|activity",),
    source="Chan, To & Chan 2006, Soc. Indic. Res. 75:273 (horizontal versus vertical cohesion); Freeman 1979 (centralisation)",
    formula="(m − k_max) / (m − k̄) over the talk graph (G_W without activity-only ties): ties left without the most connected member, relative to removing an average member",
)
def peer_ties(w: Window, c: np.ndarray) -> np.ndarray:
    """How much of the group's web of ties joins members to each other rather than to one hub:
    0 for a star (a help desk, an admin everyone talks to and no one else), 1 when the most
    connected member is no more central than average (horizontal cohesion, Chan et al. 2006).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> peer_ties(window_from_edges([("a", "b"), ("a", "c"), ("a", "d")]))
    0.0
    >>> peer_ties(window_from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]))
    1.0
    """
    w = w.talk()
    if w.n < 3 or not w.tie.any():
        return np.full(c.shape[0], np.nan)
    k = deg(w, c)
    m = tie_weight(w, c).sum(axis=1)
    kmax = np.where(c > 0, k, -np.inf).max(axis=1)
    kbar = ratio((c * k).sum(axis=1), c.sum(axis=1))
    return np.clip(ratio(m - kmax, m - kbar), 0.0, 1.0)


@indicator(
    title="Repeat dyads",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="report",
    source="Chan, To & Chan 2006 (repeated interaction as a behavioural manifestation of trust)",
    formula="#ties of G_W that were also ties in an earlier window / #ties",
)
def repeat_dyad_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of this window's ties between members who had interacted in an earlier window
    (report: not available in the first window, and it falls with group size).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> import numpy as np
    >>> w = window_from_edges([("a", "b"), ("b", "c")])
    >>> from dataclasses import replace
    >>> w.dyads = replace(w.dyads, seen_before=np.array([True, False]))
    >>> repeat_dyad_rate(w)
    0.5
    """
    if w.first:
        raise NotAvailable("first window: no earlier window to compare with")
    tw = tie_weight(w, c)
    return ratio((tw * w.dyads.seen_before[w.tie]).sum(axis=1), tw.sum(axis=1))
