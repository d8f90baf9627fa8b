"""How much does the learned n-gram model add to the word lists, on writers it never saw?

    python bench/eval_acts_learned.py            # tests on the fifth to seventh sets
    python bench/eval_acts_learned.py --test 8   # one set, trained on all sets before it

For each test set, :func:`kohesi.text.ngrams.fit` is trained on the labelled sets written before
it (sets 1–4 for the fifth, 1–5 for the sixth, …) and the word lists alone, the model alone on
its acts, and both as the tagger combines them (an act of the model is added where the word
lists found no act that blocks it) are scored on the test set. The word lists have been tuned on sets 1–7, so only later sets are held
out for them; for earlier sets the word-list figures are in-sample (their once-scored values
are in ``docs/acts.md``).
"""

from __future__ import annotations

import argparse

import numpy as np
import polars as pl

from eval_acts import SETS, fit_model, load, predict
from kohesi.text import ACTS, act_mask
from kohesi.text.ngrams import LEARNED_ACTS, THRESHOLD, probabilities
from kohesi.text.normalise import normalise


def _micro(pred: np.ndarray, gold: np.ndarray) -> float:
    tp, fp, fn = (pred & gold).sum(), (pred & ~gold).sum(), (~pred & gold).sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else float("nan")


def _bits(masks: list[int]) -> np.ndarray:
    return np.array([[bool(m >> i & 1) for i in range(len(ACTS))] for m in masks])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--test", type=int, nargs="*", default=[5, 6, 7])
    args = ap.parse_args()
    messages, set_of = [], []
    for n in SETS:
        ms = list(load(f"messages{n}.jsonl").values())
        messages += ms
        set_of += [int(n or 1)] * len(ms)
    set_of = np.array(set_of)
    gold_masks = {k: act_mask(v["acts"]) for n in SETS for k, v in load(f"labels{n}.jsonl").items()}
    gold = _bits([gold_masks[m["id"]] for m in messages])
    norm = normalise(pl.Series([m["text"] for m in messages], dtype=pl.String))
    cols = [ACTS.index(a) for a in LEARNED_ACTS]
    print("| test set | messages | word lists | model (its acts only) | both |\n|---|---:|---:|---:|---:|")
    for test in args.test:
        held = set_of == test
        m = fit_model(SETS[: test - 1])
        test_messages = [x for x, h in zip(messages, held, strict=True) if h]
        ids = [x["id"] for x in test_messages]
        words, combined = predict(test_messages, learned=False), predict(test_messages, learned=m)
        lx, both = _bits([words[k] for k in ids]), _bits([combined[k] for k in ids])
        model = probabilities(norm.filter(pl.Series(held)), m) > THRESHOLD
        g = gold[held]
        print(f"| {test} | {held.sum()} | {_micro(lx, g):.3f} | {_micro(model, g[:, cols]):.3f} | {_micro(both, g):.3f} |")
        print("  per act (word lists / both): " + ", ".join(
            f"{ACTS[j]} {_micro(lx[:, j], g[:, j]):.2f}/{_micro(both[:, j], g[:, j]):.2f}" for j in cols))


if __name__ == "__main__":
    main()
