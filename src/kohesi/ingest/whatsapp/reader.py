"""Read a WhatsApp chat export (Android or iOS, ``.txt`` or ``.zip``) into canonical events.

Steps, all vectorised over the file's lines except the handful of system lines:

1. lines → header-shaped lines (:mod:`.header`), the file's header format, date order, timestamps;
2. each header line's rest → author and body, or a system line (:mod:`.phrases`), following the
   rules of :func:`_classify`;
3. continuation lines appended to their message (newlines kept);
4. members pseudonymised (:mod:`kohesi.privacy`), @mentions resolved, replies inferred
   (:mod:`kohesi.ingest.replies`), ids hashed (:mod:`kohesi.ingest.ids`).
"""

from __future__ import annotations

import ctypes
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from kohesi.errors import InputError
from kohesi.events import EVENT_SCHEMA, MEMBER_SCHEMA, POST_KINDS
from kohesi.ingest.ids import event_id_array, hash64, hash_spans, repeats
from kohesi.ingest.replies import ReplyRule, infer_replies
from kohesi.ingest.report import ReadReport
from kohesi.ingest.source import Source
from kohesi.ingest.text import decode_check, utf8_lines
from kohesi.ingest.whatsapp import scan
from kohesi.ingest.whatsapp.header import (
    GENERIC,
    GENERIC_RE,
    dominant_format,
    infer_date_order,
    out_of_order,
)
from kohesi.ingest.whatsapp.phrases import Phrase, PhraseBook, phrasebook
from kohesi.ingest.whatsapp.scan import span_series
from kohesi.privacy import INVISIBLE, Pseudonymizer, canonical, clean_name, is_phone

__all__ = ["WhatsAppOptions", "read_whatsapp", "is_whatsapp_name", "group_name_from_filename"]

_INV = f"[{INVISIBLE}]"
_INVISIBLE = tuple(INVISIBLE)
YOU = "You"

_FILENAME_PATTERNS = [
    r"^WhatsApp Chat with (?P<g>.+)\.(?:txt|zip)$",
    r"^WhatsApp Chat - (?P<g>.+)\.(?:txt|zip)$",
    r"^Chat WhatsApp dengan (?P<g>.+)\.(?:txt|zip)$",
    r"^WhatsApp Chat dengan (?P<g>.+)\.(?:txt|zip)$",
    r"^Chat WhatsApp - (?P<g>.+)\.(?:txt|zip)$",
    r"^WhatsApp-Chat mit (?P<g>.+)\.(?:txt|zip)$",
    r"^Chat de WhatsApp con (?P<g>.+)\.(?:txt|zip)$",
    r"^Conversa do WhatsApp com (?P<g>.+)\.(?:txt|zip)$",
    r"^Discussion WhatsApp avec (?P<g>.+)\.(?:txt|zip)$",
    r"^WhatsApp-chat met (?P<g>.+)\.(?:txt|zip)$",
    r"^Chat WhatsApp con (?P<g>.+)\.(?:txt|zip)$",
]


def group_name_from_filename(name: str) -> str | None:
    """``WhatsApp Chat with RT 05.txt`` → ``RT 05`` (English, Indonesian and other locales)."""
    base = PurePosixPath(name).name
    for pattern in _FILENAME_PATTERNS:
        m = re.match(pattern, base, flags=re.IGNORECASE)
        if m:
            return clean_name(m["g"])
    return None


def is_whatsapp_name(name: str) -> bool:
    base = PurePosixPath(name).name
    return base == "_chat.txt" or group_name_from_filename(base) is not None


@dataclass(frozen=True)
class WhatsAppOptions:
    """How to read a WhatsApp export."""

    tz: str = "UTC"
    """IANA timezone the exporting phone was in (exports carry none)."""
    date_order: str | None = None
    """``dmy``, ``mdy``, ``ymd`` or ``ydm`` to override inference."""
    keep_text: bool = False
    keep_names: bool = False
    strict: bool = False
    reply_rule: ReplyRule = field(default_factory=ReplyRule)
    header_tolerance_s: int = 3600


