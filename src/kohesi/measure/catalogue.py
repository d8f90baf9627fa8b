"""The indicator catalogue: the modules that register indicators, in the order they are shown.

The order follows the seeds: the solidarity flow (interaction → communication → cooperation →
empathy → shared norms → solidarity), the five cohesion aspects, then the group and solidarity
type, the factors, leadership and the threats. Importing this module imports them all; nothing
in those modules imports it back.
"""

from __future__ import annotations

import importlib

from kohesi.measure.registry import REGISTRY, Indicator

__all__ = ["MODULES", "all_indicators", "get"]

MODULES: tuple[str, ...] = (
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
"""Indicator modules of :mod:`kohesi.measure`, in catalogue order."""

for _m in MODULES:
    importlib.import_module(f"kohesi.measure.{_m}")


def _rank(ind: Indicator) -> int:
    short = ind.module.rsplit(".", 1)[-1]
    return MODULES.index(short) if short in MODULES else len(MODULES)


def all_indicators() -> list[Indicator]:
    """All registered indicators, in catalogue order (registration order within a module)."""
    return sorted(REGISTRY.values(), key=_rank)


def get(name: str) -> Indicator:
    """The registered indicator called ``name``.

    Examples
    --------
    >>> get("responsiveness").aspect
    'trust_norms'
    """
    return REGISTRY[name]
