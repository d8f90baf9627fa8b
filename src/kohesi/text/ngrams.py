"""A character n-gram model for the acts whose wording varies most: requests and offers of help,
distress, sympathy, agreement, disagreement, hostility, rule reminders, calls to activities and
sign-ups.

Word lists find an act only in phrasings someone wrote down. People disagree, offer, ask and
mock in too many ways for that ("sy ada tangga, ambil aja", "lha terus sing ngresiki sopo?"),
and on whole invented chats by writers the lexicon had not seen it missed most of these acts.
So a message also carries one of them when a logistic regression over its character n-grams
gives a probability above 0.6 (others: :data:`THRESHOLDS`), unless the word lists

- found in it an act the annotators almost never gave together with that act (in at most 2 % of
  the messages of the rarer of the two: "Setuju pak", agreement, is no learned disagreement; a
  bare "Innalillahi", sympathy, no learned distress);
- found a phrase of an act that rules it out (:data:`BLOCKING_PHRASES`; "Setuju?" is no
  disagreement, though the question rule takes the agreement away; an offer, "saya bisa bantu",
  signs no one up);
- read the act negated ("saya nggak ikut"), or a phrase as doing none of the acts
  ("dasar-dasar memasak", "selamat pagi");
- judged a phrase of the act by its rules and let it go (agreement and hostility: "Setuju?", a
  question; "pelajaran dasar", no insult).

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
``class_weight="balanced"``), C = 8, the intercept not penalised; P(act) = σ(w·x + b). It is
fitted (:func:`fit`, L-BFGS) on every labelled message in ``tests/text/data`` with the blind
annotator's labels; ``bench/train_acts_ngrams.py`` writes ``models/acts_ngrams.npz`` and a test
fits it again and compares. How it scores on a writer it never saw is in ``docs/acts.md``.
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
from kohesi.text.normalise import halves

__all__ = ["NgramModel", "LEARNED_ACTS", "model", "features", "fit", "blocking", "logits", "probabilities", "reasons"]

LEARNED_ACTS: tuple[str, ...] = (
    "help_request", "help_offer", "distress", "sympathy", "agreement", "disagreement", "hostility", "norm_reminder",
    "activity_call", "signup",
)
"""The acts the model reads beside the word lists."""

HASH_BITS = 18
C = 8.0
"""Inverse regularisation strength: leaving each of sets 31–42 out in turn (model fitted on the
other forty-one), micro F1 0.7899 at C = 2, 0.7879 at 4, 0.7914 at 8, and about the same at 16."""
THRESHOLD = 0.6
"""Probability above which a learned act is tagged (unless :data:`THRESHOLDS` or :func:`fit` say
otherwise)."""
THRESHOLDS = {"hostility": 0.9, "disagreement": 0.8, "agreement": 0.9, "signup": 0.8, "norm_reminder": 0.7,
              "help_request": 0.65}
"""Hostility only when the model is nearly sure: a false accusation of hostility costs a group its
conflict score; at 0.8 the model added one false hostility on 1,200 held-out chat messages, at
0.9 none. Disagreement above 0.8: the guideline's examples of no disagreement ("Saya gak mau
ikut ah", "Dasar kue bolu tuh … kok bu") get 0.62–0.78 from models fitted on fourteen to
twenty-one sets, read from "gak mau", "kok" and "sebenernya"; leaving each of sets 8–21 out in
turn, micro F1 is 0.796 at 0.8 and 0.797 at 0.75 (disagreement F1 0.58 and 0.60). Agreement,
rule reminders and sign-ups, learned since the word lists alone miss a third of them: each
threshold the best of 0.5–0.9 with each of sets 8–22 left out in turn (agreement F1 0.780 →
0.783, rule reminders 0.665 → 0.689, sign-ups 0.823 → 0.840 with the blocks below; micro F1 0.799
→ 0.803). Help requests above 0.65, not 0.6: fitted on thirty-eight sets, the model read one into
the guideline's "Motor saya hilang" (0.62, a misfortune only); leaving each of sets 31–38 out in
turn, help-request F1 0.656 → 0.664 (precision 0.61 → 0.63) and micro F1 0.7895 → 0.7901."""
BLOCKING_PHRASES = {
    "help_request": ("help_offer",), "help_offer": ("help_request",), "distress": ("sympathy",),
    "sympathy": ("distress",), "agreement": ("disagreement",), "disagreement": ("agreement",),
    "activity_call": ("norm_reminder",), "norm_reminder": ("activity_call",),
    "signup": ("help_offer", "activity_call"),
}
"""A phrase of one of these acts found in a message blocks the learned act, even where a rule of
the word lists then takes the phrase's own act away: its opposite; a call for a rule and a rule
for a call ("Jangan lupa besok kerja bakti"); an offer or a call for a sign-up ("Saya bisa bantu
pak", "yang ikut tulis nama ya": the guideline's offer and call, which the annotators of whole
chats often also read as joining)."""
EXCLUDE_SHARE = 0.02
"""An act found by the word lists blocks a learned act when the annotators gave the two together
in at most this share of the messages of the rarer one."""
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


@dataclass(frozen=True, eq=False)
class NgramModel:
    """A fitted model: the buckets kept (sorted), their idf, and per act of ``acts`` one
    coefficient row, an intercept, the bitmask of the acts that block it, and the probability
    above which it is tagged."""

    acts: tuple[str, ...]
    buckets: np.ndarray
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    blocked_by: np.ndarray
    threshold: np.ndarray

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, acts=np.array(self.acts), buckets=self.buckets.astype(np.uint32),
                            idf=self.idf.astype(np.float32), coef=self.coef.astype(np.float32),
                            intercept=self.intercept.astype(np.float64),
                            blocked_by=self.blocked_by.astype(np.int64), threshold=self.threshold.astype(np.float64))

    @classmethod
    def load(cls, path: Path) -> NgramModel:
        with np.load(path) as z:
            return cls(tuple(str(a) for a in z["acts"]), z["buckets"].astype(np.int64), z["idf"], z["coef"],
                       z["intercept"], z["blocked_by"], z["threshold"])

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


def probabilities(norm: pl.Series, m: NgramModel | None = None) -> np.ndarray:
    """P(act) of each act of the model for every normalised text."""
    return 1.0 / (1.0 + np.exp(-logits(norm, m)))


def reasons(norm_text: str, m: NgramModel | None = None, top: int = 3) -> list[tuple[str, float, list[str]]]:
    """Why the model gives a normalised text its acts: for each act above its threshold, the act,
    its probability, and the ``top`` n-grams whose weight raised it most, those of three or more
    characters first (longest first where several share a bucket; bytes cut inside a character
    shown as ``?``)."""
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
        if p > m.threshold[a]:
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


def _logistic(x, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """argmin over (w, b) of ½‖w‖² + c Σᵢ sᵢ ln(1 + exp(−ŷᵢ (xᵢ·w + b))), ŷ = ±1, with the
    balanced weights sᵢ = n / (2 nᵢ) (nᵢ: messages of i's class)."""
    from scipy.optimize import minimize
    from scipy.special import expit, log1p

    n, d = x.shape
    pos = y.astype(bool)
    s = np.where(pos, n / (2.0 * max(pos.sum(), 1)), n / (2.0 * max((~pos).sum(), 1)))
    sign = np.where(pos, 1.0, -1.0)

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:d], theta[d]
        z = sign * (x @ w + b)
        # ln(1 + e^-z), stable for both signs
        ell = np.where(z > 0, log1p(np.exp(-np.abs(z))), -z + log1p(np.exp(-np.abs(z))))
        g = -c * s * sign * expit(-z)
        return 0.5 * w @ w + c * (s @ ell), np.r_[w + x.T @ g, g.sum()]

    res = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B",
                   options={"maxiter": 5000, "gtol": 1e-8, "ftol": 1e-12})
    return res.x[:d], float(res.x[d])


