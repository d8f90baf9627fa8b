"""Lexicons of communicative acts: data files per language, compiled into one matcher.

Each ``lexicons/<lang>.toml`` holds entries::

    [[entry]]
    act = "thanks"            # an act; "none": a phrase that does none (it hides shorter ones, and the
                              # n-gram model adds no act beside it; with needs/unless, only where they
                              # hold: "Alhamdulillah 🤲" alone); or a cue "_name" that other entries'
                              # needs/unless look for
    words = ["terima kasih", "makasih", "makasi*"]   # "*" at the end: any word ending may follow;
                              # "{a|b}": each alternative ("{saya|aku} {|tadi }kurang ajar": four phrases)
    basis = "where the words and their meaning come from"
    negated = "none"          # what "tidak/gak/not … <word>" means (default: the entry is not negatable)
    needs = ["_time"]         # counts only with one of these acts or cues in the message
    unless = ["_question"]    # …and without any of these
    stage = 2                 # judged after stage-1 entries, seeing their acts too (default 1)
    denies = ["signup"]       # acts the phrase rules out: the n-gram model may not add them

plus ``negation`` words (with ``negation_fillers`` allowed in between: "gak *mau* ikut"),
``[patterns]``: cues found by a regular expression (a time of day, a question mark), and
``[lists]``: named word lists shared by entries and patterns, so that a list is written once::

    [lists]
    trait_id = ["pelit", "egois", "sombong"]
    [patterns]
    _insult_addressed = ['(?i)(?:lu|kamu) +<<trait_id>>']   # <<name>>: any word of the list
    [[entry]]
    act = "hostility"
    words_from = ["trait_id"]     # the list's words, added to ``words``
    needs = ["_insult_addressed"]

A pattern cue is looked for only in messages where an entry that needs it (or is cancelled by
it) was found, so a pattern may be costly: it runs on few messages.

Matching rules, in order:

1. Texts and phrases are normalised alike (:mod:`kohesi.text.normalise`, :func:`squeeze`): lower case;
   punctuation and emoji set apart by spaces; a letter repeated up to four times counts once
   ("Makasiiih" is "makasih").
2. Every phrase of every language is searched in one Aho–Corasick pass (polars
   ``str.extract_many``), as whole words (prefix phrases: at a word start).
3. Where phrases overlap, the one that starts first wins, and at the same start the longest:
   "selamat pagi" (a greeting, ``none``) hides "selamat", "tidak benar" hides "benar".
4. A negatable phrase right after a negation word (and at most one filler) takes its
   ``negated`` act: "gak mau ikut" is no sign-up, "kurang setuju" is disagreement.
5. Entries without ``needs``/``unless`` give their act; the others are then judged, stage by
   stage, against the acts and cues found so far.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from kohesi.text.acts import ACTS

__all__ = ["Entry", "Lexicon", "lexicon", "squeeze", "LANGUAGES", "SEPARATORS", "EMOJI_SPACED"]

LANGUAGES: tuple[str, ...] = ("id", "jv", "su", "ar", "en", "emoji")
"""Lexicon files, in the order their entries are listed (a phrase is defined once)."""

SEPARATORS = tuple(",.;:!?()[]{}\"*~_/\\<>|=#@\n\t\r-–—…“”«»")
"""Characters that end a word: punctuation, brackets, line ends, dashes and quotes."""
CLAUSE_ENDS = tuple(",?!")
"""Separators that end a clause: no phrase and no negation reaches over them ("Hi all, welcome" is
no "all welcome"; "ada yg di kos ga? tolongin" no "ga tolongin")."""
EMOJI_SPACED = tuple("🙏👍👌🫡🙋✋🎂🥳🎊💔😂🤣😭😢😊😁😍🥰🤲💪🔥🎉😅😆🙂😄😔🥺😘🤗👏🙌✅😩😰😡😤🙈😷🤒🤕")
"""Emoji that are words of their own (set apart by spaces in a text, see :mod:`kohesi.text.normalise`)."""


_REPEAT = re.compile(r"([a-z])\1+")
_SPACE = re.compile(r" {2,}")


def squeeze(phrase: str) -> str:
    """A phrase normalised as the lexicon's keys are: lower case, letter runs once, separators
    as one space (texts get two, see :mod:`kohesi.text.normalise`).

    >>> squeeze("Makasiiih,  BANYAK!")
    'makasih banyak'
    """
    s = phrase.lower()
    for c in SEPARATORS:
        s = s.replace(c, " ")
    s = s.replace("’", "'")
    return _SPACE.sub(" ", _REPEAT.sub(r"\1", s)).strip()


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: phrases that perform an act (or mark a cue), and when they count."""

    act: str
    words: tuple[str, ...]
    basis: str
    language: str
    negated: str | None = None
    needs: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    stage: int = 1
    denies: tuple[str, ...] = ()
    """Acts the phrase rules out wherever it is found: the n-gram model (:mod:`kohesi.text.ngrams`)
    may not add them ("tidak bisa ikut" is a refusal: it joins and offers nothing)."""

    @property
    def conditional(self) -> bool:
        return bool(self.needs or self.unless)