def read_whatsapp(src: Source, group: str | None, pseudo: Pseudonymizer,
                  opts: WhatsAppOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    """Parse one export file; return events, members and the read report."""
    report = ReadReport(source=src.path, format="whatsapp", tz=opts.tz,
                        reply_rule=opts.reply_rule.describe())
    data = utf8_lines(decode_check(src.take(), src.path), src.path)
    buf = np.frombuffer(data, dtype=np.uint8)
    starts = scan.line_starts(buf)
    report.n_lines = len(starts)
    msgs = _messages(data, buf, starts, src, opts, report)
    del data, buf, starts
    book = phrasebook()
    rows = _classify(msgs, book, report.platform, report)
    return (*_assemble(msgs, rows, book, src, group, pseudo, opts, report), report)


_EASTERN = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)},
                          **{chr(0x06F0 + i): str(i) for i in range(10)}, "\u200f": None})
_EASTERN_RE = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_HEAD = 32


def _western(line: str) -> str:
    """Arabic-Indic and Persian digits (and RLM marks) in a line's first characters, where an
    Arabic-locale export writes its dates and times, as ASCII digits."""
    return line[:_HEAD].translate(_EASTERN) + line[_HEAD:]


def _decode(data: bytes, starts: np.ndarray, ends: np.ndarray, idx) -> list[str]:
    return [data[starts[i]:ends[i]].decode("utf-8") for i in idx]


def _sample(data: bytes, starts: np.ndarray, ends: np.ndarray, cand: np.ndarray, head: int = 5000,
            tail: int = 1000) -> tuple[list[str], bool]:
    """Header-shaped lines from the start and the end of the file (up to ``head`` and ``tail``)
    to learn its layout from, and whether it writes Arabic-Indic digits in its headers."""
    eastern = False

    def shaped(idx) -> list[str]:
        nonlocal eastern
        out = []
        for line in _decode(data, starts, ends, idx):
            if _EASTERN_RE.search(line, 0, _HEAD):
                line, eastern = _western(line), True
            if GENERIC_RE.match(line):
                out.append(line)
        return out

    first, k, batch = [], 0, head + head // 5
    while len(first) < head and k < len(cand):
        first += shaped(cand[k:k + batch])
        k, batch = k + batch, 2 * batch
    last, j, batch = [], len(cand), tail + tail // 5
    while len(last) < tail and j > k:
        last = shaped(cand[max(k, j - batch):j]) + last
        j, batch = j - batch, 2 * batch
    return first[:head] + last[-tail:], eastern


@dataclass
class _Messages:
    """The messages of a file: header line number, local time and byte spans of their text."""

    data: bytes
    lineno: np.ndarray
    local: np.ndarray
    spans: scan.Spans | None

    def __len__(self) -> int:
        return len(self.lineno)

    def release(self) -> None:
        """Drop the file's bytes and the spans once no text is read any more."""
        self.data, self.spans = b"", None

    def _span(self, column: str, rows) -> tuple[np.ndarray, np.ndarray]:
        sp = self.spans
        if column == "author_raw":
            end = sp.author_end[rows]
            return np.where(end >= 0, sp.rest[rows], -1), end
        start, end = {"rest": (sp.rest, sp.line_end), "whole": (sp.whole, sp.line_end),
                      "body": (sp.body, sp.line_end), "more": (sp.more, sp.end), "full": (sp.body, sp.end)}[column]
        return start[rows], end[rows]

    def text(self, column: str, rows: slice | np.ndarray = slice(None)) -> pl.Series:
        """A text column of ``rows`` pointing into the file's bytes: ``rest`` (the header line
        after the header), ``whole`` (``rest`` without leading marks), ``author_raw``, ``body``,
        ``more`` (continuation lines) or ``full`` (body and continuation lines)."""
        return span_series(column, self.data, *self._span(column, rows))

    def one(self, column: str, i: int) -> str | None:
        """The text of one message's ``column`` (see :meth:`text`)."""
        (start,), (end,) = self._span(column, [i])
        return None if start < 0 else self.data[start:end].decode("utf-8")


