"""Score parts of the act tagger against public, labelled Indonesian tweet data sets.

None of these data sets was annotated with the tagger's acts (``docs/acts.md``), so every
number below compares an act with the *closest* label a public set offers. The mappings, and
how good a proxy each is:

1. Hostility vs Ibrohim & Budi (2019) multi-label hate speech / abusive tweets
   (``load_abusive``). Positive = ``abusive & hs_individual``: abusive words in hate speech aimed
   at an individual, the closest label to the guideline's "insults, mocks, threatens or curses a
   member". Reported: precision, recall and F1 of ``hostility``; recall on ``hate & hs_strong``;
   the false-positive rate on tweets that are neither hate nor abusive (the cleanest negatives);
   and the hostility rate on ``abusive & ~hate`` tweets (mostly swearing not aimed at anyone,
   which the guideline says is *not* hostility: lower is better there). Precision here is a
   pessimistic proxy: a tweet insulting a group, or a person without abusive words, counts as a
   false positive although the guideline may call it hostility; the subgroup table shows where
   the tagged tweets fall.
2. Hostility vs Ibrohim & Budi (2018) three classes (``load_abusive_3class``): hostility rate
   per class (1 not abusive, 2 abusive but not offensive, 3 offensive). Class 3 is a reasonable
   proxy for hostility, class 2 for "a swear word not aimed at anyone". Nearly all of its texts
   are also in set 1 (the overlap is printed), so it is not independent evidence.
3. Emotion sets, Saputri et al. (2018) (``load_emotion``: anger, happy, sadness, love, fear) and
   Riccosan et al. (2022) (``load_emotion_opinion``: the same with joy for happy and sad for
   sadness, plus neutral). Per emotion class, the share of tweets tagged distress, sympathy,
   congratulation, thanks, hostility, and any act. All rough proxies: sadness/sad and fear ->
   distress is recall-like (but a sad tweet is often not a reported misfortune, and a fearful one
   is mostly worry); anger -> hostility is rough (anger at politics or traffic is not an insult
   to a member); happy/joy/love -> congratulation/thanks is rough (most happy tweets do neither).
   Riccosan's neutral class -> rate of any act is a false-positive-rate proxy, an upper bound:
   neutral tweets can contain real acts (a thank-you, a question asking for help).
4. Throughput: ``tag_texts`` over the deduplicated, masked texts of all four sets together
   (the same text may appear in sets 1 and 2), after a warm-up call; best of a few runs.

Texts: the loaders' default cleaning; ``mask_placeholders`` (bracket style) turns the
Ibrohim & Budi ``USER``/``URL`` tokens into ``[USERNAME]``/``[URL]`` as in Saputri et al. (the
number of texts whose tags change through masking is printed; Riccosan et al. removed
mentions and links outright). Within each set, repeated texts are scored once; a text that
carries different labels in different rows is dropped (its gold label is ambiguous; for set 1
"labels" are the columns used here: abusive, hate, target and level, not the category). The
public data sets are read from ``/work/data-public/`` (see ``bench/public_acts_data.py``) and
are not part of this repository.

Usage: ``python bench/eval_public_acts.py [--examples] [--seed N]``. Default output is numbers
only; ``--examples`` adds up to 15 sampled tweets per list (hostility false positives on
neither-hate-nor-abusive tweets, with the phrase that fired; hostility misses on
``abusive & hs_individual``; the same per 3-class set; and distress hits and misses on the
emotion sets).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections import Counter

import polars as pl

from kohesi.text import tag_texts
from kohesi.text.tagger import explain
from public_acts_data import (
    load_abusive,
    load_abusive_3class,
    load_emotion,
    load_emotion_opinion,
    mask_placeholders,
)

EMOTION_ACTS = ("distress", "sympathy", "congratulation", "thanks", "hostility")
MAX_EXAMPLES = 15


# ---------------------------------------------------------------- helpers


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a proportion k/n."""
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def rate(k: int, n: int) -> str:
    """``k/n = 0.123 [0.100, 0.150]``."""
    if n == 0:
        return f"{k}/0 = n/a"
    lo, hi = wilson(k, n)
    return f"{k}/{n} = {k / n:.3f} [{lo:.3f}, {hi:.3f}]"


def share(k: int, n: int) -> str:
    return f"{k / n:.3f}" if n else "n/a"


