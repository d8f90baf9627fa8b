"""Weighted statistics over member multiplicities ``c`` of shape (B, n)."""

from __future__ import annotations

import numpy as np

__all__ = ["gini_w", "ratio", "pair_weight", "mid_percentile"]


def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den with NaN where den is 0."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, np.nan)
    np.divide(num, den, out=out, where=den != 0)
    return out


def gini_w(x: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Gini coefficient of values ``x`` (n,) with frequency weights ``c`` (B, n).

    G = 1 − Σ_i f_i (S_{i−1} + S_i) / (N S_n) over x sorted ascending, S_i = Σ_{j≤i} f_j x_j.

    Examples
    --------
    >>> float(gini_w(np.array([0.0, 1.0]), np.ones((1, 2)))[0])
    0.5
    >>> float(gini_w(np.array([3.0, 3.0, 3.0]), np.ones((1, 3)))[0])
    0.0
    """
    order = np.argsort(x, kind="stable")
    xs = np.asarray(x, dtype=float)[order]
    f = np.asarray(c, dtype=float)[:, order]
    fx = f * xs
    s = np.cumsum(fx, axis=1)
    s_prev = s - fx
    total = s[:, -1] if s.shape[1] else np.zeros(f.shape[0])
    nn = f.sum(axis=1)
    num = (f * (s_prev + s)).sum(axis=1)
    return 1.0 - ratio(num, nn * total)


def pair_weight(c: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Weight of dyads (a, b) under multiplicities c: c_a · c_b, shape (B, m)."""
    return c[:, a] * c[:, b]


def mid_percentile(obs: float, null: np.ndarray) -> float:
    """Mid-rank percentile of ``obs`` in ``null``: (#below + ½ #equal) / K; NaN if no samples.

    Examples
    --------
    >>> mid_percentile(2.0, np.array([1.0, 2.0, 3.0, 4.0]))
    0.375
    """
    null = np.asarray(null, dtype=float)
    null = null[~np.isnan(null)]
    if len(null) == 0 or np.isnan(obs):
        return float("nan")
    tol = 1e-12 * max(1.0, abs(obs))
    below = np.sum(null < obs - tol)
    equal = np.sum(np.abs(null - obs) <= tol)
    return float((below + 0.5 * equal) / len(null))
