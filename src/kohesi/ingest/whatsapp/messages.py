"""Where the messages of a WhatsApp export are: header lines, local times, byte spans of text.

1. The file's main header layout is learnt from header-shaped lines sampled at its start and end
   (:func:`~kohesi.ingest.whatsapp.header.layouts`);
2. every line is matched against that layout by a compiled pass
   (:func:`~kohesi.ingest.whatsapp.scan.header_fields`), and against any other layout found in
   the file (12 h and 24 h headers mixed);
3. the date order is inferred per layout (:func:`~kohesi.ingest.whatsapp.header.infer_date_order`)
   and the rule of :func:`_accept` decides, on evidence, which header-shaped lines are messages
   (clock jumps and appended chats are; a header typed or pasted into a message is not);
4. each accepted header line is cut into author and body, and its continuation lines found
   (:func:`~kohesi.ingest.whatsapp.scan.message_spans`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import polars as pl

from kohesi.errors import InputError
from kohesi.ingest.files import SourceFile
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.ingest.text import line_list
from kohesi.ingest.whatsapp import scan
from kohesi.ingest.whatsapp.header import (
    ANY_HEADER,
    HeaderFormat,
    header_match,
    infer_date_order,
    layouts,
    out_of_order,
)
from kohesi.ingest.whatsapp.phrases import phrasebook
from kohesi.ingest.whatsapp.scan import span_series
from kohesi.privacy import clean_name

__all__ = ["Messages", "find_messages"]


_EASTERN = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                          **{chr(0x06F0 + i): str(i) for i in range(10)}, "\u200f": None})
_EASTERN_RE = re.compile("[\u0660-\u0669\u06f0-\u06f9\u200f]")
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
            if header_match(line):
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
    its text (the rule for which header-shaped lines are messages is :func:`_accept`)."""
    buf = np.frombuffer(data, dtype=np.uint8)
    starts = scan.line_starts(buf, scan.THREADS)
    report.n_lines = len(starts)
    sample, eastern, first_line = _sample(data, buf, starts)
    if not sample:
        first = next((ln for ln in _decode(data, starts, range(min(50, len(starts)))) if ln.strip()), "")
        raise InputError(src.path, f"no WhatsApp message header found; first line reads {first[:60]!r}", line=1)
    found = layouts(sample)
    if not found:
        raise InputError(src.path, "header-shaped lines found but none in a known WhatsApp layout",
                         line=(first_line or 0) + 1)
    fmt = found.most_common(1)[0][0]
    report.platform = fmt.platform
    report.format = f"whatsapp-{fmt.platform}"
    report.header_format = fmt.describe()

    f = scan.header_fields(buf, starts, fmt, eastern, scan.THREADS)
    if len(f.line) == 0:
        raise InputError(src.path, "no line in a known WhatsApp header layout", line=1)
    valid, seconds = _dates(f, fmt, opts, report)
    if not valid.any():
        raise InputError(src.path, f"no header date is valid in {report.date_order} order", line=int(f.line[0]) + 1)
    parts = [(f, valid, seconds)]
    other_shape = f.maybe.copy()
    other_shape[f.line] = False
    for other in _other_layouts(data, buf, starts, np.flatnonzero(other_shape), eastern, fmt):
        g = scan.header_fields(buf, starts, other, eastern, scan.THREADS)
        if len(g.line):
            parts.append((g, *_dates(g, other, opts, None)))
    line = np.concatenate([p[0].line for p in parts])
    order = np.argsort(line, kind="stable")
    line = line[order]
    end = np.concatenate([p[0].end for p in parts])[order]
    valid = np.concatenate([p[1] for p in parts])[order]
    seconds = np.concatenate([p[2] for p in parts])[order]
    layout = np.concatenate([np.full(len(p[0].line), k, dtype=np.int8) for k, p in enumerate(parts)])[order]
    accepted, spans = _accept(data, buf, starts, line, end, valid, seconds, layout, opts.header_tolerance_s, report)
    heads = line[accepted]
    if len(heads) == 0:
        raise InputError(src.path, "no line in a known WhatsApp header layout is a message", line=int(line[0]) + 1)
    _before_first(data, starts, int(heads[0]), src, opts, report)
    if spans is None:
        spans = scan.message_spans(buf, starts, heads, end[accepted], scan.THREADS)
    longest = int(np.max(spans.end - spans.rest)) if len(heads) else 0
    if longest >= scan.MAX_SPAN:
        raise InputError(src.path, f"a message of {longest:,} bytes; kohesi reads messages up to 1 GiB")
    local = seconds[accepted]
    _report_backwards(local, heads + 1, report)
    return Messages(data=data, lineno=heads + 1, local=local.view("datetime64[s]"), spans=spans)


