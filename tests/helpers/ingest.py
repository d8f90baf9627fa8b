"""Shared by the reader tests: read a file as the tests do, and show events by member name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import kohesi

SALT = b"t"
"""The pseudonymisation secret of the reader tests (ids are stable across runs)."""

MEMBER_COLUMNS = ("actor", "target")


def read(path, **kw) -> kohesi.EventLog:
    """``kohesi.read`` with UTC times, text and names kept, and the tests' secret."""
    return kohesi.read(path, **{"tz": "UTC", "keep_text": True, "keep_names": True, "salt": SALT, **kw})


def namer(log) -> Callable[[str | None], str | None]:
    """Member id → display name (``<not a member …>`` for an id the members table lacks)."""
    names = {m["actor"]: m["name"] for m in log.members.to_pylist()}
    return lambda a: None if a is None else names.get(a, f"<not a member {a}>")


def rows(log, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """The events as tuples of ``columns``, members (and mentioned members, sorted) by name."""
    nm = namer(log)

    def cell(r: dict, c: str) -> Any:
        if c in MEMBER_COLUMNS:
            return nm(r[c])
        if c == "mentions":
            return sorted((nm(a) for a in r[c] or ()), key=str)
        return r[c]

    return [tuple(cell(r, c) for c in columns) for r in log.events.to_pylist()]
