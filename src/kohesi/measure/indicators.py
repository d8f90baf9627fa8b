"""The indicator catalogue: importing this module registers every indicator, in flow order."""

from kohesi.measure import (  # noqa: F401
    communication,
    conflict,
    cooperation,
    durkheim,
    empathy,
    factors,
    grouptype,
    inclusion,
    interaction,
    justice,
    leadership,
    norms,
    solidarity,
    threats,
    trust,
)
