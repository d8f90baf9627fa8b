"""Aspect A, trust and shared norms: log proxies (closure, repeated dyads).

Closure is not trust (Coleman 1988 argues it enables trust); both are **weak** log proxies.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import deg, ratio, tie_weight
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator
from kohesi.measure.triangles import transitivity

__all__ = ["closure", "repeat_dyad_rate", "weighted_triangles"]


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
    null="rewire",
    null_scored=True,
    source="Coleman 1988 (closure); Wasserman & Faust 1994; Newman 2003 SIAM Rev. 45:167, Eq. (3)",
    formula="C = 3 × #triangles / #connected triples of G_W; scored as its percentile in a degree-preserving null",
)
def closure(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of two-paths u–v–x closed by a tie u–x: friends of friends interact too.

    Scored in the index by its percentile against degree-preserving rewiring, since raw
    transitivity rises mechanically in small dense groups.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> round(closure(window_from_edges([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])), 4)
    0.6
    """
    if w.is_observed(c):
        t = w.tie
        return np.array([transitivity(w.n, w.u_src[t], w.u_dst[t]) if w.n >= 3 else np.nan])
    t, triples = weighted_triangles(w, c)
    return ratio(3.0 * t, triples)


@indicator(
    title="Repeat dyads",
    range=(0.0, 1.0),
    proxy="weak",
    aspect="trust_norms",
    source="Chan, To & Chan 2006 (behavioural manifestation of trust); spec §2 Aspect A",
    formula="#ties of G_W that were also ties in an earlier window / #ties",
)
def repeat_dyad_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of this window's ties between members who had interacted in an earlier window.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> import numpy as np
    >>> w = window_from_edges([("a", "b"), ("b", "c")])
    >>> w.index, w.u_seen_before = 1, np.array([True, False])
    >>> repeat_dyad_rate(w)
    0.5
    """
    if w.index == 0:
        raise NotAvailable("first window: no earlier window")
    tw = tie_weight(w, c)
    return ratio((tw * w.u_seen_before[w.tie]).sum(axis=1), tw.sum(axis=1))
