"""The n-gram model: its features against scikit-learn's ``char_wb`` analyser, its fit against
scikit-learn's logistic regression, its compiled scores against the sparse product, and the
shipped model against a fit of the labelled sets."""

from __future__ import annotations

from collections import Counter

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

from helpers.labelled_acts import eval_acts
from kohesi.text import ACTS, tag
from kohesi.text.ngrams import HASH_BITS, LEARNED_ACTS, C, _tfidf, features, fit, logits, model
from kohesi.text.normalise import normalise


def _fnv(gram: str) -> int:
    h = 2166136261
    for b in gram.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h & ((1 << HASH_BITS) - 1)


def _oracle_counts(text: str) -> Counter:
    analyse = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False).build_analyzer()
    return Counter(_fnv(g) for g in analyse(text))


def _our_counts(texts: list[str]) -> list[Counter]:
    rows, cols, vals = features(pl.Series(texts, dtype=pl.String))
    out = [Counter() for _ in texts]
    for r, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=True):
        out[r][c] += v
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abcdeky  .?", max_size=40), min_size=1, max_size=8))
def test_ngrams_are_char_wb_windows(texts):
    """On ASCII text the n-grams are exactly scikit-learn's ``char_wb`` 2–5-grams (hashed)."""
    assert _our_counts(texts) == [_oracle_counts(t) for t in texts]


def test_ngrams_of_a_message():
    ours = _our_counts(["ok siap", " a ", ""])
    assert ours[0] == _oracle_counts("ok siap")
    assert sum(ours[0].values()) == 6 + 14  # " ok ": 3 + 2 + 1; " siap ": 5 + 4 + 3 + 2
    assert ours[1] == Counter({_fnv(" a "): 1, _fnv(" a"): 1, _fnv("a "): 1})
    assert ours[2] == Counter()


def test_logistic_fit_matches_scikit_learn():
    """Same objective as ``LogisticRegression(C=C, class_weight="balanced")``: same coefficients."""
    rng = np.random.default_rng(0)
    words = ["tolong", "bantu", "siap", "ok", "gak", "setuju", "ada", "tangga", "makasih", "pak", "bu", "dong"]
    texts = [" ".join(rng.choice(words, size=rng.integers(1, 7))) for _ in range(300)]
    y = np.array(["tolong" in t or "bantu" in t for t in texts]) & (rng.random(300) > 0.1)
    norm = normalise(pl.Series(texts, dtype=pl.String))
    m = fit(norm, {"help_request": y}, acts=("help_request",))
    rows, cols, vals = features(norm)
    column = np.full(1 << HASH_BITS, -1)
    column[m.buckets] = np.arange(len(m.buckets))
    keep = column[cols] >= 0
    x = _tfidf(rows[keep], column[cols[keep]], vals[keep], len(texts), m.idf)
    oracle = LogisticRegression(C=C, class_weight="balanced", tol=1e-10, max_iter=10_000).fit(x, y)
    np.testing.assert_allclose(m.coef[0], oracle.coef_[0], atol=2e-4)
    assert m.intercept[0] == pytest.approx(oracle.intercept_[0], abs=2e-4)
    # and the compiled scores are the sparse product
    np.testing.assert_allclose(logits(norm, m)[:, 0], x @ m.coef[0] + m.intercept[0], atol=1e-5)


def test_idf_and_min_df():
    """idf = ln((1 + N) / (1 + df)) + 1, and a bucket in one message only is not kept."""
    texts = ["ab cd", "ab ef", "ab"]
    m = fit(normalise(pl.Series(texts, dtype=pl.String)), {"help_request": np.array([True, False, False])},
            acts=("help_request",))
    idf = dict(zip(m.buckets.tolist(), m.idf.tolist(), strict=True))
    assert idf[_fnv(" ab ")] == pytest.approx(np.log(4 / 4) + 1)
    assert _fnv(" cd ") not in idf and _fnv(" ef ") not in idf


