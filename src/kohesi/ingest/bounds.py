"""Bounds on what a reader parses, checked before the parser sees the bytes.

A parser fed a hostile file can exhaust the stack or memory long before it finds anything wrong:
JSON nested a thousand levels deep crashes recursive decoders (and made polars' JSON-lines reader
allocate gigabytes), a 100,000-digit number costs quadratic time to convert, and a 50 MB line
is one CSV field nobody typed. Real exports stay far inside these bounds (Telegram and Slack
messages nest under ten levels; ids and timestamps have under 20 digits; chat apps cap a message
at 4,096–65,536 characters), so a file past one is refused with a one-line error naming the
file, the line and the bound.

:func:`json_bounds` is one compiled pass over the bytes (strings and escapes skipped, about
1.5 GB/s), so checking costs a small fraction of parsing.
"""

from __future__ import annotations

import numpy as np

from kohesi._numba import numba
from kohesi.errors import InputError

__all__ = ["MAX_DEPTH", "MAX_NUMBER", "MAX_LINE", "json_bounds", "bound_reason", "check_json", "check_lines",
           "line_of"]

MAX_DEPTH = 64
"""Deepest nesting of JSON arrays and objects read."""

MAX_NUMBER = 40
"""Most characters in one JSON number (a 64-bit id has 20; a double written out in full, 24)."""

MAX_LINE = 4 * 1024**2
"""Longest line of a CSV or JSON-lines table, in bytes."""

OK, TOO_DEEP, NUMBER_TOO_LONG = 0, 1, 2


@numba.njit(cache=True, nogil=True)
def json_bounds(buf, max_depth, max_number, lines):  # pragma: no cover - compiled
    """``(status, position)`` of the first place where ``buf`` nests deeper than ``max_depth``
    (status 1) or holds a number longer than ``max_number`` characters (status 2); ``(0, -1)``
    when it does neither. Strings are skipped with their escapes. With ``lines``, a newline
    outside a string ends a document (JSON lines), so an unbalanced line cannot deepen the next.
    """
    n = buf.shape[0]
    depth = 0
    run = 0
    i = 0
    while i < n:
        b = buf[i]
        if b == 0x22:
            i += 1
            while i < n:
                c = buf[i]
                if c == 0x5C:
                    i += 2
                    continue
                if c == 0x22:
                    break
                if lines and c == 0x0A:  # an unterminated string ends with its line
                    break
                i += 1
            if i < n and buf[i] == 0x0A:
                depth = 0
            i += 1
            run = 0
            continue
        if b == 0x7B or b == 0x5B:
            depth += 1
            if depth > max_depth:
                return 1, i
        elif b == 0x7D or b == 0x5D:
            depth -= 1
        elif lines and b == 0x0A:
            depth = 0
        if (0x30 <= b <= 0x39) or b == 0x2D or b == 0x2B or b == 0x2E or b == 0x65 or b == 0x45:
            run += 1
            if run > max_number:
                return 2, i - max_number
        else:
            run = 0
        i += 1
    return 0, -1


def bound_reason(status: int, pos: int) -> str:
    """What a :func:`json_bounds` status at byte ``pos`` means, naming the bound."""
    if status == TOO_DEEP:
        return f"JSON nested deeper than {MAX_DEPTH} levels at byte {pos} (kohesi reads at most {MAX_DEPTH})"
    return f"a JSON number longer than {MAX_NUMBER} characters at byte {pos} (kohesi reads at most {MAX_NUMBER})"


def line_of(data: bytes | bytearray | memoryview, pos: int) -> int:
    """1-based line number of byte ``pos``."""
    arr = np.frombuffer(data, np.uint8, count=min(pos, len(data)))
    return int(np.count_nonzero(arr == 0x0A)) + 1


def check_json(data: bytes | bytearray | memoryview, path: str, *, lines: bool = False) -> None:
    """Raise :class:`InputError` naming ``path``, the line and the bound when the JSON (or, with
    ``lines``, JSON-lines) document ``data`` nests too deeply or holds a too-long number."""
    status, pos = json_bounds(np.frombuffer(data, np.uint8), MAX_DEPTH, MAX_NUMBER, lines)
    if status != OK:
        raise InputError(path, bound_reason(status, pos), line=line_of(data, pos))


def check_lines(data: bytes | bytearray | memoryview, path: str, limit: int = MAX_LINE) -> None:
    """Raise :class:`InputError` naming the first line of ``data`` longer than ``limit`` bytes."""
    if len(data) <= limit:
        return
    arr = np.frombuffer(data, np.uint8)
    cuts = np.flatnonzero(arr == 0x0A)
    bounds = np.concatenate(([-1], cuts, [len(arr)]))
    long = np.flatnonzero(np.diff(bounds) - 1 > limit)
    if len(long):
        k = int(long[0])
        length = int(bounds[k + 1] - bounds[k] - 1)
        raise InputError(path, f"line is {length:,} bytes long; kohesi reads table lines of at most {limit:,} bytes",
                         line=k + 1)
