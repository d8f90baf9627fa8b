"""Byte-level passes over a WhatsApp export: lines, header fields, and message spans.

The export is never split into a column of line strings. Compiled (Numba) loops walk the UTF-8
bytes once to find line starts, once to match every line against the file's header layout
(:class:`~kohesi.ingest.whatsapp.header.HeaderFormat`), and once to cut each accepted header line
into author and body and find where its continuation lines end. The strings the reader needs
(the rest of each header line, author, body, the whole message) are then Arrow ``string_view``
columns pointing into the file's bytes (:func:`span_series`), so polars works on them without a
copy.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi._numba import numba
from kohesi.ingest.whatsapp.header import AMPM_AFTER, AMPM_BEFORE, PM, HeaderFormat

__all__ = ["MAX_SPAN", "line_starts", "line_ends", "intern", "HeaderFields", "header_fields", "Spans", "message_spans", "span_series",
           "maybe_header"]

THREADS = max(1, min(4, os.cpu_count() or 1))
"""Threads for the block-wise steps of the reader (the compiled kernels and polars release the GIL)."""

_LRM = (0xE2, 0x80, 0x8E)
_RLM = (0xE2, 0x80, 0x8F)


@numba.njit(cache=True, nogil=True)
def _newlines(buf, lo, hi):  # pragma: no cover - compiled
    n = 0
    for i in range(lo, hi):
        n += buf[i] == 10
    return n


@numba.njit(cache=True, nogil=True)
def _fill_starts(buf, lo, hi, out, k):  # pragma: no cover - compiled
    for i in range(lo, hi):
        if buf[i] == 10:
            out[k] = i + 1
            k += 1


def line_starts(buf: np.ndarray, threads: int = 1) -> np.ndarray:
    """Byte offset of every line's start (a last line without ``\\n`` counts; an empty file has
    none), counted and written by ``threads`` threads over parts of the file."""
    if len(buf) == 0:
        return np.zeros(0, dtype=np.int64)
    cuts = np.linspace(0, len(buf) - 1, threads + 1).astype(np.int64)  # a final newline starts no line
    with ThreadPoolExecutor(threads) as pool:
        counts = list(pool.map(lambda k: _newlines(buf, cuts[k], cuts[k + 1]), range(threads)))
        out = np.empty(1 + sum(counts), dtype=np.int64)
        out[0] = 0
        first = np.cumsum([1] + counts[:-1])
        list(pool.map(lambda k: _fill_starts(buf, cuts[k], cuts[k + 1], out, first[k]), range(threads)))
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _line_end(buf, starts, i):  # pragma: no cover - compiled
    if i + 1 < len(starts):
        return starts[i + 1] - 1
    return len(buf) - 1 if buf[len(buf) - 1] == 10 else len(buf)


def line_ends(buf: np.ndarray, starts: np.ndarray, lines=None) -> np.ndarray:
    """Byte offset of the end of each of ``lines`` (default: all), its ``\\n`` excluded."""
    last = len(buf) - 1 if len(buf) and buf[-1] == 10 else len(buf)
    lines = np.arange(len(starts)) if lines is None else np.asarray(lines, dtype=np.int64)
    if len(lines) == 0:
        return np.zeros(0, dtype=np.int64)
    nxt = lines + 1
    return np.where(nxt < len(starts), starts[np.minimum(nxt, len(starts) - 1)] - 1, last)


@numba.njit(cache=True, nogil=True, inline="always")
def _lit(buf, p, end, word, n):  # pragma: no cover - compiled
    """Position after the literal packed in ``word`` (its ``n`` ≤ 8 bytes, see :func:`_pack`) if
    it starts at ``p``, else -1. Literals are integers because small array arguments cost more
    than the comparison itself in a loop run once per line."""
    if p < 0 or p + n > end:
        return -1
    for k in range(n):
        if buf[p + k] != ((word >> np.uint64(8 * k)) & np.uint64(0xFF)):
            return -1
    return p + n


def _pack(text: str) -> tuple[np.uint64, int]:
    raw = text.encode()
    if len(raw) > 8:
        raise ValueError(f"header literal {text!r} is longer than 8 bytes")
    return np.uint64(int.from_bytes(raw, "little")), len(raw)


@numba.njit(cache=True, nogil=True, inline="always")
def _skip_marks(buf, p, end, rlm_only):  # pragma: no cover - compiled
    """Skip invisible marks: LRM/RLM/BOM/LRE/PDF at a line start, only RLM elsewhere."""
    while p + 2 < end and buf[p] == 0xE2 and buf[p + 1] == 0x80 and (
            buf[p + 2] == 0x8F or (not rlm_only and (buf[p + 2] == 0x8E or buf[p + 2] == 0xAA or buf[p + 2] == 0xAC))):
        p += 3
    if not rlm_only:
        while p + 2 < end and buf[p] == 0xEF and buf[p + 1] == 0xBB and buf[p + 2] == 0xBF:
            p += 3
            while p + 2 < end and buf[p] == 0xE2 and buf[p + 1] == 0x80 and (
                    buf[p + 2] == 0x8E or buf[p + 2] == 0x8F or buf[p + 2] == 0xAA or buf[p + 2] == 0xAC):
                p += 3
    return p


@numba.njit(cache=True, nogil=True, inline="always")
def _number(buf, p, end, lo, hi, eastern):  # pragma: no cover - compiled
    """(value, position after) of ``lo``..``hi`` digits at ``p`` (ASCII, or also Arabic-Indic
    and Persian when ``eastern``); position -1 if fewer than ``lo``."""
    value = 0
    k = 0
    while k < hi and p < end:
        c = buf[p]
        if 48 <= c <= 57:
            value = value * 10 + (c - 48)
            p += 1
        elif eastern and p + 1 < end and ((c == 0xD9 and 0xA0 <= buf[p + 1] <= 0xA9)
                                          or (c == 0xDB and 0xB0 <= buf[p + 1] <= 0xB9)):
            value = value * 10 + (buf[p + 1] & 0x0F)
            p += 2
        else:
            break
        k += 1
    return value, (p if k >= lo else -1)


@numba.njit(cache=True, nogil=True, inline="always")
def _space(buf, p, end):  # pragma: no cover - compiled
    """Position after one Unicode space character at ``p``, else -1."""
    if p < end and (buf[p] == 32 or buf[p] == 9):
        return p + 1
    if p + 1 < end and buf[p] == 0xC2 and buf[p + 1] == 0xA0:
        return p + 2
    if p + 2 < end and buf[p] == 0xE2 and buf[p + 1] == 0x80 and (0x80 <= buf[p + 2] <= 0x8A or buf[p + 2] == 0xAF):
        return p + 3
    if p + 2 < end and buf[p] == 0xE3 and buf[p + 1] == 0x80 and buf[p + 2] == 0x80:
        return p + 3
    return -1


@numba.njit(cache=True, nogil=True, inline="always")
def _ampm(buf, p, end, words, sizes, word_pm, latin):  # pragma: no cover - compiled
    """(is_pm, position after) of an AM/PM marker at ``p``; position -1 if none.

    ``latin`` allows ``[AaPp]\\.?\\s?[Mm]\\.?`` first; then each packed word of ``words``, in order."""
    if latin and p < end:
        c = buf[p]
        if c == 65 or c == 97 or c == 80 or c == 112:
            q = p + 1
            if q < end and buf[q] == 46:
                q += 1
            s = _space(buf, q, end)
            if s >= 0:
                q = s
            if q < end and (buf[q] == 77 or buf[q] == 109):
                q += 1
                if q < end and buf[q] == 46:
                    q += 1
                return c == 80 or c == 112, q
    for w in range(len(words)):
        q = _lit(buf, p, end, words[w], sizes[w])
        if q >= 0:
            return word_pm[w], q
    return False, -1


@numba.njit(cache=True, nogil=True, inline="always")
def _era_letter(buf, p, end, era_out, found):  # pragma: no cover - compiled
    """Position after a Japanese era letter (R, H, S) at ``p``, recorded in ``era_out``; -1 if none."""
    if p >= end or not (buf[p] == 82 or buf[p] == 72 or buf[p] == 83):
        return -1
    era_out[found] = buf[p]
    return p + 1


@numba.njit(cache=True, nogil=True, inline="always")
def _marked_number(buf, p, end, lo, hi, eastern):  # pragma: no cover - compiled
    """:func:`_number` after the right-to-left marks an Arabic-locale header (``eastern``) puts
    before it."""
    if eastern:
        p = _skip_marks(buf, p, end, True)
    return _number(buf, p, end, lo, hi, eastern)


@numba.njit(cache=True, nogil=True, inline="always")
def _marked_lit(buf, p, end, word, eastern):  # pragma: no cover - compiled
    """:func:`_lit` of the packed ``word`` after the right-to-left marks of an ``eastern`` header."""
    if eastern:
        p = _skip_marks(buf, p, end, True)
    return _lit(buf, p, end, word[0], word[1])


@numba.njit(cache=True, nogil=True, inline="always")
def _date(buf, p, end, era, era_last, dsep, marker, eastern, era_out, found):  # pragma: no cover - compiled
    """(d1, d2, d3, position after) of a header's date at ``p`` (position -1 if none): the date
    parts with their separators, a Japanese era letter before the first or the last part, and a
    Buddhist-era marker; right-to-left marks between parts are skipped when ``eastern``."""
    if era:
        p = _era_letter(buf, p, end, era_out, found)
        if p < 0:
            return 0, 0, 0, -1
    d1, p = _marked_number(buf, p, end, 1, 4, eastern)
    if p < 0:
        return 0, 0, 0, -1
    p = _marked_lit(buf, p, end, dsep, eastern)
    if p < 0:
        return 0, 0, 0, -1
    d2, p = _marked_number(buf, p, end, 1, 2, eastern)
    if p < 0:
        return 0, 0, 0, -1
    p = _marked_lit(buf, p, end, dsep, eastern)
    if p < 0:
        return 0, 0, 0, -1
    if eastern:
        p = _skip_marks(buf, p, end, True)
    if era_last:
        p = _era_letter(buf, p, end, era_out, found)
        if p < 0:
            return 0, 0, 0, -1
    d3, p = _number(buf, p, end, 1, 4, eastern)
    if p < 0:
        return 0, 0, 0, -1
    p = _lit(buf, p, end, marker[0], marker[1])
    if p >= 0 and eastern:
        p = _skip_marks(buf, p, end, True)
    return d1, d2, d3, p


@numba.njit(cache=True, nogil=True, inline="always")
def _time(buf, p, end, before, before_sep, tsep, seconds, after, after_sep, eastern, words, sizes,
          word_pm):  # pragma: no cover - compiled
    """(hour, minute, second, is_pm, position after) of a header's time at ``p`` (position -1 if
    none), with its AM/PM word before or after it."""
    is_pm = False
    if before:
        is_pm, p = _ampm(buf, p, end, words, sizes, word_pm, False)
        if p < 0:
            return 0, 0, 0, False, -1
        p = _lit(buf, p, end, before_sep[0], before_sep[1])
        if p < 0:
            return 0, 0, 0, False, -1
    hh, p = _number(buf, p, end, 1, 2, eastern)
    if p < 0:
        return 0, 0, 0, False, -1
    p = _lit(buf, p, end, tsep[0], tsep[1])
    if p < 0:
        return 0, 0, 0, False, -1
    mi, p = _number(buf, p, end, 2, 2, eastern)
    if p < 0:
        return 0, 0, 0, False, -1
    ss = 0
    if seconds:
        p = _lit(buf, p, end, tsep[0], tsep[1])
        if p < 0:
            return 0, 0, 0, False, -1
        ss, p = _number(buf, p, end, 2, 2, eastern)
        if p < 0:
            return 0, 0, 0, False, -1
    if eastern:
        p = _skip_marks(buf, p, end, True)
    if after:
        q = _lit(buf, p, end, after_sep[0], after_sep[1])
        pm1, r = _ampm(buf, q, end, words, sizes, word_pm, True) if q >= 0 else (False, -1)
        if r < 0:
            pm1, r = _ampm(buf, p, end, words, sizes, word_pm, True)
        if r < 0:
            return 0, 0, 0, False, -1
        is_pm, p = pm1, r
        if eastern:
            p = _skip_marks(buf, p, end, True)
    return hh, mi, ss, is_pm, p


@numba.njit(cache=True, nogil=True)
def _headers(buf, starts, lo, hi, bracket, era, era_last, time_first, dsep, marker, join, before, before_sep,
             tsep, seconds, after, after_sep, close, eastern, words, sizes, word_pm, out, fields, pm_out, era_out,
             maybe):  # pragma: no cover - compiled
    """Match lines ``lo`` to ``hi`` against one header layout. The k-th header found fills
    ``out[:, lo + k]`` with (line, header end byte) and ``fields[:, lo + k]`` with (d1, d2, d3,
    hour, minute, second); returns how many were found. ``maybe[i]`` tells whether line i starts
    like a header at all (see :func:`maybe_header`)."""
    found = lo
    for i in range(lo, hi):
        end = _line_end(buf, starts, i)
        p = _skip_marks(buf, starts[i], end, False)
        maybe[i] = _could_start_header(buf, p, end)
        if bracket:
            if p >= end or buf[p] != 91:
                continue
            p += 1
        if eastern:
            p = _skip_marks(buf, p, end, True)
        if time_first:
            hh, mi, ss, is_pm, p = _time(buf, p, end, before, before_sep, tsep, seconds, after, after_sep, eastern,
                                         words, sizes, word_pm)
            if p < 0:
                continue
            p = _lit(buf, p, end, join[0], join[1])
            if p < 0:
                continue
            d1, d2, d3, p = _date(buf, p, end, era, era_last, dsep, marker, eastern, era_out, found)
            if p < 0:
                continue
        else:
            d1, d2, d3, p = _date(buf, p, end, era, era_last, dsep, marker, eastern, era_out, found)
            if p < 0:
                continue
            p = _lit(buf, p, end, join[0], join[1])
            if p < 0:
                continue
            if eastern:
                p = _skip_marks(buf, p, end, True)
            hh, mi, ss, is_pm, p = _time(buf, p, end, before, before_sep, tsep, seconds, after, after_sep, eastern,
                                         words, sizes, word_pm)
            if p < 0:
                continue
        p = _lit(buf, p, end, close[0], close[1])
        if p < 0:
            continue
        out[0, found] = i
        out[1, found] = p
        fields[0, found] = d1
        fields[1, found] = d2
        fields[2, found] = d3
        fields[3, found] = hh
        fields[4, found] = mi
        fields[5, found] = ss
        pm_out[found] = is_pm
        found += 1
    return found - lo


def _words(words: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    packed = [_pack(w) for w in words]
    return (np.array([w for w, _ in packed], dtype=np.uint64), np.array([n for _, n in packed], dtype=np.int64),
            np.array([w in PM for w in words], dtype=np.bool_))


@dataclass(frozen=True)
class HeaderFields:
    """The header lines of a file in one layout: line index, header end byte and fields."""

    line: np.ndarray
    end: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    d3: np.ndarray
    hour: np.ndarray
    minute: np.ndarray
    second: np.ndarray
    pm: np.ndarray
    era: np.ndarray | None
    """``"R"``, ``"H"`` or ``"S"`` per header for Japanese era layouts, else None."""
    maybe: np.ndarray
    """Per line of the file: does it start like a header of any layout (:func:`maybe_header`)."""


def header_fields(buf: np.ndarray, starts: np.ndarray, fmt: HeaderFormat, eastern: bool,
                  threads: int = 1) -> HeaderFields:
    """Every line in ``fmt``'s layout, with its date and time parts as numbers.

    ``eastern``: Arabic-Indic and Persian digits count as digits and right-to-left marks between
    the header's parts are skipped (Arabic-locale exports write both)."""
    n = len(starts)
    out = np.empty((2, n), dtype=np.int64)
    fields = np.empty((6, n), dtype=np.int16)
    pm = np.zeros(n, dtype=np.bool_)
    has_era = fmt.era or fmt.era_last
    era = np.zeros(n if has_era else 1, dtype=np.uint8)
    maybe = np.empty(n, dtype=np.bool_)
    before = fmt.ampm_before is not None
    words, sizes, word_pm = _words(AMPM_BEFORE if before else AMPM_AFTER)
    cuts = np.linspace(0, n, threads + 1).astype(np.int64)

    def run(k: int) -> int:
        return _headers(buf, starts, cuts[k], cuts[k + 1], fmt.bracket, fmt.era, fmt.era_last, fmt.time_first,
                        _pack(fmt.date_sep),
                        _pack(fmt.buddhist_marker), _pack(fmt.join), before, _pack(fmt.ampm_before or ""),
                        _pack(fmt.time_sep), fmt.seconds, fmt.ampm_space is not None and not before,
                        _pack(fmt.ampm_space or ""), _pack(fmt.close), eastern, words, sizes, word_pm,
                        out, fields, pm, era, maybe)

    with ThreadPoolExecutor(threads) as pool:
        found = list(pool.map(run, range(threads)))
    total = 0
    for k in range(threads):
        src, dst = slice(cuts[k], cuts[k] + found[k]), slice(total, total + found[k])
        out[:, dst], fields[:, dst], pm[dst] = out[:, src], fields[:, src], pm[src]
        if has_era:
            era[dst] = era[src]
        total += found[k]
    line, end = out[:, :total]
    d1, d2, d3, hour, minute, second = fields[:, :total]
    return HeaderFields(line=line, end=end, d1=d1, d2=d2, d3=d3, hour=hour, minute=minute, second=second,
                        pm=pm[:total], era=era[:total].view("S1").astype("U1") if has_era else None,
                        maybe=maybe)