def test_shipped_model_is_the_fit_of_the_labelled_sets():
    """``models/acts_ngrams.npz`` is what ``bench/train_acts_ngrams.py`` fits from the labelled
    sets today (a change to the sets, the features or the fit without retraining fails here)."""
    ev = eval_acts()
    refit = ev.fit_model(ev.SETS)
    shipped = model()
    assert shipped.acts == refit.acts == LEARNED_ACTS
    np.testing.assert_array_equal(shipped.buckets, refit.buckets)
    np.testing.assert_allclose(shipped.idf, refit.idf, rtol=1e-6)
    np.testing.assert_allclose(shipped.coef, refit.coef, atol=1e-3)
    np.testing.assert_allclose(shipped.intercept, refit.intercept, atol=1e-3)
    np.testing.assert_allclose(shipped.stack_coef, refit.stack_coef, atol=1e-3)
    np.testing.assert_allclose(shipped.stack_intercept, refit.stack_intercept, atol=1e-3)


def test_model_reads_what_word_lists_miss():
    """Offers, requests and objections in wordings the word lists do not hold."""
    assert "help_offer" in tag("sy ada tangga, ambil aja di rumah")
    assert "help_request" in tag("ada yg punya tangga? pinjem bentar")
    assert tag("Selamat pagi bapak ibu") == []
    assert tag("") == []


def test_missing_and_long_texts():
    texts = [None, "minta tolong " * 2000, "ok"]
    out = logits(normalise(pl.Series(texts, dtype=pl.String)))
    assert out.shape == (3, len(LEARNED_ACTS)) and np.isfinite(out).all()
    assert (out[0] == model().intercept).all()


def _toy_model(act: str) -> object:
    """A model that reads ``act`` wherever the made-up word "zorbek" stands (only ``act`` and
    agreement labelled, never together), without a second stage: it passes the model's own
    probability on."""
    texts = [f"{w} zorbek" for w in ("pak", "bu", "mas", "dik", "om")] * 8 + ["siap pak", "ok bu", "oke", "iya"] * 10
    norm = normalise(pl.Series(texts, dtype=pl.String))
    has = np.array(["zorbek" in t for t in texts])
    return fit(norm, {act: has, "agreement": ~has}, acts=(act,))


def test_word_lists_deny_the_model():
    """A learned act is kept alone, and never added where the word lists read it negated or a
    phrase as doing nothing."""
    from kohesi.text.acts import act_mask
    from kohesi.text.tagger import tag_masks

    signup = _toy_model("signup")
    assert tag_masks(["zorbek", "saya nggak ikut zorbek"], learned=signup).tolist() == [act_mask(["signup"]), 0]
    hostility = _toy_model("hostility")
    assert tag_masks(["zorbek", "dasar-dasar memasak zorbek"], learned=hostility).tolist() == [act_mask(["hostility"]), 0]


def test_a_refusal_denies_what_the_model_would_add():
    """An entry's ``denies`` (the refusals: "tidak bisa ikut", "can't make it") keeps the model
    from adding a sign-up or an offer the words seem to make."""
    from kohesi.text.acts import act_mask
    from kohesi.text.tagger import tag_masks

    signup = _toy_model("signup")
    assert tag_masks(["zorbek", "tidak bisa ikut zorbek", "sorry can't make it zorbek"], learned=signup).tolist() == [
        act_mask(["signup"]), 0, act_mask(["apology"])]


def test_an_offer_put_as_a_question_denies_a_request():
    """"ada yang bisa saya bantu?" offers and asks for nothing: the model may not add a request;
    "ada yang bisa …?" asks and offers nothing: the model may not add an offer."""
    from kohesi.text.acts import act_mask
    from kohesi.text.tagger import tag_masks

    request, offer = _toy_model("help_request"), _toy_model("help_offer")
    assert tag_masks(["zorbek", "ada yang bisa saya bantu zorbek"], learned=request).tolist() == [
        act_mask(["help_request"]), act_mask(["help_offer"])]
    assert tag_masks(["zorbek", "ada yang bisa angkat zorbek"], learned=offer).tolist() == [
        act_mask(["help_offer"]), act_mask(["help_request"])]


