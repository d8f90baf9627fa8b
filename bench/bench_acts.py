"""What reading communicative acts costs, beside the WhatsApp reader it runs in.

    python bench/bench_acts.py                      # 1M messages, android-id (Indonesian Android)
    python bench/bench_acts.py --messages 100000 --style ios-en

The export is the seeded one of ``bench/bench_whatsapp.py`` (``bench/gen_whatsapp.py``; written
into ``bench/data/`` when missing). In this process, import excluded, median of ``--repeats``:

- ``read``: ``kohesi.read(..., tag_acts=False)``, the reader alone;
- ``read+acts``: ``kohesi.read(...)``, which also tags every text and follows sign-up lists;
- ``tag``: :func:`kohesi.text.tag_masks` alone on the texts (read once with ``keep_text``), each
  read alone;
- ``tag in chat``: the same, each message read after the one before it, as the reader reads them
  (:func:`kohesi.text.annotate.previous_rows`, then ``tag_masks(..., previous=...)``);
- ``tag words``: the same with the word lists only (``learned=False``): the difference is the
  n-gram model's cost;
- ``annotate``: :func:`kohesi.text.annotate.annotate` (tagging, sign-up chains, the new column);
- ``tag distinct``: ``tag`` on the same texts each made distinct (a made-up word of letters
  appended: a row's own), the worst case for the tagger, which tags each distinct text once. The
  seeded export repeats its texts far more than a real chat (about 11 % of the texts distinct).

The issue's target: tagging adds at most 0.5 s per million WhatsApp messages on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, default=1_000_000)
    ap.add_argument("--style", default="android-id")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args(argv)

    from bench_whatsapp import data_file

    path = data_file(args.messages, args.style, args.seed)
    import kohesi
    from kohesi.text.annotate import annotate, previous_rows
    from kohesi.text.tagger import tag_masks

    kw = {"tz": "Asia/Jakarta"}
    kept = kohesi.read(path, keep_text=True, tag_acts=False, **kw).events
    texts = kept["text"]
    n_text = len(texts) - texts.null_count
    tag_masks(texts.slice(0, 1000))  # the lexicon is built once per process (not counted)
    import numpy as np
    import polars as pl

    series = pl.Series("t", texts, dtype=pl.String)
    row = np.arange(len(series))
    word = pl.Series(["".join(chr(97 + (r // 26**k) % 26) for k in range(5)) for r in row.tolist()])
    unique = (series.fill_null("") + " q" + word).to_arrow()
    share = series.drop_nulls().n_unique() / max(n_text, 1)
    ts = pl.Series(kept["ts"]).dt.epoch("us").to_numpy()
    rows = {
        "read": _median_time(lambda: kohesi.read(path, tag_acts=False, **kw), args.repeats),
        "read+acts": _median_time(lambda: kohesi.read(path, **kw), args.repeats),
        "tag": _median_time(lambda: tag_masks(texts), args.repeats),
        "tag in chat": _median_time(lambda: tag_masks(texts, previous=previous_rows(series, ts)), args.repeats),
        "tag words": _median_time(lambda: tag_masks(texts, learned=False), args.repeats),
        "annotate": _median_time(lambda: annotate(kept, texts), args.repeats),
        "tag distinct": _median_time(lambda: tag_masks(unique), args.repeats),
    }
    per_m = 1e6 / args.messages
    print(f"{args.messages:,} messages ({args.style}, seed {args.seed}), {n_text:,} with text "
          f"({share:.0%} of them distinct); "
          f"median of {args.repeats}, import excluded")
    print(f"{'step':<13}{'s':>8}{'s per 1M':>10}")
    for k, v in rows.items():
        print(f"{k:<13}{v:>8.2f}{v * per_m:>10.2f}")
    added = rows["read+acts"] - rows["read"]
    print(f"tagging adds {added * per_m:.2f} s per 1M messages "
          f"({added / rows['read']:.0%} of the read; target ≤ 0.50 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