def _pattern(key: str) -> str:
    """The search string of a squeezed phrase: padded by spaces where it starts or ends with a
    letter or digit (whole words), open at the end for a prefix phrase (``*``)."""
    prefix = key.endswith("*")
    key = key.rstrip("*")
    start = " " if key[:1].isalnum() or key[:1] in "'+" else ""
    end = "" if prefix or not (key[-1:].isalnum() or key[-1:] in "'%") else " "
    return start + key.replace(" ", "  ") + end


@dataclass(frozen=True)
class Lexicon:
    """Every language's entries, compiled into search strings."""

    entries: tuple[Entry, ...]
    patterns: tuple[str, ...]
    """Search strings (see :func:`_pattern`), one per distinct phrase or negation word,
    longest first (the matcher prefers earlier patterns at the same start)."""
    entry: np.ndarray = field(repr=False)
    """Entry index of each search string (-1: only a negation word or filler)."""
    is_negation: np.ndarray = field(repr=False)
    is_filler: np.ndarray = field(repr=False)
    cue_patterns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Regex cues: name → patterns (any language)."""
    cues: tuple[str, ...] = ()
    """Cue names (``_name``) that entries give or look at (``needs``, ``unless``), in bit order after
    the acts. A pattern only the tagger's own rules read (``tagger._RULED_OUT``, ``tagger._EXCEPT``)
    has no bit."""

    def bit(self, name: str) -> int:
        """Bit of an act or cue in a message's feature mask."""
        if name in ACTS:
            return 1 << ACTS.index(name)
        return 1 << (len(ACTS) + self.cues.index(name))


MAX_BITS = 63
"""Acts and cues together: each is one bit of a message's ``int64`` mask (the sign bit left alone)."""
_LIST_REF = re.compile(r"<<(\w+)>>")
_REGEX_META = re.compile(r"([\\.^$|?*+()\[\]{}])")


def _list_regex(words: list[str]) -> str:
    """A word list as a regex alternation (longest first; spaces match any run of spaces)."""
    alts = {_REGEX_META.sub(r"\\\1", w.lower()).replace(" ", r"\s+") for w in words}
    return "(?:" + "|".join(sorted(alts, key=lambda w: (-len(w), w))) + ")"


_CHOICE = re.compile(r"\{([^{}]*)\}")


def _alternatives(word: str) -> list[str]:
    """Every phrase a lexicon word stands for: each ``{a|b|…}`` group replaced by each of its
    alternatives (an empty one: nothing), all combinations, in order.

    >>> _alternatives("{saya|aku} {|tadi }kurang ajar")
    ['saya kurang ajar', 'saya tadi kurang ajar', 'aku kurang ajar', 'aku tadi kurang ajar']
    """
    parts = _CHOICE.split(word)  # text, choices, text, choices, …, text
    options = [[p] if i % 2 == 0 else p.split("|") for i, p in enumerate(parts)]
    return ["".join(c) for c in itertools.product(*options)]


def _expand(pattern: str, lists: dict[str, list[str]], language: str) -> str:
    def sub(m: re.Match) -> str:
        if m.group(1) not in lists:
            raise ValueError(f"lexicon {language}: pattern names unknown list {m.group(1)!r}")
        return _list_regex(lists[m.group(1)])
    return _LIST_REF.sub(sub, pattern)