@numba.njit(cache=True, nogil=True, inline="always")
def _could_start_header(buf, p, end):  # pragma: no cover - compiled
    """Whether the byte at ``p`` (first visible byte of a line) could begin a header: a digit,
    ``[``, a Japanese era letter or the lead byte of an Arabic-Indic digit."""
    if p >= end:
        return False
    c = buf[p]
    return 48 <= c <= 57 or c == 91 or c == 82 or c == 72 or c == 83 or c == 0xD9 or c == 0xDB


@numba.njit(cache=True, nogil=True)
def _maybe_header(buf, starts, lo, hi, out):  # pragma: no cover - compiled
    for i in range(lo, hi):
        end = _line_end(buf, starts, i)
        out[i - lo] = _could_start_header(buf, _skip_marks(buf, starts[i], end, False), end)


def maybe_header(buf: np.ndarray, starts: np.ndarray, lo: int = 0, hi: int | None = None) -> np.ndarray:
    """Indices of the lines ``lo`` to ``hi`` that start like a header (a digit, ``[``, an era
    letter or an Arabic-Indic digit): a superset of the header-shaped lines."""
    hi = len(starts) if hi is None else min(hi, len(starts))
    out = np.zeros(max(hi - lo, 0), dtype=np.bool_)
    _maybe_header(buf, starts, lo, hi, out)
    return lo + np.flatnonzero(out)


