"""Resampling for intervals: member bootstrap within a window, moving blocks over windows.

Member bootstrap (Snijders & Borgatti 1999): draw n members with replacement; a member drawn k
times enters as k copies that keep its ties. Only the multiplicities matter, so one draw is a
vector c ~ Multinomial(n, 1/n) and each indicator is evaluated on c directly.

Moving-block bootstrap (Künsch 1989): resample blocks of L consecutive windows, keeping the
serial dependence of a time series of indicator values.
"""

from __future__ import annotations

import numpy as np

__all__ = ["member_draws", "percentile_interval", "percentile_intervals", "block_length", "block_means", "block_indices"]


def member_draws(n: int, B: int, rng: np.random.Generator) -> np.ndarray:
    """B member-bootstrap multiplicity vectors, shape (B, n); each row sums to n.

    Examples
    --------
    >>> c = member_draws(5, 3, np.random.default_rng(0))
    >>> c.shape, c.sum(axis=1).tolist()
    ((3, 5), [5.0, 5.0, 5.0])
    """
    if n == 0 or B == 0:
        return np.zeros((B, n))
    return rng.multinomial(n, np.full(n, 1.0 / n), size=B).astype(float)


def percentile_interval(reps: np.ndarray, level: float = 0.95, min_reps: int = 10) -> tuple[float, float]:
    """Percentile interval of bootstrap replicates, ignoring NaN; NaN when too few are finite.

    Examples
    --------
    >>> [round(v, 6) for v in percentile_interval(np.arange(101.0))]
    [2.5, 97.5]
    """
    lo, hi = percentile_intervals(np.asarray(reps, dtype=float)[None, :], level, min_reps)[0]
    return float(lo), float(hi)


def percentile_intervals(reps: np.ndarray, level: float = 0.95, min_reps: int = 10) -> np.ndarray:
    """:func:`percentile_interval` of every row of ``reps`` (k, B) at once: shape (k, 2).

    Non-finite replicates are dropped per row; quantiles interpolate linearly between order
    statistics, as ``numpy.quantile``'s default method (Hyndman & Fan 1996, definition 7).

    Examples
    --------
    >>> percentile_intervals(np.array([np.arange(101.0), np.r_[np.arange(11.0), [np.nan] * 90]])).round(2).tolist()
    [[2.5, 97.5], [0.25, 9.75]]
    """
    r = np.array(reps, dtype=float, ndmin=2)
    r[~np.isfinite(r)] = np.nan
    r.sort(axis=1)
    n = (~np.isnan(r)).sum(axis=1)
    a = (1.0 - level) / 2.0
    out = np.full((r.shape[0], 2), np.nan)
    ok = n >= max(min_reps, 1)
    if not ok.any():
        return out
    rows = np.flatnonzero(ok)
    for j, q in enumerate((a, 1.0 - a)):
        pos = (n[rows] - 1) * q
        f = np.floor(pos)
        t = pos - f
        i0 = f.astype(np.int64)
        i1 = np.minimum(i0 + 1, n[rows] - 1)
        x0, x1 = r[rows, i0], r[rows, i1]
        d = x1 - x0
        out[rows, j] = np.where(t >= 0.5, x1 - d * (1.0 - t), x0 + d * t)
    return out


def block_length(t: int) -> int:
    """Default block length round(T^(1/3)), at least 1 (Hall, Horowitz & Jing 1995).

    Examples
    --------
    >>> block_length(52), block_length(1)
    (4, 1)
    """
    return max(1, int(round(t ** (1.0 / 3.0))))


def block_indices(t: int, B: int, length: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of B moving-block resamples of a length-t series, shape (B, t)."""
    length = max(1, min(length, t))
    k = -(-t // length)
    starts = rng.integers(0, t - length + 1, size=(B, k))
    idx = (starts[:, :, None] + np.arange(length)[None, None, :]).reshape(B, -1)
    return idx[:, :t]


def block_means(x: np.ndarray, B: int, rng: np.random.Generator, length: int | None = None) -> np.ndarray:
    """Moving-block bootstrap replicates of the mean of series ``x`` (NaN windows dropped).

    Examples
    --------
    >>> m = block_means(np.ones(20), 50, np.random.default_rng(1))
    >>> bool(np.all(m == 1.0))
    True
    """
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if len(x) == 0:
        return np.full(B, np.nan)
    idx = block_indices(len(x), B, length or block_length(len(x)), rng)
    return x[idx].mean(axis=1)
