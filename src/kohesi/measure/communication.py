"""Flow stage 2, communication: reciprocity, responsiveness, response time, efficiency."""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import nan_rows, post_weight, ratio, weighted_median
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["reciprocity", "reciprocity_gl", "responsiveness", "response_time", "global_efficiency"]


def _recip_parts(w: Window, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Reciprocated arc weight and total arc weight of R_W under c (shared by both forms)."""

    def compute() -> np.ndarray:
        s, d = w.conv_arcs
        if len(s) == 0:
            return np.zeros((2, c.shape[0]))
        wt = c[:, s] * c[:, d]
        return np.stack([wt @ w.conv_mutual.astype(wt.dtype), wt.sum(axis=1)])

    both = w.memo("recip", c, compute)
    return both[0], both[1]


def _reciprocity(w: Window, c: np.ndarray) -> np.ndarray:
    """r, with 0 where members posted and nobody addressed anybody (nothing was reciprocated)."""
    num, den = _recip_parts(w, c)
    r = ratio(num, den)
    posted = (post_weight(w, c).sum(axis=1) > 0) if len(w.posts) else np.zeros(c.shape[0], dtype=bool)
    return np.where(den > 0, r, np.where(posted, 0.0, np.nan))


@indicator(
    title="Reciprocity of the conversation graph",
    range=(0.0, 1.0),
    proxy="validated",
    orientation="report",
    stage="communication",
    needs=("reply|mention",),
    source="Wasserman & Faust 1994; Garlaschelli & Loffredo 2004, PRL 93:268701; Gouldner 1960 (norm of reciprocity)",
    formula="r = |{(u,v) ∈ R_W : (v,u) ∈ R_W}| / |R_W| (R_W: reply and mention arcs); 0 when members posted and nobody addressed anyone",
)
def reciprocity(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of reply/mention arcs u→v that are answered by an arc v→u in the same window.

    Raw reciprocity falls mechanically with group size (each member answers a smaller share of
    the others), so it is reported; :func:`reciprocity_gl` is the scored, size-fair form.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> reciprocity(window_from_edges(arcs=[("a", "b"), ("b", "a"), ("a", "c")]))
    0.6666666666666666
    """
    return _reciprocity(w, c)


@indicator(
    title="Reciprocity beyond chance (Garlaschelli–Loffredo)",
    range=(-1.0, 1.0),
    proxy="validated",
    stage="communication",
    aspect="trust_norms",
    needs=("reply|mention",),
    score_range=(0.0, 1.0),
    source="Garlaschelli & Loffredo 2004, PRL 93:268701, Eq. (4); Gouldner 1960 (norm of reciprocity)",
    formula="ρ_r = (r − ā) / (1 − ā), ā = |R_W| / (n(n−1)); 0 when nobody addressed anyone; scored as max(ρ_r, 0)",
)
def reciprocity_gl(w: Window, c: np.ndarray) -> np.ndarray:
    """Reciprocity corrected for density: 0 = as random, 1 = fully reciprocal, < 0 = avoided.

    The correction for the arcs' density ā is what makes it size-fair: with the same
    per-member behaviour, r and ā fall together as the group grows. A complete conversation
    graph (ā = 1) is fully reciprocal: ρ_r = 1.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> round(reciprocity_gl(window_from_edges(arcs=[("a", "b"), ("b", "a"), ("a", "c")])), 4)
    0.3333
    """
    num, den = _recip_parts(w, c)
    r = _reciprocity(w, c)
    nn = c.sum(axis=1)
    abar = ratio(den, nn**2 - (c**2).sum(axis=1))
    full = np.isfinite(abar) & (abar >= 1.0 - 1e-12)
    return np.where(full, 1.0, np.where(den > 0, ratio(r - abar, 1.0 - abar), r))


@indicator(
    title="Responsiveness (posts answered within Δ)",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="communication",
    aspect="trust_norms",
    core=True,
    tags=("factor:communication",),
    needs=("reply",),
    null="shuffle",
    source="CHAOSS Time to First Response; Gouldner 1960 (norm of reciprocity: a request is answered)",
    formula="#posts with a reply by another member within Δ / #posts",
)
def responsiveness(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the window's posts answered by another member within Δ (default 24 h).

    Where the source records or infers replies, a post nobody answered counts as unanswered:
    a group where nobody ever answers scores 0.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "t": 10, "reply_to": "e0"},
    ...                 {"actor": "a", "t": 20}, {"actor": "b", "t": 30}])
    >>> responsiveness(w)
    0.25
    """
    if len(w.posts) == 0:
        return nan_rows(c)
    ok = (w.posts.lat >= 0) & (w.posts.lat <= w.params.response_window_s)
    pw = post_weight(w, c)
    return ratio((pw * ok).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Median time to first response (minutes)",
    range=(0.0, np.inf),
    proxy="plausible",
    orientation="report",
    needs=("reply",),
    null="shuffle",
    source="CHAOSS Time to First Response",
    formula="median over answered posts of (first reply by another member − post) in minutes",
)
def response_time(w: Window, c: np.ndarray) -> np.ndarray:
    """Median minutes from a post to its first reply by another member (report only: a fast
    answer is not more cohesive than a thoughtful one a few hours later).

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "t": 10, "reply_to": "e0"},
    ...                 {"actor": "a", "t": 20, "reply_to": "e1"}])
    >>> response_time(w)
    10.0
    """
    ok = ~np.isnan(w.posts.lat) & (w.posts.lat >= 0)
    return weighted_median(w.posts.lat[ok] / 60.0, post_weight(w, c)[:, ok])


def _inverse_distances(w: Window) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Source members, 1/d(source, v) (0 when unreachable or v = source), and whether each
    source has a neighbour."""
    n = w.n
    if n > w.params.efficiency_sources:
        rng = np.random.default_rng([w.index, n, 7])
        src = np.sort(rng.choice(n, size=w.params.efficiency_sources, replace=False))
    else:
        src = np.arange(n)
    d = np.asarray(w.graph.distances(source=src.tolist()), dtype=float)
    with np.errstate(divide="ignore"):
        inv = np.where(np.isfinite(d) & (d > 0), 1.0 / d, 0.0)
    return src, inv, np.asarray(w.graph.degree(), dtype=float)[src] > 0


@indicator(
    title="Global efficiency",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("factor:communication",),
    bootstrap=False,
    source="Latora & Marchiori 2001, PRL 87:198701",
    formula="E = 1/(n(n−1)) Σ_{u≠v} 1/d(u,v) over G_W (1/∞ = 0)",
)
def global_efficiency(w: Window, c: np.ndarray) -> np.ndarray:
    """Mean inverse shortest-path distance between members: how easily news travels (report
    only: it falls with group size and with every silent member).

    Above ``efficiency_sources`` members the sum runs over that many seeded source members
    (an unbiased estimate). Copies of one member are at distance 2 (through any neighbour). Not
    member-bootstrapped in profiles (replicates would keep the observed shortest paths, which a
    dropped member may have carried), so it has no interval.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> round(global_efficiency(window_from_edges([("a", "b"), ("b", "c")])), 4)
    0.8333
    """
    if w.n < 2:
        return np.full(c.shape[0], np.nan)
    src, inv, has_nb = w.once("efficiency", lambda: _inverse_distances(w))
    cs = c[:, src]
    pair_sum = ((cs @ inv.astype(c.dtype)) * c).sum(axis=1)
    self_copies = (cs * (cs - 1.0) * 0.5 * has_nb).sum(axis=1)
    nn = c.sum(axis=1)
    return ratio(pair_sum + self_copies, cs.sum(axis=1) * (nn - 1.0))