def _dates(f: scan.HeaderFields, fmt: HeaderFormat, opts: ReadOptions,
           report: ReadReport | None) -> tuple[np.ndarray, np.ndarray]:
    """Whether each header of one layout has a valid date and time, and its local time in seconds
    since 1970; the date order is inferred from this layout's own headers (``report``: where to
    record it, for the file's main layout)."""
    hh = f.hour
    if fmt.twelve_hour:
        hh = np.where(hh == 12, 0, hh) + np.where(f.pm, 12, 0)
    prior = "mdy" if fmt.twelve_hour and not fmt.year_first else "dmy"
    order = infer_date_order(f.d1, f.d2, f.d3, hh, f.minute, f.second, year_first=fmt.year_first, era=f.era,
                             given=opts.date_order, prior=prior)
    if report is not None:
        report.date_order, report.date_order_confidence = order.order, order.confidence
        report.date_order_basis = order.basis
        if order.basis == "ambiguous":
            report.warnings.append(
                "dates are ambiguous (every day and month ≤ 12 and both orders are chronological); "
                f"assumed {order.order}; pass --date-order if that is wrong")
    return order.valid & (hh < 24) & (f.minute < 60) & (f.second < 60), order.seconds


def _accept(data: bytes, buf: np.ndarray, starts: np.ndarray, line: np.ndarray, end: np.ndarray,
            valid: np.ndarray, t: np.ndarray, layout: np.ndarray, tolerance_s: int,
            report: ReadReport) -> tuple[np.ndarray, scan.Spans | None]:
    """Which header-shaped lines (of every layout found in the file, ``layout`` 0 the main one)
    are messages, and their spans when they had to be computed to decide.

    Real exports are in arrival order, not time order (late delivery, phone clocks, chats
    appended one after another), and members type or paste header-shaped lines into messages.
    The rule, on evidence:

    1. a line with an invalid date or time is text;
    2. a line of the main layout in time order with the lines around it
       (:func:`~kohesi.ingest.whatsapp.header.out_of_order`) is a message;
    3. any other line (out of time order, or in a second layout) is a message when its author
       writes a message of rule 2 somewhere in the file (a *known poster*), or its text is a
       system phrase (end-to-end notice, joins and leaves…) — unless it repeats a message of
       rule 2 with the same minute, author and first line (a pasted copy);
    4. once a second layout has a line accepted by rule 3, its lines in time order are messages
       too (12 h and 24 h headers mixed in one file);
    5. every other header-shaped line is text of the message before it (a member typed or pasted
       it: the authors it names write nowhere in this chat).

    Accepted lines keep their file order, whatever their time.
    """
    in_order = _in_order(valid, t, tolerance_s)
    own = in_order & (layout == 0)
    if not (valid & ~own).any():
        _report_text(line[~own] + 1, report)
        return own, None
    rows = np.flatnonzero(valid)
    sp = scan.message_spans(buf, starts, line[rows], end[rows], scan.THREADS)
    author, firsts = scan.intern(buf, np.where(sp.author_end >= 0, sp.rest, -1), sp.author_end)
    lay, tr = layout[rows], t[rows]
    # first pass: pasted copies of messages out of time order go, so that they are no neighbours
    o = in_order[rows] & (lay == 0)
    copies = _copies(data, sp, tr, author, o, ~o)
    active = ~copies
    in_order = np.zeros(len(rows), dtype=np.bool_)
    in_order[active] = _in_order(np.ones(int(active.sum()), dtype=np.bool_), tr[active], tolerance_s)
    o = in_order & (lay == 0)
    c = active & ~o
    known = np.zeros(len(firsts) + 1, dtype=np.bool_)  # index -1 (no author) is the extra slot
    known[author[o & (author >= 0)]] = True
    evidence = c & known[author]
    evidence |= _system_lines(data, sp, np.flatnonzero(c & ~evidence))
    evidence &= ~_copies(data, sp, tr, author, o, evidence)
    confirmed = np.unique(lay[evidence])
    take = o | evidence | (in_order & np.isin(lay, confirmed[confirmed > 0]) & c)
    accepted = np.zeros(len(line), dtype=np.bool_)
    accepted[rows[take]] = True
    _report_text(line[~accepted] + 1, report)
    if n_other := int((take & (lay > 0)).sum()):
        report.warnings.append(f"{n_other} messages with headers in a second layout read as messages "
                               "(12 h and 24 h clocks, or exports of two phones, in one file)")
    return accepted, (sp if take.all() else None)