def _ascii_classes(pattern: str) -> str:
    """A cue pattern with ASCII word boundaries and digits (``\\b``, ``\\d``). The lexicons' words
    are ASCII, and a Unicode ``\\b`` makes the regex engine leave its fast automaton for every
    text with an emoji or another non-ASCII character: 100× slower on chat text."""
    return pattern.replace(r"\b", r"(?-u:\b)").replace(r"\d", "[0-9]")


def _read(language: str) -> dict:
    text = resources.files("kohesi.text").joinpath("lexicons", f"{language}.toml").read_text("utf-8")
    return tomllib.loads(text)


@cache
def lexicon() -> Lexicon:
    """All lexicon files, checked and compiled (cached)."""
    entries: list[Entry] = []
    negation: list[str] = []
    fillers: list[str] = []
    cue_patterns: dict[str, list[str]] = {}
    files = {lang: _read(lang) for lang in LANGUAGES}
    lists: dict[str, list[str]] = {}
    for data in files.values():
        for name, words in data.get("lists", {}).items():
            lists.setdefault(name, []).extend(words)
    for lang, data in files.items():
        negation += data.get("negation", [])
        fillers += data.get("negation_fillers", [])
        for name, pats in data.get("patterns", {}).items():
            cue_patterns.setdefault(name, []).extend(_ascii_classes(_expand(p, lists, lang)) for p in pats)
        for raw in data.get("entry", []):
            words = [w for word in raw.get("words", []) for w in _alternatives(word)]
            for name in raw.get("words_from", []):
                if name not in lists:
                    raise ValueError(f"lexicon {lang}: entry names unknown list {name!r}")
                words += lists[name]
            entries.append(Entry(act=raw["act"], words=tuple(words), basis=raw["basis"], language=lang,
                                 negated=raw.get("negated"), needs=tuple(raw.get("needs", ())),
                                 unless=tuple(raw.get("unless", ())), stage=int(raw.get("stage", 1)),
                                 denies=tuple(raw.get("denies", ()))))
    cues = sorted({e.act for e in entries if e.act.startswith("_")}
                  | {c for e in entries for c in (*e.needs, *e.unless) if c.startswith("_")})
    if len(ACTS) + len(cues) > MAX_BITS:
        raise ValueError(f"lexicons: {len(cues)} cues and {len(ACTS)} acts need {len(ACTS) + len(cues)} bits, but a "
                         f"message's acts and cues are one {MAX_BITS + 1}-bit signed mask: merge cues (a pattern may "
                         "share its name with a cue entry, as _safe does)")
    owner: dict[str, int] = {}
    for i, e in enumerate(entries):
        for name in (e.act, e.negated or "none", *e.needs, *e.unless):
            if name not in ACTS and name != "none" and name not in cues:
                raise ValueError(f"lexicon {e.language}: unknown act or cue {name!r} (entry {e.words[:2]})")
        for name in e.denies:
            if name not in ACTS:
                raise ValueError(f"lexicon {e.language}: entry {e.words[:2]} denies {name!r}, which is not an act")
        for w in e.words:
            pattern = _pattern(squeeze(w))
            if pattern.strip() == "":
                raise ValueError(f"lexicon {e.language}: {w!r} is empty once normalised")
            if pattern in owner and entries[owner[pattern]].act != e.act:
                raise ValueError(f"lexicon {e.language}: {w!r} is both {entries[owner[pattern]].act} and {e.act}")
            owner.setdefault(pattern, i)
    neg = {_pattern(squeeze(w)) for w in negation}
    fill = {_pattern(squeeze(w)) for w in fillers}
    patterns = sorted(set(owner) | neg | fill, key=lambda p: (-len(p), p))
    return Lexicon(
        entries=tuple(entries), patterns=tuple(patterns),
        entry=np.array([owner.get(p, -1) for p in patterns], dtype=np.int64),
        is_negation=np.array([p in neg for p in patterns]), is_filler=np.array([p in fill for p in patterns]),
        cue_patterns={k: tuple(v) for k, v in cue_patterns.items()}, cues=tuple(cues),
    )
