"""The ``@indicator`` decorator: one source of truth for names, formulas, sources and metadata.

Every indicator is a function ``f(window, c) -> array`` where ``c`` has shape (B, n): member
multiplicities. ``c = 1`` is the observed group; a member-bootstrap replicate (Snijders &
Borgatti 1999) is a draw of ``c``, a member drawn k times counting as k copies that keep its
ties (copies of one member are not tied to each other). Writing each indicator once over ``c``
gives the point value and all bootstrap replicates from the same code.

Calling a registered indicator with only a window returns the observed value as a float. This
module only defines and collects indicators; :mod:`kohesi.measure.catalogue` imports the
modules that register them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from kohesi.events import CAPABILITIES
from kohesi.measure.params import ASPECTS, STAGES

__all__ = ["Indicator", "indicator", "REGISTRY", "NotAvailable", "FACTORS", "THREATS", "CONCEPTS"]

Proxy = Literal["validated", "plausible", "weak"]
Orientation = Literal["up", "down", "report"]
Null = Literal["rewire", "rewire_directed", "shuffle", "permute"] | None
Scoring = Literal["range", "excess", "half"]

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

_CAP_WORDS = {
    "reply": "who answers whom", "mention": "mentions", "reaction": "reactions",
    "membership": "joins and leaves", "deletion": "deleted messages", "activity": "shared activities",
    "text": "message text",
}


class NotAvailable(Exception):
    """Raised by an indicator that cannot be measured here: the source cannot record what it
    needs, or the window lacks what it compares against (no next window, no member attribute)."""


@dataclass(frozen=True, eq=False)
class Indicator:
    """A registered indicator and its metadata.

    ``needs`` lists the capabilities the source must have (``"reply|mention"``: either one);
    without them the indicator is not available. ``scoring`` maps values to [0, 1]:
    ``range`` rescales by ``range`` (``v/(1+v)`` for an open range), ``excess`` measures the
    value beyond its null-model mean, ``(v − μ₀)/(max − μ₀)``, and ``half`` is ``h/(h + v)``
    for a rate where ``h`` halves the score. ``core`` marks the indicator an aspect cannot be
    scored without (see :mod:`kohesi.measure.aggregate`); ``also`` names further aspects the
    indicator counts in. ``null_max`` caps the null samples of
    an indicator that is costly to recompute on each (a community detection); ``score_range``
    replaces ``range`` for scoring (values outside it are clipped).
    """

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
    also: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    null: Null = None
    scoring: Scoring = "range"
    half: float | None = None
    needs: tuple[str, ...] = ()
    core: bool = False
    null_max: int | None = None
    score_range: tuple[float, float] | None = None
    bootstrap: bool = True
    module: str = ""
    doc: str = field(default="", repr=False)

    def __call__(self, w: Any, c: np.ndarray | None = None) -> Any:
        self.check(w)
        if c is None:
            return float(np.asarray(self.func(w, w.ones()), dtype=float)[0])
        return np.asarray(self.func(w, c), dtype=float)

    def missing(self, caps: frozenset[str] | set[str]) -> str | None:
        """Why a source with capabilities ``caps`` cannot measure this indicator (None: it can)."""
        for need in self.needs:
            alts = need.split("|")
            if not any(a in caps for a in alts):
                return "the source cannot record " + " or ".join(_CAP_WORDS[a] for a in alts)
        return None

    def check(self, w: Any) -> None:
        """Raise :class:`NotAvailable` when the window's source cannot record what this needs."""
        why = self.missing(w.caps)
        if why:
            raise NotAvailable(why)

    def score(self, value: np.ndarray, null_mean: float | None = None) -> np.ndarray:
        """Map values to [0, 1], higher = more cohesive; NaN for report-only indicators.

        ``excess`` scoring needs the null-model mean μ₀ of the window; where the null leaves no
        room above it (μ₀ = max, e.g. a complete graph that cannot be rewired) a value at the
        maximum scores 1.
        """
        v = np.asarray(value, dtype=float)
        if self.orientation == "report":
            return np.full_like(v, np.nan)
        lo, hi = self.score_range or self.range
        if self.scoring == "excess":
            if null_mean is None or not np.isfinite(null_mean):
                return np.full_like(v, np.nan)
            room = hi - null_mean
            with np.errstate(all="ignore"):
                s = np.where(room > 1e-9, (v - null_mean) / room, np.where(v >= hi - 1e-9, 1.0, 0.0))
        elif self.scoring == "half":
            s = self.half / (self.half + np.maximum(v, 0.0))
            s = 1.0 - s  # the rate itself, on [0, 1): the orientation below reverses it
        else:
            s = v / (1.0 + v) if np.isinf(hi) else (v - lo) / (hi - lo)
        s = np.where(np.isnan(v), np.nan, np.clip(s, 0.0, 1.0))
        return 1.0 - s if self.orientation == "down" else s

    @property
    def scored(self) -> bool:
        return self.orientation != "report"

    @property
    def aspects(self) -> tuple[str, ...]:
        """Every aspect the indicator counts in."""
        return tuple(a for a in (self.aspect, *self.also) if a is not None)


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
    also: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    null: Null = None,
    scoring: Scoring = "range",
    half: float | None = None,
    needs: tuple[str, ...] = (),
    core: bool = False,
    null_max: int | None = None,
    score_range: tuple[float, float] | None = None,
    bootstrap: bool = True,
) -> Callable[[Callable[..., np.ndarray]], Callable[..., Any]]:
    """Register an indicator function ``f(window, c)`` with its metadata."""
    if stage is not None and stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    for a in (aspect, *also):
        if a is not None and a not in ASPECTS:
            raise ValueError(f"unknown aspect {a!r}")
    for t in tags:
        if t not in CONCEPTS:
            raise ValueError(f"unknown tag {t!r}")
    for need in needs:
        for alt in need.split("|"):
            if alt not in CAPABILITIES:
                raise ValueError(f"unknown capability {alt!r}")
    if scoring == "excess" and null is None:
        raise ValueError("excess scoring needs a null model")
    if scoring == "half" and not half:
        raise ValueError("half scoring needs half > 0")

    def deco(func: Callable[..., np.ndarray]) -> Callable[..., Any]:
        name = func.__name__
        known = REGISTRY.get(name)
        if known is not None and known.func.__code__.co_filename != func.__code__.co_filename:
            raise ValueError(f"indicator {name!r} registered twice")
        ind = Indicator(
            func=func, name=name, title=title, range=range, orientation=orientation, proxy=proxy,
            source=source, formula=formula, stage=stage, aspect=aspect, also=also, tags=tags, null=null,
            scoring=scoring, half=half, needs=needs, core=core, null_max=null_max,
            score_range=score_range, bootstrap=bootstrap,
            module=func.__module__, doc=func.__doc__ or "",
        )
        REGISTRY.setdefault(name, ind)

        @functools.wraps(func)
        def observed(w: Any, c: np.ndarray | None = None) -> Any:
            return ind(w, c)

        observed.indicator = ind  # type: ignore[attr-defined]
        observed.func = func  # type: ignore[attr-defined]
        return observed

    return deco
