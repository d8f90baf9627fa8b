"""Large JSON documents in bounded memory: a pull parser for the outer structure, and a compiled
scanner that cuts the big arrays into their elements.

:class:`JsonReader` reads a binary stream block by block into one reused buffer. Its outer
structure (objects walked key by key, small values parsed with :mod:`json`) is followed in
Python, which costs nothing because there are few such tokens. A big array is handed over by
:meth:`JsonReader.batches` as runs of whole elements, each framed in place as a JSON array ready
for one decoder call, with the offsets where its elements start and end. :func:`element_batches`
reads such runs again from the file.

The scanner (:func:`split_array`, compiled with Numba, about 1.5 GB/s) tracks strings, backslash
escapes and bracket depth only: it finds where elements end (and marks those holding a string
with a given prefix), and the decoder of each run checks their syntax.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import msgspec
import numpy as np

from kohesi._numba import numba
from kohesi.ingest.bounds import MAX_DEPTH, MAX_NUMBER, bound_reason, json_bounds

__all__ = ["BLOCK", "JsonSyntaxError", "JsonReader", "Batch", "element_batches", "split_array", "value_end"]

BLOCK = 4 << 20
"""Bytes read at a time (larger blocks were no faster, and cost memory)."""

_WS = re.compile(rb"[ \t\r\n]*")
_QUOTE, _COMMA, _COLON = 0x22, 0x2C, 0x3A
_LBRACE, _RBRACE, _LBRACKET, _RBRACKET = 0x7B, 0x7D, 0x5B, 0x5D
_MORE, _CLOSED, _BAD, _TOO_DEEP, _TOO_LONG = 0, 1, -1, -2, -3
_RAW = list[msgspec.Raw]
_NO_MARK = np.zeros(0, np.uint8)


class JsonSyntaxError(Exception):
    """Malformed JSON at absolute byte ``pos`` of the stream (``eof``: the data ended too soon;
    ``bound``: well-formed, perhaps, but past a bound of :mod:`kohesi.ingest.bounds`)."""

    def __init__(self, pos: int, msg: str, eof: bool = False, bound: bool = False):
        super().__init__(f"{msg} (byte {pos})")
        self.pos, self.msg, self.eof, self.bound = pos, msg, eof, bound


def _check_bounds(data, start: int, depth: int = 0) -> None:
    """:class:`JsonSyntaxError` (``bound``) where ``data`` (starting at absolute offset ``start``,
    already ``depth`` levels deep) passes the nesting or number bound."""
    status, pos = json_bounds(np.frombuffer(data, np.uint8), MAX_DEPTH - depth, MAX_NUMBER, False)
    if status:
        raise JsonSyntaxError(start + pos, bound_reason(status, start + pos), bound=True)


@numba.njit(cache=True, nogil=True)
def _string_end(buf, j):  # pragma: no cover - compiled
    n = buf.shape[0]
    while j < n:
        b = buf[j]
        if b == 0x5C:
            j += 2
        elif b == 0x22:
            return j + 1
        else:
            j += 1
    return -1


@numba.njit(cache=True, nogil=True)
def value_end(buf, i):  # pragma: no cover - compiled
    """End (exclusive) of the JSON value starting at ``buf[i]``, or -1 if ``buf`` ends first."""
    n = buf.shape[0]
    c = buf[i]
    if c == 0x22:
        return _string_end(buf, i + 1)
    if c != 0x7B and c != 0x5B:
        j = i
        while j < n:
            b = buf[j]
            if b == 0x2C or b == 0x5D or b == 0x7D or b == 0x3A or b <= 0x20:
                return j
            j += 1
        return -1
    depth = 0
    j = i
    while j < n:
        b = buf[j]
        if b == 0x22:
            j = _string_end(buf, j + 1)
            if j < 0:
                return -1
            continue
        if b == 0x7B or b == 0x5B:
            depth += 1
        elif b == 0x7D or b == 0x5D:
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    return -1


@numba.njit(cache=True, nogil=True, inline="always")
def _numeric(b):  # pragma: no cover - compiled
    """Whether byte ``b`` can be part of a JSON number."""
    return (0x30 <= b <= 0x39) or b == 0x2D or b == 0x2B or b == 0x2E or b == 0x65 or b == 0x45


@numba.njit(cache=True, nogil=True)
def split_array(buf, i, expect, mark, starts, ends, marks, max_depth, max_number):  # pragma: no cover - compiled
    """Elements of a JSON array from ``buf[i]`` on (inside the array), in one flat loop.

    ``expect``: 0 after ``[``, 1 after an element, 2 after a comma. Fills ``starts``, ``ends`` and
    ``marks``: whether the element holds a string starting with ``mark`` (if not empty) or a
    ``\\u`` escape, which could spell one. Returns ``(count, position, expect, status)``; status
    0: more data needed (position is where to resume), 1: the array closed (position is after
    ``]``), 2: ``ends`` is full, -1: a separator is wrong at position, -2: an element nests deeper
    than ``max_depth`` at position, -3: a number longer than ``max_number`` characters starts at
    position (the bounds of :mod:`kohesi.ingest.bounds`, checked in the same pass).
    """
    n = buf.shape[0]
    m = mark.shape[0]
    k = 0
    while True:
        while i < n and (buf[i] == 0x20 or buf[i] == 0x0A or buf[i] == 0x0D or buf[i] == 0x09):
            i += 1
        if i >= n:
            return k, i, expect, 0
        c = buf[i]
        if c == 0x5D:
            if expect == 2:
                return k, i, expect, -1
            return k, i + 1, expect, 1
        if expect == 1:
            if c != 0x2C:
                return k, i, expect, -1
            i += 1
            expect = 2
            continue
        j = i
        depth = 0
        run = 0
        marked = False
        done = False
        if c != 0x22 and c != 0x7B and c != 0x5B:
            while j < n:
                b = buf[j]
                if b == 0x2C or b == 0x5D or b == 0x7D or b == 0x3A or b <= 0x20:
                    done = True
                    break
                j += 1
                if j - i > max_number:
                    return k, i, expect, -3
        while not done and j < n and (c == 0x22 or c == 0x7B or c == 0x5B):
            b = buf[j]
            if b == 0x22:
                run = 0
                j += 1
                if m > 0 and j + m <= n and buf[j] == mark[0]:
                    same = True
                    for q in range(1, m):
                        if buf[j + q] != mark[q]:
                            same = False
                            break
                    marked |= same
                closed = False
                while j < n:
                    b = buf[j]
                    if b == 0x22:
                        closed = True
                        break
                    if b == 0x5C:
                        if m > 0 and j + 1 < n and buf[j + 1] == 0x75:
                            marked = True
                        j += 1
                    j += 1
                if not closed:
                    break
                j += 1
                done = depth == 0
                continue
            if b == 0x7B or b == 0x5B:
                depth += 1
                if depth > max_depth:
                    return k, j, expect, -2
            elif b == 0x7D or b == 0x5D:
                depth -= 1
                done = depth == 0
            if _numeric(b):
                run += 1
                if run > max_number:
                    return k, j - max_number, expect, -3
            else:
                run = 0
            j += 1
        if not done:
            return k, i, expect, 0
        starts[k] = i
        ends[k] = j
        marks[k] = marked
        k += 1
        i = j
        expect = 1
        if k == ends.shape[0]:
            return k, i, expect, 2


@dataclass
class Batch:
    """A run of whole elements of a big array: ``data`` is them wrapped as a JSON array."""

    data: bytes | bytearray | memoryview
    start: int
    """Absolute offset of ``data[1]``, where the first element starts."""
    count: int
    starts: np.ndarray | None = None
    """Absolute offsets where the elements start, when the scanner found them."""
    ends: np.ndarray | None = None
    """Absolute offsets where the elements end (exclusive), when the scanner found them."""
    marks: np.ndarray | None = None
    """Which elements hold a string starting with the mark asked for, or a ``\\u`` escape."""

    @property
    def end(self) -> int:
        """Absolute offset just after the last element."""
        return self.start + len(self.data) - 2

    def element(self, start: int, end: int) -> bytes | bytearray | memoryview:
        """The bytes of the element at absolute offsets ``start`` … ``end``."""
        return self.data[start - self.start + 1:end - self.start + 1]


class JsonReader:
    """Pull parser over a binary stream, holding about one block at a time.

    The bytes sit in one reused buffer; a run of elements is decoded in place, framed by the
    bytes just before and after it (white space, a comma or a bracket) set to ``[`` and ``]``.
    """

    def __init__(self, fh: BinaryIO, block: int = BLOCK, start: int = 0,
                 on_block: Callable[[bytearray, int, int], None] | None = None):
        self.fh, self.block, self.on_block = fh, block, on_block
        fh.seek(start)
        self.buf = bytearray(block + min(block, 1 << 20))
        self.arr = np.frombuffer(self.buf, np.uint8)
        self.n = 0
        self.i = 0
        self.base = start
        self.eof = False

    @property
    def pos(self) -> int:
        """Absolute offset of the next unread byte."""
        return self.base + self.i

    def _more(self) -> bool:
        """Read one more block, keeping the unread bytes and the one before them."""
        if self.eof:
            return False
        keep = max(self.i - 1, 0)
        tail = bytes(self.buf[keep:self.n])
        if len(tail) + self.block > len(self.buf):
            self.buf = bytearray(len(tail) + 2 * self.block)
            self.arr = np.frombuffer(self.buf, np.uint8)
        self.buf[:len(tail)] = tail
        self.base += keep
        self.i -= keep
        self.n = len(tail)
        got = self.fh.readinto(memoryview(self.buf)[self.n:self.n + self.block])
        if not got:
            self.eof = True
            return False
        if self.on_block is not None:
            self.on_block(self.buf, self.n, self.n + got)
        self.n += got
        return True

    def _error(self, msg: str) -> JsonSyntaxError:
        return JsonSyntaxError(self.pos, msg)

    def _truncated(self) -> JsonSyntaxError:
        return JsonSyntaxError(self.base + self.n, "unexpected end of data", eof=True)

    def peek(self) -> int:
        """The next byte that is not white space (-1 at the end of the data)."""
        while True:
            self.i = _WS.match(self.buf, self.i, self.n).end()
            if self.i < self.n:
                return self.buf[self.i]
            if not self._more():
                return -1

    def take(self, byte: int, what: str) -> None:
        """Consume ``byte`` (after white space), else a syntax error saying ``what`` was expected."""
        c = self.peek()
        if c != byte:
            raise self._truncated() if c < 0 else self._error(f"expected {what}")
        self.i += 1

    def value(self, depth: int = 0) -> Any:
        """The next value, parsed (meant for small values; ``depth``: how deep it stands)."""
        if self.peek() < 0:
            raise self._truncated()
        while (end := value_end(self.arr[:self.n], self.i)) < 0:
            if not self._more():
                if self.buf[self.i] in b'"[{':
                    raise self._truncated()
                end = self.n
                break
        _check_bounds(memoryview(self.buf)[self.i:end], self.pos, depth)
        try:
            out = json.loads(self.buf[self.i:end])
        except json.JSONDecodeError as exc:
            raise JsonSyntaxError(self.pos + exc.pos, exc.msg) from None
        except UnicodeDecodeError as exc:
            raise JsonSyntaxError(self.pos + exc.start, "not UTF-8 text") from None
        self.i = end
        return out

    def keys(self) -> Iterator[str]:
        """Keys of the object that comes next; read or :meth:`skip` each key's value in turn."""
        self.take(_LBRACE, "'{'")
        if self.peek() == _RBRACE:
            self.i += 1
            return
        while True:
            if self.peek() != _QUOTE:
                raise self._truncated() if self.peek() < 0 else self._error("expected a key")
            key = self.value()
            self.take(_COLON, "':'")
            yield key
            self._after(_RBRACE, "'}'")
            if self.buf[self.i - 1] == _RBRACE:
                return

    def items(self) -> Iterator[int]:
        """Indices of the elements of the array that comes next; read or :meth:`skip` each in turn."""
        self.take(_LBRACKET, "'['")
        if self.peek() == _RBRACKET:
            self.i += 1
            return
        k = 0
        while True:
            yield k
            k += 1
            self._after(_RBRACKET, "']'")
            if self.buf[self.i - 1] == _RBRACKET:
                return

    def _after(self, close: int, what: str) -> None:
        """Consume the ``,`` or ``close`` that must follow a member."""
        c = self.peek()
        if c != _COMMA and c != close:
            raise self._truncated() if c < 0 else self._error(f"expected ',' or {what}")
        self.i += 1

    def skip(self, depth: int = 0) -> None:
        """Pass over the next value in bounded memory, checking its syntax (``depth``: how deep
        the value stands, so that nested objects cannot pass the nesting bound)."""
        c = self.peek()
        if depth >= MAX_DEPTH and c in (_LBRACKET, _LBRACE):
            raise JsonSyntaxError(self.pos, bound_reason(1, self.pos), bound=True)
        if c == _LBRACKET:
            for batch in self.batches(depth=depth + 1):
                decode_checked(batch, None, raw=True)
        elif c == _LBRACE:
            for _ in self.keys():
                self.skip(depth + 1)
        else:
            self.value(depth)

    def batches(self, limit: int = 1 << 16, mark: bytes = b"", depth: int = 1) -> Iterator[Batch]:
        """Whole elements of the array that comes next, up to ``limit`` per batch; ``mark``: the
        prefix of strings to flag in :attr:`Batch.marks`; ``depth``: how deep the array stands (its
        elements may nest :data:`~kohesi.ingest.bounds.MAX_DEPTH` levels in all, else
        :class:`JsonSyntaxError`). Each batch is valid until the next."""
        self.take(_LBRACKET, "'['")
        prefix = np.frombuffer(mark, np.uint8).copy() if mark else _NO_MARK
        starts = np.empty(limit, np.int64)
        ends = np.empty(limit, np.int64)
        marks = np.zeros(limit, np.bool_)
        expect = 0
        while True:
            k, j, expect, status = split_array(self.arr[:self.n], self.i, expect, prefix, starts, ends, marks,
                                               MAX_DEPTH - depth, MAX_NUMBER)
            self.i = j
            if k:
                yield from self._framed(int(starts[0]), int(ends[k - 1]), k, starts[:k] + self.base,
                                        ends[:k] + self.base, marks[:k].copy())
            if status == _CLOSED:
                return
            if status == _BAD:
                raise self._error("expected ',' or ']'")
            if status in (_TOO_DEEP, _TOO_LONG):
                raise JsonSyntaxError(self.pos, bound_reason(-1 - status, self.pos), bound=True)
            if status == _MORE and not self._more():
                raise self._truncated()

    def _framed(self, s: int, e: int, k: int, starts: np.ndarray, ends: np.ndarray,
                marks: np.ndarray) -> Iterator[Batch]:
        """The elements in ``buf[s:e]`` as a batch, framed in place when there is room."""
        if s < 1 or e >= self.n:
            yield Batch(b"".join((b"[", self.buf[s:e], b"]")), self.base + s, k, starts, ends, marks)
            return
        before, after = self.buf[s - 1], self.buf[e]
        self.buf[s - 1], self.buf[e] = _LBRACKET, _RBRACKET
        try:
            with memoryview(self.buf)[s - 1:e + 1] as view:
                yield Batch(view, self.base + s, k, starts, ends, marks)
        finally:
            self.buf[s - 1], self.buf[e] = before, after

    def release(self) -> None:
        """Drop the buffer (the reader is done)."""
        self.buf, self.arr, self.n, self.i = bytearray(), np.zeros(0, np.uint8), 0, 0

    def end(self) -> None:
        """Check that nothing but white space follows."""
        if self.peek() >= 0:
            raise self._error("extra data after the JSON document")


