"""Which messages are members' posts and which are system lines, and what each post is.

The rules are in :func:`classify`; phrases come from the tables of :mod:`.phrases`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from kohesi.ingest.report import ReadReport
from kohesi.ingest.whatsapp import scan
from kohesi.ingest.whatsapp import screen as screen_ends
from kohesi.ingest.whatsapp.messages import Messages
from kohesi.ingest.whatsapp.phrases import Phrase, PhraseBook
from kohesi.privacy import INVISIBLE, clean_name

__all__ = ["Rows", "classify", "prepare", "screen", "first_match", "placeholders_of", "placeholder_kinds", "YOU"]

_INV = f"[{INVISIBLE}]"
_INVISIBLE = tuple(INVISIBLE)
YOU = "You"
_CHUNK = 1 << 17
"""Messages screened at a time (per thread)."""


@dataclass
class Rows:
    """What :func:`classify` decided, per message (arrays) and for the few system lines."""

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


def classify(msgs: Messages, book: PhraseBook, platform: str | None, report: ReadReport) -> Rows:
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
    file, nothing is copied); placeholders, which are whole bodies, are first screened by the
    few bytes at each end of a body (:func:`~.screen.affix_screen`); only "is the author someone who writes ordinary messages" needs the
    whole file, and it is decided after every block is screened.
    """
    n = len(msgs)
    sys_whole, sys_body, placeholder = (np.full(n, -1, dtype=np.int32) for _ in range(3))
    placeholders = placeholders_of(book)

    sp = msgs.spans
    buf = np.frombuffer(msgs.data, dtype=np.uint8)
    prefixes = tuple(t for p in placeholders if p.affixes[0] == "prefix" for t in p.affixes[1])
    suffixes = tuple(t for p in placeholders if p.affixes[0] == "suffix" for t in p.affixes[1])
    loose = tuple(p for p in placeholders if not p.affixes[0])

    def screen_block(lo: int) -> None:
        rows = slice(lo, min(n, lo + _CHUNK))
        body = msgs.text("body", rows)
        special = screen_ends.affix_screen(buf, sp.body[rows], sp.line_end[rows], prefixes, suffixes)
        if loose:
            special |= screen(body, loose, book).to_numpy()
        placeholder[rows] = first_match(body, placeholders, book, pl.Series(special), clean=True)

    def screen_system(idx: np.ndarray) -> None:
        for lo in range(0, len(idx), _CHUNK):
            rows = idx[lo:lo + _CHUNK]
            whole, body = msgs.text("whole", rows), msgs.text("body", rows)
            cand = screen(whole, book.system, book)  # the body is a suffix of the rest: one screen serves both
            sys_whole[rows] = first_match(whole, book.system, book, cand)
            sys_body[rows] = first_match(body, book.system, book, cand)

    with ThreadPoolExecutor(scan.THREADS) as pool:
        screening = pool.map(screen_block, range(0, n, _CHUNK))
        marker = screen_ends.suffix_length(buf, sp.body, sp.end, book.edited_markers)
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
    proven = _members_of(author, screened & has_author & (sys_whole < 0) & ~via_body, len(names))
    unproven = ~screened & has_author & ~proven[author]
    screen_system(np.flatnonzero(unproven))
    via_body = has_author & (sys_body >= 0) & sp.body_lrm
    posters = _members_of(author, has_author & (sys_whole < 0) & ~via_body, len(names))
    via_whole = ~via_body & (sys_whole >= 0) & ~posters[author]
    if platform == "ios":
        via_whole &= sp.rest_lrm
    is_post = has_author & ~via_body & ~via_whole
    system: dict[int, list[dict]] = {}
    state = _SystemState(members=frozenset(clean_name(names[k]) for k in np.flatnonzero(posters[:len(names)]).tolist()))
    for i in np.flatnonzero(~is_post).tolist():
        route = "body" if via_body[i] else "whole" if via_whole[i] else "unknown"
        phrase = int(sys_body[i] if via_body[i] else sys_whole[i])
        events = _system_events(msgs, i, route, phrase, names[author[i]] if author[i] >= 0 else None, book, state)
        if events is None:
            is_post[i] = True
        else:
            system[i] = events
    state.report(report)
    return Rows(is_post=is_post, author=author, names=names, placeholder=placeholder, marker=marker,
                 at=sp.at, system=system)