def _messages(data: bytes, buf: np.ndarray, starts: np.ndarray, src: Source, opts: WhatsAppOptions,
              report: ReadReport) -> _Messages:
    """Every accepted message header, its local time and the spans of its text."""
    ends = scan.line_ends(buf, starts)
    cand = scan.maybe_header(buf, starts, np.zeros(len(starts), dtype=np.bool_))
    sample, eastern = _sample(data, starts, ends, cand)
    if not sample:
        first = next((ln for ln in _decode(data, starts, ends, range(min(50, len(starts)))) if ln.strip()), "")
        raise InputError(src.path, f"no WhatsApp message header found; first line reads {first[:60]!r}", line=1)
    fmt, _ = dominant_format(sample)
    if fmt is None:
        raise InputError(src.path, "header-shaped lines found but none in a known WhatsApp layout",
                         line=int(cand[0]) + 1)
    report.platform = fmt.platform
    report.format = f"whatsapp-{fmt.platform}"
    report.header_format = fmt.describe()

    f = scan.header_fields(buf, starts, fmt, eastern, _THREADS)
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
    local = order.seconds.astype("datetime64[s]")
    accepted = valid.copy()
    idx = np.flatnonzero(valid)
    accepted[idx] &= ~out_of_order(local[idx], opts.header_tolerance_s)
    demoted = f.line[~accepted] + 1
    if len(demoted):
        report.warnings.append(
            f"{len(demoted)} header-shaped lines kept as message text (invalid date or out of "
            f"chronological order): lines {_some(demoted)}")
    is_head = np.zeros(len(starts), dtype=np.bool_)
    is_head[f.line] = True
    other = _other_layout(data, buf, starts, ends, is_head, eastern)
    if other:
        report.warnings.append(f"{other} header-shaped lines in another layout than "
                               f"{fmt.describe()} kept as message text")
    heads = f.line[accepted]
    _before_first(data, starts, ends, int(heads[0]), src, opts, report)
    return _Messages(data=data, lineno=heads + 1, local=local[accepted],
                     spans=scan.message_spans(buf, starts, heads, f.end[accepted], _THREADS))


def _other_layout(data: bytes, buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, is_head: np.ndarray,
                  eastern: bool) -> int:
    """How many lines that are not headers of the file's layout are header-shaped all the same."""
    idx = scan.maybe_header(buf, starts, is_head)
    if len(idx) == 0:
        return 0
    lines = span_series("line", data, starts[idx], ends[idx])
    if eastern:
        lines = pl.Series([_western(ln) for ln in lines.to_list()], dtype=pl.String)
    return int(lines.str.contains(GENERIC).sum())


def _before_first(data: bytes, starts: np.ndarray, ends: np.ndarray, first: int, src: Source,
                  opts: WhatsAppOptions, report: ReadReport) -> None:
    """Lines with text before the first header are reported as skipped (fatal with ``--strict``)."""
    lines = _decode(data, starts, ends, range(first))
    report.skipped.extend((i + 1, "text before the first message header") for i, ln in enumerate(lines) if ln.strip())
    if opts.strict and report.skipped:
        ln, reason = report.skipped[0]
        raise InputError(src.path, reason, line=ln)


def _some(numbers, k: int = 10) -> str:
    head = ", ".join(str(n) for n in numbers[:k])
    return head + ("…" if len(numbers) > k else "")


_CHUNK = 1 << 17
"""Messages screened at a time (per thread)."""
_THREADS = max(1, min(4, os.cpu_count() or 1))
"""Threads for the block-wise steps (polars and the compiled kernels release the GIL)."""
_BLOCK = 1 << 16
"""Events per block of the events table."""


@dataclass
class _Rows:
    """What :func:`_classify` decided, per message (arrays) and for the few system lines."""

    is_post: np.ndarray
    author: np.ndarray
    """Code of each message's author in ``names`` (-1 when the line has none)."""
    names: list[str]
    placeholder: np.ndarray
    """Index of the placeholder phrase (media, deleted, call…) the body is, or -1."""
    marker: np.ndarray
    """Length of the "edited" marker the message ends with (0 when none)."""
    at: np.ndarray
    """Whether the message contains ``@``."""
    system: dict[int, list[dict]]
    """Events of each system message (by message index): ``X added A and B`` gives two."""


