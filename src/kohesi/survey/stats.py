"""Reliability and agreement statistics on plain numpy arrays (rows = respondents, columns = items).

Only numpy is used. Every function takes already reverse-keyed responses.

* Cronbach's α = k/(k − 1) · (1 − Σ s²_i / s²_X) with sample (n − 1) variances.
* McDonald's ω total from a one-factor model of the item **correlation** matrix, fitted by iterated principal-axis
  factoring: start from squared multiple correlations, put the communalities on the diagonal, take the first
  eigenvector λ = v₁·√e₁, set communalities to λ², repeat until they change by < 1e-9. The fixed point is the
  minres / unweighted-least-squares solution (what ``psych::fa(fm = "minres")`` fits). Communalities are capped at
  0.995 (Heywood cases). ω = (Σλ)² / ((Σλ)² + Σ(1 − λ²)): the reliability of the sum of standardised items.
  Needs k ≥ 3 (with two items a one-factor model is not identified).
* Item–rest correlation: Pearson r of an item with the sum of the other items.
* r_wg(j) (James, Demaree & Wolf 1984): J(1 − s̄²/σ²_E) / [J(1 − s̄²/σ²_E) + s̄²/σ²_E], s̄² = mean within-group item
  variance, σ²_E = (A² − 1)/12; set to 0 when s̄² ≥ σ²_E.
* ICC(1) = (MSB − MSW)/(MSB + (k̄ − 1)·MSW) and ICC(2) = (MSB − MSW)/MSB from a one-way ANOVA of the scores on the
  groups, k̄ = N/G, the mean group size (as in Bliese's ``multilevel`` R package). Not truncated at 0.

>>> import numpy as np
>>> x = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 4]], float)
>>> round(cronbach_alpha(x), 4)
0.9485
>>> round(rwg_j(np.array([[4, 4], [5, 4], [4, 5]], float), null_variance=2.0), 4)
0.9091
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["cronbach_alpha", "omega_total", "item_rest", "alpha_if_deleted", "bootstrap_ci", "rwg_j",
           "one_way_icc"]

_MAX_H2 = 0.995


def _cov(x: np.ndarray) -> np.ndarray:
    """Sample covariance of the last two axes (..., n, k) → (..., k, k)."""
    xc = x - x.mean(axis=-2, keepdims=True)
    return np.einsum("...ni,...nj->...ij", xc, xc) / (x.shape[-2] - 1)


def _alpha_from_cov(c: np.ndarray) -> np.ndarray:
    k = c.shape[-1]
    total = c.sum(axis=(-2, -1))
    trace = np.trace(c, axis1=-2, axis2=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return k / (k - 1) * (1 - trace / total)


def cronbach_alpha(x: np.ndarray) -> float:
    """Cronbach's α of complete rows ``x`` (n × k); NaN when k < 2 or the total has no variance."""
    x = np.asarray(x, float)
    if x.ndim != 2 or x.shape[1] < 2 or x.shape[0] < 2:
        return math.nan
    return float(_alpha_from_cov(_cov(x)))


