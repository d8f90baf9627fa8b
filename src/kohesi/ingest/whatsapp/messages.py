"""Where the messages of a WhatsApp export are: header lines, local times, byte spans of text.

1. The file's header layout is learnt from header-shaped lines sampled at its start and end
   (:func:`~kohesi.ingest.whatsapp.header.dominant_format`);
2. every line is matched against that layout by a compiled pass
   (:func:`~kohesi.ingest.whatsapp.scan.header_fields`);
3. the date order is inferred from the whole file and headers out of time order are demoted to
   message text (:func:`~kohesi.ingest.whatsapp.header.infer_date_order`,
   :func:`~kohesi.ingest.whatsapp.header.out_of_order`);
4. each accepted header line is cut into author and body, and its continuation lines found
   (:func:`~kohesi.ingest.whatsapp.scan.message_spans`).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl

from kohesi.errors import InputError
from kohesi.ingest.files import SourceFile
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.ingest.whatsapp import scan
from kohesi.ingest.whatsapp.header import (
    GENERIC,
    GENERIC_RE,
    dominant_format,
    infer_date_order,
    out_of_order,
)
from kohesi.ingest.whatsapp.scan import span_series

__all__ = ["Messages", "find_messages"]


_EASTERN = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                          **{chr(0x06F0 + i): str(i) for i in range(10)}, "\u200f": None})
_EASTERN_RE = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_HEAD = 32


def _western(line: str) -> str:
    """Arabic-Indic and Persian digits (and RLM marks) in a line's first characters, where an
    Arabic-locale export writes its dates and times, as ASCII digits."""
    return line[:_HEAD].translate(_EASTERN) + line[_HEAD:]


def _decode(data: bytes, starts: np.ndarray, idx) -> list[str]:
    ends = scan.line_ends(np.frombuffer(data, dtype=np.uint8), starts, idx)
    return [data[starts[i]:end].decode("utf-8") for i, end in zip(idx, ends.tolist(), strict=True)]


def _sample(data: bytes, buf: np.ndarray, starts: np.ndarray, head: int = 5000,
            tail: int = 1000) -> tuple[list[str], bool, int | None]:
    """Header-shaped lines from the start and the end of the file (up to ``head`` and ``tail``)
    to learn its layout from, whether it writes Arabic-Indic digits in its headers, and the
    first line that starts like a header."""
    eastern, first_line = False, None

    def shaped(lo: int, hi: int) -> list[str]:
        nonlocal eastern, first_line
        idx = scan.maybe_header(buf, starts, lo, hi)
        if first_line is None and len(idx):
            first_line = int(idx[0])
        out = []
        for line in _decode(data, starts, idx):
            if _EASTERN_RE.search(line, 0, _HEAD):
                line, eastern = _western(line), True
            if GENERIC_RE.match(line):
                out.append(line)
        return out

    n = len(starts)
    first, k, lines = [], 0, 2 * head
    while len(first) < head and k < n:
        first += shaped(k, k + lines)
        k, lines = k + lines, 2 * lines
    last, j, lines = [], n, 2 * tail
    while len(last) < tail and j > k:
        last = shaped(max(k, j - lines), j) + last
        j, lines = j - lines, 2 * lines
    return first[:head] + last[-tail:], eastern, first_line


_COLUMNS = {"rest": ("rest", "line_end"), "whole": ("whole", "line_end"), "body": ("body", "line_end"),
            "more": ("more", "end"), "full": ("body", "end")}
"""Text columns of a message: the names of their start and end in :class:`~.scan.Spans`."""


@dataclass
class Messages:
    """The messages of a file: header line number, local time and byte spans of their text."""

    data: bytes
    lineno: np.ndarray
    local: np.ndarray | None
    spans: scan.Spans | None
    utc: np.ndarray | None = None
    """UTC time in microseconds since 1970, once :func:`~.assemble.add_keys` has run."""
    key: np.ndarray | None = None
    """The keyed content hash each id is made of, once :func:`~.assemble.add_keys` has run."""

    def __len__(self) -> int:
        return len(self.lineno)

    def release(self, keep_text: bool) -> None:
        """Drop what the events table is not built from: times and hashes (gathered per event by
        then) and, unless text is kept, the file's bytes and the spans."""
        self.local = self.utc = self.key = None
        if not keep_text:
            self.data, self.spans = b"", None

    def _span(self, column: str, rows) -> tuple[np.ndarray, np.ndarray]:
        sp = self.spans
        if column == "author_raw":
            end = sp.author_end[rows]
            return np.where(end >= 0, sp.rest[rows], -1), end
        start, end = _COLUMNS[column]
        return getattr(sp, start)[rows], getattr(sp, end)[rows]

    def text(self, column: str, rows: slice | np.ndarray = slice(None)) -> pl.Series:
        """A text column of ``rows`` pointing into the file's bytes: ``rest`` (the header line
        after the header), ``whole`` (``rest`` without leading marks), ``author_raw``, ``body``,
        ``more`` (continuation lines) or ``full`` (body and continuation lines)."""
        return span_series(column, self.data, *self._span(column, rows))

    def one(self, column: str, i: int) -> str | None:
        """The text of one message's ``column`` (see :meth:`text`)."""
        start, end = _COLUMNS[column]
        start, end = int(getattr(self.spans, start)[i]), int(getattr(self.spans, end)[i])
        return None if start < 0 else self.data[start:end].decode("utf-8")


