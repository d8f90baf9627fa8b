"""Bytes of a text export, checked for encoding and binary content."""

from __future__ import annotations

import codecs
import re
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa

from kohesi._numba import numba
from kohesi.errors import InputError

__all__ = ["decode_check", "check_utf8", "looks_binary", "repair_text", "line_list"]

_STRAY = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13)) + b"\x7f"
"""Control bytes that no chat text contains: NUL and the other C0 controls but tab, the line
ends and the vertical tab and form feed some messages carry."""
_BINARY_SHARE = 0.01
"""A file whose control bytes are more than this share of its first 64 KiB (and more than 8, or
more than a tenth of a short file) is binary, not text."""


def decode_check(data: bytes, path: str, stray_nul: bool = False) -> bytes:
    """UTF-8 bytes without BOM, or an :class:`InputError` saying why the file is not text.

    UTF-16 files (with BOM) are converted; NUL bytes mean a binary file, unless ``stray_nul``
    (a chat export: :func:`repair_text` removes a few NULs inside messages) and they are rare
    (see :func:`looks_binary`). Invalid UTF-8 is repaired or refused by :func:`repair_text`.
    """
    if not data or data.isspace():
        raise InputError(path, "file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"damaged UTF-16 text ({exc.reason})") from None
    if b"\x00" in data and (not stray_nul or looks_binary(data)):
        raise InputError(path, "binary file (contains NUL bytes), not a chat export")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    return data


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` is a binary file rather than text with a few stray bytes: more than 1% of
    its first 64 KiB are control bytes (images, archives and databases have far more)."""
    head = np.frombuffer(data[:65536], dtype=np.uint8)
    n, _ = _count(head, _KINDS)
    return n > max(8, _BINARY_SHARE * len(head)) or n > 0.1 * len(head)


_OTHER_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")

_KINDS = np.zeros(256, dtype=np.uint8)
_KINDS[list(_STRAY)] = 1
_KINDS[13] = 2
"""Per byte value: 1 a stray control byte, 2 CR, 0 anything else."""


@numba.njit(cache=True, nogil=True)
def _count(buf, kinds):  # pragma: no cover - compiled
    """(stray control bytes, CRs) in ``buf``."""
    stray, cr = 0, 0
    for c in buf:
        k = kinds[c]
        stray += k == 1
        cr += k == 2
    return stray, cr


@numba.njit(cache=True, nogil=True)
def _compact(buf, kinds, out):  # pragma: no cover - compiled
    """Copy ``buf`` into ``out`` without stray control bytes, CRLF as LF and a lone CR as LF;
    return the length written. The runs between those bytes are copied whole."""
    n, run = 0, 0
    last = len(buf) - 1
    for i in range(len(buf)):
        k = kinds[buf[i]]
        if k == 0:
            continue
        size = i - run
        out[n:n + size] = buf[run:i]
        n += size
        run = i + 1
        if k == 2 and not (i < last and buf[i + 1] == 10):
            out[n] = 10
            n += 1
    size = len(buf) - run
    out[n:n + size] = buf[run:]
    return n + size


def _counts(buf: np.ndarray) -> tuple[int, int]:
    """:func:`_count` by two threads over halves of a large buffer."""
    if len(buf) < 1 << 20:
        return _count(buf, _KINDS)
    half = len(buf) // 2
    with ThreadPoolExecutor(2) as pool:
        (s1, c1), (s2, c2) = pool.map(lambda part: _count(part, _KINDS), (buf[:half], buf[half:]))
    return s1 + s2, c1 + c2


def _compacted(buf: np.ndarray) -> bytes:
    """:func:`_compact` of ``buf`` (iOS exports end every line with CR LF), by two threads over
    halves of a large buffer: each half is written in place, then the second moved up to the
    first's end. The halves meet after a byte that is no CR, so no CR LF pair is cut in two."""
    out = np.empty(len(buf), dtype=np.uint8)
    if len(buf) < 1 << 20:
        return out[:_compact(buf, _KINDS, out)].tobytes()
    half = len(buf) // 2
    while half < len(buf) and buf[half - 1] == 13:
        half += 1
    with ThreadPoolExecutor(2) as pool:
        n1, n2 = pool.map(lambda lo_hi: _compact(buf[lo_hi[0]:lo_hi[1]], _KINDS, out[lo_hi[0]:lo_hi[1]]),
                          ((0, half), (half, len(buf))))
    out[n1:n1 + n2] = out[half:half + n2]  # (numpy copies through a buffer where the two overlap)
    return out[:n1 + n2].tobytes()


def _first_lines(data: bytes, positions, k: int = 5) -> str:
    """The 1-based line numbers of the first byte ``positions`` (ascending) of ``data``, up to
    ``k`` distinct lines, as a phrase."""
    lines: list[int] = []
    line, at = 1, 0
    for pos in positions:
        line += data.count(b"\n", at, pos)
        at = pos
        if not lines or lines[-1] != line:
            lines.append(line)
            if len(lines) > k:
                break
    return line_list(lines, k)


def line_list(lines, k: int = 5) -> str:
    """``"line 4"`` or ``"lines 2, 4, 9…"`` (the first ``k`` of ``lines``) for a warning."""
    head = ", ".join(str(n) for n in lines[:k]) + ("…" if len(lines) > k else "")
    return ("line " if len(lines) == 1 else "lines ") + head


def repair_text(data: bytes, path: str, warnings: list[str]) -> bytes:
    """A text export with its stray bytes repaired, each repair counted in ``warnings``.

    - CR-only and mixed line endings become LF (a lone CR ends a line, as editors show it);
    - NUL and the other C0 control bytes of :data:`_STRAY` are removed (phones write them into a few
      real messages; no chat text contains them);
    - each invalid UTF-8 sequence becomes U+FFFD, the replacement character, as Python's
      ``errors="replace"`` does.

    Line numbers in the warnings are those of the file as it was. A clean file costs one scan.
    A file saved in another encoding is refused, naming the line of the first bad byte: one with
    more invalid sequences than one in a thousand lines (and over 20), or one with several where
    no character beyond ASCII is valid UTF-8 (Latin-1: every accented letter is invalid, while an
    export has emoji and direction marks besides a stray byte).
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    stray, cr = _counts(buf)
    if stray:
        where = np.flatnonzero(_KINDS[buf] == 1)
        warnings.append(f"{stray} control characters (NUL and the like) removed from message text: "
                        f"{_first_lines(data, where[:1000].tolist())}")
    if stray or cr:
        data = _compacted(buf)
    if not _valid_utf8(data):
        text = data.decode("utf-8", "replace")
        fixed = text.encode("utf-8")
        replaced = fixed.count("\ufffd".encode()) - data.count("\ufffd".encode())
        if replaced > max(20, data.count(b"\n") // 1000) or (replaced > 1 and not _OTHER_NON_ASCII.search(text)):
            raise _utf8_error(data, path)
        warnings.append(f"{replaced} invalid UTF-8 sequences replaced by U+FFFD: {_first_lines(data, _invalid_at(data))}")
        data = fixed
    return data


def check_utf8(data: bytes, path: str) -> bytes:
    """``data`` if it is valid UTF-8, else an :class:`InputError` naming the line of the first bad
    byte (a table saved in Latin-1 or Windows-1252 by a spreadsheet)."""
    if not _valid_utf8(data):
        raise _utf8_error(data, path)
    return data


def _invalid_at(data: bytes, k: int = 1000) -> list[int]:
    """Byte offsets of the first ``k`` invalid UTF-8 sequences of ``data``."""
    view, at, out = memoryview(data), 0, []
    while len(out) < k:
        try:
            codecs.utf_8_decode(view[at:], "strict", True)
            break
        except UnicodeDecodeError as exc:
            out.append(at + exc.start)
            at += exc.end
    return out


def _valid_utf8(data: bytes) -> bool:
    whole = pa.LargeStringArray.from_buffers(1, pa.py_buffer(np.array([0, len(data)], dtype=np.int64)),
                                             pa.py_buffer(data))
    try:
        whole.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _utf8_error(data: bytes, path: str) -> InputError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return InputError(
            path,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); exports are UTF-8, was the file re-saved in another encoding?",
            line=line,
        )
    return InputError(path, "cannot be split into lines")
