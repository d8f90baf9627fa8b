"""The ``@indicator`` registry: one source of truth for names, formulas, sources and metadata.

Every indicator is a function ``f(window, c) -> array`` where ``c`` has shape (B, n): member
multiplicities. ``c = 1`` is the observed group; a member-bootstrap replicate (Snijders &
Borgatti 1999) is a multinomial draw of ``c``, a member drawn k times counting as k copies that
keep its ties (copies of one member are not tied to each other). Writing each indicator once
over ``c`` gives the point value and all bootstrap replicates from the same code.

Calling a registered indicator with only a window returns the observed value as a float.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from kohesi.measure.params import ASPECTS, STAGES

__all__ = ["Indicator", "indicator", "REGISTRY", "NotAvailable", "get", "all_indicators"]

Proxy = Literal["validated", "plausible", "weak"]
Orientation = Literal["up", "down", "report"]
Null = Literal["rewire", "rewire_directed", "shuffle", "permute"] | None

FACTORS = ("intensity", "shared_goals", "norms", "leadership", "communication")
THREATS = ("transactional", "individualism", "shallow_online")
CONCEPTS = (
    *STAGES,
    *ASPECTS,
    "grouptype",
    "solidarity_type",
    *(f"factor:{f}" for f in FACTORS),
    *(f"threat:{t}" for t in THREATS),
)


class NotAvailable(Exception):
    """Raised by an indicator whose input data are missing (no reactions, no member attributes)."""


@dataclass(frozen=True, eq=False)
class Indicator:
    """A registered indicator and its metadata."""

    func: Callable[..., np.ndarray]
    name: str
    title: str
    range: tuple[float, float]
    orientation: Orientation
    proxy: Proxy
    source: str
    formula: str
    stage: str | None = None
    aspect: str | None = None
    tags: tuple[str, ...] = ()
    null: Null = None
    null_scored: bool = False
    bootstrap: bool = True
    module: str = ""
    doc: str = field(default="", repr=False)

    def __call__(self, w: Any, c: np.ndarray | None = None) -> Any:
        if c is None:
            return float(np.asarray(self.func(w, w.ones()), dtype=float)[0])
        return np.asarray(self.func(w, c), dtype=float)

    def score(self, value: np.ndarray, null: np.ndarray | None = None) -> np.ndarray:
        """Map values to [0, 1], higher = more cohesive; NaN for report-only indicators.

        Null-scored indicators use the mid-rank percentile of each value among the null
        samples (spec §3.2); bounded ones are rescaled by their range; ↓ ones are reversed.
        """
        v = np.asarray(value, dtype=float)
        if self.orientation == "report":
            return np.full_like(v, np.nan)
        if self.null_scored:
            if null is None or len(null) == 0:
                return np.full_like(v, np.nan)
            ns = np.sort(np.asarray(null, dtype=float))
            below = np.searchsorted(ns, v, side="left")
            upto = np.searchsorted(ns, v, side="right")
            s = (below + 0.5 * (upto - below)) / len(ns)
            s = np.where(np.isnan(v), np.nan, s)
        else:
            lo, hi = self.range
            s = v / (1.0 + v) if np.isinf(hi) else (v - lo) / (hi - lo)
        s = np.clip(s, 0.0, 1.0)
        return 1.0 - s if self.orientation == "down" else s

    @property
    def scored(self) -> bool:
        return self.orientation != "report"


REGISTRY: dict[str, Indicator] = {}


def indicator(
    *,
    title: str,
    range: tuple[float, float],  # noqa: A002
    proxy: Proxy,
    source: str,
    formula: str,
    orientation: Orientation = "up",
    stage: str | None = None,
    aspect: str | None = None,
    tags: tuple[str, ...] = (),
    null: Null = None,
    null_scored: bool = False,
    bootstrap: bool = True,
) -> Callable[[Callable[..., np.ndarray]], Callable[..., Any]]:
    """Register an indicator function ``f(window, c)`` with its metadata."""
    if stage is not None and stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    if aspect is not None and aspect not in ASPECTS:
        raise ValueError(f"unknown aspect {aspect!r}")
    for t in tags:
        if t not in CONCEPTS:
            raise ValueError(f"unknown tag {t!r}")

    def deco(func: Callable[..., np.ndarray]) -> Callable[..., Any]:
        name = func.__name__
        known = REGISTRY.get(name)
        if known is not None and known.func.__code__.co_filename != func.__code__.co_filename:
            raise ValueError(f"indicator {name!r} registered twice")
        ind = Indicator(
            func=func,
            name=name,
            title=title,
            range=range,
            orientation=orientation,
            proxy=proxy,
            source=source,
            formula=formula,
            stage=stage,
            aspect=aspect,
            tags=tags,
            null=null,
            null_scored=null_scored,
            bootstrap=bootstrap,
            module=func.__module__,
            doc=func.__doc__ or "",
        )
        REGISTRY.setdefault(name, ind)

        @functools.wraps(func)
        def observed(w: Any, c: np.ndarray | None = None) -> Any:
            return ind(w, c)

        observed.indicator = ind  # type: ignore[attr-defined]
        observed.func = func  # type: ignore[attr-defined]
        return observed

    return deco


def get(name: str) -> Indicator:
    """The registered indicator called ``name``."""
    _load()
    return REGISTRY[name]


MODULE_ORDER = (
    "interaction",
    "communication",
    "cooperation",
    "empathy",
    "norms",
    "solidarity",
    "trust",
    "inclusion",
    "conflict",
    "justice",
    "grouptype",
    "durkheim",
    "factors",
    "leadership",
    "threats",
)
"""Catalogue order: the solidarity flow, the five aspects, then profiles, factors and threats."""


def _rank(ind: Indicator) -> int:
    short = ind.module.rsplit(".", 1)[-1]
    return MODULE_ORDER.index(short) if short in MODULE_ORDER else len(MODULE_ORDER)


def all_indicators() -> list[Indicator]:
    """All registered indicators, in catalogue order (registration order within a module)."""
    _load()
    return sorted(REGISTRY.values(), key=_rank)


def _load() -> None:
    from kohesi.measure import indicators  # noqa: F401