def _in_order(valid: np.ndarray, t: np.ndarray, tolerance_s: int) -> np.ndarray:
    """Which valid headers are in time order with the headers around them."""
    out = valid.copy()
    idx = np.flatnonzero(valid)
    out[idx] &= ~out_of_order(t[idx], tolerance_s)
    return out


def _system_lines(data: bytes, sp: scan.Spans, rows: np.ndarray) -> np.ndarray:
    """Which of ``rows`` are system lines: the whole line after the header, or on iOS the body
    marked with U+200E, is a system phrase (a mask over every row of ``sp``)."""
    book = phrasebook()
    out = np.zeros(len(sp.rest), dtype=np.bool_)
    for r in rows.tolist():
        texts = [data[sp.whole[r]:sp.line_end[r]].decode("utf-8")]
        if sp.body[r] >= 0 and sp.body_lrm[r]:
            texts.append(data[sp.body[r]:sp.line_end[r]].decode("utf-8"))
        out[r] = any(book.match_system(clean_name(x)) for x in texts)
    return out


def _copies(data: bytes, sp: scan.Spans, t: np.ndarray, author: np.ndarray, own: np.ndarray,
            which: np.ndarray) -> np.ndarray:
    """Rows of ``which`` that repeat a row of ``own``: same minute, author and first line of text."""
    out = np.zeros(len(t), dtype=np.bool_)
    minute = t // 60
    cand = np.flatnonzero(which & (author >= 0))
    if len(cand) == 0:
        return out
    same_minute = np.flatnonzero(own & np.isin(minute, minute[cand]) & np.isin(author, author[cand]))

    def key(r: int) -> tuple:
        return int(minute[r]), int(author[r]), data[sp.body[r]:sp.line_end[r]]

    seen = {key(r) for r in same_minute.tolist()}
    for r in cand.tolist():
        out[r] = key(r) in seen
    return out


def _report_text(lines: np.ndarray, report: ReadReport) -> None:
    if len(lines):
        report.warnings.append(
            f"{len(lines)} header-shaped lines kept as message text (an invalid date, or out of time order "
            f"or in another layout and naming nobody who writes in this chat): {line_list(lines.tolist(), 10)}")


def _report_backwards(t: np.ndarray, lineno: np.ndarray, report: ReadReport) -> None:
    """Say where the time of accepted messages goes backwards (they stay in file order)."""
    back = np.flatnonzero(np.diff(t) < 0) + 1
    if len(back) == 0:
        return
    where = ", ".join(f"line {int(lineno[i])} (by {_duration(int(t[i - 1] - t[i]))})" for i in back[:5])
    n = len(back)
    report.warnings.append(
        f"{n} message{'s' if n > 1 else ''} out of time order, earlier than the message before "
        f"(late delivery, a phone's clock, or chats appended one after another), kept in file order; "
        f"the time goes back at {where}{'…' if n > 5 else ''}")


def _duration(seconds: int) -> str:
    for unit, size in (("year", 365 * 86400), ("day", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n > 1 and unit in ('year', 'day') else ''}"
    return f"{seconds} s"


def _other_layouts(data: bytes, buf: np.ndarray, starts: np.ndarray, idx: np.ndarray, eastern: bool,
                   main: HeaderFormat, limit: int = 20_000, most: int = 3) -> list[HeaderFormat]:
    """The header layouts other than ``main`` of lines ``idx`` (not headers of the main layout),
    most frequent first (at most ``most``), learnt from the first ``limit`` header-shaped ones."""
    if len(idx) == 0:
        return []
    lines = span_series("line", data, starts[idx], scan.line_ends(buf, starts, idx))
    if eastern:
        lines = pl.Series([_western(ln) for ln in lines.to_list()], dtype=pl.String)
    shaped = lines.filter(lines.str.contains(ANY_HEADER)).head(limit).to_list()
    counts = layouts(shaped)
    counts.pop(main, None)
    return [fmt for fmt, _ in counts.most_common(most)]


def _before_first(data: bytes, starts: np.ndarray, first: int, src: SourceFile,
                  opts: ReadOptions, report: ReadReport) -> None:
    """Lines with text before the first header are reported as skipped (fatal with ``--strict``)."""
    lines = _decode(data, starts, range(first))
    report.skipped.extend((i + 1, "text before the first message header") for i, ln in enumerate(lines) if ln.strip())
    if opts.strict and report.skipped:
        ln, reason = report.skipped[0]
        raise InputError(src.path, reason, line=ln)
