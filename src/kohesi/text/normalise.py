"""Texts normalised for phrase matching, in one compiled pass over their UTF-8 bytes.

The rule (the same one :func:`kohesi.text.lexicon.squeeze` applies to the lexicon's phrases, with
two spaces where a phrase has one, so that consecutive words can each be matched with a space on
both sides):

- ASCII and Latin-1 letters lower-cased (Sundanese and Javanese spell with ``é``: "Énjing"
  reads as the lexicon's "énjing"; other scripts are kept as written);
- a run of one ASCII letter counts once per four: ``makasiiih`` → ``makasih``
  (a run of *L* letters becomes ⌈*L*/4⌉ letters);
- every separator (:data:`~kohesi.text.lexicon.SEPARATORS`), with one space after it if there is
  one, becomes two spaces, and every other space becomes two; but a clause's end, ``,``, ``?``
  or ``!`` (:data:`~kohesi.text.lexicon.CLAUSE_ENDS`), becomes three, so that no phrase of two
  words is found across it and no negation reaches over it ("ada yg di kos ga? tolongin …" asks
  for help; "Hi all, welcome" is no "all welcome");
- the emoji that carry an act (:data:`~kohesi.text.lexicon.EMOJI_SPACED`) are set apart by two
  spaces on each side; ``’`` becomes ``'``;
- the whole text is padded with one space at each end. A missing text stays missing.

This equals the leftmost-first multi-pattern replacement it replaced (polars
``str.replace_many`` of those pairs after ``str.to_lowercase``; tested against it) in a third of
the time: the replacement touched every space of every message.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import TypeVar

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi._numba import numba
from kohesi.text.lexicon import CLAUSE_ENDS, EMOJI_SPACED, SEPARATORS

__all__ = ["normalise", "halves"]

_COPY, _LETTER, _SEP, _SPACE, _EMOJI, _APOSTROPHE, _END = 0, 1, 2, 3, 4, 5, 6


@cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kind of each ASCII byte; and the non-ASCII code points that are separators or emoji
    (sorted), with their kinds."""
    ascii_kind = np.zeros(128, dtype=np.uint8)
    for c in range(ord("a"), ord("z") + 1):
        ascii_kind[c] = _LETTER
        ascii_kind[c - 32] = _LETTER
    ascii_kind[ord(" ")] = _SPACE
    special: dict[int, int] = {0x2019: _APOSTROPHE}
    for c in SEPARATORS:
        if ord(c) < 128:
            ascii_kind[ord(c)] = _END if c in CLAUSE_ENDS else _SEP
        else:
            special[ord(c)] = _SEP
    for e in EMOJI_SPACED:
        assert len(e) == 1, e  # one code point each: the kernel decodes one at a time
        special[ord(e)] = _EMOJI
    cps = np.array(sorted(special), dtype=np.int64)
    return ascii_kind, cps, np.array([special[c] for c in cps], dtype=np.uint8)


@numba.njit(cache=True, nogil=True, inline="always")
def _char(data, i, end):  # pragma: no cover - compiled
    """Code point and byte length of the UTF-8 character at ``i`` (a stray byte counts alone)."""
    b = data[i]
    if b < 0xE0 or i + 1 >= end:
        if b >= 0xC0 and i + 1 < end:
            return ((b & 0x1F) << 6) | (data[i + 1] & 0x3F), 2
        return -1, 1
    if b < 0xF0 or i + 2 >= end:
        if i + 2 < end:
            return ((b & 0x0F) << 12) | ((data[i + 1] & 0x3F) << 6) | (data[i + 2] & 0x3F), 3
        return -1, 1
    if i + 3 < end:
        return (((b & 0x07) << 18) | ((data[i + 1] & 0x3F) << 12) | ((data[i + 2] & 0x3F) << 6)
                | (data[i + 3] & 0x3F)), 4
    return -1, 1