def mask_ibrohim(df: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """Bracket-mask USER/URL; also count texts whose tags differ between masked and unmasked."""
    masked = df["text"].map_elements(mask_placeholders, return_dtype=pl.String)
    before = tag_texts(df["text"])
    after = tag_texts(masked)
    changed = int((before.list.sort() != after.list.sort()).sum())
    return df.with_columns(masked.alias("text")), changed


def dedupe(df: pl.DataFrame, label_cols: list[str]) -> tuple[pl.DataFrame, dict[str, int]]:
    """One row per text; texts whose rows disagree on ``label_cols`` are dropped."""
    n = df.height
    distinct = df.unique(subset=["text", *label_cols], keep="first", maintain_order=True)
    conflict = distinct.group_by("text").len().filter(pl.col("len") > 1)["text"]
    out = distinct.filter(~pl.col("text").is_in(conflict.implode()))
    stats = {
        "rows": n,
        "duplicate_rows_removed": n - distinct.height,
        "conflicting_texts_dropped": conflict.len(),
        "conflicting_rows_dropped": distinct.height - out.height,
        "scored": out.height,
    }
    return out, stats


def dedupe_line(name: str, st: dict[str, int]) -> str:
    return (
        f"| {name} | {st['rows']} | {st['duplicate_rows_removed']} | "
        f"{st['conflicting_texts_dropped']} ({st['conflicting_rows_dropped']} rows) | "
        f"{st['scored']} |"
    )


def with_acts(df: pl.DataFrame) -> pl.DataFrame:
    acts = tag_texts(df["text"])
    cols = [acts.list.contains(a).alias(a) for a in EMOTION_ACTS]
    return df.with_columns(acts.alias("acts"), *cols, (acts.list.len() > 0).alias("any_act"))


def fired(text: str, act: str) -> str:
    """The phrases that gave ``act`` (all kept phrases if none marks it directly)."""
    hits = explain(text)
    own = [p for p, a, _ in hits if a == act]
    return ", ".join(f'"{p}"' for p in own) if own else "; ".join(f"{p}->{a}" for p, a, _ in hits)


def one_line(text: str, width: int = 220) -> str:
    t = " ".join(text.split()).replace("|", "/")
    return t if len(t) <= width else t[: width - 1] + "…"


def examples(title: str, df: pl.DataFrame, seed: int, act: str | None = None) -> None:
    print(f"\n**{title}** ({df.height} in all, up to {MAX_EXAMPLES} sampled)\n")
    if df.height == 0:
        print("(none)")
        return
    sample = df.sample(min(MAX_EXAMPLES, df.height), seed=seed)
    for row in sample.iter_rows(named=True):
        why = f" — fired: {fired(row['text'], act)}" if act else ""
        tags = ",".join(row["acts"]) or "-"
        print(f"- [{row['id']}] {one_line(row['text'])} — tags: {tags}{why}")


def phrase_counts(texts: pl.Series, act: str, top: int = 20) -> list[tuple[str, int]]:
    c: Counter[str] = Counter()
    for t in texts:
        for p, a, _ in explain(t):
            if a == act:
                c[p] += 1
    return c.most_common(top)


# ---------------------------------------------------------------- sets


def hostility_multilabel(args: argparse.Namespace) -> tuple[pl.DataFrame, list[str]]:
    df, changed = mask_ibrohim(load_abusive())
    labels = ["abusive", "hate", "hs_individual", "hs_group", "hs_weak", "hs_moderate", "hs_strong"]
    df, st = dedupe(df, labels)
    df = with_acts(df)
    pos = pl.col("abusive") & pl.col("hs_individual")
    h = pl.col("hostility")
    tp = df.filter(pos & h).height
    fp = df.filter(~pos & h).height
    fn = df.filter(pos & ~h).height
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    neither = ~pl.col("hate") & ~pl.col("abusive")

    def sub(expr: pl.Expr) -> str:
        d = df.filter(expr)
        return rate(d.filter(h).height, d.height)

    print("\n## 1. Hostility vs Ibrohim & Budi (2019), multi-label hate speech / abusive\n")
    print(
        "Mapping: positive = `abusive & hs_individual` (abusive words in hate speech aimed at a "
        "person). A proxy: the guideline's hostility also covers insults without abusive words "
        "and insults to the group, so precision is pessimistic. Masking USER/URL changed the "
        f"tags of {changed} texts.\n"
    )
    print(
        f"Scored {df.height} texts; positives {tp + fn}; tagged hostility {tp + fp} "
        f"(TP {tp}, FP {fp}, FN {fn}).\n"
    )
    print("| measure | value [95% Wilson CI] | direction |")
    print("|---|---|---|")
    print(f"| precision (vs abusive & hs_individual) | {rate(tp, tp + fp)} | higher is better |")
    print(f"| recall (abusive & hs_individual) | {rate(tp, tp + fn)} | higher is better |")
    print(f"| F1 | {f1:.3f} (P {p:.3f}, R {r:.3f}) | higher is better |")
    print(
        f"| recall on hate & hs_strong | {sub(pl.col('hate') & pl.col('hs_strong'))} | higher is better |"
    )
    print(f"| false-positive rate, neither hate nor abusive | {sub(neither)} | lower is better |")
    print(
        f"| hostility rate, abusive & not hate (casual swearing) | "
        f"{sub(pl.col('abusive') & ~pl.col('hate'))} | lower is better |"
    )
    print("\nHostility rate by subgroup (each tweet in exactly one row):\n")
    print("| subgroup | tagged hostility [95% CI] |")
    print("|---|---|")
    groups = [
        ("abusive & hate, individual", pl.col("abusive") & pl.col("hs_individual")),
        ("abusive & hate, group", pl.col("abusive") & pl.col("hs_group")),
        ("hate not abusive, individual", ~pl.col("abusive") & pl.col("hs_individual")),
        ("hate not abusive, group", ~pl.col("abusive") & pl.col("hs_group")),
        ("abusive not hate", pl.col("abusive") & ~pl.col("hate")),
        ("neither", neither),
    ]
    for name, expr in groups:
        print(f"| {name} | {sub(expr)} |")
    print("\nRecall on hate speech by level:\n")
    print("| hate level | tagged hostility [95% CI] |")
    print("|---|---|")
    for lvl in ("hs_weak", "hs_moderate", "hs_strong"):
        print(f"| {lvl[3:]} | {sub(pl.col('hate') & pl.col(lvl))} |")

    if args.examples:
        fps = df.filter(neither & h)
        examples(
            "Set 1 false positives: hostility on neither-hate-nor-abusive tweets",
            fps,
            args.seed,
            "hostility",
        )
        print("\nPhrases firing hostility on those tweets (count):")
        print(", ".join(f'"{p}" {k}' for p, k in phrase_counts(fps["text"], "hostility")))
        examples(
            "Set 1 false negatives: abusive & hs_individual not tagged hostility",
            df.filter(pos & ~h),
            args.seed,
        )
        fps2 = df.filter(pl.col("abusive") & ~pl.col("hate") & h)
        print("\nPhrases firing hostility on abusive-not-hate tweets (count):")
        print(", ".join(f'"{p}" {k}' for p, k in phrase_counts(fps2["text"], "hostility")))
    return df, [dedupe_line("Ibrohim & Budi 2019 (multi-label)", st)]


def hostility_3class(
    args: argparse.Namespace, multi: pl.DataFrame
) -> tuple[pl.DataFrame, list[str]]:
    df, changed = mask_ibrohim(load_abusive_3class())
    df, st = dedupe(df, ["label"])
    df = with_acts(df)
    overlap = df.filter(pl.col("text").is_in(multi["text"].implode())).height
    print("\n## 2. Hostility vs Ibrohim & Budi (2018), three classes\n")
    print(
        "Mapping: class 3 (offensive) ~ hostility (recall-like); class 2 (abusive, not "
        "offensive) ~ swearing not aimed at anyone (lower is better); class 1 (not abusive) "
        f"~ false-positive rate. Masking USER/URL changed the tags of {changed} texts. "
        f"Overlap with set 1: {overlap} of these {df.height} scored texts are also scored in "
        "set 1 (same texts, same cleaning), so this is not independent evidence.\n"
    )
    print("| class | n | tagged hostility [95% CI] | direction |")
    print("|---|---:|---|---|")
    direction = {1: "lower is better", 2: "lower is better", 3: "higher is better"}
    for lab, name in ((1, "1 not abusive"), (2, "2 abusive, not offensive"), (3, "3 offensive")):
        d = df.filter(pl.col("label") == lab)
        print(
            f"| {name} | {d.height} | {rate(d['hostility'].sum(), d.height)} | {direction[lab]} |"
        )
    if args.examples:
        examples(
            "Set 2 false positives: hostility on class 1 (not abusive)",
            df.filter((pl.col("label") == 1) & pl.col("hostility")),
            args.seed,
            "hostility",
        )
        examples(
            "Set 2 false negatives: class 3 (offensive) not tagged hostility",
            df.filter((pl.col("label") == 3) & ~pl.col("hostility")),
            args.seed,
        )
    return df, [dedupe_line("Ibrohim & Budi 2018 (3 classes)", st)]


def emotion_table(df: pl.DataFrame, order: list[str]) -> None:
    cols = " | ".join(EMOTION_ACTS)
    print(f"| emotion | n | {cols} | any act |")
    print("|---|---:|" + "---:|" * (len(EMOTION_ACTS) + 1))
    for lab in order:
        d = df.filter(pl.col("label") == lab)
        vals = " | ".join(share(int(d[a].sum()), d.height) for a in EMOTION_ACTS)
        print(f"| {lab} | {d.height} | {vals} | {share(int(d['any_act'].sum()), d.height)} |")


def emotion_sets(args: argparse.Namespace) -> tuple[list[pl.DataFrame], list[str]]:
    lines, frames = [], []
    print("\n## 3. Emotion sets: share of tweets tagged with each act, per emotion class\n")
    print(
        "Rough proxies only: sadness/sad & fear -> distress is recall-like (a sad tweet is not "
        "always a reported misfortune; fear is mostly worry); anger -> hostility is rough "
        "(anger at a politician or at traffic is not an insult to a member); happy/joy/love -> "
        "congratulation/thanks is rough (most happy tweets do neither). Riccosan's neutral "
        "class -> any act is a false-positive-rate proxy and an upper bound: neutral tweets "
        "can contain real acts.\n"
    )
    for title, load, order in (
        (
            "Saputri et al. (2018)",
            load_emotion,
            ["sadness", "fear", "anger", "happy", "love"],
        ),
        (
            "Riccosan et al. (2022)",
            load_emotion_opinion,
            ["sad", "fear", "anger", "joy", "love", "neutral"],
        ),
    ):
        df, st = dedupe(load(), ["label"])
        df = with_acts(df)
        frames.append(df)
        lines.append(dedupe_line(title, st))
        print(f"### {title}\n")
        emotion_table(df, order)
        sad = order[0]
        print()
        for lab in (sad, "fear"):
            d = df.filter(pl.col("label") == lab)
            print(f"- distress on {lab} (recall-like): {rate(int(d['distress'].sum()), d.height)}")
        d = df.filter(pl.col("label") == "anger")
        print(f"- hostility on anger (rough): {rate(int(d['hostility'].sum()), d.height)}")
        if "neutral" in order:
            d = df.filter(pl.col("label") == "neutral")
            print(f"- any act on neutral (FP proxy): {rate(int(d['any_act'].sum()), d.height)}")
            counts = d["acts"].explode().drop_nulls().value_counts(sort=True)
            per_act = ", ".join(
                f"{a} {k / d.height:.3f}" for a, k in counts.iter_rows() if k / d.height >= 0.005
            )
            print(f"- acts on neutral (share of neutral tweets, >= 0.005): {per_act}")
        print()
        if args.examples:
            positive = order[3:5]
            examples(
                f"{title}: distress on {'/'.join(positive)} tweets (likely false positives)",
                df.filter(pl.col("label").is_in(positive) & pl.col("distress")),
                args.seed,
                "distress",
            )
            examples(
                f"{title}: {sad} tweets not tagged distress (misses, if a misfortune)",
                df.filter((pl.col("label") == sad) & ~pl.col("distress")),
                args.seed,
            )
            examples(
                f"{title}: {sad} tweets tagged distress",
                df.filter((pl.col("label") == sad) & pl.col("distress")),
                args.seed,
                "distress",
            )
            print()
    return frames, lines


def throughput(texts: list[str], repeats: int = 3) -> None:
    tag_texts(texts[:100])  # warm-up: the lexicon is compiled once
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        tag_texts(texts)
        times.append(time.perf_counter() - t0)
    best, med = min(times), statistics.median(times)
    chars = sum(len(t) for t in texts) / len(texts)
    print("## 4. Tagger throughput\n")
    print(
        f"`tag_texts` over all {len(texts)} scored texts of the four sets combined (mean "
        f"{chars:.0f} characters), after a warm-up call, {repeats} runs: best {best:.3f} s "
        f"({len(texts) / best:,.0f} messages/s), median {med:.3f} s "
        f"({len(texts) / med:,.0f} messages/s). Wall-clock on a shared machine.\n"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", action="store_true", help="print sampled example tweets")
    ap.add_argument("--seed", type=int, default=0, help="seed for sampling the examples")
    args = ap.parse_args()

    print("# Act tagger on public Indonesian tweet data sets\n")
    print(
        "Proxies, not the tagger's own labels: see each section for the mapping. Rates are "
        "k/n = share [95% Wilson interval]. Texts: the loaders' default cleaning, Ibrohim & "
        "Budi USER/URL masked to [USERNAME]/[URL]; repeated texts scored once, texts with "
        "conflicting labels dropped."
    )
    multi, lines = hostility_multilabel(args)
    three, more = hostility_3class(args, multi)
    lines += more
    frames, more = emotion_sets(args)
    lines += more
    throughput(
        multi["text"].to_list()
        + three["text"].to_list()
        + [t for f in frames for t in f["text"].to_list()]
    )
    print("## 5. Deduplication\n")
    print("| set | rows | duplicate rows removed | conflicting texts dropped | scored |")
    print("|---|---:|---:|---:|---:|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
