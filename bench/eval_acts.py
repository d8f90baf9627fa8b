"""Score the act tagger against the labelled chat messages (``tests/text/data``).

Gold standard: the blind annotator's labels (``labels.jsonl``); the writer's intended acts
(``intended.jsonl``) are compared with them to report how far two people agree. The set is split
by message id: ``dev`` (m0001–m0300, where the lexicon was tuned), ``held-out``
(m0301–m0600: scored once as held-out, then used for tuning too, see docs/acts.md) and ``fresh``
(m0601–m0900: a second set by another writer and another blind annotator, ``messages2.jsonl``,
``labels2.jsonl``, never seen while the lexicon was written; scored once as held-out, then used
for the second round of tuning) and ``third`` (m0901–m1200: a third writer and annotator,
``messages3.jsonl``, ``labels3.jsonl``, written after the second round) and ``fourth``
(m1201–m1500: a fourth writer and annotator, ``messages4.jsonl``, ``labels4.jsonl``, written
after the third round and scored once after it) and ``fifth`` (m1501–m1800: a fifth writer and
annotator, six whole chats in chat order with natural proportions of messages without an act,
``messages5.jsonl``, ``labels5.jsonl``, written after the third round and scored once) and
``sixth`` (m1801–m2100: a sixth writer and annotator, six more whole chats, written while the
fourth round was tuned on the fourth and fifth sets, and scored once after it) and ``seventh``
(m2101–m2400: a seventh writer and annotator, six more whole chats, written while rules from the
sixth set's errors were added, and scored once after them) and ``eighth`` (m2401–m2700: an eighth
writer and annotator, six more whole chats, scored once with the n-gram model trained on sets
1–7), ``ninth`` to ``eleventh`` (m2701–m3600: three more writers and annotators, each scored once
with the model trained on sets 1–8; then used to choose the model's acts and to train it) and
``twelfth`` (m3601–m3900: scored once with the model trained on sets 1–11), then ``thirteenth``
to ``seventy-fourth`` (m3901–m22500: a writer and an annotator each, every set scored once with the
model trained on the sets before it, then used; docs/acts.md says after which round of word
lists). Sets 75–78 (m22501–m23700, :data:`RESERVE`) are labelled but not learned from yet: scored
once by the tagger that learned from sets 1–74, they wait to score the next change
(``--reserve``). Numbered lists are scored as the reader sees them: the message it answers (``reply_to``)
is fed to the sign-up chain first; in the whole chats (sets 5 on) the lists are followed through
each chat in message order, as the reader follows them through an export
(``predict(..., whole_chats=False)``: only the message answered, as the sets were scored until the
fifteenth).

Usage: ``python bench/eval_acts.py [--split dev|held-out|...|seventy-third|seventy-fourth|all] [--errors] [--markdown]``,
``python bench/eval_acts.py --reserve``
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import polars as pl

from kohesi.text import ACTS, SignupChains, act_mask, acts_from_mask
from kohesi.text.annotate import list_acts, previous_rows
from kohesi.text.ngrams import NgramModel, fit
from kohesi.text.normalise import normalise
from kohesi.text.tagger import evidence, tag_masks

DATA = Path(__file__).resolve().parents[1] / "tests" / "text" / "data"
SPLITS = ("dev", "held-out", "fresh", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
          "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
          "twentieth", "twenty-first", "twenty-second", "twenty-third", "twenty-fourth",
          "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth", "twenty-ninth", "thirtieth",
          "thirty-first", "thirty-second", "thirty-third", "thirty-fourth",
          "thirty-fifth", "thirty-sixth", "thirty-seventh", "thirty-eighth",
          "thirty-ninth", "fortieth", "forty-first", "forty-second",
          "forty-third", "forty-fourth", "forty-fifth", "forty-sixth",
          "forty-seventh", "forty-eighth", "forty-ninth", "fiftieth",
          "fifty-first", "fifty-second", "fifty-third", "fifty-fourth", "fifty-fifth", "fifty-sixth",
          "fifty-seventh", "fifty-eighth", "fifty-ninth", "sixtieth", "sixty-first", "sixty-second",
          "sixty-third", "sixty-fourth", "sixty-fifth", "sixty-sixth", "sixty-seventh", "sixty-eighth",
          "sixty-ninth", "seventieth", "seventy-first", "seventy-second", "seventy-third", "seventy-fourth")
"""The splits by message id, 300 each (the first set's two halves, then one per set): a new set is one more name here."""
SETS = ("",) + tuple(str(n) for n in range(2, len(SPLITS)))
"""File suffixes of the labelled sets (``messages{n}.jsonl``, ``labels{n}.jsonl``, ``intended{n}.jsonl``)."""
RESERVE = ("75", "76", "77", "78")
"""Sets written and labelled blind like the others but kept out of :data:`SETS`, so nothing learns from
them: scored once by the tagger fitted on sets 1–74 (docs/acts.md), they score the next change to the
tagger before they join the sets it learns from."""


def load(name: str) -> dict[str, dict]:
    return {r["id"]: r for r in map(json.loads, (DATA / name).read_text("utf-8").splitlines())}


def replied_text(m: dict, by_id: dict[str, dict]) -> str | None:
    """The text ``m`` answers: ``reply_to`` holds that text (sets 1–3) or its message id (set 4)."""
    reply = m.get("reply_to")
    return by_id[reply]["text"] if reply in by_id else reply


def guideline_cases() -> list[tuple[str, list[str]]]:
    """The guideline's examples and the cases read from it (``tests/text/test_tagger.py``,
    ``ALL_CASES``): each text and its acts by the guideline."""
    import importlib.util
    import sys

    path = DATA.parents[1] / "text" / "test_tagger.py"
    spec = importlib.util.spec_from_file_location("kohesi_guideline_cases", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return [(p.values[0], list(p.values[1])) for p in module.ALL_CASES]


def _bits(masks: list[int]) -> dict[str, np.ndarray]:
    bits = np.array(masks, dtype=np.int64)
    return {a: (bits >> i & 1).astype(bool) for i, a in enumerate(ACTS)}


def fit_model(sets: tuple[str, ...]) -> NgramModel:
    """The learned stages (:mod:`kohesi.text.ngrams`) fitted on the labelled sets ``sets`` (file
    suffixes of :data:`SETS`), with the blind annotator's labels, each set its own group for the
    folds, and the guideline's cases (:func:`guideline_cases`) as the second stage's anchors."""
    texts, gold, group, previous = [], [], [], []
    for n in sets:
        labels = load(f"labels{n}.jsonl")
        messages = list(load(f"messages{n}.jsonl").values())
        before = previous_in_chat(messages)
        previous += np.where(before >= 0, before + len(texts), -1).tolist()
        for m in messages:
            texts.append(m["text"])
            gold.append(act_mask(labels[m["id"]]["acts"]))
            group.append(SETS.index(n))
    cases = guideline_cases()
    anchor_texts = pl.Series([t for t, _ in cases], dtype=pl.String)
    anchor_norm = normalise(anchor_texts)
    anchors = (anchor_norm, evidence(anchor_texts, anchor_norm), _bits([act_mask(a) for _, a in cases]))
    series = pl.Series(texts, dtype=pl.String)
    norm = normalise(series)
    return fit(norm, _bits(gold), evidence=evidence(series, norm), groups=np.array(group),
               previous=np.array(previous, dtype=np.int64), anchors=anchors)


def previous_in_chat(messages: list[dict]) -> np.ndarray:
    """Per message, the index of the message before it in its whole chat (messages with a ``chat``
    number, sets 5 on, in message order; chat numbers restart in every set), -1 for the first of a
    chat and for a message of the example lists (sets 1–4), which stand alone: the reader's
    :func:`~kohesi.text.annotate.previous_rows`, each chat a group, each list message its own."""
    group = [f"{split_of(m['id'])}:{m['chat']}" if m.get("chat") is not None else m["id"] for m in messages]
    return previous_rows(pl.Series([m["text"] for m in messages], dtype=pl.String), np.arange(len(messages)),
                         pl.Series(group, dtype=pl.String))


def held_out(*sets: str) -> tuple[dict, dict]:
    """Per-act and micro scores of the sets ``sets`` (pooled), none of them learned from: the word
    lists, and the learned stages fitted on the sets written before the first of them."""
    gold: dict[str, int] = {}
    pred: dict[str, int] = {}
    learned = fit_model(SETS[: min(SETS.index(n) for n in sets)])
    for n in sets:
        messages = list(load(f"messages{n}.jsonl").values())
        gold |= {k: act_mask(v["acts"]) for k, v in load(f"labels{n}.jsonl").items()}
        pred |= predict(messages, learned=learned)
    return scores(gold, pred, list(gold))


def predict(messages: list[dict], learned: bool | NgramModel = True, whole_chats: bool = True) -> dict[str, int]:
    """Each message's acts as the reader gives them: the tagger's, then the sign-up lists. In a
    whole chat (messages with a ``chat`` number, sets 5 on) the lists are followed through the
    chat in message order, as the reader follows them through an export; a message of the example
    lists (sets 1–4), or any message with ``whole_chats`` false, is followed after the one message
    it answers only."""
    masks = tag_masks([m["text"] for m in messages], learned=learned,
                      previous=previous_in_chat(messages) if whole_chats else None)
    by_id = {m["id"]: m for m in messages}
    chats: dict[object, SignupChains] = {}
    out = {}
    for m, mask in zip(messages, masks, strict=True):
        if whole_chats and m.get("chat") is not None:  # chat numbers restart in every set
            chains = chats.setdefault((split_of(m["id"]), m["chat"]), SignupChains())
        else:
            chains = SignupChains()
            if m.get("reply_to"):
                chains.add("prev", replied_text(m, by_id))
        placed = chains.add(m["id"], m["text"])
        out[m["id"]] = int(mask) if placed is None else int(list_acts(int(mask), placed[1], placed[2]))
    return out


def split_of(mid: str) -> str:
    """The split of message ``mid``: every 300 ids one (m0001–m0300 ``dev``, then the others in
    :data:`SPLITS` order)."""
    return SPLITS[min((int(mid[1:]) - 1) // 300, len(SPLITS) - 1)]


def scores(gold: dict[str, int], pred: dict[str, int], ids: list[str]) -> tuple[dict, dict]:
    per = {}
    tp_all = fp_all = fn_all = 0
    for i, a in enumerate(ACTS):
        b = 1 << i
        tp = sum(1 for k in ids if gold[k] & b and pred[k] & b)
        fp = sum(1 for k in ids if pred[k] & b and not gold[k] & b)
        fn = sum(1 for k in ids if gold[k] & b and not pred[k] & b)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        p = tp / (tp + fp) if tp + fp else float("nan")
        r = tp / (tp + fn) if tp + fn else float("nan")
        f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
        per[a] = {"n": tp + fn, "tp": tp, "fp": fp, "fn": fn, "p": p, "r": r, "f1": f}
    micro = {"p": tp_all / (tp_all + fp_all), "r": tp_all / (tp_all + fn_all),
             "f1": 2 * tp_all / (2 * tp_all + fp_all + fn_all),
             "exact": sum(gold[k] == pred[k] for k in ids) / len(ids), "n": len(ids)}
    return per, micro


def confusion(gold: dict[str, int], pred: dict[str, int], ids: list[str]) -> dict[str, dict[str, int]]:
    """For each gold act: the acts predicted on its messages that gold does not have, and
    'missed' (predicted nothing of it)."""
    out: dict[str, dict[str, int]] = {a: {} for a in ACTS}
    for k in ids:
        for a in acts_from_mask(gold[k]):
            if not pred[k] & act_mask([a]):
                out[a]["missed"] = out[a].get("missed", 0) + 1
            for b in acts_from_mask(pred[k] & ~gold[k]):
                out[a][b] = out[a].get(b, 0) + 1
    none = [k for k in ids if gold[k] == 0]
    out["(none)"] = {}
    for k in none:
        for b in acts_from_mask(pred[k]):
            out["(none)"][b] = out["(none)"].get(b, 0) + 1
    return out


def reserve_scores(learned: bool | NgramModel = True) -> dict[str, dict]:
    """Micro scores of each :data:`RESERVE` set and of all of them pooled (key ``"pooled"``), by the
    tagger (``learned``: as :func:`predict`), lists followed through each whole chat."""
    gold: dict[str, int] = {}
    pred: dict[str, int] = {}
    out = {}
    for n in RESERVE:
        g = {k: act_mask(v["acts"]) for k, v in load(f"labels{n}.jsonl").items()}
        p = predict(list(load(f"messages{n}.jsonl").values()), learned=learned)
        out[n] = scores(g, p, list(g))[1]
        gold |= g
        pred |= p
    out["pooled"] = scores(gold, pred, list(gold))[1]
    return out


def print_reserve() -> None:
    for name, m in reserve_scores().items():
        print(f"{name:>7}: micro P {m['p']:.3f} R {m['r']:.3f} F1 {m['f1']:.3f} ({m['n']} messages)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=[*SPLITS, "all"], default="dev")
    ap.add_argument("--errors", action="store_true", help="print every disagreement with gold")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--reserve", action="store_true", help="score the reserve sets (RESERVE), set by set and pooled")
    args = ap.parse_args()
    if args.reserve:
        return print_reserve()
    messages = [m for n in SETS for m in load(f"messages{n}.jsonl").values()]
    gold = {k: act_mask(v["acts"]) for n in SETS for k, v in load(f"labels{n}.jsonl").items()}
    intended = {k: act_mask(v["acts"]) for n in SETS for k, v in load(f"intended{n}.jsonl").items()}
    pred = predict(messages)
    splits = list(SPLITS) if args.split == "all" else [args.split]
    ids = [m["id"] for m in messages if split_of(m["id"]) in splits]
    per, micro = scores(gold, pred, ids)
    _, agree = scores(gold, intended, ids)
    label = "+".join(splits)
    print(f"## {label}: {micro['n']} messages")
    print(f"tagger vs annotator: micro P {micro['p']:.3f} R {micro['r']:.3f} F1 {micro['f1']:.3f}; "
          f"exact match {micro['exact']:.3f}")
    print(f"writer vs annotator: micro F1 {agree['f1']:.3f}; exact match {agree['exact']:.3f}")
    bar = "|---|---:|---:|---:|---:|---:|---:|" if args.markdown else ""
    print("| act | n | P | R | F1 | false + | missed |" if args.markdown else
          f"{'act':15} {'n':>4} {'P':>6} {'R':>6} {'F1':>6} {'fp':>4} {'fn':>4}")
    if bar:
        print(bar)
    for a, s in per.items():
        if args.markdown:
            print(f"| `{a}` | {s['n']} | {s['p']:.2f} | {s['r']:.2f} | {s['f1']:.2f} | {s['fp']} | {s['fn']} |")
        else:
            print(f"{a:15} {s['n']:4d} {s['p']:6.2f} {s['r']:6.2f} {s['f1']:6.2f} {s['fp']:4d} {s['fn']:4d}")
    conf = confusion(gold, pred, ids)
    print("\nconfusion (gold act → acts predicted instead or as well; 'missed' = not found):")
    for a, row in conf.items():
        if row:
            print(f"  {a}: " + ", ".join(f"{b} {n}" for b, n in sorted(row.items(), key=lambda kv: -kv[1])))
    if args.errors:
        print()
        for m in messages:
            k = m["id"]
            if k in ids and gold[k] != pred[k]:
                print(f"{k} gold={acts_from_mask(gold[k])} pred={acts_from_mask(pred[k])} | "
                      f"{m['text'][:110]!r}" + (f" <<RE {m['reply_to'][:40]!r}" if m.get("reply_to") else ""))


if __name__ == "__main__":
    main()