def test_lexicon_rejects_an_unknown_denied_act(monkeypatch):
    import sys

    lx = sys.modules["kohesi.text.lexicon"]  # (the package's ``lexicon`` is the function)
    real = lx._read

    def typo(language: str) -> dict:
        data = real(language)
        if language == "en":
            data["entry"].append({"act": "_absent", "words": ["zorbek"], "basis": "test", "denies": ["sinup"]})
        return data

    monkeypatch.setattr(lx, "_read", typo)
    with pytest.raises(ValueError, match="denies 'sinup', which is not an act"):
        lx.lexicon.__wrapped__()


def test_lexicon_rejects_more_cues_than_a_mask_holds(monkeypatch):
    """Acts and cues share one int64 mask per message: a cue past its last bit is a clear error at
    load, not an overflow deep in the tagger."""
    import sys

    lx = sys.modules["kohesi.text.lexicon"]
    real = lx._read
    room = lx.MAX_BITS - len(ACTS) - len(lx.lexicon().cues)

    def crowded(language: str) -> dict:
        data = real(language)
        if language == "en":
            data["entry"].append({"act": "none", "words": ["zorbek"], "basis": "test",
                                  "needs": [f"_extra{i}" for i in range(room + 1)]})
        return data

    monkeypatch.setattr(lx, "_read", crowded)
    with pytest.raises(ValueError, match="cues and 14 acts need 64 bits"):
        lx.lexicon.__wrapped__()


def test_an_insult_word_let_go_denies_the_model_but_an_eye_roll_does_not():
    """An insult word whose rules the word lists judged unmet ("pelajaran dasar": basic, no
    insult) keeps the model from reading hostility; an eye-roll whose rules are unmet (no mock
    praise, no one pointed at) does not: rolled eyes are contempt the model may still read."""
    from kohesi.text.acts import act_mask
    from kohesi.text.tagger import tag_masks

    hostile = _toy_model("hostility")
    got = tag_masks(["zorbek", "zorbek 🙄", "ini pelajaran dasar zorbek"], learned=hostile).tolist()
    assert got == [act_mask(["hostility"])] * 2 + [0]


def test_second_stage_columns_are_those_it_is_fitted_on():
    """The compiled second stage (:func:`stacked`) equals the dense matrix it is fitted on times
    its coefficients, on texts with every kind of evidence."""
    from kohesi.text.ngrams import _stack_matrix, shape, stacked
    from kohesi.text.tagger import evidence

    texts = ["Setuju pak", "saya nggak ikut", "Setuju?", "dasar goblok", "tolong bantu dorong motor",
             "Innalillahi, turut berduka", "", None, "ok siap 👍"]
    ev = evidence(texts)
    m = model()
    z = logits(normalise(pl.Series(texts, dtype=pl.String)), m)
    dense = _stack_matrix(z, ev) @ m.stack_coef.T + m.stack_intercept
    np.testing.assert_allclose(stacked(z, ev, m), dense, atol=1e-9)
    assert shape(pl.Series(["a  b? c", "", "x"], dtype=pl.String)).tolist() == [[1.0, np.log(4)], [0.0, 0.0], [0.0, np.log(2)]]


