"""A character n-gram model for the acts whose wording varies most (requests and offers of help,
distress, sympathy, agreement, disagreement, hostility, rule reminders, calls to activities and
sign-ups), and a second stage that weighs it against the word lists.

Word lists find an act only in phrasings someone wrote down. People disagree, offer, ask and
mock in too many ways for that ("sy ada tangga, ambil aja", "lha terus sing ngresiki sopo?"),
and on whole invented chats by writers the lexicon had not seen it missed most of these acts.
And a phrase of a word list is not always the act: "tolong" in a rule ("tolong jangan parkir di
depan gerbang"), a misfortune in a reminder, a call in a report. So each of these acts is decided
in two stages (stacked generalisation, Wolpert 1992, "Stacked generalization", Neural Networks 5):

1. the n-gram model below gives each act a logit from the message's letters;
2. per act, a logistic regression over the ten logits and what the word lists found
   (:class:`Evidence`: the acts they give, the acts any phrase marks before the rules, the acts
   they deny, whether the message asks, and how many words it has), and in a chat over the model's
   probabilities and the word lists' acts of the messages before and after it
   (:data:`CONTEXT_FEATURES`: "Saya bisa" after a request for help offers it; "Terus gimana?"
   after a rule objects to it; a message thanked in the next one likely offered something), gives
   the probability of the act; the act is tagged above :data:`DECIDE`. It may take a word list's act away as well as
   add one, except that it never adds an act the word lists read negated or as doing nothing
   ("saya nggak ikut" signs nobody up; "dasar-dasar memasak" insults nobody; "Setuju?" agrees to
   nothing).

The second stage is fitted on logits the model gives messages it was not fitted on (:data:`FOLDS`
folds of the labelled sets, as stacking needs), and on the guideline's own examples, weighted
:data:`ANCHOR_WEIGHT` times, so that what the annotators of whole chats do more loosely than the
guideline ("Saya bisa bantu pak" read as joining too) does not overrule it.

**Features**, as scikit-learn's ``TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5),
min_df=2, sublinear_tf=True)`` computes them, but over UTF-8 bytes and hashed: the normalised
text (:mod:`kohesi.text.normalise`) is split at spaces; each word is padded with one space on
each side; every window of 2 to 5 bytes of a padded word is hashed (32-bit FNV-1a) into one of
2**18 buckets (the hashing trick, Weinberger et al. 2009); buckets seen in fewer than two
training messages are dropped. A bucket's weight in a message is (1 + ln count) × idf with
idf = ln((1 + N) / (1 + df)) + 1 over the N training messages, and each message's vector is
scaled to unit length. Character n-grams carry Indonesian affixes, spelling variants and typos
(Cavnar & Trenkle 1994, "N-gram-based text categorization").

**Model**, per act: L2-regularised logistic regression, classes weighted inversely to their
frequency (each class weighs as much as the other in the loss, as scikit-learn's
``class_weight="balanced"``), C = 8, the intercept not penalised; logit w·x + b. The second stage:
per act, L2-regularised logistic regression (C = 1, unweighted classes) over :data:`STACK_FEATURES`
columns. Both are fitted (:func:`fit`, L-BFGS) on every labelled message in ``tests/text/data``
with the blind annotator's labels; ``bench/train_acts_ngrams.py`` writes ``models/acts_ngrams.npz``
and a test fits it again and compares. How it scores on a writer it never saw is in ``docs/acts.md``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi._numba import numba
from kohesi.text.acts import ACTS
from kohesi.text.normalise import halves, in_halves

__all__ = ["NgramModel", "Evidence", "LEARNED_ACTS", "model", "features", "fit", "logits", "stacked",
           "reasons", "shape", "decide_at", "stacked_in_chat", "next_rows"]

LEARNED_ACTS: tuple[str, ...] = (
    "help_request", "help_offer", "distress", "sympathy", "agreement", "disagreement", "hostility", "norm_reminder",
    "activity_call", "signup",
)
"""The acts the model reads beside the word lists."""

HASH_BITS = 18
N_BITS = len(ACTS)
STACK_FEATURES = len(LEARNED_ACTS) + 3 * N_BITS + 2
"""Columns of the second stage: the model's logit of each learned act; per act of
:data:`~kohesi.text.acts.ACTS`, whether the word lists give it, whether a phrase of it is found,
whether they deny it; whether the message has a question mark; ln(1 + its number of words)."""
CONTEXT_FEATURES = 2 * (len(LEARNED_ACTS) + N_BITS + 1)
"""Further columns of the second stage, from the message before in the same chat, then from the one
after (zero where there is none, as for a text tagged alone): per neighbour, the model's
probability of each learned act in it; per act of :data:`~kohesi.text.acts.ACTS`, whether the word
lists give it there; and whether there is one."""


def _layout(k: int) -> tuple[int, int, int]:
    """Where the second stage's columns of a model of ``k`` acts start: those of the message before
    (after the ``k + 3 * N_BITS + 2`` own columns of :data:`STACK_FEATURES`), those of the message
    after, and how many there are in all. Each neighbour's block (:data:`CONTEXT_FEATURES`): ``k``
    probabilities, ``N_BITS`` word-list acts, whether there is one."""
    before = k + 3 * N_BITS + 2
    after = before + k + N_BITS + 1
    return before, after, after + k + N_BITS + 1
C = 8.0
"""Inverse regularisation strength: leaving each of sets 31–42 out in turn (model fitted on the
other forty-one), micro F1 0.7899 at C = 2, 0.7879 at 4, 0.7914 at 8, and about the same at 16."""
DECIDE = 0.4
"""Probability of the second stage above which an act is tagged. Its classes are not weighted, so
its probabilities are calibrated and the best F1 lies below 0.5: leaving each of sets 31–46 out in
turn (logits of models fitted without the set), micro F1 0.8210 at 0.5, 0.8267 at 0.4, 0.8271 at
0.35."""
DECIDE_BY_ACT = {"hostility": 0.85}
"""Probability above which the second stage adds an act the word lists did not give, where it is
not :data:`DECIDE` (which also keeps the word lists' own). Hostility only where it is nearly sure: a
false accusation of hostility costs a group its conflict score. Leaving sets 55–74 out (stages fitted
on the other fifty-four) and then sets 35–54 (fitted on the other fifty-four), 12,000 messages:
hostility read where the annotators saw none 24 at 0.8, 19 at 0.85, 19 at 0.9; hostility recall
0.53 and 0.55 at 0.8, 0.49 and 0.53 at 0.85, 0.45 and 0.50 at 0.9; micro F1 within 0.002 of each
other. Earlier, leaving each of sets 31–46 out in turn: 26 at 0.4, 16 at 0.6, 13 at 0.75, 7 at 0.9."""


def decide_at(acts: tuple[str, ...]) -> np.ndarray:
    """The probability above which each act of ``acts`` is tagged (:data:`DECIDE`, :data:`DECIDE_BY_ACT`)."""
    return np.array([DECIDE_BY_ACT.get(a, DECIDE) for a in acts])


STACK_C = 1.0
"""Inverse regularisation strength of the second stage (0.3 to 3 score within 0.001)."""
FOLDS = 5
"""Folds of the labelled sets (set number modulo 5) for the logits the second stage is fitted on."""
ANCHOR_WEIGHT = 20.0
"""Weight of each guideline example in the second stage's fit, against 1 for a labelled message:
at 0 the second stage breaks 14 of the 209 guideline cases of ``tests/text/test_tagger.py``, at 20
four; micro F1 leaving each of sets 31–46 out 0.8188 at 0, 0.8160 at 20, 0.8126 at 50."""
MODEL_FILE = Path(__file__).with_name("models") / "acts_ngrams.npz"

_FNV_BASIS, _FNV_PRIME, _MASK32 = 2166136261, 16777619, 0xFFFFFFFF


@numba.njit(cache=True, nogil=True, inline="always")
def _byte(data, ws, length, p):  # pragma: no cover - compiled
    """Byte ``p`` of the padded word: a space, the word's bytes from ``ws``, a space."""
    return 32 if p == 0 or p == length - 1 else data[ws + p - 1]


@numba.njit(cache=True, nogil=True)
def _grams(data, start, end, mask, out, spans):  # pragma: no cover - compiled
    """Bucket of every 2–5-byte window of every space-padded word of ``data[start:end]``, written
    to ``out`` (repeats kept; at most 4 per byte of a word and 4 per word, so fewer than 8 per
    byte of text); returns how many. Where ``spans`` has rows, each window's place is written
    there too (the word's bytes ``[i, j)``, the window's start and length in the padded word),
    for :func:`reasons`."""
    m = 0
    i = start
    while i < end:
        if data[i] == 32:
            i += 1
            continue
        j = i
        while j < end and data[j] != 32:
            j += 1
        length = j - i + 2
        for s in range(length - 1):
            h = ((_FNV_BASIS ^ _byte(data, i, length, s)) * _FNV_PRIME) & _MASK32
            for n in range(2, 6):
                if s + n > length:
                    break
                h = ((h ^ _byte(data, i, length, s + n - 1)) * _FNV_PRIME) & _MASK32
                out[m] = h & mask
                if spans.shape[0]:
                    spans[m, 0], spans[m, 1], spans[m, 2], spans[m, 3] = i, j, s, n
                m += 1
        i = j
    return m


@numba.njit(cache=True, nogil=True)
def _counts(data, offsets, mask):  # pragma: no cover - compiled
    """Every (text, bucket, count) of the texts, texts in order, buckets in first-seen order."""
    n = len(offsets) - 1
    longest = 0
    for r in range(n):
        longest = max(longest, offsets[r + 1] - offsets[r])
    buf = np.empty(8 * longest + 16, dtype=np.int64)
    no_spans = np.zeros((0, 4), dtype=np.int64)
    stamp = np.full(mask + 1, -1, dtype=np.int64)
    count = np.zeros(mask + 1, dtype=np.int64)
    rows, cols, vals = [0], [0], [0]
    rows.pop(), cols.pop(), vals.pop()
    for r in range(n):
        m = _grams(data, offsets[r], offsets[r + 1], mask, buf, no_spans)
        first = len(cols)
        for q in range(m):
            b = buf[q]
            if stamp[b] != r:
                stamp[b] = r
                count[b] = 0
                rows.append(r)
                cols.append(b)
            count[b] += 1
        for q in range(first, len(cols)):
            vals.append(count[cols[q]])
    return np.array(rows), np.array(cols), np.array(vals)


@numba.njit(cache=True, nogil=True)
def _scores(data, offsets, lo, hi, slot, table, intercept):  # pragma: no cover - compiled
    """Logit of every act for texts ``lo``..``hi``: tf-idf over the model's buckets (``slot``:
    each bucket's row in ``table``, -1 where the model has none; a row: the bucket's idf, then
    its coefficient per act), scaled to unit length, times the coefficients. The per-text counts
    live in an array of the model's size, reset after each text, so it stays in cache."""
    k = len(intercept)
    v = table.shape[0]
    mask = len(slot) - 1
    out = np.empty((hi - lo, k), dtype=np.float64)
    longest = 0
    for r in range(lo, hi):
        longest = max(longest, offsets[r + 1] - offsets[r])
    buf = np.empty(8 * longest + 16, dtype=np.int64)
    no_spans = np.zeros((0, 4), dtype=np.int64)
    seen = np.empty(8 * longest + 16, dtype=np.int32)
    count = np.zeros(v, dtype=np.int32)
    dots = np.empty(k, dtype=np.float64)
    tf = np.empty(64, dtype=np.float64)  # 1 + ln c for the usual counts
    tf[0] = 0.0
    for c in range(1, 64):
        tf[c] = 1.0 + np.log(c)
    for r in range(lo, hi):
        m = _grams(data, offsets[r], offsets[r + 1], mask, buf, no_spans)
        u = 0
        for q in range(m):
            j = slot[buf[q]]
            if j < 0:
                continue
            if count[j] == 0:
                seen[u] = j
                u += 1
            count[j] += 1
        norm = 0.0
        dots[:] = 0.0
        for q in range(u):
            j = seen[q]
            c = count[j]
            count[j] = 0
            row = table[j]
            w = (tf[c] if c < 64 else 1.0 + np.log(c)) * np.float64(row[0])
            norm += w * w
            for a in range(k):
                dots[a] += w * np.float64(row[a + 1])
        scale = 1.0 / np.sqrt(norm) if norm > 0.0 else 0.0
        for a in range(k):
            out[r - lo, a] = dots[a] * scale + intercept[a]
    return out


def _buffers(norm: pl.Series) -> list[tuple[np.ndarray, np.ndarray]]:
    """(bytes, offsets) of each chunk of a string column (a missing text is empty)."""
    arr = norm.to_arrow()
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    out = []
    for c in chunks:
        c = c.cast(pa.large_string())
        if c.null_count:
            c = c.fill_null("")
        _, offsets_buf, data_buf = c.buffers()
        offsets = np.frombuffer(offsets_buf, dtype=np.int64, count=len(c) + 1, offset=c.offset * 8)
        data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(1, dtype=np.uint8)
        out.append((data, offsets))
    return out


@dataclass(frozen=True)
class Evidence:
    """What the word lists found in each text, for the second stage: the acts they give
    (``words``), the acts any phrase marks before the rules (``found``), the acts they deny
    (``denied``), all bitmasks over :data:`~kohesi.text.acts.ACTS`; and per text whether it asks
    and how many words it has (``shape``, :func:`shape`)."""

    words: np.ndarray
    found: np.ndarray
    denied: np.ndarray
    shape: np.ndarray


@dataclass(frozen=True, eq=False)
class NgramModel:
    """A fitted model: the buckets kept (sorted), their idf, and per act of ``acts`` one
    coefficient row and an intercept; then per act the second stage's coefficients over
    :data:`STACK_FEATURES` columns then :data:`CONTEXT_FEATURES` (zero in a model fitted without
    chats) and its intercept."""

    acts: tuple[str, ...]
    buckets: np.ndarray
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    stack_coef: np.ndarray
    stack_intercept: np.ndarray

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, acts=np.array(self.acts), buckets=self.buckets.astype(np.uint32),
                            idf=self.idf.astype(np.float32), coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float64),
                            stack_coef=self.stack_coef.astype(np.float64),
                            stack_intercept=self.stack_intercept.astype(np.float64))

    def with_neighbour(self) -> tuple[np.ndarray, np.ndarray]:
        """What having a message before it, and one after it, in its chat adds to each act's
        second-stage logit (the "whether there is one" columns of :data:`CONTEXT_FEATURES`)."""
        k = len(self.acts)
        before, after, _ = _layout(k)
        return (np.asarray(self.stack_coef[:, before + k + N_BITS], dtype=np.float64),
                np.asarray(self.stack_coef[:, after + k + N_BITS], dtype=np.float64))

    @classmethod
    def load(cls, path: Path) -> NgramModel:
        with np.load(path) as z:
            acts, stack_coef = tuple(str(a) for a in z["acts"]), z["stack_coef"]
            width = _layout(len(acts))[2]
            if stack_coef.shape[1] < width:  # a model fitted before chats were read in order: texts alone
                stack_coef = np.pad(stack_coef, ((0, 0), (0, width - stack_coef.shape[1])))
            return cls(acts, z["buckets"].astype(np.int64), z["idf"], z["coef"], z["intercept"], stack_coef,
                       z["stack_intercept"])

    @cache  # noqa: B019  (the model is frozen and lives as long as the process)
    def packed(self) -> tuple[np.ndarray, np.ndarray]:
        """For :func:`_scores`: each of the 2**18 buckets' row (-1: not kept), and per kept bucket
        one row of its idf and its coefficients, padded to 16 numbers (a 64-byte cache line in
        float32, as the model is stored; float64 for a model fitted in this process); the rows of
        the most frequent n-grams (lowest idf) first, so those a text meets most share the cache.
        The model's own numbers, in the same order per text: the same logits as before packing."""
        order = np.argsort(self.idf, kind="stable")
        slot = np.full(1 << HASH_BITS, -1, dtype=np.int32)
        slot[self.buckets[order]] = np.arange(len(order), dtype=np.int32)
        exact = self.idf.dtype == np.float32 and self.coef.dtype == np.float32
        width = 16 * -(-(1 + len(self.acts)) // 16)
        table = np.zeros((len(order), width), dtype=np.float32 if exact else np.float64)
        table[:, 0] = self.idf[order]
        table[:, 1:1 + len(self.acts)] = self.coef.T[order]
        return slot, table


@cache
def model() -> NgramModel:
    """The model shipped with kohesi (``models/acts_ngrams.npz``)."""
    return NgramModel.load(MODEL_FILE)


def features(norm: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text, bucket, count) of every hashed n-gram of the normalised texts ``norm``."""
    parts, base = [], 0
    for data, offsets in _buffers(norm):
        r, c, v = _counts(data, offsets, (1 << HASH_BITS) - 1)
        parts.append((r + base, c, v))
        base += len(offsets) - 1
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return tuple(np.concatenate(x) for x in zip(*parts, strict=True))  # type: ignore[return-value]


def logits(norm: pl.Series, m: NgramModel | None = None) -> np.ndarray:
    """Logit of each act of the model for every normalised text (rows: texts; columns: acts)."""
    m = m or model()
    slot, table = m.packed()
    intercept = np.asarray(m.intercept, dtype=np.float64)
    jobs = []
    for data, offsets in _buffers(norm):
        jobs += [(data, offsets, lo, hi) for lo, hi in halves(len(offsets) - 1)]
    if not jobs:
        return np.zeros((0, len(m.acts)))
    run = lambda j: _scores(j[0], j[1], j[2], j[3], slot, table, intercept)  # noqa: E731
    if len(jobs) == 1:
        return run(jobs[0])
    with ThreadPoolExecutor(2) as pool:
        return np.concatenate(list(pool.map(run, jobs)))


@numba.njit(cache=True, nogil=True)
def _shape(data, offsets, lo, hi, out):  # pragma: no cover - compiled
    """Per text ``lo`` to ``hi``, into ``out``: whether it holds a question mark, and its number of
    words (runs of non-spaces)."""
    for r in range(lo, hi):
        words, asks, inside = 0, 0, False
        for i in range(offsets[r], offsets[r + 1]):
            b = data[i]
            if b == 63:
                asks = 1
            if b == 32:
                inside = False
            elif not inside:
                inside = True
                words += 1
        out[r, 0], out[r, 1] = asks, words


def shape(norm: pl.Series) -> np.ndarray:
    """Per normalised text: 1.0 where it has a question mark, else 0.0; and ln(1 + its number of
    words)."""
    parts = []
    for data, offsets in _buffers(norm):
        out = np.zeros((len(offsets) - 1, 2))
        in_halves(len(out), lambda lo, hi, d=data, o=offsets, x=out: _shape(d, o, lo, hi, x))
        parts.append(out)
    out = np.concatenate(parts) if parts else np.zeros((0, 2))
    out[:, 1] = np.log1p(out[:, 1])
    return out


@numba.njit(cache=True, nogil=True)
def _stack(lo, hi, z, words, found, denied, shape, coef, intercept, nb, base, later, chat, own, to_next,
           to_prev):  # pragma: no cover - compiled
    """For texts ``lo`` to ``hi``, into ``own``, ``to_next`` and ``to_prev`` (zeros where ``chat``): the
    second stage's logit of each act for every text from its own columns (see
    :data:`STACK_FEATURES`; the coefficients transposed, ``coef``: one row per column, one column
    per act; each mask's set bits visited only); and, where ``chat``, what each text adds to the
    logits of the message after it in its chat and to those of the message before it
    (:data:`CONTEXT_FEATURES`, less the constants for having a neighbour; the columns of the message
    before start at ``base``, those of the one after at ``later``: :func:`_layout`)."""
    k = z.shape[1]
    for r in range(lo, hi):
        for a in range(k):
            own[r, a] = intercept[a] + coef[k + 3 * nb, a] * shape[r, 0] + coef[k + 3 * nb + 1, a] * shape[r, 1]
        for j in range(k):
            v = z[r, j]
            for a in range(k):
                own[r, a] += coef[j, a] * v
            if chat:
                p = 1.0 / (1.0 + np.exp(-v))
                for a in range(k):
                    to_next[r, a] += coef[base + j, a] * p
                    to_prev[r, a] += coef[later + j, a] * p
        for g in range(4 if chat else 3):
            m = words[r] if g == 0 or g == 3 else found[r] if g == 1 else denied[r]
            b = 0
            while m:
                if m & 1:
                    if g < 3:
                        row = k + g * nb + b
                        for a in range(k):
                            own[r, a] += coef[row, a]
                    else:
                        for a in range(k):
                            to_next[r, a] += coef[base + k + b, a]
                            to_prev[r, a] += coef[later + k + b, a]
                m >>= 1
                b += 1


def _run_stack(z: np.ndarray, ev: Evidence, m: NgramModel, chat: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_stack` over all texts, in two halves at once (:func:`~kohesi.text.normalise.halves`)."""
    n, k = z.shape
    own = np.empty((n, k), dtype=np.float64)
    to_next = np.zeros((n, k) if chat else (0, k), dtype=np.float64)
    to_prev = np.zeros((n, k) if chat else (0, k), dtype=np.float64)
    args = (np.ascontiguousarray(z, dtype=np.float64), ev.words, ev.found, ev.denied,
            np.ascontiguousarray(ev.shape, dtype=np.float64), np.ascontiguousarray(m.stack_coef.T),
            np.asarray(m.stack_intercept, dtype=np.float64), N_BITS, *_layout(len(m.acts))[:2], chat, own, to_next,
            to_prev)
    in_halves(n, lambda lo, hi: _stack(lo, hi, *args))
    return own, to_next, to_prev


def stacked(z: np.ndarray, ev: Evidence, m: NgramModel | None = None) -> np.ndarray:
    """The second stage's logit of each act of the model (columns) for every text (rows), from the
    model's logits ``z`` (:func:`logits`) and what the word lists found (``ev``), each text read
    alone (no message before or after it)."""
    return _run_stack(z, ev, m or model(), False)[0]


def stacked_in_chat(z: np.ndarray, ev: Evidence, m: NgramModel | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`stacked`; what each text adds to the second stage's logits of the message after it in
    a chat; and what it adds to those of the message before it (:data:`CONTEXT_FEATURES`). A
    message's logit in a chat is its :func:`stacked` logit, plus the one before's addition and the
    one after's, plus :meth:`NgramModel.with_neighbour` for each neighbour it has."""
    return _run_stack(z, ev, m or model(), True)


def next_rows(previous: np.ndarray) -> np.ndarray:
    """Per row, the row whose message comes after it in its chat (-1 none), from ``previous`` (per
    row, the row before it, -1 none; each row the one before of at most one other)."""
    previous = np.asarray(previous, dtype=np.int64)
    out = np.full(len(previous), -1, dtype=np.int64)
    has = previous >= 0
    out[previous[has]] = np.flatnonzero(has)
    return out


def _stack_matrix(z: np.ndarray, ev: Evidence, previous: np.ndarray | None = None) -> np.ndarray:
    """The second stage's columns as a dense matrix (for fitting; :func:`_stack` reads the same),
    with the messages before and after each text (``previous``: the row before, -1 none; ``None``:
    texts not from chats)."""
    bits = lambda x: (np.asarray(x)[:, None] >> np.arange(N_BITS) & 1).astype(np.float64)  # noqa: E731
    own = np.hstack([z, bits(ev.words), bits(ev.found), bits(ev.denied), ev.shape])
    before, after, total = _layout(z.shape[1])
    width = after - before  # one neighbour's columns
    ctx = np.zeros((len(z), total - before))
    if previous is not None:
        for side, rows in enumerate((np.asarray(previous), next_rows(previous))):
            has = rows >= 0
            p = rows[has]
            ctx[has, side * width:(side + 1) * width] = np.hstack([1.0 / (1.0 + np.exp(-z[p])), bits(ev.words[p]),
                                                                   np.ones((len(p), 1))])
    return np.hstack([own, ctx])


def reasons(norm_text: str, acts: tuple[str, ...], m: NgramModel | None = None,
            top: int = 3) -> list[tuple[str, float, list[str]]]:
    """Why the n-gram model (the first stage) reads ``acts`` in a normalised text: for each, the
    act, the model's probability, and the ``top`` n-grams whose weight raised it most, those of
    three or more characters first (longest first where several share a bucket; bytes cut inside a
    character shown as ``?``)."""
    m = m or model()
    slot, table = m.packed()
    idf = table[:, 0].astype(np.float64)
    coef = table[:, 1:1 + len(m.acts)].astype(np.float64)
    mask = (1 << HASH_BITS) - 1
    raw = norm_text.encode()
    data = np.frombuffer(raw, dtype=np.uint8) if raw else np.zeros(1, dtype=np.uint8)
    buf = np.empty(8 * len(raw) + 16, dtype=np.int64)
    spans = np.empty((len(buf), 4), dtype=np.int64)
    grams: dict[int, str] = {}
    counts: dict[int, int] = {}
    for q in range(_grams(data, 0, len(raw), mask, buf, spans)):
        b = int(slot[buf[q]])
        if b < 0:
            continue
        i, j, start, n = spans[q].tolist()
        g = (b" " + raw[i:j] + b" ")[start:start + n]
        counts[b] = counts.get(b, 0) + 1
        if len(g) > len(grams.get(b, "")):
            grams[b] = g.decode(errors="replace").replace("\ufffd", "?")
    if not counts:
        return []
    b = np.array(sorted(counts))
    v = (1.0 + np.log([counts[k] for k in b.tolist()])) * idf[b]  # b: rows of the kept buckets
    v /= np.sqrt(v @ v)
    out = []
    for a, act in enumerate(m.acts):
        p = 1.0 / (1.0 + np.exp(-(v @ coef[b, a] + m.intercept[a])))
        if act in acts:
            push = v * coef[b, a]
            ranked = [grams[int(b[i])].strip() for i in np.argsort(-push, kind="stable") if push[i] > 0]
            best: list[str] = []
            for g in [g for g in ranked if len(g) >= 3] + [g for g in ranked if 0 < len(g) < 3]:
                inside = [i for i, h in enumerate(best) if h in g]
                if inside:  # "saya" says more than the "say" already kept
                    best[inside[0]] = g
                    best = [h for i, h in enumerate(best) if i not in inside[1:]]
                elif len(best) < top and not any(g in h for h in best):
                    best.append(g)
            out.append((act, float(p), best))
    return out


def _tfidf(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n: int, idf: np.ndarray):
    """Unit-length tf-idf rows as a sparse matrix over the kept buckets (``cols`` already
    mapped to 0..len(idf)-1)."""
    from scipy.sparse import csr_matrix

    w = (1.0 + np.log(vals)) * idf[cols]
    norms = np.sqrt(np.bincount(rows, weights=w * w, minlength=n))
    w = w / np.where(norms > 0, norms, 1.0)[rows]
    return csr_matrix((w, (rows, cols)), shape=(n, len(idf)))


_STRICT = {"maxiter": 5000, "gtol": 1e-8, "ftol": 1e-12}
_LOOSE = {"maxiter": 5000, "gtol": 1e-4, "ftol": 1e-7}
"""L-BFGS tolerances: the shipped model's, and those of the fold models whose logits only train
the second stage (half the time; logits within 0.012 of the strict fit's)."""


def _logistic(x, y: np.ndarray, c: float, s: np.ndarray | None = None, options: dict = _STRICT) -> tuple[np.ndarray, float]:
    """argmin over (w, b) of ½‖w‖² + c Σᵢ sᵢ ln(1 + exp(−ŷᵢ (xᵢ·w + b))), ŷ = ±1, with sample
    weights ``s``, by default balanced: sᵢ = n / (2 nᵢ) (nᵢ: messages of i's class)."""
    from scipy.optimize import minimize
    from scipy.special import expit, log1p

    n, d = x.shape
    pos = np.asarray(y).astype(bool)
    if s is None:
        s = np.where(pos, n / (2.0 * max(pos.sum(), 1)), n / (2.0 * max((~pos).sum(), 1)))
    sign = np.where(pos, 1.0, -1.0)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:d], theta[d]
        z = sign * (x @ w + b)
        # ln(1 + e^-z), stable for both signs
        ell = np.where(z > 0, log1p(np.exp(-np.abs(z))), -z + log1p(np.exp(-np.abs(z))))
        g = -c * s * sign * expit(-z)
        return 0.5 * w @ w + c * (s @ ell), np.r_[w + x.T @ g, g.sum()]

    res = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", options=options)
    return res.x[:d], float(res.x[d])


def _first_stage(norm: pl.Series, labels: dict[str, np.ndarray], acts: tuple[str, ...], c: float,
                 options: dict = _STRICT) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The n-gram model of ``acts`` fitted on ``norm``: buckets kept, idf, coefficients, intercepts."""
    n = len(norm)
    rows, cols, vals = features(norm)
    df = np.bincount(cols, minlength=1 << HASH_BITS)
    buckets = np.flatnonzero(df >= 2)
    column = np.full(1 << HASH_BITS, -1, dtype=np.int64)
    column[buckets] = np.arange(len(buckets))
    keep = column[cols] >= 0
    idf = np.log((1.0 + n) / (1.0 + df[buckets])) + 1.0
    x = _tfidf(rows[keep], column[cols[keep]], vals[keep], n, idf)
    fitted = [_logistic(x, np.asarray(labels[a]), c, options=options) for a in acts]
    return buckets, idf, np.array([w for w, _ in fitted]), np.array([b for _, b in fitted])


def _pass_through(k: int) -> tuple[np.ndarray, np.ndarray]:
    """A second stage that only passes each act's own logit on (P = the model's probability), for
    a model fitted without evidence."""
    coef = np.zeros((k, _layout(k)[2]))
    coef[np.arange(k), np.arange(k)] = 1.0
    return coef, np.zeros(k)


def fit(norm: pl.Series, labels: dict[str, np.ndarray], acts: tuple[str, ...] = LEARNED_ACTS, c: float = C, *,
        evidence: Evidence | None = None, groups: np.ndarray | None = None, previous: np.ndarray | None = None,
        anchors: tuple[pl.Series, Evidence, dict[str, np.ndarray]] | None = None) -> NgramModel:
    """Fit the model of ``acts`` on normalised texts ``norm`` with a boolean label per text and act.

    With ``evidence`` (what the word lists found in each text) and ``groups`` (each text's labelled
    set), the second stage too: the n-gram model is fitted :data:`FOLDS` times, each time without
    the sets of one fold (set number modulo :data:`FOLDS`), for the logits of that fold's texts;
    the second stage is fitted on those logits and the evidence, with those of the messages before
    and after each text in its chat (``previous``: the row before, -1 none; ``None``: texts not from
    chats), and on ``anchors`` (the
    guideline's examples: their normalised texts, evidence and labels; logits of the final model,
    which never saw them), each weighing :data:`ANCHOR_WEIGHT`. Without, the second stage passes
    the model's own probability on."""
    b, idf, coef, intercept = _first_stage(norm, labels, acts, c)
    k = len(acts)
    if evidence is None:
        return NgramModel(tuple(acts), b, idf, coef, intercept, *_pass_through(k))
    fold = np.asarray(groups) % FOLDS
    z = np.zeros((len(norm), k))
    for f in np.unique(fold).tolist():
        train, held = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        part = NgramModel(tuple(acts), *_first_stage(norm.gather(train), {a: np.asarray(labels[a])[train] for a in acts},
                                                     acts, c, _LOOSE), *_pass_through(k))
        z[held] = logits(norm.gather(held), part)
    first = NgramModel(tuple(acts), b, idf, coef, intercept, *_pass_through(k))
    x = _stack_matrix(z, evidence, previous)
    y = {a: np.asarray(labels[a], dtype=bool) for a in acts}
    s = np.ones(len(norm))
    if anchors is not None:
        a_norm, a_ev, a_labels = anchors
        x = np.vstack([x, _stack_matrix(logits(a_norm, first), a_ev)])
        y = {a: np.r_[y[a], np.asarray(a_labels[a], dtype=bool)] for a in acts}
        s = np.r_[s, np.full(len(a_norm), ANCHOR_WEIGHT)]
    second = [_logistic(x, y[a], STACK_C, s) for a in acts]
    return NgramModel(tuple(acts), b, idf, coef, intercept, np.array([w for w, _ in second]),
                      np.array([i for _, i in second]))
