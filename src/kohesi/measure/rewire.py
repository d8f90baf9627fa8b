"""Degree-preserving edge-swap chains (Maslov & Sneppen 2002, Science 296:910).

One chain per call, compiled with Numba: pick two distinct edges (a, b), (c, d) uniformly and
propose (a, d), (c, b) (undirected: or (a, c), (b, d) with probability ½); reject the proposal
when it makes a self-loop or an edge that exists. Every degree (in- and out-degree for arcs) is
kept and the graph stays simple. The chain runs ``burn_in`` proposals, then ``thin`` proposals
before each of ``k`` samples, so k samples cost burn_in + k·thin proposals.

Edge existence is an open-addressing hash set of ``u·n + v`` keys with tombstones, so a proposal
costs O(1) and no igraph object or Python callback is touched inside the chain.
"""

from __future__ import annotations

import numpy as np

from kohesi._numba import numba

__all__ = ["swap_chain"]

_EMPTY = -1
_GONE = -2
_MIX = np.uint64(0x9E3779B97F4A7C15)


@numba.njit(cache=True, nogil=True)
def _slot(table: np.ndarray, key: np.int64, shift: np.uint64) -> int:
    """Index of ``key`` in ``table``, or of the slot where it would go (first tombstone seen)."""
    mask = np.int64(len(table) - 1)
    i = np.int64((np.uint64(key) * _MIX) >> shift)
    free = -1
    while True:
        t = table[i]
        if t == key:
            return i
        if t == _EMPTY:
            return free if free >= 0 else i
        if t == _GONE and free < 0:
            free = i
        i = (i + 1) & mask


@numba.njit(cache=True, nogil=True)
def _has(table: np.ndarray, key: np.int64, shift: np.uint64) -> bool:
    return table[_slot(table, key, shift)] == key


@numba.njit(cache=True, nogil=True)
def _chain(src: np.ndarray, dst: np.ndarray, n: int, directed: bool, burn_in: int, thin: int, k: int,
           seed: int) -> np.ndarray:
    m = len(src)
    s = src.copy()
    d = dst.copy()
    bits = 1
    while (1 << bits) < 4 * m:
        bits += 1
    table = np.full(1 << bits, _EMPTY, dtype=np.int64)
    shift = np.uint64(64 - bits)
    for e in range(m):
        u, v = s[e], d[e]
        if not directed and u > v:
            u, v = v, u
        key = np.int64(u) * n + v
        table[_slot(table, key, shift)] = key
    used = m
    out = np.empty((k, m, 2), dtype=np.int64)
    np.random.seed(seed)
    step = 0
    total = burn_in + k * thin
    sample = 0
    while step < total:
        step += 1
        e1 = np.random.randint(m)
        e2 = np.random.randint(m - 1)
        if e2 >= e1:
            e2 += 1
        a, b, c, dd = s[e1], d[e1], s[e2], d[e2]
        if not directed and np.random.random() < 0.5:
            c, dd = dd, c
        if a != dd and c != b:
            x1, y1, x2, y2 = a, dd, c, b
            if not directed:
                if x1 > y1:
                    x1, y1 = y1, x1
                if x2 > y2:
                    x2, y2 = y2, x2
            k1 = np.int64(x1) * n + y1
            k2 = np.int64(x2) * n + y2
            if k1 != k2 and not _has(table, k1, shift) and not _has(table, k2, shift):
                o1, o2 = a, b
                p1, p2 = s[e2], d[e2]
                if not directed:
                    if o1 > o2:
                        o1, o2 = o2, o1
                    if p1 > p2:
                        p1, p2 = p2, p1
                table[_slot(table, np.int64(o1) * n + o2, shift)] = _GONE
                table[_slot(table, np.int64(p1) * n + p2, shift)] = _GONE
                for key in (k1, k2):
                    i = _slot(table, key, shift)
                    used += table[i] == _EMPTY
                    table[i] = key
                s[e1], d[e1], s[e2], d[e2] = x1, y1, x2, y2
                if used > (3 * len(table)) // 4:
                    live = table[table >= 0]
                    table[:] = _EMPTY
                    for key in live:
                        table[_slot(table, key, shift)] = key
                    used = len(live)
        if step > burn_in and (step - burn_in) % thin == 0 and sample < k:
            for e in range(m):
                out[sample, e, 0] = s[e]
                out[sample, e, 1] = d[e]
            sample += 1
    return out


def swap_chain(src: np.ndarray, dst: np.ndarray, n: int, k: int, seed: int, directed: bool = False,
               burn_in: float = 2.0, thin: float = 0.5) -> np.ndarray:
    """``k`` samples of one degree-preserving swap chain over the edges (src, dst): (k, m, 2).

    ``burn_in`` and ``thin`` are multiples of the edge count m (defaults: 2m proposals of burn-in,
    m/2 between samples, so each edge is proposed for a swap about once between samples).
    Undirected edges come back as (min, max). The input must be a simple graph on 0..n-1.

    Examples
    --------
    >>> ring = np.array([0, 1, 2, 3, 4, 5]), np.array([1, 2, 3, 4, 5, 0])
    >>> out = swap_chain(*ring, n=6, k=3, seed=1)
    >>> out.shape, bool((np.bincount(out[2].ravel(), minlength=6) == 2).all())
    ((3, 6, 2), True)
    """
    src = np.ascontiguousarray(src, dtype=np.int64)
    dst = np.ascontiguousarray(dst, dtype=np.int64)
    m = len(src)
    if m < 2 or k <= 0:
        return np.empty((max(k, 0), m, 2), dtype=np.int64)
    return _chain(src, dst, int(n), bool(directed), int(burn_in * m), max(1, int(thin * m)), int(k), int(seed))
