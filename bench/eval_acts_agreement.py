"""How far two blind annotators of the same messages agree, beside how far the tagger agrees with each.

    python bench/eval_acts_agreement.py [--markdown]

Sets 43–54 (m12901–m16500, 3,600 messages of 72 whole invented chats) were labelled twice, each
time from the guideline alone (``docs/acts.md``, its first 34 lines) by an annotator who saw no
other labels: first for the labelled set (``labels{n}.jsonl``), then again by a second annotator
(``second_labels{n}.jsonl``, notes in ``second_annotator_notes{n}.md``). Printed, pooled over the
twelve sets:

- the first annotator against the second: micro precision, recall and F1 over every (message, act)
  pair, and per act F1 and Cohen's kappa (Cohen 1960, "A coefficient of agreement for nominal
  scales"; ``sklearn.metrics.cohen_kappa_score`` over the yes/no label of each message);
- the tagger against each annotator, and against the first on the messages where the two agree on
  every act, the tagger as ``eval_acts.held_out`` scores these sets: today's word lists, the learned
  stages fitted on the sets before the first of them, sign-up lists followed through each whole chat.

The agreement between the two annotators is the ceiling any reader of these labels can be held to:
where it is far above the tagger, the labels are reproducible from the guideline and what is left
is the tagger's.
"""

from __future__ import annotations

import argparse
import json

from sklearn.metrics import cohen_kappa_score

from eval_acts import DATA, SETS, fit_model, load, predict, scores
from kohesi.text import ACTS, act_mask

DOUBLE = tuple(str(n) for n in range(43, 55))
"""The sets labelled by two annotators."""


def second_labels(n: str) -> dict[str, int]:
    """The second annotator's labels of set ``n`` as bitmasks."""
    rows = map(json.loads, (DATA / f"second_labels{n}.jsonl").read_text("utf-8").splitlines())
    return {r["id"]: act_mask(r["acts"]) for r in rows}


def agreement(sets: tuple[str, ...] = DOUBLE) -> dict:
    """Scores of the first annotator, the second and the tagger (learned stages fitted on the sets before) on
    the sets ``sets``, pooled: ``first_vs_second`` (per act and micro, the first as reference),
    ``kappa`` per act, ``tagger_vs_first``, ``tagger_vs_second`` and ``tagger_where_agreed``."""
    first: dict[str, int] = {}
    second: dict[str, int] = {}
    tagger: dict[str, int] = {}
    learned = fit_model(SETS[: min(SETS.index(n) for n in sets)])
    for n in sets:
        first |= {k: act_mask(v["acts"]) for k, v in load(f"labels{n}.jsonl").items()}
        second |= second_labels(n)
        tagger |= predict(list(load(f"messages{n}.jsonl").values()), learned=learned)
    ids = list(first)
    assert set(second) == set(ids), "the second labels cover other messages than the first"
    per, micro = scores(first, second, ids)
    kappa = {a: float(cohen_kappa_score([first[k] >> i & 1 for k in ids], [second[k] >> i & 1 for k in ids]))
             for i, a in enumerate(ACTS)}
    agreed = [k for k in ids if first[k] == second[k]]
    return {"n": len(ids), "agreed": len(agreed), "first_vs_second": (per, micro), "kappa": kappa,
            "tagger_vs_first": scores(first, tagger, ids), "tagger_vs_second": scores(second, tagger, ids),
            "tagger_where_agreed": scores(first, tagger, agreed)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    r = agreement()
    per, micro = r["first_vs_second"]
    tf, ts, ta = (r[k][1] for k in ("tagger_vs_first", "tagger_vs_second", "tagger_where_agreed"))
    print(f"## sets {', '.join(DOUBLE)}: {r['n']} messages, the two annotators agree on every act of {r['agreed']}")
    for name, m in (("second annotator vs first", micro), ("tagger vs first", tf), ("tagger vs second", ts),
                    (f"tagger vs first, on the {r['agreed']} agreed", ta)):
        print(f"{name}: micro P {m['p']:.3f} R {m['r']:.3f} F1 {m['f1']:.3f}; exact match {m['exact']:.3f}")
    tagger_per = r["tagger_vs_first"][0]
    if args.markdown:
        print("\n| act | first | second | F1 between them | kappa | tagger F1 vs first |\n|---|---:|---:|---:|---:|---:|")
    else:
        print(f"\n{'act':15} {'first':>5} {'second':>6} {'F1':>5} {'kappa':>6} {'tagger':>6}")
    for a in ACTS:
        s = per[a]
        row = (a, s["tp"] + s["fn"], s["tp"] + s["fp"], s["f1"], r["kappa"][a], tagger_per[a]["f1"])
        print("| `{}` | {} | {} | {:.2f} | {:.2f} | {:.2f} |".format(*row) if args.markdown else
              "{:15} {:5d} {:6d} {:5.2f} {:6.2f} {:6.2f}".format(*row))


if __name__ == "__main__":
    main()
