"""Measurement core: one group's canonical events → a :class:`Profile` of documented indicators.

Usage::

    from kohesi.measure import measure, MeasureParams, Profile
    profile = measure(events, window="7D", params=MeasureParams(), bootstrap=200, seed=0)
    profile.to_frame(); profile.index; profile.aspects; profile.members; profile.factions

Indicators live in one module per concept (interaction, communication, cooperation, empathy,
norms, solidarity, trust, inclusion, conflict, justice, grouptype, durkheim, factors,
leadership, threats) and are registered with their metadata in :mod:`kohesi.measure.registry`.
"""

from kohesi.measure.change import change
from kohesi.measure.core import measure
from kohesi.measure.members import Factions, find_factions
from kohesi.measure.params import ASPECTS, STAGES, MeasureParams
from kohesi.measure.profile import Profile
from kohesi.measure.registry import (
    REGISTRY,
    Indicator,
    NotAvailable,
    all_indicators,
    get,
    indicator,
)

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
]