def prepare(book: PhraseBook) -> PhraseBook:
    """Everything :func:`classify` derives from the phrase tables once per process (the screens'
    literals, the compiled patterns, the placeholders' affixes), so it can be done while the
    messages are being found."""
    book.screen(book.system)
    book.screen(placeholders_of(book))
    for phrase in book.system:
        _ = phrase.regex
    for phrase in placeholders_of(book):
        _ = phrase.affixes
    return book


def _members_of(codes: np.ndarray, where: np.ndarray, n: int) -> np.ndarray:
    """Which of the ``n`` codes occur in ``codes[where]``, indexable by any code including -1
    (never a member)."""
    seen = np.zeros(n + 1, dtype=np.bool_)
    seen[:n] = np.bincount(codes[where], minlength=n)[:n] > 0
    return seen


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


def placeholders_of(book: PhraseBook) -> tuple[Phrase, ...]:
    """What a member's post can be instead of a message: calls, deleted, media, pending."""
    return book.calls + book.deleted + book.media + book.pending


def placeholder_kinds(book: PhraseBook) -> list[tuple[str, str | None]]:
    """The (kind, subtype) of each phrase of :func:`placeholders_of`, in its order: a call is a
    missed call (a system event), the others say what they stand for."""
    calls = len(book.calls)
    return [("system", "missed_call") if i < calls else (("deleted" if p.kind == "deleted" else p.kind), p.subtype)
            for i, p in enumerate(placeholders_of(book))]


@dataclass
class _SystemState:
    """What the system lines of a file tell about it: languages, group name, unknown lines."""

    languages: dict[str, int] = field(default_factory=dict)
    group_hint: str | None = None
    unknown: int = 0
    members: frozenset[str] = frozenset()
    """Names of the members who write ordinary messages (a name is never split into several)."""

    def report(self, report: ReadReport) -> None:
        if self.languages:
            report.language = max(self.languages, key=self.languages.get)
        if self.group_hint:
            report.group_hint = self.group_hint
        if self.unknown:
            report.warnings.append(f"{self.unknown} system lines not in the phrase tables, kept as kind "
                                   "'system', subtype 'other'")


def _system_events(msgs: Messages, i: int, route: str, phrase_index: int, author_raw: str | None,
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
        targets = [_you(t, book) for t in _names(groups.get("targets") or "", phrase.language, book, state)]
        return [event(phrase.kind, phrase.subtype, actor, target, k) for k, target in enumerate(targets or [None])]
    if phrase.kind == "join" and actor is None:
        actor = YOU
    if phrase.kind in ("join", "leave") and actor is not None and actor != YOU:
        actors = [_you(a, book) for a in _names(groups["actor"], phrase.language, book, state)]
        return [event(phrase.kind, phrase.subtype, a, None, k) for k, a in enumerate(actors or [actor])]
    return [event(phrase.kind, phrase.subtype, actor, None, 0)]


def _names(text: str, language: str, book: PhraseBook, state: _SystemState) -> list[str]:
    """The members a system line names: ``"A, B dan C"`` is three (split with the separators of
    the phrase's language), unless the whole is the name of a member who writes messages."""
    whole = clean_name(text).rstrip(":").strip()
    if whole in state.members:
        return [whole]
    return book.split_names(whole, language)  # each name is cleaned by _you


def _you(name: str | None, book: PhraseBook) -> str | None:
    if name is None:
        return None
    name = clean_name(name).rstrip(":").rstrip()
    return YOU if name in book.you else name
