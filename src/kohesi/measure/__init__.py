"""Measurement core: one group's canonical events → a :class:`Profile` of documented indicators.

Usage::

    from kohesi.measure import measure, MeasureParams, Profile
    profile = measure(events, window="7D", params=MeasureParams(), bootstrap=200, seed=0)
    profile.to_frame(); profile.index; profile.aspects; profile.members; profile.factions

Indicators live in one module per concept, listed in :mod:`kohesi.measure.catalogue`, and are
registered with their metadata by :func:`kohesi.measure.registry.indicator`. What makes the
numbers valid — absence as evidence, the evidence rule, size-fair corrections, edge-free
windows in local time, member-bootstrap intervals — is set out in ``docs/validity.md``.
"""

from kohesi.measure.catalogue import all_indicators, get
from kohesi.measure.change import change
from kohesi.measure.core import measure
from kohesi.measure.members import Factions, find_factions
from kohesi.measure.params import ASPECTS, STAGES, MeasureParams
from kohesi.measure.profile import Profile
from kohesi.measure.registry import REGISTRY, Indicator, NotAvailable, indicator
from kohesi.measure.windows import WindowSpec, window_spec

__all__ = [
    "measure",
    "MeasureParams",
    "Profile",
    "change",
    "Factions",
    "find_factions",
    "ASPECTS",
    "STAGES",
    "REGISTRY",
    "Indicator",
    "NotAvailable",
    "all_indicators",
    "get",
    "indicator",
    "WindowSpec",
    "window_spec",
]