def test_second_stage_in_a_chat_is_its_columns_with_the_messages_around():
    """In a chat, a text's second-stage logit (its own part, plus what the messages before and
    after add, plus the constant for having each: :func:`stacked_in_chat`) equals the dense matrix
    with the context columns times the coefficients, for coefficients that weigh every column."""
    import dataclasses

    from kohesi.text.ngrams import (
        CONTEXT_FEATURES,
        STACK_FEATURES,
        _stack_matrix,
        next_rows,
        stacked_in_chat,
    )
    from kohesi.text.tagger import evidence

    texts = ["Ada yang bisa bantu angkat lemari?", "Saya bisa pak", "Setuju?", "dasar goblok", "",
             None, "Innalillahi, turut berduka", "makasih 🙏"]
    previous = np.array([-1, 0, 1, 2, -1, 4, 5, 6])
    assert next_rows(previous).tolist() == [1, 2, 3, -1, 5, 6, 7, -1]
    ev = evidence(texts)
    rng = np.random.default_rng(7)
    m = dataclasses.replace(model(), stack_coef=rng.normal(size=(len(LEARNED_ACTS), STACK_FEATURES + CONTEXT_FEATURES)))
    z = logits(normalise(pl.Series(texts, dtype=pl.String)), m)
    dense = _stack_matrix(z, ev, previous) @ m.stack_coef.T + m.stack_intercept
    own, to_next, to_prev = stacked_in_chat(z, ev, m)
    with_before, with_after = m.with_neighbour()
    got = own.copy()
    has = previous >= 0
    got[has] += to_next[previous[has]] + with_before
    after = next_rows(previous)
    has = after >= 0
    got[has] += to_prev[after[has]] + with_after
    np.testing.assert_allclose(got, dense, atol=1e-9)


def test_the_second_stage_learns_from_the_message_before():
    """Fitted on chats where a reply that says nothing by itself ("zorbek") offers help after a
    request and does nothing after news, the tagger reads the same reply both ways by what came
    before it."""
    from kohesi.text.acts import act_mask
    from kohesi.text.tagger import evidence, tag_masks

    requests = ["tolong bantu angkat lemari", "minta tolong dorong motor", "ada yang bisa bantu pasang tenda",
                "tolong bantu cari kunci", "butuh bantuan angkut kursi"]
    news = ["rapat besok jam 8", "info: air mati sore ini", "jadwal posyandu sudah keluar", "besok libur",
            "pengumuman dari kelurahan"]
    texts, offer, request, group, previous = [], [], [], [], []
    for i in range(60):
        first = (requests if i % 2 == 0 else news)[i % 5]
        previous += [-1, len(texts)]
        texts += [first, "zorbek"]
        request += [i % 2 == 0, False]
        offer += [False, i % 2 == 0]
        group += [i % 5, i % 5]
    norm = normalise(pl.Series(texts, dtype=pl.String))
    m = fit(norm, {"help_request": np.array(request), "help_offer": np.array(offer)}, acts=("help_request", "help_offer"),
            evidence=evidence(texts, norm), groups=np.array(group), previous=np.array(previous))
    got = tag_masks(["tolong bantu angkat lemari", "zorbek", "info: air mati sore ini", "zorbek"], learned=m,
                    previous=np.array([-1, 0, 1, 2])).tolist()
    assert got == [act_mask(["help_request"]), act_mask(["help_offer"]), 0, 0]


def test_the_second_stage_learns_from_the_message_after():
    """Fitted on chats where a message that says nothing by itself ("zorbek") is thanked in the
    next message when it offered help and followed by news when it did nothing, the tagger reads
    the same message both ways by what came after it."""
    from kohesi.text.acts import act_mask
    from kohesi.text.tagger import evidence, tag_masks

    thanks = ["makasih banyak pak", "terima kasih bu", "matur nuwun mas", "hatur nuhun kang", "thanks a lot"]
    news = ["info: air mati sore ini", "jadwal posyandu sudah keluar", "besok libur", "pengumuman dari kelurahan",
            "harga cabai naik lagi"]
    texts, offer, group, previous = [], [], [], []
    for i in range(60):
        previous += [-1, len(texts)]
        texts += ["zorbek", (thanks if i % 2 == 0 else news)[i % 5]]
        offer += [i % 2 == 0, False]
        group += [i % 5, i % 5]
    norm = normalise(pl.Series(texts, dtype=pl.String))
    m = fit(norm, {"help_offer": np.array(offer), "help_request": np.zeros(len(texts), dtype=bool)},
            acts=("help_request", "help_offer"), evidence=evidence(texts, norm), groups=np.array(group),
            previous=np.array(previous))
    got = tag_masks(["zorbek", "makasih banyak pak", "zorbek", "besok libur"], learned=m,
                    previous=np.array([-1, 0, -1, 2])).tolist()
    assert got == [act_mask(["help_offer"]), act_mask(["thanks"]), 0, 0]