def blocking(labels: dict[str, np.ndarray], acts: tuple[str, ...], share: float = EXCLUDE_SHARE) -> np.ndarray:
    """Per act of ``acts``, the bitmask (over :data:`~kohesi.text.acts.ACTS`) of the other acts
    given with it in at most ``share`` of the labelled messages of the rarer of the two (acts
    without labels block nothing)."""
    out = np.zeros(len(acts), dtype=np.int64)
    for k, a in enumerate(acts):
        ya = np.asarray(labels[a], dtype=bool)
        for i, b in enumerate(ACTS):
            if b == a or b not in labels:
                continue
            yb = np.asarray(labels[b], dtype=bool)
            if (ya & yb).sum() <= share * min(ya.sum(), yb.sum()):
                out[k] |= 1 << i
    return out


def fit(norm: pl.Series, labels: dict[str, np.ndarray], acts: tuple[str, ...] = LEARNED_ACTS,
        c: float = C, thresholds: dict[str, float] | None = None) -> NgramModel:
    """Fit the model of ``acts`` on normalised texts and, per act (those of ``acts`` and those
    that may block them: every act of :data:`~kohesi.text.acts.ACTS`), a boolean label per text."""
    n = len(norm)
    rows, cols, vals = features(norm)
    df = np.bincount(cols, minlength=1 << HASH_BITS)
    buckets = np.flatnonzero(df >= 2)
    column = np.full(1 << HASH_BITS, -1, dtype=np.int64)
    column[buckets] = np.arange(len(buckets))
    keep = column[cols] >= 0
    idf = np.log((1.0 + n) / (1.0 + df[buckets])) + 1.0
    x = _tfidf(rows[keep], column[cols[keep]], vals[keep], n, idf)
    fitted = [_logistic(x, np.asarray(labels[a]), c) for a in acts]
    threshold = np.array([(THRESHOLDS | (thresholds or {})).get(a, THRESHOLD) for a in acts], dtype=np.float64)
    return NgramModel(tuple(acts), buckets, idf, np.array([w for w, _ in fitted]), np.array([b for _, b in fitted]),
                      blocking(labels, tuple(acts)), threshold)
