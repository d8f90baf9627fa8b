"""Fit the act tagger's n-gram model on every labelled set and write it into the package.

    python bench/train_acts_ngrams.py     # writes src/kohesi/text/models/acts_ngrams.npz

Training data: the messages of ``tests/text/data/messages*.jsonl`` with the blind annotator's
labels (``labels*.jsonl``); the model
and its features are described in :mod:`kohesi.text.ngrams`. ``tests/text/test_ngrams.py`` fits
it again from the same files and checks that the shipped model is that fit.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from eval_acts import SETS, load
from kohesi.text import ACTS
from kohesi.text.ngrams import MODEL_FILE, NgramModel, fit
from kohesi.text.normalise import normalise


def training_fit() -> NgramModel:
    """The model fitted on every labelled set."""
    texts, gold = [], []
    for n in SETS:
        labels = load(f"labels{n}.jsonl")
        for k, m in load(f"messages{n}.jsonl").items():
            texts.append(m["text"])
            gold.append(set(labels[k]["acts"]))
    norm = normalise(pl.Series(texts, dtype=pl.String))
    return fit(norm, {a: np.array([a in g for g in gold]) for a in ACTS})


def main() -> None:
    m = training_fit()
    m.save(MODEL_FILE)
    print(f"wrote {MODEL_FILE}: {len(m.buckets):,} buckets, acts {', '.join(m.acts)}; "
          f"{MODEL_FILE.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
