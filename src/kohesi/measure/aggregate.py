"""Aggregation: indicator scores → stage and aspect scores → overall cohesion index.

- Each scored indicator is oriented and mapped to [0, 1] (:meth:`Indicator.score`).
- Aspect (and stage) score = arithmetic mean of its available indicator scores (equal weights;
  substitutable within an aspect).
- Index = weighted geometric mean of the five aspect scores, each floored at ε = 0.01, so that
  strong trust cannot hide zero inclusion (UNDP HDI since 2010; OECD/JRC Handbook, Nardo et al.
  2008). Aspects with no available indicator are left out and the weights renormalised.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping

import numpy as np

from kohesi.measure.params import ASPECTS, STAGES
from kohesi.measure.registry import Indicator

__all__ = ["group_scores", "geometric_index", "arithmetic_index", "AGGREGATORS"]


def group_scores(
    scores: Mapping[str, np.ndarray], indicators: list[Indicator], by: str
) -> dict[str, np.ndarray]:
    """Mean score per aspect (``by="aspect"``) or per stage (``by="stage"``), per replicate.

    ``scores`` maps indicator name → replicate scores (R,); the first replicate is the
    observed value. A group whose indicators are all missing gets NaN.

    Examples
    --------
    >>> from kohesi.measure.registry import get
    >>> s = {"participation_rate": np.array([0.5]), "activity_equality": np.array([0.7])}
    >>> round(float(group_scores(s, [get("participation_rate"), get("activity_equality")], "aspect")["inclusion"][0]), 4)
    0.6
    """
    names = ASPECTS if by == "aspect" else STAGES
    out: dict[str, np.ndarray] = {}
    for g in names:
        members = [i.name for i in indicators if getattr(i, by) == g and i.scored and i.name in scores]
        if not members:
            continue
        stack = np.vstack([scores[m] for m in members])
        usable = ~np.isnan(stack[:, 0])
        if not usable.any():
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out[g] = np.nanmean(stack[usable], axis=0)
    return out


def geometric_index(aspects: Mapping[str, np.ndarray], weights: Mapping[str, float], floor: float = 0.01) -> np.ndarray:
    """Weighted geometric mean of aspect scores with floor ε.

    I = exp(Σ_a w_a ln max(s_a, ε) / Σ_a w_a), over aspects with a score.

    Examples
    --------
    >>> a = {"trust_norms": np.array([0.81]), "inclusion": np.array([0.25])}
    >>> round(float(geometric_index(a, {"trust_norms": 1, "inclusion": 1})[0]), 4)
    0.45
    >>> round(float(geometric_index({"trust_norms": np.array([1.0]), "inclusion": np.array([0.0])},
    ...                             {"trust_norms": 1, "inclusion": 1})[0]), 4)
    0.1
    """
    keys = [a for a in aspects if weights.get(a, 0.0) > 0]
    if not keys:
        return np.array([np.nan])
    w = np.array([weights[a] for a in keys], dtype=float)
    s = np.vstack([aspects[a] for a in keys])
    s = np.where(np.isnan(s), np.nan, np.maximum(s, floor))
    lw = np.where(np.isnan(s), 0.0, w[:, None])
    with np.errstate(all="ignore"):
        return np.exp(np.nansum(lw * np.log(s), axis=0) / lw.sum(axis=0))


def arithmetic_index(aspects: Mapping[str, np.ndarray], weights: Mapping[str, float], floor: float = 0.01) -> np.ndarray:
    """Weighted arithmetic mean of aspect scores (fully compensatory; for sensitivity checks).

    Examples
    --------
    >>> round(float(arithmetic_index({"trust_norms": np.array([1.0]), "inclusion": np.array([0.0])},
    ...                              {"trust_norms": 1, "inclusion": 1})[0]), 4)
    0.5
    """
    keys = [a for a in aspects if weights.get(a, 0.0) > 0]
    if not keys:
        return np.array([np.nan])
    w = np.array([weights[a] for a in keys], dtype=float)
    s = np.vstack([aspects[a] for a in keys])
    lw = np.where(np.isnan(s), 0.0, w[:, None])
    with np.errstate(all="ignore"):
        return np.nansum(lw * s, axis=0) / lw.sum(axis=0)


AGGREGATORS = {"geometric": geometric_index, "arithmetic": arithmetic_index}
