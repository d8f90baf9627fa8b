"""Flow stage 3, cooperation: co-participation in shared activities, structural cohesion."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kohesi.measure._common import ratio, require
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator

__all__ = ["coparticipation_share", "coparticipants_per_member", "structural_cohesion", "embeddedness"]


def _incidence(w: Window) -> sp.csr_matrix:
    k = int(w.th_idx.max()) + 1 if len(w.th_idx) else 0
    return sp.csr_matrix((np.ones(len(w.th_idx)), (w.th_idx, w.th_mem)), shape=(k, w.n))


@indicator(
    title="Co-participation share of activities",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="cooperation",
    tags=("factor:shared_goals",),
    source="Moody & White 2003; bipartite member–event graph (Breiger 1974)",
    formula="#activity threads with ≥ 2 distinct members / #activity threads",
)
def coparticipation_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of shared activities (``kind == "activity"`` threads) joined by two or more members.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "kind": "activity", "thread": "x"},
    ...                 {"actor": "b", "kind": "activity", "thread": "x"},
    ...                 {"actor": "a", "kind": "activity", "thread": "y"}])
    >>> coparticipation_share(w)
    0.5
    """
    require(w, "activity")
    inc = _incidence(w)
    if inc.shape[0] == 0:
        return np.full(c.shape[0], np.nan)
    per = np.asarray((inc @ c.T).T)
    return ratio((per >= 2).sum(axis=1), (per >= 1).sum(axis=1))


@indicator(
    title="Distinct co-participants per member",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="cooperation",
    source="Moody & White 2003; projection of the bipartite member–event graph",
    formula="mean over participating members of #distinct co-participants / (n − 1)",
)
def coparticipants_per_member(w: Window, c: np.ndarray) -> np.ndarray:
    """How many of the other members each participant did something together with, as a share.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "kind": "activity", "thread": "x"},
    ...                 {"actor": "b", "kind": "activity", "thread": "x"},
    ...                 {"actor": "c", "kind": "message"}])
    >>> coparticipants_per_member(w)
    0.5
    """
    require(w, "activity")
    inc = _incidence(w)
    if inc.shape[0] == 0 or w.n < 2:
        return np.full(c.shape[0], np.nan)
    proj = (inc.T @ inc).tocsr()
    proj.setdiag(0)
    proj.eliminate_zeros()
    proj.data[:] = 1.0
    part = np.asarray(inc.sum(axis=0)).ravel() > 0
    k = np.asarray((proj @ c.T).T)
    nn = c.sum(axis=1)
    share = k / np.maximum(nn - 1.0, 1.0)[:, None]
    return ratio((c * share * part).sum(axis=1), (c * part).sum(axis=1))


def _too_big(w: Window) -> None:
    if w.n > w.params.max_n_connectivity:
        raise NotAvailable(f"skipped: {w.n} members > max_n_connectivity={w.params.max_n_connectivity}")


@indicator(
    title="Structural cohesion κ/(n−1)",
    range=(0.0, 1.0),
    proxy="validated",
    stage="cooperation",
    bootstrap=False,
    source="Moody & White 2003, ASR 68(1):103–127",
    formula="κ(G_W) / (n − 1), κ = vertex connectivity (fewest members whose removal disconnects)",
)
def structural_cohesion(w: Window, c: np.ndarray) -> np.ndarray:
    """Vertex connectivity of G_W over its maximum n − 1: 1 for a complete graph.

    Copies of members change connectivity, so no member bootstrap (interval from windows).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> structural_cohesion(window_from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]))
    0.6666666666666666
    """
    _too_big(w)
    if w.n < 2:
        return np.full(c.shape[0], np.nan)
    kappa = w.graph.vertex_connectivity() if w.graph.is_connected() else 0
    return np.full(c.shape[0], kappa / (w.n - 1))


@indicator(
    title="Embeddedness in nested k-components",
    range=(0.0, 1.0),
    proxy="validated",
    stage="cooperation",
    bootstrap=False,
    source="Moody & White 2003 (cohesive blocking); igraph cohesive_blocks",
    formula="mean over members of the largest k of a k-component containing them / max k",
)
def embeddedness(w: Window, c: np.ndarray) -> np.ndarray:
    """How deeply the average member sits in the group's nested cohesive blocks.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> embeddedness(window_from_edges([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]))
    0.875
    """
    _too_big(w)
    if w.n < 2 or not w.tie.any():
        return np.full(c.shape[0], np.nan)
    k = np.asarray(w.graph.cohesive_blocks().max_cohesions(), dtype=float)
    return np.full(c.shape[0], float(k.mean() / k.max()) if k.max() > 0 else np.nan)
