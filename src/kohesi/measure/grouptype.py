"""Group type: primary (small, dense, multiplex, strong ties) versus secondary (Cooley 1909).

A profile, not a score; the classification thresholds are arbitrary and exposed as parameters.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import deg, ratio, tie_weight, weighted_median
from kohesi.measure.graphs import Window
from kohesi.measure.interaction import density
from kohesi.measure.registry import indicator

__all__ = ["group_size", "mean_clustering", "tie_strength", "multiplexity", "strong_tie_share", "primary_group"]


@indicator(
    title="Group size (members present)",
    range=(0.0, np.inf),
    proxy="validated",
    orientation="report",
    tags=("grouptype",),
    source="Cooley 1909; Simmel 1902 (quantitative determination of the group)",
    formula="n = #members of the window (acting or addressed)",
)
def group_size(w: Window, c: np.ndarray) -> np.ndarray:
    """Number of members present in the window.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> group_size(window_from_edges([("a", "b")], nodes=["c"]))
    3.0
    """
    return c.sum(axis=1)


@indicator(
    title="Mean local clustering",
    range=(0.0, 1.0),
    proxy="validated",
    orientation="report",
    tags=("grouptype",),
    source="Watts & Strogatz 1998, Nature 393:440",
    formula="mean over members with ≥ 2 neighbours in the talk graph of (#ties among neighbours / #neighbour pairs)",
)
def mean_clustering(w: Window, c: np.ndarray) -> np.ndarray:
    """Mean local clustering coefficient of the talk graph (G_W without activity-only ties),
    over the members with at least two neighbours (silent members have none to cluster).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> round(mean_clustering(window_from_edges([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])), 4)
    0.7778
    """
    w = w.talk()
    if w.n == 0:
        return np.full(c.shape[0], np.nan)
    if w.is_observed(c):
        return np.array([w.graph.transitivity_avglocal_undirected(mode="nan")]) if (
            np.asarray(w.graph.degree()) >= 2).any() else np.array([np.nan])
    tv = w.triangle_corner_weights(c)
    s = deg(w, c)
    q = w.memo("deg_sq", c, lambda: np.asarray((w.adj @ (c**2).T).T))
    pairs = (s**2 - q) / 2.0
    local = np.where(pairs > 0, tv / np.where(pairs > 0, pairs, 1.0), 0.0)
    two = np.asarray(w.graph.degree()) >= 2
    return ratio((c * two * local).sum(axis=1), (c * two).sum(axis=1))



@indicator(
    title="Mean tie strength",
    range=(0.0, np.inf),
    proxy="plausible",
    orientation="report",
    tags=("grouptype", "threat:transactional"),
    source="Granovetter 1973; Marsden & Campbell 1984",
    formula="mean w_uv over ties of G_W (interactions per dyad in the window)",
)
def tie_strength(w: Window, c: np.ndarray) -> np.ndarray:
    """Mean number of interactions per tied dyad in the window.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> tie_strength(window_from_edges([("a", "b", 3), ("b", "c", 1)]))
    2.0
    """
    tw = tie_weight(w, c)
    return ratio((tw * w.dyads.weight[w.tie]).sum(axis=1), tw.sum(axis=1))


@indicator(
    title="Multiplexity",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("grouptype",),
    source="Verbrugge 1979, Social Forces 57:1286",
    formula="#ties linked by ≥ 2 relation kinds (reply, mention, reaction, co-participation) / #ties",
)
def multiplexity(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of ties that combine two or more kinds of relation.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a"}, {"actor": "b", "reply_to": "e0", "mentions": ["a"]},
    ...                 {"actor": "c", "reply_to": "e0"}])
    >>> multiplexity(w)
    0.5
    """
    tw = tie_weight(w, c)
    return ratio((tw * (w.dyads.nrel[w.tie] >= 2)).sum(axis=1), tw.sum(axis=1))


@indicator(
    title="Share of strong ties",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("grouptype",),
    source="Granovetter 1973",
    formula="#ties with w_uv ≥ median w over ties / #ties",
)
def strong_tie_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of ties at least as strong as the median tie (≥ 0.5 by construction; skew shows).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> strong_tie_share(window_from_edges([("a", "b", 5), ("b", "c", 3), ("c", "d", 1)]))
    0.6666666666666666
    """
    tw = tie_weight(w, c)
    x = w.dyads.weight[w.tie]
    med = weighted_median(x, tw)
    return ratio((tw * (x[None, :] >= med[:, None])).sum(axis=1), tw.sum(axis=1))


@indicator(
    title="Primary-like group (0/1)",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="report",
    tags=("grouptype",),
    source="Cooley 1909 (primary groups; the thresholds are kohesi's own heuristics, printed in the report)",
    formula="1 if n ≤ primary_max_n and ρ ≥ primary_min_density and multiplexity ≥ primary_min_multiplexity",
)
def primary_group(w: Window, c: np.ndarray) -> np.ndarray:
    """1 for a primary-like window (small, dense, multiplex), 0 for secondary-like.

    The bootstrap mean of this 0/1 value is the share of replicates classed primary.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a"}, {"actor": "b", "reply_to": "e0", "mentions": ["a"]}])
    >>> primary_group(w)
    1.0
    """
    p = w.params
    rho = density.func(w, c)
    mult = multiplexity.func(w, c)
    ok = (c.sum(axis=1) <= p.primary_max_n) & (rho >= p.primary_min_density) & (mult >= p.primary_min_multiplexity)
    out = ok.astype(float)
    out[np.isnan(rho) | np.isnan(mult)] = np.nan
    return out