@dataclass(frozen=True)
class Spans:
    """Byte spans of each message: its header line's rest, author, body and continuation."""

    rest: np.ndarray
    """Start of the header line's text after the header."""
    whole: np.ndarray
    """``rest`` past leading LRM/RLM marks."""
    line_end: np.ndarray
    author_end: np.ndarray
    """End of the author (-1 when the line has no ``": "``)."""
    body: np.ndarray
    """Start of the body past leading LRM/RLM marks (-1 when no author)."""
    body_lrm: np.ndarray
    rest_lrm: np.ndarray
    more: np.ndarray
    """Start of the continuation lines (-1 when none has text)."""
    end: np.ndarray
    """End of the message: its last non-empty continuation line, else ``line_end``."""
    chars: np.ndarray
    """Characters from the body to the end (0 when no author)."""
    chars_more: np.ndarray
    """Characters of the continuation lines."""
    at: np.ndarray
    """Whether the body or the continuation lines contain ``@``."""


@numba.njit(cache=True, nogil=True)
def _spans(buf, starts, heads, head_end, lo, hi, out, flags, chars):  # pragma: no cover - compiled
    m = len(heads)
    n = len(starts)
    for j in range(lo, hi):
        i = heads[j]
        le = _line_end(buf, starts, i)
        r = head_end[j]
        out[0, j] = r
        w = r
        while w + 2 < le and buf[w] == 0xE2 and buf[w + 1] == 0x80 and (buf[w + 2] == 0x8E or buf[w + 2] == 0x8F):
            w += 3
        out[1, j] = w
        out[2, j] = le
        flags[1, j] = r + 2 < le and buf[r] == 0xE2 and buf[r + 1] == 0x80 and buf[r + 2] == 0x8E
        split = -1
        first = -1
        for p in range(r, le - 1):
            if buf[p] == 58 and buf[p + 1] == 32:
                if first < 0:
                    first = p
                if p + 4 < le and buf[p + 2] == 0xE2 and buf[p + 3] == 0x80 and buf[p + 4] == 0x8E:
                    split = p
                    break
        if split < 0:
            split = first
        out[3, j] = split
        if split >= 0:
            b = split + 2
            flags[0, j] = b + 2 < le and buf[b] == 0xE2 and buf[b + 1] == 0x80 and buf[b + 2] == 0x8E
            while b + 2 < le and buf[b] == 0xE2 and buf[b + 1] == 0x80 and (buf[b + 2] == 0x8E or buf[b + 2] == 0x8F):
                b += 3
            out[4, j] = b
        else:
            flags[0, j] = False
            out[4, j] = -1
        stop = heads[j + 1] if j + 1 < m else n
        last = -1
        for k in range(stop - 1, i, -1):
            if _line_end(buf, starts, k) > starts[k]:
                last = k
                break
        if last >= 0:
            out[5, j] = starts[i + 1]
            out[6, j] = _line_end(buf, starts, last)
        else:
            out[5, j] = -1
            out[6, j] = le
        more = 0
        at = False
        if last >= 0:
            for p in range(starts[i + 1], out[6, j]):
                more += (buf[p] & 0xC0) != 0x80
                at |= buf[p] == 64
        if split >= 0:
            body_chars = 0
            for p in range(out[4, j], le):
                body_chars += (buf[p] & 0xC0) != 0x80
                at |= buf[p] == 64
            chars[0, j] = body_chars + (1 + more if last >= 0 else 0)
            flags[2, j] = at
        else:
            chars[0, j] = 0
        chars[1, j] = more


