"""Is a learned model a better act tagger than the lexicon? Leave one labelled set out.

    pip install scikit-learn            # bench only; kohesi itself does not depend on it
    python bench/eval_acts_learned.py   # tests on the fifth, sixth and seventh sets

For each test set, a character n-gram model (TF-IDF of 2–5-grams within words of the normalised
text, one balanced logistic regression per act, probability > 0.5) is trained on the labelled sets
written before it (sets 1–4 for the fifth, 1–5 for the sixth, 1–6 for the seventh) and scored,
beside the lexicon, on the held-out set; "either" tags an act when the lexicon or the model does.
The lexicon has since been tuned on sets 1–6, so only the seventh set is held out for both; the
fifth and sixth sets' lexicon figures are in-sample (their once-scored values are in
``docs/acts.md``).
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from eval_acts import SETS, load, predict
from kohesi.text import ACTS, act_mask
from kohesi.text.normalise import normalise


def _micro(pred: np.ndarray, gold: np.ndarray) -> float:
    tp, fp, fn = (pred & gold).sum(), (pred & ~gold).sum(), (~pred & gold).sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else float("nan")


def _bits(masks: list[int]) -> np.ndarray:
    return np.array([[bool(m >> i & 1) for i in range(len(ACTS))] for m in masks])


def main() -> None:
    messages, set_of = [], []
    for n in SETS:
        ms = list(load(f"messages{n}.jsonl").values())
        messages += ms
        set_of += [int(n or 1)] * len(ms)
    set_of = np.array(set_of)
    gold_masks = {k: act_mask(v["acts"]) for n in SETS for k, v in load(f"labels{n}.jsonl").items()}
    lexicon = predict(messages)
    ids = [m["id"] for m in messages]
    gold, lex = _bits([gold_masks[k] for k in ids]), _bits([lexicon[k] for k in ids])
    texts = normalise(pl.Series([m["text"] for m in messages], dtype=pl.String)).to_list()
    print("| test set | messages | lexicon | n-gram model | either |\n|---|---:|---:|---:|---:|")
    per_act = {}
    for test in (5, 6, 7):
        train, held = set_of < test, set_of == test
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
        x_train = vec.fit_transform([texts[i] for i in np.flatnonzero(train)])
        x_test: csr_matrix = vec.transform([texts[i] for i in np.flatnonzero(held)])
        model = np.zeros((held.sum(), len(ACTS)), dtype=bool)
        for j in range(len(ACTS)):
            fit = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(x_train, gold[train, j])
            model[:, j] = fit.predict_proba(x_test)[:, 1] > 0.5
        g, lx = gold[held], lex[held]
        print(f"| {test}{' (lexicon in-sample)' if test in (5, 6) else ''} | {held.sum()} | {_micro(lx, g):.3f} | "
              f"{_micro(model, g):.3f} | {_micro(lx | model, g):.3f} |")
        per_act[test] = [(a, _micro(lx[:, j], g[:, j]), _micro(model[:, j], g[:, j])) for j, a in enumerate(ACTS)]
    for test in (6, 7):
        print(f"\nSet {test}, F1 per act (lexicon / model):")
        print(", ".join(f"{a} {x:.2f}/{y:.2f}" for a, x, y in per_act[test]))


if __name__ == "__main__":
    main()