def _classify(msgs: _Messages, book: PhraseBook, platform: str | None, report: ReadReport) -> _Rows:
    """Split each header line's rest into author and body, and decide its kind.

    Rules, in order (a line is ``rest`` after the header):

    - **system via body**: the line has ``Author: body``, the body is a known system phrase and it
      starts with U+200E — iOS attributes system lines to the group name (or to the contact, for
      security-code notices) and marks their text with U+200E; the split is made at
      ``": \u200e"`` so a group name containing ``": "`` stays whole;
    - **system via the whole line**: the whole rest is a system phrase and the text before the
      first ``": "`` is not a member who writes ordinary messages (so ``X changed the subject to
      "Rapat: Senin"`` is a system line while ``Budi: Andi left`` is Budi's message); on iOS the
      line must also start with U+200E;
    - **member post**: ``Author: body``; the body decides message, media, deleted, edited or a
      missed-call notice;
    - anything else is an unrecognised system line (kept as kind ``system``, subtype ``other``).

    The phrase tests run over blocks of messages (the text columns of a block point into the
    file, nothing is copied); only "is the author someone who writes ordinary messages" needs the
    whole file, and it is decided after every block is screened.
    """
    n = len(msgs)
    sys_whole, sys_body, placeholder = (np.full(n, -1, dtype=np.int32) for _ in range(3))
    placeholders = _placeholders(book)

    def screen_block(lo: int) -> None:
        rows = slice(lo, min(n, lo + _CHUNK))
        body = msgs.text("body", rows)
        special = screen(body, placeholders, book, also=_INVISIBLE)
        placeholder[rows] = first_match(body, placeholders, book, special, clean=True)

    def screen_system(idx: np.ndarray) -> None:
        for lo in range(0, len(idx), _CHUNK):
            rows = idx[lo:lo + _CHUNK]
            whole, body = msgs.text("whole", rows), msgs.text("body", rows)
            cand = screen(whole, book.system, book)  # the body is a suffix of the rest: one screen serves both
            sys_whole[rows] = first_match(whole, book.system, book, cand)
            sys_body[rows] = first_match(body, book.system, book, cand)

    sp = msgs.spans
    buf = np.frombuffer(msgs.data, dtype=np.uint8)
    with ThreadPoolExecutor(_THREADS) as pool:
        screening = pool.map(screen_block, range(0, n, _CHUNK))
        marker = scan.suffix_length(buf, sp.body, sp.end, book.edited_markers)
        author, firsts = scan.intern(buf, np.where(sp.author_end >= 0, sp.rest, -1), sp.author_end)
        list(screening)
    names = [msgs.data[sp.rest[i]:sp.author_end[i]].decode("utf-8") for i in firsts.tolist()]
    screened = np.zeros(n, dtype=np.bool_)
    screened[firsts] = True
    has_author = author >= 0
    # Only lines that can be system lines are tested against the system phrases: lines without an
    # author, lines whose body starts with U+200E, and every line of an author not yet shown to
    # write ordinary messages (shown by their first line, marked above); the others are posts by
    # the rules above.
    screened |= ~has_author | sp.body_lrm
    screen_system(np.flatnonzero(screened))
    via_body = has_author & (sys_body >= 0) & sp.body_lrm
    proven = np.unique(author[screened & has_author & (sys_whole < 0) & ~via_body])
    unproven = ~screened & has_author & ~np.isin(author, proven)
    screen_system(np.flatnonzero(unproven))
    via_body = has_author & (sys_body >= 0) & sp.body_lrm
    posters = np.unique(author[has_author & (sys_whole < 0) & ~via_body])
    via_whole = ~via_body & (sys_whole >= 0) & ~np.isin(author, posters)
    if platform == "ios":
        via_whole &= sp.rest_lrm
    is_post = has_author & ~via_body & ~via_whole
    system: dict[int, list[dict]] = {}
    state = _SystemState()
    for i in np.flatnonzero(~is_post).tolist():
        route = "body" if via_body[i] else "whole" if via_whole[i] else "unknown"
        phrase = int(sys_body[i] if via_body[i] else sys_whole[i])
        events = _system_events(msgs, i, route, phrase, names[author[i]] if author[i] >= 0 else None, book, state)
        if events is None:
            is_post[i] = True
        else:
            system[i] = events
    state.report(report)
    return _Rows(is_post=is_post, author=author, names=names, placeholder=placeholder, marker=marker,
                 at=sp.at, system=system)


def screen(texts: pl.Series, phrases: tuple[Phrase, ...], book: PhraseBook, also: tuple[str, ...] = ()) -> pl.Series:
    """Which texts may match one of ``phrases`` (a superset; never misses a match), or contain
    one of the strings ``also``."""
    literals, rest = book.screen(phrases)
    literals = literals + list(also)
    cand = texts.str.contains_any(literals) if literals else pl.Series([False] * len(texts))
    for pattern in rest:
        cand = cand | texts.str.contains(pattern)
    return cand.fill_null(False)