def message_spans(buf: np.ndarray, starts: np.ndarray, heads: np.ndarray, head_end: np.ndarray,
                  threads: int = 1) -> Spans:
    """Spans of the messages whose headers are lines ``heads`` (ascending), ending at ``head_end``.

    The author is the text before the first ``": \\u200e"`` when the line has one (iOS marks
    system text with U+200E, so a group name containing ``": "`` stays whole), else before the
    first ``": "``. A message runs to its last non-empty line before the next header, so blank
    lines at its end are dropped and the ones inside it kept."""
    m = len(heads)
    out = np.empty((7, m), dtype=np.int32 if len(buf) < 2**31 - 1 else np.int64)
    flags = np.zeros((3, m), dtype=np.bool_)
    chars = np.zeros((2, m), dtype=np.int32)
    cuts = np.linspace(0, m, threads + 1).astype(np.int64)
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda k: _spans(buf, starts, heads, head_end, cuts[k], cuts[k + 1], out, flags, chars),
                      range(threads)))
    rest, whole, line_end, author_end, body, more, end = out
    return Spans(rest=rest, whole=whole, line_end=line_end, author_end=author_end, body=body,
                 body_lrm=flags[0], rest_lrm=flags[1], more=more, end=end, chars=chars[0], chars_more=chars[1],
                 at=flags[2])


