"""Seeds of units of work: the same in every process, on every machine, whatever the order."""

from __future__ import annotations

import hashlib

import numpy as np

__all__ = ["stable_hash", "unit_seed"]


def stable_hash(key: str) -> int:
    """A 64-bit hash of ``key`` that is the same in every process and on every machine.

    Examples
    --------
    >>> stable_hash("rt05") == stable_hash("rt05"), stable_hash("rt05") == stable_hash("rt06")
    (True, False)
    """
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def unit_seed(seed: int, key: str) -> int:
    """The seed of one unit: ``SeedSequence([seed, stable_hash(key)])`` reduced to 32 bits.

    Depends only on the run's seed and the unit's key, so any executor gives the same value.

    Examples
    --------
    >>> unit_seed(0, "rt05") == unit_seed(0, "rt05"), unit_seed(0, "rt05") == unit_seed(1, "rt05")
    (True, False)
    """
    ss = np.random.SeedSequence([int(seed), stable_hash(key)])
    return int(ss.generate_state(1, np.uint32)[0])
