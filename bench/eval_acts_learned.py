"""How much do the learned stages add to the word lists, on writers they never saw?

    python bench/eval_acts_learned.py                           # leave out the eighth to eleventh sets in turn
    python bench/eval_acts_learned.py --test 8 10

For each test set, the learned stages (``eval_acts.fit_model``: the n-gram model and the second
stage that weighs it against the word lists, :mod:`kohesi.text.ngrams`) are fitted on every other
labelled set but those reserved (``--reserve``: sets kept for a once-only score), and the word
lists alone and the tagger with both stages are scored on it. The word lists were tuned on sets
1–7, so only later sets are held out for both.
"""

from __future__ import annotations

import argparse

import numpy as np

from eval_acts import SETS, fit_model, load, predict
from kohesi.text import ACTS, act_mask


def _micro(pred: np.ndarray, gold: np.ndarray) -> float:
    tp, fp, fn = (pred & gold).sum(), (pred & ~gold).sum(), (~pred & gold).sum()
    return float(2 * tp / (2 * tp + fp + fn)) if tp + fp + fn else float("nan")


def _bits(masks: list[int]) -> np.ndarray:
    return np.array([[bool(m >> i & 1) for i in range(len(ACTS))] for m in masks])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--test", nargs="*", default=["8", "9", "10", "11"])
    ap.add_argument("--reserve", nargs="*", default=["12"], help="sets never trained on (the twelfth was kept "
                    "out while the model's acts were chosen)")
    args = ap.parse_args()
    sets = [n for n in SETS if n not in args.reserve]
    data = {n: list(load(f"messages{n}.jsonl").values()) for n in sets}
    gold = {k: act_mask(v["acts"]) for n in sets for k, v in load(f"labels{n}.jsonl").items()}
    hostility = ACTS.index("hostility")
    print("| test set | messages | word lists | word lists + model | false hostility (words / both) |")
    print("|---|---:|---:|---:|---:|")
    totals = {"words": [], "both": [], "gold": []}
    for test in args.test:
        train = [n for n in sets if n != test]
        m = fit_model(tuple(train))
        ids = [x["id"] for x in data[test]]
        words, both = predict(data[test], learned=False), predict(data[test], learned=m)
        lx, bx, g = _bits([words[k] for k in ids]), _bits([both[k] for k in ids]), _bits([gold[k] for k in ids])
        totals["words"].append(lx), totals["both"].append(bx), totals["gold"].append(g)
        fh = [int((p[:, hostility] & ~g[:, hostility]).sum()) for p in (lx, bx)]
        print(f"| {test} | {len(ids)} | {_micro(lx, g):.3f} | {_micro(bx, g):.3f} | {fh[0]} / {fh[1]} |")
    lx, bx, g = (np.concatenate(totals[k]) for k in ("words", "both", "gold"))
    print(f"| all | {len(g)} | {_micro(lx, g):.3f} | {_micro(bx, g):.3f} | |")
    print("per act F1 (word lists / both): " + ", ".join(
        f"{a} {_micro(lx[:, j], g[:, j]):.2f}/{_micro(bx[:, j], g[:, j]):.2f}" for j, a in enumerate(ACTS)))


if __name__ == "__main__":
    main()