@numba.njit(cache=True, nogil=True)
def _intern(buf, start, end, codes):  # pragma: no cover - compiled
    size = 1024
    while size < 2 * len(start):
        size *= 2
    table = np.full(size, -1, dtype=np.int64)
    firsts = np.empty(len(start), dtype=np.int64)
    distinct = 0
    prime = np.uint64(0x100000001B3)
    for i in range(len(start)):
        if start[i] < 0:
            codes[i] = -1
            continue
        h = np.uint64(0xCBF29CE484222325)
        for p in range(start[i], end[i]):
            h = (h ^ np.uint64(buf[p])) * prime
        slot = np.int64(h & np.uint64(size - 1))
        while True:
            row = table[slot]
            if row < 0:
                table[slot] = i
                firsts[distinct] = i
                codes[i] = distinct
                distinct += 1
                break
            n = end[row] - start[row]
            if n == end[i] - start[i]:
                same = True
                for q in range(n):
                    if buf[start[row] + q] != buf[start[i] + q]:
                        same = False
                        break
                if same:
                    codes[i] = codes[row]
                    break
            slot = (slot + 1) & (size - 1)
    return firsts[:distinct]


def intern(buf: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A code per span (equal bytes, equal code; -1 where ``start`` is -1), numbered in order of
    first appearance, and the row where each code first appears.

    Over 200,000 spans the two halves are interned by two threads, then the second half's codes
    are renumbered: a span the first half has takes its code, the others follow in order of first
    appearance (a chat has few distinct authors, so the merge is short)."""
    codes = np.empty(len(start), dtype=np.int32)
    if len(start) < 200_000:
        return codes, _intern(buf, start, end, codes)
    half = len(start) // 2
    with ThreadPoolExecutor(2) as pool:
        f1, f2 = pool.map(lambda lo_hi: _intern(buf, start[lo_hi[0]:lo_hi[1]], end[lo_hi[0]:lo_hi[1]],
                                                 codes[lo_hi[0]:lo_hi[1]]), ((0, half), (half, len(start))))
    key = lambda row: buf[start[row]:end[row]].tobytes()  # noqa: E731
    known = {key(int(r)): c for c, r in enumerate(f1.tolist())}
    remap = np.empty(len(f2) + 1, dtype=np.int32)
    remap[-1] = -1  # a span without author keeps -1
    firsts = f1.tolist()
    for c, r in enumerate((f2 + half).tolist()):
        code = known.get(key(r))
        if code is None:
            code = known[key(r)] = len(firsts)
            firsts.append(r)
        remap[c] = code
    codes[half:] = remap[codes[half:]]
    return codes, np.array(firsts, dtype=np.int64)


@numba.njit(cache=True, nogil=True)
def _views(buf, start, end, block, raw, views):  # pragma: no cover - compiled
    for i in range(len(start)):
        s = start[i]
        length = end[i] - s if s >= 0 else 0
        views[i, 0] = length
        if length <= 12:
            for k in range(length):
                raw[i, 4 + k] = buf[s + k]
        else:
            for k in range(4):
                raw[i, 4 + k] = buf[s + k]
            b = s // block
            views[i, 2] = b
            views[i, 3] = s - b * block


_BLOCK = 1 << 30
MAX_SPAN = _BLOCK
"""Longest text span :func:`span_series` can point to (its buffers overlap by this much)."""


def span_series(name: str, data: bytes, start: np.ndarray, end: np.ndarray) -> pl.Series:
    """A polars string column of ``data[start:end]`` per row (null where ``start`` is -1) that
    points into ``data``: no string is copied. ``data`` must be valid UTF-8 and each span whole
    characters; spans are shorter than 1 GiB (the buffers overlap by 1 GiB so any span fits one)."""
    n = len(start)
    buf = np.frombuffer(data, dtype=np.uint8)
    raw = np.zeros((n, 16), dtype=np.uint8)
    _views(buf, np.asarray(start, np.int64), np.asarray(end, np.int64), _BLOCK, raw, raw.view(np.int32))
    valid = np.asarray(start) >= 0
    mask = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    blocks = [pa.py_buffer(memoryview(data)[b: b + 2 * _BLOCK]) for b in range(0, max(len(data), 1), _BLOCK)]
    arr = pa.Array.from_buffers(pa.string_view(), n, [mask, pa.py_buffer(raw), *blocks])
    return pl.Series(name, arr)
