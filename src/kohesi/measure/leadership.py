"""Factor: strong social leadership. Reported, never scored as better or worse: centralisation
is also a fragility risk (compare the CHAOSS absence factor)."""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import deg, ratio
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["degree_centralization", "top_responder_share"]


@indicator(
    title="Degree centralisation (Freeman)",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("factor:leadership",),
    source="Freeman 1979, Social Networks 1:215, Eq. (7); Chan et al. 2006 (vertical cohesion)",
    formula="C_D = Σ_i (k_max − k_i) / ((n − 1)(n − 2)) over G_W",
)
def degree_centralization(w: Window, c: np.ndarray) -> np.ndarray:
    """How much the group's ties concentrate on one central member: 1 for a star, 0 for a ring.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> degree_centralization(window_from_edges([("a", "b"), ("a", "c"), ("a", "d")]))
    1.0
    >>> degree_centralization(window_from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]))
    0.0
    """
    k = deg(w, c)
    if w.n < 3:
        return np.full(c.shape[0], np.nan)
    kmax = np.where(c > 0, k, -np.inf).max(axis=1)
    nn = c.sum(axis=1)
    return ratio((c * (kmax[:, None] - k)).sum(axis=1), (nn - 1) * (nn - 2))


@indicator(
    title="Share of replies written by the top 5% of members",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("factor:leadership",),
    needs=("reply",),
    source="Bliese & Halverson 1996 (leadership and group climate)",
    formula="replies by the ⌈0.05 n⌉ members who reply most / all replies",
)
def top_responder_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of all replies made by the most responsive 5% of members.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> w = window_from_edges(arcs=[("a", "b"), ("a", "c"), ("a", "d"), ("b", "a")])
    >>> top_responder_share(w)
    0.75
    """
    made = np.bincount(w.arcs.src, weights=w.arcs.cnt * (w.arcs.rel == 0), minlength=w.n).astype(float)
    order = np.argsort(-made, kind="stable")
    xs, cs = made[order], c[:, order]
    nn = cs.sum(axis=1)
    top = np.ceil(0.05 * nn)
    before = np.cumsum(cs, axis=1) - cs
    take = np.clip(top[:, None] - before, 0.0, cs)
    return ratio((take * xs).sum(axis=1), (cs * xs).sum(axis=1))