def find_messages(data: bytes, src: SourceFile, opts: ReadOptions, report: ReadReport) -> Messages:
    """Every accepted message header of the UTF-8 text ``data``, its local time and the spans of
    its text."""
    buf = np.frombuffer(data, dtype=np.uint8)
    starts = scan.line_starts(buf, scan.THREADS)
    report.n_lines = len(starts)
    sample, eastern, first_line = _sample(data, buf, starts)
    if not sample:
        first = next((ln for ln in _decode(data, starts, range(min(50, len(starts)))) if ln.strip()), "")
        raise InputError(src.path, f"no WhatsApp message header found; first line reads {first[:60]!r}", line=1)
    fmt, _ = dominant_format(sample)
    if fmt is None:
        raise InputError(src.path, "header-shaped lines found but none in a known WhatsApp layout",
                         line=(first_line or 0) + 1)
    report.platform = fmt.platform
    report.format = f"whatsapp-{fmt.platform}"
    report.header_format = fmt.describe()

    f = scan.header_fields(buf, starts, fmt, eastern, scan.THREADS)
    if len(f.line) == 0:
        raise InputError(src.path, "no line in a known WhatsApp header layout", line=1)
    hh = f.hour
    if fmt.twelve_hour:
        hh = np.where(hh == 12, 0, hh) + np.where(f.pm, 12, 0)
    prior = "mdy" if fmt.twelve_hour and not fmt.year_first else "dmy"
    order = infer_date_order(f.d1, f.d2, f.d3, hh, f.minute, f.second, year_first=fmt.year_first, era=f.era,
                             given=opts.date_order, prior=prior)
    report.date_order, report.date_order_confidence, report.date_order_basis = order.order, order.confidence, order.basis
    if order.basis == "ambiguous":
        report.warnings.append(
            "dates are ambiguous (every day and month ≤ 12 and both orders are chronological); "
            f"assumed {order.order}; pass --date-order if that is wrong")
    if not order.valid.any():
        raise InputError(src.path, f"no header date is valid in {order.order} order", line=int(f.line[0]) + 1)

    valid = order.valid & (hh < 24) & (f.minute < 60) & (f.second < 60)
    local = order.seconds.view("datetime64[s]")
    accepted = valid.copy()
    idx = np.flatnonzero(valid)
    accepted[idx] &= ~out_of_order(order.seconds[idx], opts.header_tolerance_s)
    demoted = f.line[~accepted] + 1
    if len(demoted):
        report.warnings.append(
            f"{len(demoted)} header-shaped lines kept as message text (invalid date or out of "
            f"chronological order): lines {_some(demoted)}")
    other_shape = f.maybe.copy()
    other_shape[f.line] = False
    heads = f.line[accepted]
    _before_first(data, starts, int(heads[0]), src, opts, report)
    with ThreadPoolExecutor(1) as pool:
        other = pool.submit(_other_layout, data, buf, starts, np.flatnonzero(other_shape), eastern)
        spans = scan.message_spans(buf, starts, heads, f.end[accepted], scan.THREADS)
        if n_other := other.result():
            report.warnings.append(f"{n_other} header-shaped lines in another layout than "
                                   f"{fmt.describe()} kept as message text")
    longest = int(np.max(spans.end - spans.rest)) if len(heads) else 0
    if longest >= scan.MAX_SPAN:
        raise InputError(src.path, f"a message of {longest:,} bytes; kohesi reads messages up to 1 GiB")
    return Messages(data=data, lineno=heads + 1, local=local[accepted], spans=spans)


def _other_layout(data: bytes, buf: np.ndarray, starts: np.ndarray, idx: np.ndarray, eastern: bool) -> int:
    """How many of lines ``idx`` (not headers of the file's layout) are header-shaped all the same."""
    if len(idx) == 0:
        return 0
    lines = span_series("line", data, starts[idx], scan.line_ends(buf, starts, idx))
    if eastern:
        lines = pl.Series([_western(ln) for ln in lines.to_list()], dtype=pl.String)
    return int(lines.str.contains(GENERIC).sum())


def _before_first(data: bytes, starts: np.ndarray, first: int, src: SourceFile,
                  opts: ReadOptions, report: ReadReport) -> None:
    """Lines with text before the first header are reported as skipped (fatal with ``--strict``)."""
    lines = _decode(data, starts, range(first))
    report.skipped.extend((i + 1, "text before the first message header") for i, ln in enumerate(lines) if ln.strip())
    if opts.strict and report.skipped:
        ln, reason = report.skipped[0]
        raise InputError(src.path, reason, line=ln)


def _some(numbers, k: int = 10) -> str:
    head = ", ".join(str(n) for n in numbers[:k])
    return head + ("…" if len(numbers) > k else "")
