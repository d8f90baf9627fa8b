"""Bytes of a text export, checked for encoding and binary content."""

from __future__ import annotations

import codecs
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
import pyarrow as pa

from kohesi.errors import InputError

__all__ = ["decode_check", "looks_binary", "repair_text"]

_STRAY = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13)) + b"\x7f"
"""Control bytes that no chat text contains: NUL and the other C0 controls but tab, the line
ends and the vertical tab and form feed some messages carry."""
_BINARY_SHARE = 0.01
"""A file whose control bytes are more than this share of its first 64 KiB (and more than 8)
is binary, not text."""


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
    head = data[:65536]
    return len(head) - len(head.translate(None, _STRAY)) > max(8, _BINARY_SHARE * len(head))


_STRAY_TABLE = np.zeros(256, dtype=np.uint8)
_STRAY_TABLE[list(_STRAY)] = 1


@numba.njit(cache=True, nogil=True)
def _count_stray(buf, table):  # pragma: no cover - compiled
    n = 0
    for c in buf:
        n += table[c]
    return n


def _has_stray(buf: np.ndarray) -> bool:
    """Whether ``buf`` holds a control byte of :data:`_STRAY` (two threads over halves)."""
    if len(buf) < 1 << 20:
        return _count_stray(buf, _STRAY_TABLE) > 0
    half = len(buf) // 2
    with ThreadPoolExecutor(2) as pool:
        return sum(pool.map(lambda part: _count_stray(part, _STRAY_TABLE), (buf[:half], buf[half:]))) > 0


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
    A file with more invalid sequences than one in a thousand lines (and over 20) was saved in
    another encoding: it is refused, naming the line of the first bad byte.
    """
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            data = data.replace(b"\r", b"\n")
    buf = np.frombuffer(data, dtype=np.uint8)
    if _has_stray(buf):
        where = np.flatnonzero(_STRAY_TABLE[buf])
        warnings.append(f"{len(where)} control characters (NUL and the like) removed from message text: "
                        f"{_first_lines(data, where[:1000].tolist())}")
        data = data.translate(None, _STRAY)
    if not _valid_utf8(data):
        fixed = data.decode("utf-8", "replace").encode("utf-8")
        replaced = fixed.count("\ufffd".encode()) - data.count("\ufffd".encode())
        if replaced > max(20, data.count(b"\n") // 1000):
            raise _utf8_error(data, path)
        warnings.append(f"{replaced} invalid UTF-8 sequences replaced by U+FFFD: {_first_lines(data, _invalid_at(data))}")
        data = fixed
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