def decode_checked(batch: Batch, decoder: msgspec.json.Decoder | None, raw: bool = False) -> list:
    """Decode ``batch`` with ``decoder`` (else to plain objects, or with ``raw`` to raw elements, a
    syntax check only); syntax errors as :class:`JsonSyntaxError`. The elements are within the
    bounds of :mod:`kohesi.ingest.bounds`: :meth:`JsonReader.batches` checked them.

    A typed decoder's :class:`msgspec.ValidationError` is raised as it is, once the batch is known
    to be well-formed JSON.
    """
    try:
        if decoder is not None:
            return decoder.decode(batch.data)
        return msgspec.json.decode(batch.data, type=_RAW) if raw else msgspec.json.decode(batch.data)
    except msgspec.ValidationError:
        try:
            msgspec.json.decode(batch.data, type=_RAW)
        except msgspec.DecodeError as exc:
            raise _syntax(batch, exc) from None
        raise
    except msgspec.DecodeError as exc:
        raise _syntax(batch, exc) from None
    except UnicodeDecodeError:
        raise _utf8(batch) from None


def _syntax(batch: Batch, exc: msgspec.DecodeError) -> JsonSyntaxError:
    msg = str(exc)
    m = re.search(r"\(byte (\d+)\)$", msg)
    if m is None:  # "Input data was truncated": cannot happen on a whole batch
        return JsonSyntaxError(batch.start, msg)
    msg = msg[: m.start()].strip().removeprefix("JSON is malformed: ")
    return JsonSyntaxError(batch.start + int(m.group(1)) - 1, msg)


def _utf8(batch: Batch) -> JsonSyntaxError:
    try:
        bytes(batch.data).decode("utf-8")
    except UnicodeDecodeError as exc:
        return JsonSyntaxError(batch.start + exc.start - 1, "not UTF-8 text")
    return JsonSyntaxError(batch.start, "not UTF-8 text")


def element_batches(fh: BinaryIO, runs: list[tuple[int, int, int]]) -> Iterator[Batch]:
    """Runs of whole elements read again from ``fh``: ``runs`` holds each run's start and end
    offsets and element count, as :meth:`JsonReader.batches` found them."""
    for start, end, count in runs:
        fh.seek(start - 1)
        data = bytearray(end + 1 - (start - 1))
        if fh.readinto(data) != len(data):
            raise JsonSyntaxError(end, "the file changed while it was read", eof=True)
        data[0] = _LBRACKET  # was '[', ',' or white space before the first element
        data[-1] = _RBRACKET  # was white space, ',' or ']' after the last one
        yield Batch(data, start, count)
