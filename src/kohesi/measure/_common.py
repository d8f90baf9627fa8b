"""Shared vectorised pieces of indicators: degrees, tie weights, posts under multiplicities c."""

from __future__ import annotations

import numpy as np

from kohesi._numba import numba
from kohesi.measure._stats import ratio
from kohesi.measure.graphs import Window

__all__ = ["deg", "tie_weight", "dyad_weight", "n_eff", "possible_pairs", "post_weight", "ratio", "nan_rows"]


def deg(w: Window, c: np.ndarray) -> np.ndarray:
    """Degree of each member in G_W counting copies of neighbours: (B, n)."""
    if w.n == 0:
        return np.zeros((c.shape[0], 0))
    return w.memo("deg", c, lambda: np.asarray((w.adj @ c.T).T))


def tie_weight(w: Window, c: np.ndarray) -> np.ndarray:
    """c_u c_v for every tie of G_W: (B, m)."""
    t = w.tie
    return w.memo("tie_weight", c, lambda: c[:, w.dyads.a[t]] * c[:, w.dyads.b[t]])


def n_eff(c: np.ndarray) -> np.ndarray:
    """Members counted with multiplicity: N = Σ c."""
    return c.sum(axis=1)


def possible_pairs(c: np.ndarray) -> np.ndarray:
    """Dyads between distinct copies of distinct members: (N² − Σc²) / 2."""
    return (c.sum(axis=1) ** 2 - (c**2).sum(axis=1)) / 2.0


def post_weight(w: Window, c: np.ndarray) -> np.ndarray:
    """Weight of every post: the multiplicity of its author, (B, p)."""
    return w.memo("post_weight", c, lambda: c[:, w.posts.actor])


def dyad_weight(w: Window, c: np.ndarray) -> np.ndarray:
    """c_u c_v for every interacting dyad (any weight, not only ties): (B, m)."""
    return w.memo("dyad_weight", c, lambda: c[:, w.dyads.a] * c[:, w.dyads.b])


def answered_share(w: Window, c: np.ndarray, asked: np.ndarray, lat: np.ndarray, within_s: float) -> np.ndarray:
    """Share of the posts in ``asked`` whose answer came within ``within_s`` seconds (``lat``:
    seconds to the answer, NaN for none), per replicate; NaN where nothing was asked."""
    answered = np.nan_to_num(lat, nan=np.inf) <= within_s
    pw = post_weight(w, c) * asked
    return ratio((pw * answered).sum(axis=1), pw.sum(axis=1))


def nan_rows(c: np.ndarray) -> np.ndarray:
    """NaN for every replicate: nothing to measure in this window."""
    return np.full(c.shape[0], np.nan)


def weighted_median(x: np.ndarray, wts: np.ndarray) -> np.ndarray:
    """Median of x (k,) under weights (B, k); NaN where total weight is 0."""
    if len(x) == 0:
        return np.full(wts.shape[0], np.nan)
    order = np.argsort(x, kind="stable")
    return _first_half(np.asarray(x[order], dtype=np.float64), order, np.ascontiguousarray(wts))


@numba.njit(cache=True, nogil=True)
def _first_half(xs: np.ndarray, order: np.ndarray, ws: np.ndarray) -> np.ndarray:
    """Per row of ws: the first xs (x sorted by ``order``) where the running weight, in that
    order, reaches half the row's total."""
    out = np.full(ws.shape[0], np.nan)
    for b in range(ws.shape[0]):
        tot = 0.0
        for i in range(ws.shape[1]):
            tot += ws[b, i]
        if tot <= 0:
            continue
        acc = 0.0
        for i in range(len(order)):
            acc += ws[b, order[i]]
            if acc >= tot / 2.0:
                out[b] = xs[i]
                break
    return out


def smallest_share_count(x: np.ndarray, c: np.ndarray, share: float = 0.5) -> np.ndarray:
    """Fewest member copies whose values sum to at least ``share`` of the total (CHAOSS CAF)."""
    order = np.argsort(-x, kind="stable")
    xs, cs = x[order].astype(float), c[:, order]
    fx = cs * xs
    cum = np.cumsum(fx, axis=1)
    total = cum[:, -1] if cum.shape[1] else np.zeros(c.shape[0])
    half = share * total
    j = np.argmax(cum >= half[:, None] - 1e-12, axis=1)
    before_c = np.cumsum(cs, axis=1) - cs
    before_x = cum - fx
    rows = np.arange(c.shape[0])
    xj = xs[j]
    need = np.ceil(ratio(half - before_x[rows, j], xj) - 1e-12)
    k = before_c[rows, j] + np.maximum(need, 1.0)
    k[total <= 0] = np.nan
    return k