@numba.njit(cache=True, nogil=True)
def _rows(data, offsets, valid, lo, hi, ascii_kind, cps, cp_kind):  # pragma: no cover - compiled
    """Texts ``lo``..``hi`` normalised: their bytes and offsets (a missing text is empty). The
    buffer is sized by the largest growth of any character (a clause's end becomes three
    spaces), so one pass writes it; pages never written are never touched."""
    out = np.empty(int((offsets[hi] - offsets[lo]) * 3) + 2 * (hi - lo) + 8, dtype=np.uint8)
    out_offsets = np.empty(hi - lo + 1, dtype=np.int64)
    o = 0
    out_offsets[0] = 0
    for k in range(lo, hi):
        if not valid[k]:
            out_offsets[k - lo + 1] = o
            continue
        i, end = offsets[k], offsets[k + 1]
        out[o] = 32
        o += 1
        while i < end:
            b = data[i]
            if b < 128:
                kind = ascii_kind[b]
                if kind == _LETTER:
                    c = b | 32
                    run = 1
                    while i + run < end:
                        d = data[i + run]
                        if d >= 128 or ascii_kind[d] != _LETTER or d | 32 != c:
                            break
                        run += 1
                    for _ in range((run + 3) // 4):
                        out[o] = c
                        o += 1
                    i += run
                elif kind == _SEP or kind == _SPACE or kind == _END:
                    out[o] = 32
                    out[o + 1] = 32
                    o += 2
                    if kind == _END:
                        out[o] = 32
                        o += 1
                    i += 2 if kind != _SPACE and i + 1 < end and data[i + 1] == 32 else 1
                else:
                    out[o] = b
                    o += 1
                    i += 1
                continue
            cp, width = _char(data, i, end)
            j = np.searchsorted(cps, cp)
            kind = cp_kind[j] if j < len(cps) and cps[j] == cp else _COPY
            if kind == _SEP:
                out[o] = 32
                out[o + 1] = 32
                o += 2
                i += width + (1 if i + width < end and data[i + width] == 32 else 0)
                continue
            if kind == _APOSTROPHE:
                out[o] = 39
                o += 1
                i += width
                continue
            if 0xC0 <= cp <= 0xDE and cp != 0xD7:  # a Latin-1 capital (À … Þ, not ×): its small letter
                out[o] = data[i]
                out[o + 1] = data[i + 1] | 0x20
                o += 2
                i += 2
                continue
            pad = 2 if kind == _EMOJI else 0
            for q in range(pad):
                out[o + q] = 32
            for q in range(width):
                out[o + pad + q] = data[i + q]
            for q in range(pad):
                out[o + pad + width + q] = 32
            o += width + 2 * pad
            i += width
        out[o] = 32
        o += 1
        out_offsets[k - lo + 1] = o
    return out[:o], out_offsets


T = TypeVar("T")

_SPLIT = 50_000
"""Below this many texts one thread does the work; above, each core takes half."""


def halves(n: int) -> list[tuple[int, int]]:
    """The ranges of ``n`` texts a compiled pass works on, one per thread: one range below
    :data:`_SPLIT` texts, two halves above (normalising here, scoring in :mod:`kohesi.text.ngrams`)."""
    bounds = [0, n] if n < _SPLIT else [0, n // 2, n]
    return list(zip(bounds[:-1], bounds[1:], strict=True))


def in_halves(n: int, work: Callable[[int, int], T]) -> list[T]:
    """``work(lo, hi)`` over each range of :func:`halves` of ``n`` texts, the two halves at once (a
    compiled pass that frees the GIL), results in range order."""
    parts = halves(n)
    if len(parts) == 1:
        return [work(*parts[0])]
    with ThreadPoolExecutor(len(parts)) as pool:
        return list(pool.map(lambda p: work(*p), parts))


def normalise(texts: pl.Series) -> pl.Series:
    """Every text of ``texts`` normalised for matching (see the module's rule); null stays null."""
    arr = texts.to_arrow()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.large_string())
    n = len(arr)
    _, offsets_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(offsets_buf, dtype=np.int64, count=n + 1, offset=arr.offset * 8)
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(1, dtype=np.uint8)
    valid = np.asarray(arr.is_valid()) if arr.null_count else np.ones(n, dtype=np.bool_)
    tables = _tables()
    parts = halves(n)
    done = in_halves(n, lambda lo, hi: _rows(data, offsets, valid, lo, hi, *tables))
    chunks = []
    for (lo, hi), (out, out_offsets) in zip(parts, done, strict=True):
        bitmap = pa.array(valid[lo:hi]).buffers()[1] if arr.null_count else None
        chunks.append(pa.LargeStringArray.from_buffers(hi - lo, pa.py_buffer(out_offsets), pa.py_buffer(out),
                                                       bitmap, int(hi - lo - valid[lo:hi].sum())))
    return pl.Series(texts.name, pa.chunked_array(chunks, type=pa.large_string()), dtype=pl.String)
