"""Tag texts with communicative acts, columnar: one Aho–Corasick pass, rules as bitmasks.

The rules (normalisation, which phrase wins, negation, when an entry needs a cue) are
documented in :mod:`kohesi.text.lexicon`; the acts in ``docs/acts.md``. Texts are processed
in two halves at once (one per core).
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi._numba import numba
from kohesi.text import ngrams
from kohesi.text.acts import ACT_BIT, ACTS, acts_from_mask
from kohesi.text.lexicon import Lexicon, lexicon
from kohesi.text.normalise import halves, in_halves, normalise

__all__ = ["tag", "tag_texts", "tag_masks", "tag_in_chat_and_alone", "distinct_texts", "evidence", "masks_to_arrow", "masks_to_lists", "explain"]

ACT_MASK = (1 << len(ACTS)) - 1
_RULED_OUT = {"distress": ("norm_reminder", "disagreement", "_asking_only", "_relief", "_istirja_only"),
              "hostility": ("_at_outsider", "_insult_owned"), "apology": ("norm_reminder",)}
"""An act dropped where the message also does one of these acts, found by the word lists or the
model, or matches one of these cues (patterns of the lexicon). News of a misfortune beside a rule
reminder or an objection is the reason given for them: "Jangan buang sampah ke kali lagi ya rek,
tiap ujan banjir semua gara2 itu", "Jangan asal tuduh pak, banjir itu karena hujan deres". Where
the tagger read both, the blind annotators of the labelled sets gave the misfortune in 2 of 21
messages beside a reminder and in none of 10 beside a disagreement. A message of nothing but
short questions (``_asking_only``: "Rumah sakit mana? Boleh dijenguk pas libur ga?", "Loro opo
cak? Parah ta?") asks after news already given; in none of the 9 labelled messages where the
tagger read a misfortune in one did the annotators. A message that opens in relief (``_relief``:
"Alhamdulillah operasi mbah Darmo lancar", "Alhamdulillah cuma lecet di lutut") says the
misfortune is over, unless a contrast (:data:`_EXCEPT`) brings more ("Puji Tuhan operasinya lancar,
tapi masih di ICU"): the annotators gave a misfortune in 1 of the 9 such labelled messages where
the tagger read one, and in 3 of the 3 with a contrast. A message of nothing but "Innalillahi wa inna
ilaihi raji'un" (``_istirja_only``) names no one and reports nothing: it answers the news (the one
such labelled message is sympathy alone); read in a chat between condolences, the learned stages
would otherwise take it for the announcement. Hostility insults a member or the group: an insult
whose target opens a clause or follows the curse and is an outsider (``_at_outsider``: "Dasar ojol,
ngetem deui", "Kurang ajar itu tengkulak", "fandom sebelah tuh norak") is none, unless the message
also addresses someone (``_addressed``: a second-person word, an @mention, the group itself, "kayak
maling"). Of the 20 messages of sets 1–66 where the tagger read hostility and the annotators saw
none, 5 were such; of the 531 where both read it, none (docs/acts.md). Nor is an insult the writer
names in their own apology (``_insult_owned``: "saya minta maaf tadi bilang bacot", "sorry I called
you an idiot"): taken back, not said again. "Maaf" beside a rule reminder softens the rule ("Bapak ibu,
mohon maaf, mau mengingatkan. Sampah tolong dipilah", "Mohon maaf Bunda, sesuai kesepakatan …"),
as "maaf mengganggu" softens a question: in sets 1–74 the annotators gave an apology in 7 of the 29
messages where the tagger read both, and with the stages fitted without them in 4 of 14."""
_EXCEPT = {"_relief": "_but", "_at_outsider": "_addressed", "apology:norm_reminder": "_own_fault"}
"""A cue of :data:`_RULED_OUT` (or ``"act:ruler"``, one act's ruler only) that does not rule the act
out where this other cue is found too: a rule reminder leaves the apology of a writer who owns a
fault ("Maaf pak, itu mobil tamu sy, sudah sy suruh pindah", "Mohon maaf atas kejadian semalam",
"Sorry for the disturbance")."""


@cache
def _ruled_out() -> tuple[tuple[int, int, tuple[tuple[int, str], ...], tuple[tuple[str, str | None], ...]], ...]:
    """:data:`_RULED_OUT` as (bit, the bits of the acts that rule it out, those acts that have an
    exception with its patterns joined, per cue its patterns joined and those of its exception or
    ``None``; exceptions: :data:`_EXCEPT`)."""
    out = []
    for act, by in _RULED_OUT.items():
        unless = {b: _EXCEPT.get(f"{act}:{b}", _EXCEPT.get(b)) for b in by}
        acts = [b for b in by if not b.startswith("_")]
        cues = tuple((_cue_regex(c), unless[c] and _cue_regex(unless[c])) for c in by if c.startswith("_"))
        excepted = tuple((ACT_BIT[b], _cue_regex(unless[b])) for b in acts if unless[b])
        out.append((ACT_BIT[act], sum(ACT_BIT[b] for b in acts if not unless[b]), excepted, cues))
    return tuple(out)


_LET_GO = ACT_BIT["hostility"] | ACT_BIT["agreement"]
"""Acts whose phrase, judged by its rules and let go, denies the learned stage the act: an insult
word that insults no one ("Ini pelajaran dasar kok"), an agreement that asks ("Setuju?")."""


@cache
def _entry_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per entry code (``2 * entry + negated``): the bit it gives, its stage (0: unconditional),
    the masks it needs / must not meet, and the acts it denies (``denies``; a negated phrase
    denies its entry's own act, see :func:`_word_list_masks`); and whether each entry is
    negatable."""
    lex = lexicon()
    n = len(lex.entries)
    give = np.zeros(2 * n, dtype=np.int64)
    stage = np.zeros(2 * n, dtype=np.int64)
    needs = np.zeros(2 * n, dtype=np.int64)
    unless = np.zeros(2 * n, dtype=np.int64)
    deny = np.zeros(2 * n, dtype=np.int64)
    for i, e in enumerate(lex.entries):
        give[2 * i] = 0 if e.act == "none" else lex.bit(e.act)
        give[2 * i + 1] = 0 if e.negated in (None, "none") else lex.bit(e.negated)
        stage[2 * i] = e.stage if e.conditional else 0
        needs[2 * i] = sum(lex.bit(c) for c in e.needs)
        unless[2 * i] = sum(lex.bit(c) for c in e.unless)
        deny[2 * i] = sum(lex.bit(a) for a in e.denies)
    negatable = np.array([e.negated is not None for e in lex.entries])
    return give, stage, needs, unless, deny, negatable


@cache
def _worded() -> np.ndarray:
    """Per entry code, whether the entry is of words (not emoji): a phrase its rules let go
    denies the n-gram model its act (:data:`_LET_GO`); an eye-roll whose rules are unmet is still
    contempt the model may read."""
    return np.repeat([e.language != "emoji" for e in lexicon().entries], 2)


def _halves(s: pl.Series, expr) -> pl.Series:
    """``expr`` applied to the ranges of ``s`` that :func:`~kohesi.text.normalise.halves` gives
    (two halves of a long column, in parallel), concatenated."""
    parts = halves(len(s))
    if len(parts) == 1:
        return s.to_frame("a").select(expr(pl.col("a")))["a"]
    (_, h), _ = parts
    a, b = s[:h], s[h:]
    a = a.extend(pl.Series([None] * (len(b) - h), dtype=s.dtype))  # a frame's columns are equally long
    out = pl.DataFrame({"a": a, "b": b}).lazy().select(expr(pl.col("a")), expr(pl.col("b"))).collect()
    return out["a"].head(h).append(out["b"])


@dataclass
class _Hits:
    """Phrases found, in text order: message index, search-string index, byte start (-1 where
    not needed: only messages with a negation word and another phrase are located)."""

    msg: np.ndarray
    pid: np.ndarray
    start: np.ndarray


def _find(lex: Lexicon, norm: pl.Series) -> _Hits:
    """Phrases in the normalised texts ``norm``."""
    pats = list(lex.patterns)
    found = _halves(norm, lambda c: c.str.extract_many(pats, leftmost=True).alias(c.meta.output_name()))
    counts = found.list.len().fill_null(0).to_numpy()
    flat = found.explode().drop_nulls()
    pid = flat.replace_strict({p: i for i, p in enumerate(pats)}, return_dtype=pl.Int64).to_numpy()
    msg = np.repeat(np.arange(len(norm)), counts)
    start = np.full(len(pid), -1, dtype=np.int64)
    has_neg = np.zeros(len(norm), dtype=bool)
    has_neg[msg[lex.is_negation[pid]]] = True
    located = np.flatnonzero(has_neg & (counts >= 2))
    if len(located):
        rows = np.isin(msg, located)
        start[rows] = norm.gather(located).str.find_many(pats, leftmost=True).explode().to_numpy()
    return _Hits(msg=msg, pid=pid, start=start)


def _resolve(lex: Lexicon, hits: _Hits) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mark negated phrases (a negation word, and at most one filler, right before a negatable
    phrase); returns (message, entry code, search string) of each phrase that belongs to an
    entry."""
    lengths = np.array([len(p.encode()) for p in lex.patterns], dtype=np.int64)
    msg, pid, start = hits.msg, hits.pid, hits.start
    end = start + lengths[pid]
    entry = lex.entry[pid]
    *_, negatable = _entry_table()
    adj1 = (_shift(msg, 1) == msg) & (_shift(end, 1) == start) & (start >= 0)
    adj2 = _shift(adj1, 1) & (_shift(msg, 2) == msg)
    neg1, fill1 = _shift(lex.is_negation[pid], 1), _shift(lex.is_filler[pid], 1)
    neg2 = _shift(lex.is_negation[pid], 2)
    real = entry >= 0
    negated = np.zeros(len(pid), dtype=bool)
    negated[real] = negatable[entry[real]] & adj1[real] & (neg1[real] | (fill1[real] & adj2[real] & neg2[real]))
    return msg[real], 2 * entry[real] + negated[real], pid[real]


def _shift(a: np.ndarray, k: int) -> np.ndarray:
    """``a`` moved ``k`` places down; the first ``k`` places hold -2 (False for booleans)."""
    out = np.zeros_like(a) if a.dtype == bool else np.full_like(a, -2)
    if k < len(a):
        out[k:] = a[:-k]
    return out


_BLOCK = 1 << 18
"""Texts tagged at a time: the normalised copies and the phrase lists of one block are held in
memory, not those of a whole export."""


def tag_masks(texts: pl.Series | pa.Array | pa.ChunkedArray | Sequence[str | None], *,
              learned: bool | ngrams.NgramModel = True, previous: np.ndarray | None = None) -> np.ndarray:
    """Act bitmask of every text (bit ``i`` is ``ACTS[i]``; 0 for none or a missing text): the
    word lists' acts and, unless ``learned`` is false, those the n-gram model finds
    (:mod:`kohesi.text.ngrams`; ``learned`` may be another fitted model). With ``previous`` (per
    text, the index of the message before it in its chat, -1 for none; each text the one before of
    at most one other), the learned stages read each message beside the ones before and after it;
    without, each text alone."""
    s = texts if isinstance(texts, pl.Series) else pl.Series("t", texts, dtype=pl.String)
    distinct, inverse = distinct_texts(s) or (s, None)
    return tag_distinct(distinct, inverse, previous, learned=learned)


def tag_distinct(distinct: pl.Series, inverse: np.ndarray | None, previous: np.ndarray | None = None, *,
                 learned: bool | ngrams.NgramModel = True) -> np.ndarray:
    """:func:`tag_masks` of rows whose texts are ``distinct[inverse]`` (``inverse`` ``None``: the
    rows are ``distinct``), each distinct text read once (:func:`distinct_texts`); ``previous``
    indexes rows."""
    m = None if learned is False else ngrams.model() if learned is True else learned
    n_rows = len(distinct) if inverse is None else len(inverse)
    chat = m is not None and previous is not None and n_rows > 0
    return _masks(_read_blocks(distinct, m, chat), distinct, inverse, previous if chat else None, m)


def tag_in_chat_and_alone(texts: pl.Series | Sequence[str | None], previous: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`tag_masks` of each text read in its chat (``previous``), and read alone, from one
    reading of the texts: where the two differ, the messages around it changed the acts."""
    s = texts if isinstance(texts, pl.Series) else pl.Series("t", texts, dtype=pl.String)
    distinct, inverse = distinct_texts(s) or (s, None)
    m = ngrams.model()
    read = _read_blocks(distinct, m, len(s) > 0)
    return (_masks(read, distinct, inverse, previous if len(s) else None, m),
            _masks(read, distinct, inverse, None, m))


def _masks(read: _Read, distinct: pl.Series, inverse: np.ndarray | None, previous: np.ndarray | None,
           m: ngrams.NgramModel | None) -> np.ndarray:
    """The acts of rows whose texts are ``distinct[inverse]``, from what was read in the distinct
    texts (``read``): the word lists' alone (``m`` ``None``), else decided with the learned stages
    (:func:`_decide`), in the chat where ``previous`` is given; then :data:`_RULED_OUT`."""
    if m is not None and previous is not None:
        rows = np.arange(len(distinct)) if inverse is None else inverse
        return _drop_ruled_out(_decide(read, rows, np.asarray(previous, dtype=np.int64), m), distinct, rows)
    out = read.words.copy() if m is None else _decide(read, np.arange(len(distinct)), None, m)
    out = _drop_ruled_out(out, distinct)
    return out if inverse is None else out[inverse]


def distinct_texts(s: pl.Series) -> tuple[pl.Series, np.ndarray] | None:
    """The distinct texts of a long column ``s`` and each text's index among them (a text's acts
    depend on the text alone: each is tagged once); ``None`` where ``s`` is short or mostly
    distinct, and tagging every text is cheaper (:func:`_distinct`)."""
    return _distinct(s) if len(s) >= _DISTINCT_FROM else None


_DISTINCT_FROM = 50_000
"""Texts from which repeats are tagged once (below, finding them costs more than it saves)."""
_DISTINCT_SHARE = 0.7
"""Share of distinct texts above which they are all tagged, repeats and all."""


def _distinct(s: pl.Series, keys: np.ndarray | None = None) -> tuple[pl.Series, np.ndarray] | None:
    """The distinct texts of ``s`` and, per text, its index among them; ``None`` where more than
    :data:`_DISTINCT_SHARE` of the texts are distinct (tagging them all is cheaper). Chats repeat
    themselves: "ok", "siap", "aamiin", "🙏", a media placeholder, a missing text; a text's acts
    depend on the text alone, so each distinct one is tagged once. Texts are grouped by a 64-bit
    hash (``keys``: other group keys, for tests; :func:`_first_of_key`) and each is then compared
    with its group's first text, so a hash collision only costs a text tagged on its own. Whether
    to look at all is judged first on 10,000 texts spread over ``s``: where nearly all of those
    differ, so do the rest, near enough."""
    if keys is None:
        sample = s.gather(np.linspace(0, len(s) - 1, min(len(s), 10_000)).astype(np.int64))
        if sample.n_unique() > 0.95 * len(sample):
            return None
        keys = s.hash(seed=0).to_numpy()
    first, inverse = _first_of_key(np.asarray(keys).view(np.uint64))
    if len(first) > _DISTINCT_SHARE * len(s):
        return None
    same = s.gather(first[inverse]).eq_missing(s).to_numpy()
    distinct = s.gather(first)
    if not same.all():  # a collision: the texts that differ from their group's first stand alone
        odd = np.flatnonzero(~same)
        inverse[odd] = len(first) + np.arange(len(odd))
        distinct = distinct.append(s.gather(odd))
    return distinct, inverse


@numba.njit(cache=True, nogil=True)
def _first_of_key(keys):  # pragma: no cover - compiled
    """The row where each distinct key first appears (in row order), and each row's index among
    them: an open-addressing hash table of twice the rows' size, probed linearly (Knuth 1998,
    *The Art of Computer Programming* 3, 6.4, algorithm L), the keys being hashes already."""
    n = len(keys)
    size = 2
    while size < 2 * n:
        size *= 2
    mask = size - 1
    held = np.empty(size, dtype=np.uint64)
    slot = np.full(size, -1, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    inverse = np.empty(n, dtype=np.int64)
    m = 0
    for r in range(n):
        k = keys[r]
        h = np.int64((k ^ (k >> np.uint64(32))) & np.uint64(mask))
        while True:
            j = slot[h]
            if j < 0:
                slot[h], held[h], first[m], inverse[r] = m, k, r, m
                m += 1
                break
            if held[h] == k:
                inverse[r] = j
                break
            h = (h + 1) & mask
    return first[:m], inverse


@dataclass(frozen=True)
class _Read:
    """What is read in each text alone: the word lists' acts (``words``) and the acts they deny
    (``denied``), bitmasks; with the learned stages, the second stage's logits of the text alone
    (``own``) and, for chats, what the text adds to those of the message after it (``to_next``)
    and of the one before it (``to_prev``; :func:`~kohesi.text.ngrams.stacked_in_chat`)."""

    words: np.ndarray
    denied: np.ndarray
    own: np.ndarray
    to_next: np.ndarray
    to_prev: np.ndarray


def _read_blocks(s: pl.Series, m: ngrams.NgramModel | None, chat: bool) -> _Read:
    if len(s) <= _BLOCK:
        return _read_block(s, m, chat)
    parts = [_read_block(s.slice(lo, _BLOCK), m, chat) for lo in range(0, len(s), _BLOCK)]
    return _Read(*(np.concatenate([getattr(p, f) for p in parts]) for f in ("words", "denied", "own", "to_next", "to_prev")))


def _read_block(s: pl.Series, m: ngrams.NgramModel | None, chat: bool) -> _Read:
    norm = normalise(s)
    k = 0 if m is None else len(m.acts)
    if m is None or len(s) == 0:
        words, _, denied = _word_lists(s, norm)
        empty = np.zeros((len(s), k))
        return _Read(words, denied, empty, empty, empty)
    with ThreadPoolExecutor(1) as pool:  # the n-gram scorer (compiled, without the GIL) beside the word lists
        scored = pool.submit(ngrams.logits, norm, m)
        words, found, denied = _word_lists(s, norm)
        ev = ngrams.Evidence(words, found, denied, ngrams.shape(norm))
        z = scored.result()
    if chat:
        return _Read(words, denied, *ngrams.stacked_in_chat(z, ev, m))
    return _Read(words, denied, ngrams.stacked(z, ev, m), np.zeros((0, k)), np.zeros((0, k)))


def _word_lists(s: pl.Series, norm: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The word lists' findings in the texts ``s`` (normalised: ``norm``), :func:`_word_list_masks`."""
    lex = lexicon()
    idx, code, _ = _resolve(lex, _find(lex, norm))
    return _word_list_masks(s, idx, code)


def evidence(texts: pl.Series | Sequence[str | None], norm: pl.Series | None = None) -> ngrams.Evidence:
    """What the word lists find in each text, as the learned stage reads it
    (:class:`~kohesi.text.ngrams.Evidence`), for fitting it (``norm``: the texts already
    normalised, where the caller has them)."""
    s = texts if isinstance(texts, pl.Series) else pl.Series("t", texts, dtype=pl.String)
    norm = normalise(s) if norm is None else norm
    return ngrams.Evidence(*_word_lists(s, norm), ngrams.shape(norm))


def _drop_ruled_out(out: np.ndarray, s: pl.Series, inverse: np.ndarray | None = None) -> np.ndarray:
    """``out`` (the acts of rows whose texts are ``s[inverse]``; ``inverse`` ``None``: ``s``
    itself) without the acts :data:`_RULED_OUT` drops, in place; each text's cues looked for once."""
    for bit, by, excepted, cues in _ruled_out():
        hit = (out & by) != 0
        for ruler, unless in excepted:
            rows = np.flatnonzero(((out & bit) != 0) & ((out & ruler) != 0) & ~hit)
            hit[rows[~_found(s, rows, inverse, ((unless, None),))]] = True
        if cues:
            rows = np.flatnonzero(((out & bit) != 0) & ~hit)
            hit[rows[_found(s, rows, inverse, cues)]] = True
        out[hit] &= ~bit
    return out


def _found(s: pl.Series, rows: np.ndarray, inverse: np.ndarray | None,
           cues: tuple[tuple[str, str | None], ...]) -> np.ndarray:
    """Per row of ``rows`` (text ``s[inverse[row]]``, or ``s[row]``), whether its text matches one of
    ``cues`` (pairs of a regex and one that must not match too, or ``None``); each text read once."""
    if not len(rows):
        return np.zeros(0, dtype=bool)
    texts_of, back = (rows, None) if inverse is None else np.unique(inverse[rows], return_inverse=True)
    texts = s.gather(texts_of)
    found = np.zeros(len(texts_of), dtype=bool)
    for cue, unless in cues:
        here = texts.str.contains(cue).fill_null(False).to_numpy()
        if unless is not None:
            here &= ~texts.str.contains(unless).fill_null(False).to_numpy()
        found |= here
    return found if back is None else found[back]


def _decide(read: _Read, rows: np.ndarray, previous: np.ndarray | None, m: ngrams.NgramModel) -> np.ndarray:
    """The acts of each row (text ``rows[r]`` of ``read``; in a chat, ``previous`` gives per row the
    row before it, -1 none, and so the row after it too; ``None``: no neighbours) once the
    learned stages have decided the model's acts (:mod:`kohesi.text.ngrams`): the word lists'
    other acts as they are; each of the model's acts where the second stage (from the n-gram
    logits, the word lists' acts, the acts any phrase marks and those they deny, and in a chat
    those of the neighbours) gives it a probability above :data:`~kohesi.text.ngrams.DECIDE` where
    the word lists give it, above its own :func:`~kohesi.text.ngrams.decide_at` where they do not
    (hostility only when nearly sure); but never one the word lists deny and do not give: read
    negated ("saya nggak ikut" signs nobody up), a phrase doing nothing ("dasar-dasar memasak"), a
    refusal ("tidak bisa ikut" joins and offers nothing), a phrase its rules judged and let go
    (:data:`_LET_GO`: "Ini pelajaran dasar kok", "Setuju?"). Rows are decided in two halves at once."""
    at = ngrams.decide_at(m.acts)
    bits = np.array([ACT_BIT[a] for a in m.acts], dtype=np.int64)
    rows = np.asarray(rows, dtype=np.int64)
    if previous is None:
        previous = after = np.full(len(rows), -1, dtype=np.int64)
        with_before = with_after = np.zeros(len(m.acts))
    else:
        after = ngrams.next_rows(previous)
        with_before, with_after = m.with_neighbour()
    out = np.empty(len(rows), dtype=np.int64)
    keep, add = np.log(ngrams.DECIDE / (1 - ngrams.DECIDE)), np.log(at / (1 - at))
    in_halves(len(rows), lambda lo, hi: _decide_rows(lo, hi, rows, previous, after, read.words, read.denied, read.own,
                                                     read.to_next, read.to_prev, with_before, with_after, bits, keep,
                                                     add, out))
    return out


@numba.njit(cache=True, nogil=True)
def _decide_rows(lo, hi, rows, previous, after, words, denied, own, to_next, to_prev, with_before, with_after,
                 bits, keep, add, out):  # pragma: no cover - compiled
    """:func:`_decide` for rows ``lo`` to ``hi``, into ``out``: logit = ``own`` of the row's text,
    plus, where a message comes before it, ``to_next`` of that message's text and ``with_before``,
    and where one comes after it, ``to_prev`` of that one's text and ``with_after``."""
    for r in range(lo, hi):
        d, p, u = rows[r], previous[r], after[r]
        q = rows[p] if p >= 0 else -1
        v = rows[u] if u >= 0 else -1
        w, mask = words[d], words[d]
        for a in range(len(bits)):
            z = own[d, a]
            if q >= 0:
                z += to_next[q, a] + with_before[a]
            if v >= 0:
                z += to_prev[v, a] + with_after[a]
            bit = bits[a]
            yes = z > keep if w & bit else z > add[a] and not denied[d] & bit
            mask = mask | bit if yes else mask & ~bit
        out[r] = mask


def _word_list_masks(s: pl.Series, idx: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """From the phrases found in the texts ``s`` (message ``idx``, entry ``code``, as
    :func:`_resolve` gives them): the word lists' acts of every text; the acts any phrase marks
    before the rules (a negated phrase: the act its negation gives); and the acts denied: the one
    a negated phrase denies ("nggak ikut" denies signup), all of them where a phrase is read as
    doing none ("dasar-dasar", "selamat pagi", "maaf numpang tanya"), those an entry ``denies``
    (a refusal, "tidak bisa ikut", denies sign-up and offer), and hostility where an insult
    word's rules let it go."""
    n = len(s)
    out = np.zeros(n, dtype=np.int64)
    lex = lexicon()
    give, stage_of, needs, unless, deny, _ = _entry_table()
    if len(idx) == 0:
        return out, out, out
    bits, stage = give[code], stage_of[code]
    conditional = stage > 0
    feats = _or_by(idx[~conditional], bits[~conditional], n)
    held = ~conditional  # each phrase whose entry's conditions hold (unconditional ones always)
    if conditional.any():
        c_idx, c_code, c_stage = idx[conditional], code[conditional], stage[conditional]
        c_at = np.flatnonzero(conditional)
        asks = needs[c_code] | unless[c_code]
        asked = int(np.bitwise_or.reduce(asks))
        looks = []  # (bit, regex, rows) per cue: only messages with an entry that looks at it, once each
        for name in lex.cues:  # only cues with a pattern, and an entry found in this block that looks at it
            bit = lex.bit(name)
            if name in lex.cue_patterns and asked & bit:
                at = c_idx[(asks & bit) != 0]
                looks.append((bit, _cue_regex(name), at[np.r_[True, at[1:] != at[:-1]]]))  # c_idx is sorted
        with ThreadPoolExecutor(2) as pool:  # the regular expressions, two at a time (polars frees the GIL)
            for bit, rows, found in pool.map(lambda job: (job[0], job[2], _found(s, job[2], None, ((job[1], None),))),
                                             looks):
                feats[rows[found]] |= bit
        for k in range(1, int(c_stage.max()) + 1):
            at = c_stage == k
            if not at.any():
                continue
            i_k, code_k = c_idx[at], c_code[at]
            f = feats[i_k]
            ok = ((f & unless[code_k]) == 0) & ((needs[code_k] == 0) | ((f & needs[code_k]) != 0))
            _or_into(feats, i_k[ok], give[code_k[ok]])
            held[c_at[at][ok]] = True
    negated = (code % 2) == 1  # a negated phrase: its entry's own act is denied
    denied = _or_by(idx[negated], give[code[negated] - 1], n) if negated.any() else np.zeros(n, dtype=np.int64)
    nothing = (give[code] == 0) & ~negated & held  # a phrase read as doing none of the acts (where
    # its conditions hold: "Alhamdulillah 🤲" alone neither consoles nor congratulates)
    denied[idx[nothing]] |= ACT_MASK
    denied |= _or_by(idx, deny[code], n)  # an entry's ``denies``: "tidak bisa ikut" joins and offers nothing
    found = _or_by(idx, bits, n)
    worded = _worded()[code]
    judged = _or_by(idx[worded], bits[worded], n)
    denied |= judged & ~feats & _LET_GO  # a phrase the rules judged and let go ("pelajaran dasar", "Setuju?")
    return feats & ACT_MASK, found & ACT_MASK, denied & ACT_MASK


@cache
def _cue_regex(name: str) -> str:
    """The patterns of the lexicon's cue ``name``, joined into one regular expression."""
    return "|".join(f"(?:{p})" for p in lexicon().cue_patterns[name])


def _or_by(idx: np.ndarray, bits: np.ndarray, n: int) -> np.ndarray:
    """Bitwise OR of ``bits`` per message (``idx`` sorted ascending)."""
    out = np.zeros(n, dtype=np.int64)
    if len(idx):
        starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
        out[idx[starts]] = np.bitwise_or.reduceat(bits, starts)
    return out


def _or_into(feats: np.ndarray, idx: np.ndarray, bits: np.ndarray) -> None:
    """``feats[i] |= `` the OR of ``bits`` given to message ``i`` (``idx`` sorted ascending), in place."""
    if len(idx):
        starts = np.flatnonzero(np.r_[True, idx[1:] != idx[:-1]])
        feats[idx[starts]] |= np.bitwise_or.reduceat(bits, starts)


@numba.njit(cache=True, nogil=True)
def _set_bits(masks, width):  # pragma: no cover - compiled
    """Offsets and bit numbers of every row's set bits (of the lowest ``width``), row by row."""
    offsets = np.zeros(len(masks) + 1, dtype=np.int32)
    for r in range(len(masks)):
        m, c = masks[r], 0
        while m:
            m &= m - 1
            c += 1
        offsets[r + 1] = offsets[r] + c
    bits = np.empty(offsets[-1], dtype=np.int8)
    for r in range(len(masks)):
        q = offsets[r]
        for b in range(width):
            if masks[r] >> b & 1:
                bits[q] = b
                q += 1
    return offsets, bits


def masks_to_arrow(masks: np.ndarray) -> pa.ListArray:
    """Bitmasks as the events table's ``acts`` column (act names in :data:`~kohesi.text.acts.ACTS`
    order): each row's set bits, row by row, as an Arrow list of strings."""
    offsets, bits = _set_bits(np.asarray(masks, dtype=np.int64) & ACT_MASK, len(ACTS))
    return pa.ListArray.from_arrays(pa.array(offsets), pa.array(ACTS, type=pa.string()).take(pa.array(bits)))


def masks_to_lists(masks: np.ndarray) -> pl.Series:
    """Bitmasks as a list-of-act-names column (:func:`masks_to_arrow`)."""
    return pl.Series("acts", masks_to_arrow(masks))


def tag_texts(texts: pl.Series | pa.Array | pa.ChunkedArray | Sequence[str | None]) -> pl.Series:
    """Acts of every text, as a list column (empty list: no act found)."""
    return masks_to_lists(tag_masks(texts))


def tag(text: str) -> list[str]:
    """Acts of one text, in :data:`~kohesi.text.acts.ACTS` order.

    >>> tag("Makasiiih bu 🙏, sy ikut ya")
    ['thanks', 'signup']
    >>> tag("Selamat pagi bapak ibu")
    []
    """
    return acts_from_mask(int(tag_masks([text])[0]))


def explain(text: str) -> list[tuple[str, str, str]]:
    """Why a text got its acts: each phrase kept after rules 3–4 of :mod:`kohesi.text.lexicon`
    (as normalised), the act or cue its entry marks (before ``needs``/``unless`` are judged),
    and the entry's language; then each act the learned stages add (:mod:`kohesi.text.ngrams`),
    with the second stage's probability and the letter sequences that weighed most in the n-gram
    model, language ``"model"``, and each act of the word lists they take away ("model 0.12
    (dropped)"); last, each act then dropped by :data:`_RULED_OUT`, language ``"rule"``. The text
    is read alone: in a chat, the messages around it may add or take away acts of the learned
    stages (``kohesi acts --keep-text`` says where they did).

    >>> explain("Kurang setuju")[0]
    ('setuju', 'disagreement', 'id')
    >>> explain("Pakai tangga saya saja")[-1]  # doctest: +ELLIPSIS
    ('model 0... (...)', 'help_offer', 'model')
    >>> explain("Loro opo cak? Parah ta?")[-1]  # doctest: +ELLIPSIS
    ('model 0... (dropped)', 'distress', 'model')
    """
    lex = lexicon()
    series = pl.Series([text], dtype=pl.String)
    norm = normalise(series)
    _, code, pid = _resolve(lex, _find(lex, norm))
    m = ngrams.model()
    read = _read_block(series, m, chat=False)
    words, z = read.words, read.own
    given = int(_decide(read, np.zeros(1, dtype=np.int64), None, m)[0])
    out = []
    for p, c in zip(pid.tolist(), code.tolist(), strict=True):
        e = lex.entries[c // 2]
        out.append((" ".join(lex.patterns[p].split()), (e.negated or "none") if c % 2 else e.act, e.language))
    w = int(words[0])
    prob = dict(zip(m.acts, (1.0 / (1.0 + np.exp(-z[0]))).tolist(), strict=True))
    added = tuple(a for a in m.acts if given & ACT_BIT[a] and not w & ACT_BIT[a])
    for act, _, grams in ngrams.reasons(norm[0] or "", added, m):
        out.append((f"model {prob[act]:.2f} (" + ", ".join(f'"{g}"' for g in grams) + ")", act, "model"))
    for act in m.acts:
        if w & ACT_BIT[act] and not given & ACT_BIT[act]:
            out.append((f"model {prob[act]:.2f} (dropped)", act, "model"))
    kept = int(_drop_ruled_out(np.array([given], dtype=np.int64), series)[0])
    for act, by in _RULED_OUT.items():
        if given & ACT_BIT[act] and not kept & ACT_BIT[act]:
            why = [b for b in by if (not b.startswith("_") and kept & ACT_BIT[b])
                   or (b.startswith("_") and series.str.contains(_cue_regex(b)).fill_null(False)[0])]
            out.append((f"dropped (beside {', '.join(why)})", act, "rule"))
    return out