def first_match(texts: pl.Series, phrases: tuple[Phrase, ...], book: PhraseBook,
                cand: pl.Series | None = None, clean: bool = False) -> np.ndarray:
    """Index of the first phrase matching each text (-1 if none); ``cand`` may give the
    candidates of :func:`screen` when they are known; ``clean`` drops invisible characters from
    the candidates before matching.

    One Aho–Corasick pass over the phrases' literals finds the few candidate lines and which
    literals each contains; a pattern then runs only on the lines holding its literal (patterns
    without one run on every candidate). A single alternation of hundreds of patterns is far
    slower in every regex engine than this.
    """
    if cand is None:
        cand = screen(texts, phrases, book)
    out = np.full(len(texts), -1, dtype=np.int32)
    idx = cand.arg_true().to_numpy()
    if len(idx) == 0:
        return out
    sub = texts.gather(idx)
    if clean:
        sub = sub.str.replace_all(_INV, "").str.strip_chars()
    sub = sub.fill_null("")
    found = np.full(len(idx), np.iinfo(np.int32).max, dtype=np.int64)
    literals, _ = book.screen(phrases)
    by_literal: dict[str, list[int]] = {}
    loose: list[int] = []
    for i, phrase in enumerate(phrases):
        lit = phrase.literal if phrase.literal in literals else None
        (by_literal.setdefault(lit, []) if lit else loose).append(i)
    rows = pl.DataFrame({"row": np.arange(len(idx)), "lit": sub.str.extract_many(literals, overlapping=True)})
    rows = rows.explode("lit").drop_nulls().unique()
    for (lit,), grp in rows.group_by("lit"):
        r = grp["row"].to_numpy()
        texts_r = sub.gather(r)
        for i in by_literal.get(lit, []):
            hit = texts_r.str.contains(phrases[i].unnamed).to_numpy()
            np.minimum.at(found, r[hit], i)
    for i in loose:
        hit = sub.str.contains(phrases[i].unnamed).to_numpy()
        found[hit] = np.minimum(found[hit], i)
    out[idx] = np.where(found == np.iinfo(np.int32).max, -1, found)
    return out


def _placeholders(book: PhraseBook) -> tuple[Phrase, ...]:
    """What a member's post can be instead of a message: calls, deleted, media, pending."""
    return book.calls + book.deleted + book.media + book.pending


def _placeholder_kind(phrase: Phrase, book: PhraseBook) -> tuple[str, str | None]:
    if phrase in book.calls:
        return "system", "missed_call"
    return ("deleted" if phrase.kind == "deleted" else phrase.kind), phrase.subtype


@dataclass
class _SystemState:
    """What the system lines of a file tell about it: languages, group name, unknown lines."""

    languages: dict[str, int] = field(default_factory=dict)
    group_hint: str | None = None
    unknown: int = 0

    def report(self, report: ReadReport) -> None:
        if self.languages:
            report.language = max(self.languages, key=self.languages.get)
        if self.group_hint:
            report.group_hint = self.group_hint
        if self.unknown:
            report.warnings.append(f"{self.unknown} system lines not in the phrase tables, kept as kind "
                                   "'system', subtype 'other'")


def _system_events(msgs: _Messages, i: int, route: str, phrase_index: int, author_raw: str | None,
                   book: PhraseBook, state: _SystemState) -> list[dict] | None:
    """The events of system message ``i``: which phrase, who did it, to whom (``X added A, B and
    C`` gives three); None when it turns out to be a member's post after all. Its text is never
    kept: system lines name members and show phone numbers."""
    rest, more = msgs.one("rest", i), msgs.one("more", i)
    key = {"key_author": author_raw or "", "key_text": rest + ("" if more is None else "\n" + more)}

    def event(kind: str, subtype: str | None, actor: str | None, target: str | None, sub: int) -> dict:
        return {"kind": kind, "subtype": subtype, "actor": actor, "target": target, "sub": sub, **key}

    hit = None
    if route != "unknown":
        text = clean_name(msgs.one("body", i) if route == "body" else rest)
        phrase = book.system[phrase_index]
        m = phrase.regex.match(text)
        hit = (phrase, m) if m else book.match_system(text)
    if hit is None:
        state.unknown += 1
        return [event("system", "other", None, None, 0)]
    phrase, m = hit
    groups = m.groupdict()
    actor = groups.get("actor")
    if actor is not None and ": " in actor and author_raw is not None:
        return None
    state.languages[phrase.language] = state.languages.get(phrase.language, 0) + 1
    if groups.get("group"):
        state.group_hint = clean_name(groups["group"])
    if phrase.subtype in ("security_code", "number_change"):
        actor = None
    actor = _you(actor, book)
    if phrase.kind in ("add", "remove"):
        targets = [_you(t, book) for t in book.split_names(groups.get("targets") or "")]
        return [event(phrase.kind, phrase.subtype, actor, target, k) for k, target in enumerate(targets or [None])]
    if phrase.kind == "join" and actor is None:
        actor = YOU
    return [event(phrase.kind, phrase.subtype, actor, None, 0)]


