"""Phrase tables: what WhatsApp writes for system events, media, deleted and edited messages.

The tables are data (``phrases/<lang>.toml``): adding a language adds a file, not code. Each
pattern is valid for both Python ``re`` (used on the few system lines, to extract who did what)
and Rust ``regex`` (used by polars to test a million lines at once).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = ["NEVER", "Phrase", "PhraseBook", "phrasebook", "SYSTEM_SUBTYPES", "MEDIA_SUBTYPES"]

SYSTEM_SUBTYPES = (
    "e2e", "created", "subject", "icon", "description", "settings", "admin", "timer",
    "security_code", "number_change", "missed_call", "pinned",
)
MEMBERSHIP = {"add": ("add", None), "join_link": ("join", "link"), "join": ("join", None),
              "leave": ("leave", None), "remove": ("remove", None)}
MEDIA_SUBTYPES = ("image", "video", "audio", "sticker", "gif", "document", "contact", "location", "poll", "other")

_NAMED = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True)
class Phrase:
    """One pattern: the event kind and subtype it marks, in which language."""

    kind: str
    subtype: str | None
    language: str
    pattern: str

    @property
    def regex(self) -> re.Pattern:
        return _compile(self.pattern)

    @property
    def literal(self) -> str | None:
        """The longest run of plain characters every match must contain (≥ 3 chars), if any.

        Used to prefilter a million lines with one Aho–Corasick pass before running the
        pattern itself on the few candidates: big regex alternations are slow in any engine.

        >>> Phrase("media", "other", "en", "^<Media omitted>$").literal
        '<Media omitted>'
        >>> Phrase("add", None, "en", "^(?P<actor>.+?) added (?P<targets>.+)$").literal
        ' added '
        """
        return _longest_literal(self.pattern)

    @property
    def affixes(self) -> tuple[str, tuple[str, ...]]:
        """``("prefix", texts)`` or ``("suffix", texts)``: one of ``texts`` begins (ends) every
        match of this anchored pattern — the side whose shortest text is longer; ``("", ())``
        when neither side has one.

        >>> Phrase("media", "other", "en", "^(?:<Media omitted>|<media omitted>)$").affixes[1]
        ('<Media omitted>', '<media omitted>')
        >>> Phrase("media", "document", "en", r"^.+ \\(file attached\\)$").affixes
        ('suffix', (' (file attached)',))
        """
        return _affixes(self.pattern)

    @property
    def unnamed(self) -> str:
        """The pattern with named groups made anonymous (for one combined Rust alternation)."""
        return _NAMED.sub("(?:", self.pattern)


@cache
def _compile(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@cache
def _longest_literal(pattern: str) -> str | None:
    from re import _parser  # the stdlib regex parser: resolves escapes exactly

    try:
        items = list(_parser.parse(pattern))
    except re.error:
        return None
    best, run = "", []
    for op, arg in items + [(None, None)]:
        if str(op) == "LITERAL":
            run.append(chr(arg))
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    return best if len(best) >= 3 else None


_AFFIX_LIMIT = 64
"""Most texts a pattern's start (or end) is expanded into."""


def _chars(item: tuple) -> list[str] | None:
    """The characters a parsed item matches, if it is one literal or a small character class."""
    op, arg = str(item[0]), item[1]
    if op == "LITERAL":
        return [chr(arg)]
    if op != "IN":
        return None
    out: list[str] = []
    for o, a in arg:
        if str(o) == "LITERAL":
            out.append(chr(a))
        elif str(o) == "RANGE" and a[1] - a[0] < 4:
            out += [chr(c) for c in range(a[0], a[1] + 1)]
        else:
            return None
    return out if len(out) <= 8 else None


def _expand(items: list, reverse: bool) -> tuple[list[str], bool]:
    """Every text a match of the parsed ``items`` starts with (ends with, when ``reverse``), as
    far as literals, small classes, groups, alternations and optional parts go; and whether the
    texts are whole matches."""
    def join(head: str, tail: str) -> str:
        return tail + head if reverse else head + tail

    cur = [""]
    for item in (items[::-1] if reverse else items):
        op, arg = str(item[0]), item[1]
        chars = _chars(item)
        done = True
        if chars is not None:
            nxt = [join(s, c) for s in cur for c in chars]
        elif op == "SUBPATTERN":
            sub, done = _expand(list(arg[-1]), reverse)
            nxt = [join(s, x) for s in cur for x in sub]
        elif op == "BRANCH":
            alts = [_expand(list(a), reverse) for a in arg[1]]
            done = all(d for _, d in alts)
            nxt = [join(s, x) for s in cur for a, _ in alts for x in a]
        elif op in ("MAX_REPEAT", "MIN_REPEAT") and arg[0] == 0 and arg[1] == 1:
            sub, done = _expand(list(arg[2]), reverse)
            nxt = cur + [join(s, x) for s in cur for x in sub] if done else cur
        else:
            return cur, False
        if len(nxt) > _AFFIX_LIMIT:
            return cur, False
        cur = nxt
        if not done:
            return cur, False
    return cur, True


@cache
def _affixes(pattern: str) -> tuple[str, tuple[str, ...]]:
    from re import _parser

    items = list(_parser.parse(pattern))
    if items and str(items[0][0]) == "AT":
        items = items[1:]
    if items and str(items[-1][0]) == "AT":
        items = items[:-1]
    sides = [("prefix", _expand(items, False)[0]), ("suffix", _expand(items, True)[0])]
    side, texts = max(sides, key=lambda st: min(len(t.encode()) for t in st[1]))
    if min(len(t.encode()) for t in texts) == 0:
        return "", ()
    return side, tuple(dict.fromkeys(texts))


