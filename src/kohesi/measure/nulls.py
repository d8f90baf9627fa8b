"""Null models: degree-preserving rewiring, time shuffle and label permutation.

- ``rewire``: the talk graph (G_W without activity-only ties) rewired by degree-preserving edge swaps (Maslov & Sneppen 2002). One swap
  chain per window (:mod:`kohesi.measure.rewire`): 2m proposals of burn-in, then a sample every
  m/2 proposals (thinning), so k samples cost (k/2 + 2)m proposals instead of 10km.
- ``rewire_directed``: the reply/mention arcs rewired the same way, keeping every in- and
  out-degree.
- ``shuffle``: post timestamps permuted within the window (Holme & Saramäki 2012); reply links
  inside the window get the shuffled latencies, links across windows keep the observed one.
- ``permute``: member attributes permuted across members (the QAP idea, Krackhardt 1988).

The null percentile of an observed value is its mid-rank in the null samples, in [0, 1].
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from kohesi.measure.graphs import Window
from kohesi.measure.registry import Indicator, NotAvailable
from kohesi.measure.rewire import swap_chain

__all__ = ["null_windows", "null_samples"]


def _seed(rng: np.random.Generator) -> int:
    return int(rng.integers(2**31))


def _rewired(w: Window, k: int, rng: np.random.Generator) -> list[Window]:
    w = w.talk()
    t = w.tie
    if int(t.sum()) < 2 or w.n < 4:
        return []
    return [w.with_edges(el[:, 0], el[:, 1]) for el in swap_chain(w.dyads.a[t], w.dyads.b[t], w.n, k, _seed(rng))]


def _rewired_directed(w: Window, k: int, rng: np.random.Generator) -> list[Window]:
    s, d = w.conv_arcs
    if len(s) < 2 or w.n < 3:
        return []
    return [w.with_arcs(el[:, 0], el[:, 1]) for el in swap_chain(s, d, w.n, k, _seed(rng), directed=True)]


def _shuffled(w: Window, k: int, rng: np.random.Generator) -> list[Window]:
    if len(w.links.child) == 0:
        return []
    return [_shuffle_once(w, rng) for _ in range(k)]


def _shuffle_once(w: Window, rng: np.random.Generator) -> Window:
    p, lk = w.posts, w.links
    t = p.t[rng.permutation(len(p.t))]
    diff = t[lk.child] - t[lk.parent]
    lat = p.lat.copy()
    lat[lk.parent] = np.inf
    valid = diff >= 0
    np.minimum.at(lat, lk.parent[valid], diff[valid])
    lat[np.isinf(lat)] = np.nan
    return w.evolve(posts=replace(p, lat=lat))


def _permuted(w: Window, k: int, rng: np.random.Generator) -> list[Window]:
    if not w.attrs or w.n < 3:
        return []
    out = []
    for _ in range(k):
        perm = rng.permutation(w.n)
        out.append(w.evolve(attrs={a: v[perm] for a, v in w.attrs.items()}))
    return out


_MAKERS = {
    "rewire": _rewired,
    "rewire_directed": _rewired_directed,
    "shuffle": _shuffled,
    "permute": _permuted,
}


def null_windows(w: Window, kind: str, k: int, rng: np.random.Generator) -> list[Window]:
    """``k`` null versions of window ``w`` under null model ``kind`` (none if it does not apply)."""
    return _MAKERS[kind](w, k, rng)


def null_samples(w: Window, indicators: list[Indicator], k: int, seed: int) -> dict[str, np.ndarray]:
    """Null samples of every indicator that declares a null model: name → values (k,)."""
    out: dict[str, np.ndarray] = {}
    if k <= 0:
        return out
    kinds = sorted({i.null for i in indicators if i.null is not None})
    for j, kind in enumerate(kinds):
        rng = np.random.default_rng([seed, w.index, 1000 + j])
        wins = null_windows(w, kind, k, rng)
        if not wins:
            continue
        for ind in indicators:
            if ind.null != kind:
                continue
            use = wins[: ind.null_max] if ind.null_max else wins
            try:
                vals = np.array([float(ind.func(nw, nw.ones())[0]) for nw in use])
            except NotAvailable:
                continue
            out[ind.name] = vals
    return out