def _you(name: str | None, book: PhraseBook) -> str | None:
    if name is None:
        return None
    name = clean_name(name)
    return YOU if name in book.you else name


_MENTION_PY = re.compile("@\u2068([^\u2069]+)\u2069|@(\\+?\\d{6,15})|@(?=\\w)")


def _mentions(texts: pl.Series, names: dict[str, str]) -> pl.Series:
    """Resolve @mentions in ``texts`` to member ids; ``names`` maps canonical names to ids.

    ``@⁨Name⁩`` (newer exports wrap the name in isolates) and ``@6281234567890`` resolve
    exactly; a bare ``@Name …`` resolves to the longest member name the text continues with
    (so ``@Pak Budi Santoso`` is not ``@Pak Budi``), else to the only member whose first name
    it is.
    """
    by_length = sorted((k for k in names if not k.startswith("tel:")), key=len, reverse=True)
    first_tokens: dict[str, list[str]] = {}
    for key in by_length:
        first_tokens.setdefault(key.split(" ")[0], []).append(names[key])
    out: list[list[str]] = []
    for text in texts.to_list():
        found: list[str] = []
        for m in _MENTION_PY.finditer(text or ""):
            if m[1] or m[2]:
                actor = names.get(canonical(m[1] or m[2]))
            else:
                after = text[m.end():m.end() + 80].casefold()
                actor = next((names[k] for k in by_length if after.startswith(k)
                              and not after[len(k):len(k) + 1].isalnum()), None)
                if actor is None:
                    word = re.match(r"[\w.'-]+", after)
                    cands = first_tokens.get(word[0], []) if word else []
                    actor = cands[0] if len(cands) == 1 else None
            if actor and actor not in found:
                found.append(actor)
        out.append(found)
    return pl.Series("mentions", out, dtype=pl.List(pl.String))


class _Vocab(dict):
    """Codes for a handful of strings (kinds, subtypes, member names), -1 for None."""

    def code(self, value: str | None) -> int:
        return -1 if value is None else self.setdefault(value, len(self))


def _numeric(values: np.ndarray, type_: pa.DataType, valid: np.ndarray | None = None) -> pa.Array:
    """A numpy array as an Arrow array of ``type_`` (null where ``valid`` is False), its buffer
    shared (``pa.array`` would import pandas, ~0.15 s, to look for pandas types)."""
    values = np.ascontiguousarray(values)
    data = np.packbits(values, bitorder="little") if type_ == pa.bool_() else values
    mask = None if valid is None or valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.Array.from_buffers(type_, len(values), [mask, pa.py_buffer(data)])


def _strings(values: list[str | None]) -> pa.Array:
    return pl.Series(values, dtype=pl.String).to_arrow().cast(pa.string())


def _take(values: pa.Array, codes: np.ndarray) -> pa.Array:
    """``values[code]`` per code, null where the code is -1."""
    return pc.take(values, _numeric(codes.astype(np.int32), pa.int32(), codes >= 0))


def _constant(text: str, n: int) -> pa.Array:
    """``text`` ``n`` times (a block of events: well under 2 GB)."""
    raw = text.encode()
    offsets = np.arange(n + 1, dtype=np.int32) * len(raw)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(raw * n)])


def _list_array(n: int, rows: np.ndarray, items: list[list[str]]) -> pa.ListArray:
    """A list-of-strings array of length ``n``: ``items[k]`` at row ``rows[k]``, else empty."""
    lengths = np.zeros(n, dtype=np.int32)
    lengths[rows] = [len(v) for v in items]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    values = pl.Series([v for vs in items for v in vs], dtype=pl.String).to_arrow().cast(pa.string())
    return pa.ListArray.from_arrays(pa.Array.from_buffers(pa.int32(), n + 1, [None, pa.py_buffer(offsets)]), values)


