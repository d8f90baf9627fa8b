"""Byte-level screens of message bodies: which end with a marker, which may be a placeholder.

Placeholder phrases ("<Media omitted>", "IMG-….jpg (file attached)") are whole bodies, so a body
can only be one if it starts with one of the phrases' prefixes or ends with one of their suffixes
(:attr:`~kohesi.ingest.whatsapp.phrases.Phrase.affixes`): one compiled pass looks at a few bytes
at each end of every body instead of searching the whole text.
"""

from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from kohesi._numba import numba
from kohesi.ingest.whatsapp.scan import _space

__all__ = ["suffix_length", "affix_screen"]


@numba.njit(cache=True, nogil=True)
def _suffixes(buf, start, end, blob, offsets, chars, out):  # pragma: no cover - compiled
    for i in range(len(start)):
        if start[i] < 0:
            continue
        for k in range(len(offsets) - 1):
            n = offsets[k + 1] - offsets[k]
            if end[i] - start[i] < n:
                continue
            same = True
            for q in range(n):
                if buf[end[i] - n + q] != blob[offsets[k] + q]:
                    same = False
                    break
            if same:
                out[i] = chars[k]
                break


def suffix_length(buf: np.ndarray, start: np.ndarray, end: np.ndarray, suffixes: tuple[str, ...]) -> np.ndarray:
    """Characters of the longest of ``suffixes`` each span ``buf[start:end]`` ends with (0 when
    none or when ``start`` is -1)."""
    words = sorted((w.encode() for w in suffixes), key=len, reverse=True)
    blob = np.frombuffer(b"".join(words) or b"\0", dtype=np.uint8)
    offsets = np.cumsum([0] + [len(w) for w in words]).astype(np.int64)
    chars = np.array([len(w.decode()) for w in words] or [0], dtype=np.int32)
    out = np.zeros(len(start), dtype=np.int32)
    _suffixes(buf, start, end, blob, offsets, chars, out)
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _space_before(buf, s, e):  # pragma: no cover - compiled
    """Bytes of the whitespace character ending at ``e`` (0 if none): ASCII, NBSP, NNBSP,
    U+2000–U+200A and the ideographic space."""
    if e - 1 >= s and (buf[e - 1] == 32 or 9 <= buf[e - 1] <= 13):
        return 1
    if e - 2 >= s and buf[e - 2] == 0xC2 and buf[e - 1] == 0xA0:
        return 2
    if e - 3 >= s and buf[e - 3] == 0xE2 and buf[e - 2] == 0x80 and (0x80 <= buf[e - 1] <= 0x8A or buf[e - 1] == 0xAF):
        return 3
    if e - 3 >= s and buf[e - 3] == 0xE3 and buf[e - 2] == 0x80 and buf[e - 1] == 0x80:
        return 3
    return 0


@numba.njit(cache=True, nogil=True, inline="always")
def _invisible_in(buf, s, e):  # pragma: no cover - compiled
    """Whether ``buf[s:e]`` holds an invisible mark: U+200E/F, U+202A–E, U+2066–9 or U+FEFF."""
    for p in range(s, e - 2):
        if buf[p] == 0xE2:
            b1, b2 = buf[p + 1], buf[p + 2]
            if (b1 == 0x80 and (b2 == 0x8E or b2 == 0x8F or 0xAA <= b2 <= 0xAE)) or (b1 == 0x81 and 0xA6 <= b2 <= 0xA9):
                return True
        elif buf[p] == 0xEF and buf[p + 1] == 0xBB and buf[p + 2] == 0xBF:
            return True
    return False


@numba.njit(cache=True, nogil=True)
def _affix_hits(buf, start, end, blob, offsets, first, out):  # pragma: no cover - compiled
    for i in range(len(start)):
        s, e = start[i], end[i]
        if s < 0:
            continue
        if _invisible_in(buf, s, e):
            out[i] = True
            continue
        while s < e and _space(buf, s, e) > 0:
            s = _space(buf, s, e)
        while e > s and _space_before(buf, s, e) > 0:
            e -= _space_before(buf, s, e)
        if s >= e:
            continue
        for side in range(2):
            c = buf[s] if side == 0 else buf[e - 1]
            lo, hi = first[side, c], first[side, c + 1]
            for k in range(lo, hi):
                n = offsets[k + 1] - offsets[k]
                if n > e - s:
                    continue
                at = s if side == 0 else e - n
                same = True
                for q in range(n):
                    if buf[at + q] != blob[offsets[k] + q]:
                        same = False
                        break
                if same:
                    out[i] = True
                    break
            if out[i]:
                break


def affix_screen(buf: np.ndarray, start: np.ndarray, end: np.ndarray, prefixes: tuple[str, ...],
                 suffixes: tuple[str, ...], threads: int = 1) -> np.ndarray:
    """Whether each span ``buf[start:end]`` (none where ``start`` is -1), stripped of surrounding
    whitespace, starts with one of ``prefixes`` or ends with one of ``suffixes``, or holds an
    invisible mark anywhere: the candidates of patterns anchored at both ends, found in one pass
    that looks at a few bytes of each span (a superset of the matches when the texts are
    the patterns' :attr:`~kohesi.ingest.whatsapp.phrases.Phrase.affixes`)."""
    blob, offsets, first = _affix_table(prefixes, suffixes)
    out = np.zeros(len(start), dtype=np.bool_)
    cuts = np.linspace(0, len(start), threads + 1).astype(np.int64)
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda k: _affix_hits(buf, start[cuts[k]:cuts[k + 1]], end[cuts[k]:cuts[k + 1]], blob, offsets,
                                            first, out[cuts[k]:cuts[k + 1]]), range(threads)))
    return out


@functools.cache
def _affix_table(prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The texts as one byte blob with offsets, prefixes grouped by first byte and suffixes by
    last byte: ``first[side, c]`` to ``first[side, c + 1]`` index the texts of side 0 (prefixes)
    or 1 (suffixes) whose first (last) byte is ``c``."""
    sides = [sorted({t.encode() for t in prefixes}, key=lambda b: b[0]),
             sorted({t.encode() for t in suffixes}, key=lambda b: b[-1])]
    texts = sides[0] + sides[1]
    blob = np.frombuffer(b"".join(texts) or b"\0", dtype=np.uint8)
    offsets = np.cumsum([0] + [len(t) for t in texts]).astype(np.int64)
    first = np.zeros((2, 257), dtype=np.int64)
    base = 0
    for side, group in enumerate(sides):
        keys = np.array([t[0] if side == 0 else t[-1] for t in group], dtype=np.int64)
        first[side] = base + np.searchsorted(keys, np.arange(257), side="left")
        base += len(group)
    return blob, offsets, first