def _corr_from_cov(c: np.ndarray) -> np.ndarray:
    d = np.sqrt(np.diagonal(c, axis1=-2, axis2=-1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return c / (d[..., :, None] * d[..., None, :])


def _one_factor(r: np.ndarray, tol: float = 1e-9, max_iter: int = 2000) -> np.ndarray:
    """Loadings (..., k) of a one-factor minres solution by iterated principal axes on correlation matrices r."""
    k = r.shape[-1]
    eye = np.eye(k, dtype=bool)
    try:
        h2 = 1 - 1 / np.diagonal(np.linalg.inv(r), axis1=-2, axis2=-1)
    except np.linalg.LinAlgError:
        h2 = np.max(np.abs(np.where(eye, 0, r)), axis=-1)
    h2 = np.clip(np.nan_to_num(h2, nan=0.5), 0.0, _MAX_H2)
    lam = np.sqrt(h2)
    for _ in range(max_iter):
        rr = np.where(eye, h2[..., None, :] * eye, r)
        w, v = np.linalg.eigh(rr)
        lam = v[..., :, -1] * np.sqrt(np.clip(w[..., -1], 0, None))[..., None]
        new = np.clip(lam**2, 0.0, _MAX_H2)
        done = np.max(np.abs(new - h2)) < tol
        h2 = new
        if done:
            break
    sign = np.where(lam.sum(axis=-1) < 0, -1.0, 1.0)
    return np.clip(lam * sign[..., None], -math.sqrt(_MAX_H2), math.sqrt(_MAX_H2))


def _omega_from_loadings(lam: np.ndarray) -> np.ndarray:
    lam = np.clip(lam, -math.sqrt(_MAX_H2), math.sqrt(_MAX_H2))
    common = lam.sum(axis=-1) ** 2
    return common / (common + (1 - lam**2).sum(axis=-1))


def omega_total(x: np.ndarray) -> tuple[float, np.ndarray]:
    """McDonald's ω total and the standardised one-factor loadings of complete rows ``x`` (n × k, k ≥ 3)."""
    x = np.asarray(x, float)
    if x.ndim != 2 or x.shape[1] < 3 or x.shape[0] < 3:
        return math.nan, np.full(x.shape[-1] if x.ndim == 2 else 0, np.nan)
    r = _corr_from_cov(_cov(x))
    if not np.all(np.isfinite(r)):
        return math.nan, np.full(x.shape[1], np.nan)
    lam = _one_factor(r)
    return float(_omega_from_loadings(lam)), lam


def item_rest(x: np.ndarray) -> np.ndarray:
    """Correlation of each item with the sum of the other items (complete rows)."""
    x = np.asarray(x, float)
    k = x.shape[1]
    out = np.full(k, np.nan)
    if k < 2 or x.shape[0] < 3:
        return out
    total = x.sum(axis=1)
    for i in range(k):
        a, b = x[:, i], total - x[:, i]
        if a.std() > 0 and b.std() > 0:
            out[i] = float(np.corrcoef(a, b)[0, 1])
    return out


def alpha_if_deleted(x: np.ndarray) -> np.ndarray:
    """Cronbach's α of the scale without each item in turn."""
    x = np.asarray(x, float)
    k = x.shape[1]
    return np.array([cronbach_alpha(np.delete(x, i, axis=1)) if k > 2 else math.nan for i in range(k)])


def bootstrap_ci(x: np.ndarray, *, n_boot: int = 1000, level: float = 0.95, seed: int = 0,
                 omega: bool = True) -> dict[str, float]:
    """Percentile bootstrap intervals for α and ω: resample respondents (rows) ``n_boot`` times, seeded.

    Returns ``alpha_lo``, ``alpha_hi``, ``omega_lo``, ``omega_hi`` (NaN where undefined).
    """
    x = np.asarray(x, float)
    n, k = x.shape
    out = dict.fromkeys(("alpha_lo", "alpha_hi", "omega_lo", "omega_hi"), math.nan)
    if n < 3 or k < 2 or n_boot < 10:
        return out
    rng = np.random.default_rng(seed)
    alphas, omegas = [], []
    chunk = max(1, min(n_boot, 2_000_000 // max(1, n * k)))
    done = 0
    while done < n_boot:
        b = min(chunk, n_boot - done)
        idx = rng.integers(0, n, size=(b, n))
        c = _cov(x[idx])
        alphas.append(_alpha_from_cov(c))
        if omega and k >= 3:
            r = _corr_from_cov(c)
            ok = np.all(np.isfinite(r), axis=(-2, -1))
            om = np.full(b, np.nan)
            if ok.any():
                om[ok] = _omega_from_loadings(_one_factor(r[ok]))
            omegas.append(om)
        done += b
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    a = np.concatenate(alphas)
    a = a[np.isfinite(a)]
    if a.size:
        out["alpha_lo"], out["alpha_hi"] = (float(v) for v in np.percentile(a, q))
    if omegas:
        o = np.concatenate(omegas)
        o = o[np.isfinite(o)]
        if o.size:
            out["omega_lo"], out["omega_hi"] = (float(v) for v in np.percentile(o, q))
    return out


def rwg_j(x: np.ndarray, null_variance: float) -> float:
    """r_wg(j) of one group's responses ``x`` (respondents × J items, NaN = not answered).

    s̄² is the mean over items of the sample (n − 1) variance of the answers to that item; items with fewer than two
    answers are skipped. Truncation rule: 0 when s̄² ≥ σ²_E.
    """
    x = np.asarray(x, float)
    if x.ndim == 1:
        x = x[:, None]
    j = x.shape[1]
    variances = []
    for col in x.T:
        v = col[np.isfinite(col)]
        if v.size >= 2:
            variances.append(float(np.var(v, ddof=1)))
    if not variances:
        return math.nan
    ratio = float(np.mean(variances)) / null_variance
    if ratio >= 1:
        return 0.0
    return j * (1 - ratio) / (j * (1 - ratio) + ratio)


def one_way_icc(y: np.ndarray, groups: np.ndarray) -> dict[str, float]:
    """ICC(1), ICC(2), MSB, MSW, F and k̄ from a one-way ANOVA of ``y`` on ``groups`` (Bliese 2000)."""
    y = np.asarray(y, float)
    groups = np.asarray(groups)
    keep = np.isfinite(y)
    y, groups = y[keep], groups[keep]
    labels, inv = np.unique(groups, return_inverse=True)
    g, n = labels.size, y.size
    nan = dict.fromkeys(("icc1", "icc2", "msb", "msw", "f", "k_mean"), math.nan) | {"n": n, "n_groups": g}
    if g < 2 or n - g < 1:
        return nan
    sizes = np.bincount(inv)
    means = np.bincount(inv, weights=y) / sizes
    grand = y.mean()
    msb = float((sizes * (means - grand) ** 2).sum() / (g - 1))
    msw = float(((y - means[inv]) ** 2).sum() / (n - g))
    k_mean = n / g
    out = {"msb": msb, "msw": msw, "k_mean": k_mean, "n": n, "n_groups": g}
    denom1 = msb + (k_mean - 1) * msw
    out["icc1"] = (msb - msw) / denom1 if denom1 > 0 else math.nan
    out["icc2"] = (msb - msw) / msb if msb > 0 else math.nan
    out["f"] = msb / msw if msw > 0 else math.inf
    return out
