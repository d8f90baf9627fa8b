"""Flow stage 3, cooperation: co-participation in shared activities, structural cohesion."""

from __future__ import annotations

import igraph as ig
import numpy as np
import scipy.sparse as sp

from kohesi.measure._common import answered_share, n_eff, nan_rows, ratio
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator
from kohesi.text.acts import ACT_BIT

__all__ = ["activity_participation", "coparticipation_share", "coparticipants_per_member", "structural_cohesion",
           "embeddedness", "help_response_rate"]


def _incidence(w: Window) -> sp.csr_matrix:
    th = w.threads
    k = int(th.idx.max()) + 1 if len(th.idx) else 0
    return sp.csr_matrix((np.ones(len(th.idx)), (th.idx, th.member)), shape=(k, w.n))


@indicator(
    title="Members taking part in shared activities",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="cooperation",
    also=("inclusion",),
    tags=("factor:shared_goals",),
    needs=("activity",),
    source="Sampson, Raudenbush & Earls 1997 (collective efficacy); Dragolov et al. 2016 (Bertelsmann Social Cohesion Radar: participation); Breiger 1974",
    formula="#members who signed up to or attended a shared activity / #members of the group in the window",
)
def activity_participation(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the group's members who took part in a shared activity (gotong royong, a
    meeting, a sign-up list) in the window; 0 in a window without any, where the source records
    them. It counts in inclusion and participation too: taking part in the group's shared work
    is participation in its fullest sense.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "kind": "activity", "thread": "x"},
    ...                 {"actor": "b", "kind": "activity", "thread": "x"},
    ...                 {"actor": "c", "kind": "message"}, {"actor": "d", "kind": "message"}])
    >>> activity_participation(w)
    0.5
    """
    took_part = np.zeros(w.n, dtype=bool)
    took_part[w.threads.member] = True
    return ratio((c * took_part).sum(axis=1), n_eff(c))


@indicator(
    title="Co-participation share of activities",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="cooperation",
    tags=("factor:shared_goals",),
    needs=("activity",),
    source="Moody & White 2003; Breiger 1974 (the bipartite member–event graph)",
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
    inc = _incidence(w)
    if inc.shape[0] == 0:
        return nan_rows(c)
    per = np.asarray((inc @ c.T).T)
    return ratio((per >= 2).sum(axis=1), (per >= 1).sum(axis=1))


@indicator(
    title="Distinct co-participants per member",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    needs=("activity",),
    source="Moody & White 2003; Breiger 1974 (projection of the bipartite member–event graph)",
    formula="mean over participating members of #distinct co-participants / (n − 1)",
)
def coparticipants_per_member(w: Window, c: np.ndarray) -> np.ndarray:
    """How many of the other members each participant did something together with, as a share
    (report only: with tasks of a fixed size it falls as the group grows).

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "kind": "activity", "thread": "x"},
    ...                 {"actor": "b", "kind": "activity", "thread": "x"},
    ...                 {"actor": "c", "kind": "message"}])
    >>> coparticipants_per_member(w)
    0.5
    """
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


def _tied(w: Window) -> ig.Graph:
    """G_W restricted to the members with at least one tie (silent members would make every
    group disconnected)."""

    def build() -> ig.Graph:
        keep = np.flatnonzero(np.asarray(w.graph.degree()) > 0)
        if len(keep) > w.params.max_n_connectivity:
            raise NotAvailable(f"not computed: {len(keep)} members with ties, more than the "
                               f"{w.params.max_n_connectivity} it is computed for")
        return w.graph.induced_subgraph(keep.tolist())

    return w.once("tied", build)  # type: ignore[return-value]


@indicator(
    title="Structural cohesion κ/(n−1)",
    range=(0.0, 1.0),
    proxy="validated",
    orientation="report",
    bootstrap=False,
    source="Moody & White 2003, ASR 68(1):103–127",
    formula="κ(G) / (n − 1) over G_W's tied members, κ = vertex connectivity (fewest members whose removal disconnects)",
)
def structural_cohesion(w: Window, c: np.ndarray) -> np.ndarray:
    """Vertex connectivity of the tied members' graph over its maximum n − 1: 1 for a complete
    graph. Copies of members change connectivity, so no member bootstrap (report only).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> structural_cohesion(window_from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")], nodes=["e"]))
    0.6666666666666666
    """
    g = _tied(w)
    if g.vcount() < 2:
        return nan_rows(c)
    kappa = g.vertex_connectivity() if g.is_connected() else 0
    return np.full(c.shape[0], kappa / (g.vcount() - 1))


@indicator(
    title="Embeddedness in nested k-components",
    range=(0.0, 1.0),
    proxy="validated",
    orientation="report",
    bootstrap=False,
    source="Moody & White 2003 (cohesive blocking); Csárdi & Nepusz 2006 (igraph's cohesive blocking)",
    formula="mean over tied members of the largest k of a k-component containing them / max k",
)
def embeddedness(w: Window, c: np.ndarray) -> np.ndarray:
    """How deeply the average tied member sits in the group's nested cohesive blocks.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> embeddedness(window_from_edges([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")]))
    0.875
    """
    g = _tied(w)
    if g.vcount() < 2:
        return nan_rows(c)
    k = np.asarray(g.cohesive_blocks().max_cohesions(), dtype=float)
    return np.full(c.shape[0], float(k.mean() / k.max()) if k.max() > 0 else np.nan)


@indicator(
    title="Help requests answered with help within Δ",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="cooperation",
    aspect="trust_norms",
    needs=("text",),
    source="Sampson, Raudenbush & Earls 1997 (collective efficacy: neighbours willing to help); "
           "Putnam 2000 (generalised reciprocity)",
    formula="#help_request posts followed by another member's help_offer within Δ / #help_request posts",
)
def help_response_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of requests for help (a ladder to borrow, a lift to the clinic, someone to watch
    the house) that another member offered to help with within Δ (default 24 h): the first link
    of the chain help_request → help_offer → thanks. It counts in trust and norms: members who
    expect to be helped, and are, is what collective efficacy's "neighbours willing to help"
    asks about.

    Not available for sources without text; not measured in a window without a help request.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0, "acts": ["help_request"]},
    ...                 {"actor": "b", "t": 5, "acts": ["help_offer"]},
    ...                 {"actor": "c", "t": 9, "acts": ["help_request"]}], capabilities={"reply", "text"})
    >>> help_response_rate(w)
    0.5
    """
    p = w.posts
    return answered_share(w, c, (p.acts & ACT_BIT["help_request"]) != 0, p.offer_lat, w.params.response_window_s)
