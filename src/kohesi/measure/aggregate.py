"""Aggregation: indicator scores → stage and aspect scores → the cohesion index, with evidence.

The rule, per window:

1. Each scored indicator is oriented and mapped to [0, 1] (:meth:`Indicator.score`).
2. An indicator is *applicable* when the group's source can record what it needs (WhatsApp
   cannot record reactions; a table may have no reply column) and *available* when it has a
   value in this window. What could have happened and did not is a value (nobody answered:
   responsiveness 0), not a gap.
3. An aspect (or stage) has **enough evidence** when its core indicator is available, or at
   least half of its applicable indicators are; its score is then the mean of its available
   indicator scores (equal weights; substitutable within an aspect). Otherwise it has no score,
   and says why.
4. The **index** is the weighted geometric mean of the five aspect scores, each floored at
   ε = 0.01, so that strong trust cannot hide zero inclusion (UNDP HDI since 2010; OECD/JRC
   Handbook, Nardo et al. 2008). It is given only when *every* aspect has enough evidence: an
   aspect without evidence is never dropped and the rest re-weighted.

Whole-period values, the minimum evidence for a verdict and the windows that carry none are
decided in :mod:`kohesi.measure.core`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from kohesi.measure.params import ASPECTS, STAGES
from kohesi.measure.registry import Indicator

__all__ = ["Evidence", "group_scores", "geometric_index", "arithmetic_index", "AGGREGATORS"]


@dataclass(frozen=True)
class Evidence:
    """What an aspect or stage score rests on in one window."""

    available: tuple[str, ...]
    applicable: tuple[str, ...]
    core: str | None
    enough: bool
    reason: str | None = None


def _evidence(members: list[Indicator], applicable: set[str], available: set[str]) -> Evidence:
    appl = tuple(i.name for i in members if i.name in applicable)
    avail = tuple(i.name for i in members if i.name in available)
    core = next((i.name for i in members if i.core), None)
    if not appl:
        return Evidence(avail, appl, core, False, "the source cannot record any of its indicators")
    if not avail:
        return Evidence(avail, appl, core, False, "none of its indicators could be measured in this window")
    if core is not None and core in avail:
        return Evidence(avail, appl, core, True)
    need = max(1, math.ceil(len(appl) / 2))
    if len(avail) >= need:
        return Evidence(avail, appl, core, True)
    missing = f"its core indicator {core} is missing and " if core in appl else ""
    return Evidence(avail, appl, core, False, f"{missing}only {len(avail)} of {len(appl)} indicators were measured")


def group_scores(
    scores: Mapping[str, np.ndarray], indicators: list[Indicator], by: str, applicable: set[str] | None = None,
) -> dict[str, tuple[np.ndarray, Evidence]]:
    """Score and evidence per aspect (``by="aspect"``) or per stage (``by="stage"``).

    ``scores`` maps indicator name → replicate scores (R,), the first replicate being the
    observed value; an indicator is available when its observed score is finite. ``applicable``
    names the indicators the source can measure (default: every one in ``scores``). A group
    without enough evidence gets NaN.

    Examples
    --------
    >>> from kohesi.measure.catalogue import get
    >>> inds = [get(n) for n in ("participation_rate", "activity_equality", "coverage")]
    >>> s = {"participation_rate": np.array([0.5]), "activity_equality": np.array([0.7]),
    ...      "coverage": np.array([np.nan])}
    >>> v, ev = group_scores(s, inds, "aspect")["inclusion"]
    >>> round(float(v[0]), 4), ev.enough, ev.available
    (0.6, True, ('participation_rate', 'activity_equality'))
    """
    names = ASPECTS if by == "aspect" else STAGES
    applicable = set(scores) if applicable is None else applicable
    out: dict[str, tuple[np.ndarray, Evidence]] = {}
    for g in names:
        members = [i for i in indicators if i.scored and (g in i.aspects if by == "aspect" else i.stage == g)]
        if not members:
            continue
        available = {i.name for i in members if i.name in scores and np.isfinite(scores[i.name][0])}
        ev = _evidence(members, applicable, available)
        reps = len(next(iter(scores.values()))) if scores else 1
        if not ev.enough:
            out[g] = (np.full(reps, np.nan), ev)
            continue
        stack = np.vstack([scores[m] for m in ev.available])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out[g] = (np.nanmean(stack, axis=0), ev)
    return out


def geometric_index(aspects: Mapping[str, np.ndarray], weights: Mapping[str, float], floor: float = 0.01) -> np.ndarray:
    """Weighted geometric mean of aspect scores with floor ε; NaN where any weighted aspect is.

    I = exp(Σ_a w_a ln max(s_a, ε) / Σ_a w_a).

    Examples
    --------
    >>> a = {"trust_norms": np.array([0.81]), "inclusion": np.array([0.25])}
    >>> round(float(geometric_index(a, {"trust_norms": 1, "inclusion": 1})[0]), 4)
    0.45
    >>> round(float(geometric_index({"trust_norms": np.array([1.0]), "inclusion": np.array([0.0])},
    ...                             {"trust_norms": 1, "inclusion": 1})[0]), 4)
    0.1
    >>> float(geometric_index({"trust_norms": np.array([1.0]), "inclusion": np.array([np.nan])},
    ...                       {"trust_norms": 1, "inclusion": 1})[0])
    nan
    """
    keys = [a for a in aspects if weights.get(a, 0.0) > 0]
    if not keys:
        return np.array([np.nan])
    w = np.array([weights[a] for a in keys], dtype=float)
    s = np.maximum(np.vstack([aspects[a] for a in keys]), floor)
    with np.errstate(all="ignore"):
        return np.exp((w[:, None] * np.log(s)).sum(axis=0) / w.sum())


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
    return (w[:, None] * s).sum(axis=0) / w.sum()


AGGREGATORS = {"geometric": geometric_index, "arithmetic": arithmetic_index}