def _give_back_memory() -> None:
    """Return freed heap memory to the system before the events table is built (glibc keeps
    arrays freed below its adaptive mmap threshold; ``malloc_trim`` releases them)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _edited_text(msgs: _Messages, m: np.ndarray, marker: np.ndarray) -> pl.Series:
    """The text of messages ``m`` without the "edited" marker they end with (and the spaces and
    marks before it)."""
    return msgs.text("full", m).str.head(-pl.Series(marker[m])).str.strip_chars_end(" \u200e\u200f")


def _assemble(msgs: _Messages, rows: _Rows, book: PhraseBook, src: Source, group: str | None,
              pseudo: Pseudonymizer, opts: WhatsAppOptions, report: ReadReport) -> tuple[pa.Table, pa.Table]:
    """The canonical tables: one event per post and per system event, with pseudonyms, UTC times,
    ids, mentions and inferred replies. Per-event values are arrays of codes until the last step,
    which builds the table block by block."""
    group_id = (group or group_name_from_filename(src.name)
                or (group_name_from_filename(PurePosixPath(src.container).name) if src.container else None)
                or report.group_hint or PurePosixPath(src.container or src.name).stem)
    n = len(msgs)
    counts = np.ones(n, dtype=np.int32)
    for i, events in rows.system.items():
        counts[i] = len(events)
    msg = np.repeat(np.arange(n, dtype=np.int32), counts)
    first = np.cumsum(counts) - counts
    sys_at = np.concatenate([first[i] + np.arange(len(ev)) for i, ev in rows.system.items()] or [np.zeros(0, np.int64)])
    del counts, first
    sys_events = [e for ev in rows.system.values() for e in ev]
    post = rows.is_post[msg]

    kinds, subtypes, names = _Vocab(), _Vocab(), _Vocab()
    for name in rows.names:
        names.code(name)
    placeholders = _placeholders(book)
    ph_kind = np.array([kinds.code(_placeholder_kind(p, book)[0]) for p in placeholders] + [-1], dtype=np.int16)
    ph_sub = np.array([subtypes.code(_placeholder_kind(p, book)[1]) for p in placeholders] + [-1], dtype=np.int16)
    message, edited = kinds.code("message"), kinds.code("edited")
    hit = ph_kind[rows.placeholder[msg]]
    kind = np.where((hit < 0) | (hit == message), np.where(rows.marker[msg] > 0, edited, message), hit).astype(np.int16)
    subtype = ph_sub[rows.placeholder[msg]]
    media, pending = kinds.code("media"), subtypes.code("pending")
    is_media = post & (hit == media)
    no_text = np.isin(hit, [kinds.code("deleted"), kinds.code("system")]) | (subtype == pending) | ~post
    actor = np.where(post, rows.author[msg], -1).astype(np.int32)
    target = np.full(len(msg), -1, dtype=np.int32)
    sub = np.zeros(len(sys_at), dtype=np.int32)
    for k, (r, e) in enumerate(zip(sys_at.tolist(), sys_events, strict=True)):
        kind[r], subtype[r] = kinds.code(e["kind"]), subtypes.code(e["subtype"])
        actor[r], target[r], sub[k] = names.code(e["actor"]), names.code(e["target"]), e["sub"]

    local = pl.Series("local", msgs.local.astype("datetime64[us]"))
    ts = local.dt.replace_time_zone(opts.tz, ambiguous="earliest", non_existent="null").dt.convert_time_zone("UTC")
    if ts.null_count():
        bad = msgs.lineno[ts.is_null().arg_true()[0]]
        raise InputError(src.path, f"local time does not exist in timezone {opts.tz} (daylight-saving gap)", line=int(bad))
    ts = ts.gather(msg)
    del local

    epoch = msgs.local.astype("datetime64[s]").astype(np.int64)
    sp = msgs.spans
    hashed = hash_spans(epoch, msgs.data, (sp.rest, sp.author_end), (sp.body, sp.end), np.zeros(n, dtype=np.int64),
                        pseudo.salt, _THREADS)[msg]
    if len(sys_at):
        hashed[sys_at] = hash64([pl.Series(epoch[msg[sys_at]]), pl.Series([e["key_author"] for e in sys_events]),
                                 pl.Series([e["key_text"] for e in sys_events]), pl.Series(sub)], pseudo.salt)
    del epoch
    rank = repeats(hashed)

    used = np.unique(np.concatenate([np.unique(actor), np.unique(target)]))
    used = used[used >= 0].tolist()
    vocab = list(names)
    ids = {vocab[c]: pseudo.member_id(vocab[c]) for c in used}
    id_of = [ids.get(name) for name in vocab]
    members = pl.DataFrame(
        {
            "group_id": [group_id] * len(ids),
            "actor": list(ids.values()),
            "name": [pseudo.display(name, opts.keep_names) for name in ids],
            "is_phone": [is_phone(clean_name(name)) for name in ids],
        },
        schema={"group_id": pl.String, "actor": pl.String, "name": pl.String, "is_phone": pl.Boolean},
    ).unique("actor", keep="first").sort("actor")

    posts = np.flatnonzero(np.isin(kind, [kinds[k] for k in POST_KINDS if k in kinds]))
    replies = infer_replies(pl.DataFrame({"event_id": posts, "actor": actor[posts], "ts": ts.gather(posts)}),
                            opts.reply_rule)
    back = np.full(len(msg), -1, dtype=np.int32)
    back[posts] = replies["reply_to"].fill_null(-1).to_numpy()
    target[posts] = np.where(target[posts] >= 0, target[posts], replies["target"].fill_null(-1).to_numpy())
    del replies, posts

    canon = {canonical(name): ids[name] for name in ids}
    tagged = np.flatnonzero(rows.at[msg] & post & np.isin(kind, [kinds.code(k) for k in ("message", "edited", "media")]))
    mentions = _list_array(len(msg), tagged, _mentions(msgs.text("full", msg[tagged]), canon).to_list())

    del hit
    n_chars = np.where(is_media, sp.chars_more[msg], np.where(no_text, 0, sp.chars[msg])).astype(np.int32)
    edited_rows = np.flatnonzero(~is_media & ~no_text & (rows.marker[msg] > 0))
    n_chars[edited_rows] = _edited_text(msgs, msg[edited_rows], rows.marker).str.len_chars().to_numpy()
    del sp
    if not opts.keep_text:
        msgs.release()
    _give_back_memory()
    ts_us = ts.to_physical().to_numpy()
    kind_names, subtype_names = _strings(list(kinds)), _strings(list(subtypes))
    id_names = _strings(id_of)

    def block(lo: int) -> pa.Table:
        c = slice(lo, min(len(msg), lo + _BLOCK))
        m = msg[c]
        size = len(m)
        none = pa.nulls(size, pa.string())
        text = none
        if opts.keep_text:
            text = pl.select(
                pl.when(pl.Series(is_media[c])).then(msgs.text("more", m))
                .when(pl.Series(no_text[c])).then(None)
                .when(pl.Series(rows.marker[m] > 0)).then(_edited_text(msgs, m, rows.marker))
                .otherwise(msgs.text("full", m))
            ).to_series().to_arrow().cast(pa.string())
        reply = np.maximum(back[c], 0)
        return pa.Table.from_arrays([
            _constant(group_id, size),
            event_id_array(hashed[c], rank[c]),
            _numeric(ts_us[c], pa.timestamp("us", tz="UTC")),
            _take(id_names, actor[c]),
            _take(kind_names, kind[c]),
            _take(subtype_names, subtype[c]),
            pc.if_else(_numeric(back[c] >= 0, pa.bool_()), event_id_array(hashed[reply], rank[reply]), none),
            _numeric(back[c] >= 0, pa.bool_()),
            _take(id_names, target[c]),
            mentions.slice(lo, size),
            none,
            text,
            _numeric(n_chars[c], pa.int32()),
            _numeric(is_media[c].astype(np.int16), pa.int16()),
            _numeric(msgs.lineno[m].astype(np.int64), pa.int64()),
        ], schema=EVENT_SCHEMA)

    with ThreadPoolExecutor(_THREADS) as pool:
        blocks = list(pool.map(block, range(0, len(msg), _BLOCK)))
    table = pa.concat_tables(blocks) if blocks else EVENT_SCHEMA.empty_table()
    report.n_events = table.num_rows
    counted = np.bincount(kind, minlength=len(kinds))
    report.kinds = dict(sorted((k, int(counted[c])) for k, c in kinds.items() if counted[c]))
    return table, members.to_arrow().cast(MEMBER_SCHEMA)
