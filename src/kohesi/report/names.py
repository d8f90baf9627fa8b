"""The names of the report's aspects and stages, as message ids (translated where they are shown)."""

from __future__ import annotations

__all__ = ["ASPECT_NAMES", "STAGE_NAMES"]


def _n(s: str) -> str:
    """Mark a message id for extraction; translated at render time."""
    return s


ASPECT_NAMES = {
    "trust_norms": _n("Trust & shared norms"),
    "belonging": _n("Identity & belonging"),
    "inclusion": _n("Inclusion & participation"),
    "conflict": _n("Conflict resolution"),
    "justice": _n("Social justice"),
}
STAGE_NAMES = {
    "interaction": _n("Interaction"),
    "communication": _n("Communication"),
    "cooperation": _n("Cooperation"),
    "empathy": _n("Empathy"),
    "norms": _n("Shared norms"),
    "solidarity": _n("Solidarity"),
}
