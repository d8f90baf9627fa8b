"""Aspect D, conflict resolution: factions, polarisation and bridges between factions.

No major cohesion index measures conflict resolution directly (spec §1); these structural
proxies describe the *risk* landscape (separated factions, few bridges), not resolution itself.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kohesi.measure._common import dyad_weight, ratio
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["polarisation", "faction_bridging", "window_factions"]

def window_factions(w: Window) -> np.ndarray:
    """Faction of each member of the weighted window graph: best-modularity Leiden over
    ``faction_restarts // 5`` seeded restarts of two Leiden iterations each (the whole-period
    factions use all restarts, each iterated to convergence)."""
    from kohesi.measure.members import best_partition

    def compute() -> np.ndarray:
        return best_partition(
            w.wgraph,
            weights="weight",
            restarts=max(1, w.params.faction_restarts // 5),
            seed=w.index,
            resolution=w.params.faction_resolution,
            iterations=2,
        )[0]

    return w.once("factions", compute)


def _weighted_strength(w: Window, c: np.ndarray) -> np.ndarray:
    a = sp.coo_matrix((np.r_[w.u_w, w.u_w], (np.r_[w.u_src, w.u_dst], np.r_[w.u_dst, w.u_src])), shape=(w.n, w.n))
    return np.asarray((a.tocsr() @ c.T).T)


@indicator(
    title="Polarisation (modularity of factions)",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="down",
    aspect="conflict",
    source="Newman & Girvan 2004, PRE 69:026113; Traag et al. 2019 (Leiden)",
    formula="Q = Σ_f [e_ff − a_f²] of the best Leiden partition of the weighted graph",
)
def polarisation(w: Window, c: np.ndarray) -> np.ndarray:
    """Modularity of the group's best split into factions (↓): how separated the factions are.

    The partition is found once on the observed window and kept fixed in bootstrap replicates.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> two = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
    >>> round(polarisation(window_from_edges(two)), 4)
    0.3571
    """
    if w.n < 2 or len(w.u_w) == 0:
        return np.full(c.shape[0], np.nan)
    f = window_factions(w)
    pw = dyad_weight(w, c) * w.u_w
    total = pw.sum(axis=1)
    inside = (pw * (f[w.u_src] == f[w.u_dst])).sum(axis=1)
    s = c * _weighted_strength(w, c)
    k = int(f.max()) + 1
    sf = s @ sp.csr_matrix((np.ones(w.n), (np.arange(w.n), f)), shape=(w.n, k))
    return ratio(inside, total) - ratio((sf**2).sum(axis=1), (2.0 * total) ** 2)


@indicator(
    title="Faction bridging",
    range=(0.0, 1.0),
    proxy="weak",
    aspect="conflict",
    source="Burt 1992 (brokerage across structural holes); Granovetter 1973 (bridges)",
    formula="#members with at least one tie into another faction / #members with ties",
)
def faction_bridging(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of tied members who also interact with another faction: bridges that can mediate.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> two = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
    >>> round(faction_bridging(window_from_edges(two)), 4)
    0.3333
    """
    if w.n < 2 or len(w.u_w) == 0:
        return np.full(c.shape[0], np.nan)
    f = window_factions(w)
    cross = f[w.u_src] != f[w.u_dst]
    bridge = np.zeros(w.n, dtype=bool)
    bridge[w.u_src[cross]] = True
    bridge[w.u_dst[cross]] = True
    tied = np.zeros(w.n, dtype=bool)
    tied[w.u_src] = True
    tied[w.u_dst] = True
    return ratio((c * bridge).sum(axis=1), (c * tied).sum(axis=1))
