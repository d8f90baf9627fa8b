"""The vocabulary of communicative acts and its bitmask form."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["ACTS", "ACT_BIT", "act_mask", "acts_from_mask"]

ACTS: tuple[str, ...] = (
    "help_request", "help_offer", "thanks", "apology", "distress", "sympathy", "congratulation",
    "welcome", "agreement", "disagreement", "hostility", "norm_reminder", "activity_call", "signup",
)
"""Every act, in the order tags are listed. Definitions and examples: ``docs/acts.md``."""

ACT_BIT: dict[str, int] = {a: 1 << i for i, a in enumerate(ACTS)}


def act_mask(acts: Iterable[str]) -> int:
    """The bitmask of a list of act names (bit ``i`` is ``ACTS[i]``)."""
    m = 0
    for a in acts:
        m |= ACT_BIT[a]
    return m


def acts_from_mask(mask: int) -> list[str]:
    """Act names of a bitmask, in :data:`ACTS` order."""
    return [a for i, a in enumerate(ACTS) if mask >> i & 1]