NEVER = r"^\b\B$"
"""A pattern that matches nothing."""


@cache
def _screen(phrases: tuple[Phrase, ...], min_literal: int) -> tuple[list[str], list[str]]:
    """Literals (≥ ``min_literal`` UTF-8 bytes: four CJK characters are as rare in a chat as
    five Latin letters) for a one-pass prefilter, and the patterns of the phrases without such a
    literal, to be tested one by one (never as one alternation)."""
    strong = [p for p in phrases if p.literal and len(p.literal.encode()) >= min_literal]
    literals = sorted({p.literal for p in strong})
    rest = [p.unnamed for p in phrases if p not in strong]
    return literals, rest


@dataclass(frozen=True)
class PhraseBook:
    """All languages' phrases, in matching order."""

    system: tuple[Phrase, ...]
    """System and membership lines (specific system subtypes first, membership last)."""
    calls: tuple[Phrase, ...]
    media: tuple[Phrase, ...]
    """Media placeholders, specific subtypes first and ``other`` last."""
    deleted: tuple[Phrase, ...]
    pending: tuple[Phrase, ...]
    edited_markers: tuple[str, ...]
    """Literal text WhatsApp appends to an edited message."""
    you: frozenset[str]
    list_separators: tuple[str, ...]
    """Every language's list separators (``", "``, ``" and "``, ``" dan "``…)."""
    separators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each language's own list separators."""

    def screen(self, phrases: tuple[Phrase, ...], min_literal: int = 5) -> tuple[list[str], list[str]]:
        """Literals for a one-pass prefilter, and the patterns to test one by one (cached)."""
        return _screen(phrases, min_literal)

    def match_system(self, text: str) -> tuple[Phrase, re.Match] | None:
        """The first system phrase matching ``text`` and its match."""
        for phrase in self.system:
            m = phrase.regex.match(text)
            if m:
                return phrase, m
        return None

    def split_names(self, text: str, language: str | None = None) -> list[str]:
        """``"A, B and C"`` → ``["A", "B", "C"]`` with the list separators of ``language`` (the
        language of the line's phrase; default: every language's). A part that is an academic
        title (``"Budi, S.Pd"``) stays with the name before it.

        >>> phrasebook().split_names("Andi, Budi, S.Pd dan Citra", "id")
        ['Andi', 'Budi, S.Pd', 'Citra']
        """
        seps = self.separators.get(language, self.list_separators) if language else self.list_separators
        parts: list[str] = []
        for part in (p.strip() for p in _separators(seps).split(text)):
            if parts and _TITLE.match(part):
                parts[-1] += ", " + part
            elif part:
                parts.append(part)
        return parts


_TITLE = re.compile(r"^(?:[A-Z][A-Za-z]{0,3}\.){1,3}(?:[A-Za-z]{1,4}\.?)?$")
"""An academic or professional title written after a name (S.Pd, S.H., M.Kom, Dr.)."""


@cache
def _separators(list_separators: tuple[str, ...]) -> re.Pattern:
    seps = sorted(set(list_separators) | {"," + s for s in list_separators if s.startswith(" ")},
                  key=len, reverse=True)
    return re.compile("|".join(re.escape(s) for s in seps))


def _languages() -> list[str]:
    folder = resources.files("kohesi.ingest.whatsapp").joinpath("phrases")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


@cache
def phrasebook(languages: tuple[str, ...] | None = None) -> PhraseBook:
    """Load the phrase tables of ``languages`` (default: every table shipped)."""
    langs = languages or tuple(_languages())
    system, membership, calls, media, other_media = [], [], [], [], []
    deleted, pending, edited, you, seps = [], [], [], set(), []
    by_language: dict[str, tuple[str, ...]] = {}
    folder = resources.files("kohesi.ingest.whatsapp").joinpath("phrases")
    for lang in langs:
        table = tomllib.loads(folder.joinpath(f"{lang}.toml").read_text("utf-8"))
        for subtype, patterns in table.get("system", {}).items():
            target = calls if subtype == "missed_call" else system
            target += [Phrase("system", subtype, lang, p) for p in patterns]
        for key, patterns in table.get("membership", {}).items():
            kind, subtype = MEMBERSHIP[key]
            membership += [Phrase(kind, subtype, lang, p) for p in patterns]
        for subtype, patterns in table.get("media", {}).items():
            bucket = other_media if subtype == "other" else media
            bucket += [Phrase("media", subtype, lang, p) for p in patterns]
        msg = table.get("message", {})
        deleted += [Phrase("deleted", None, lang, p) for p in msg.get("deleted", [])]
        pending += [Phrase("message", "pending", lang, p) for p in msg.get("pending", [])]
        if "edited_marker" in msg:
            edited.append(msg["edited_marker"])
        you.update(table.get("you", []))
        own = table.get("list_separators", [])
        seps += [s for s in own if s not in seps]
        by_language[lang] = tuple(dict.fromkeys([", ", *own]))
    return PhraseBook(
        system=tuple(system + membership),
        calls=tuple(calls),
        media=tuple(media + other_media),
        deleted=tuple(deleted),
        pending=tuple(pending),
        edited_markers=tuple(edited),
        you=frozenset(you),
        list_separators=tuple(seps),
        separators=by_language,
    )
