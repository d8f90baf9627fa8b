"""Fit the act tagger's n-gram model on every labelled set and write it into the package.

    python bench/train_acts_ngrams.py     # writes src/kohesi/text/models/acts_ngrams.npz

Training data: the messages of ``tests/text/data/messages*.jsonl`` with the blind annotator's
labels (``labels*.jsonl``); the model
and its features are described in :mod:`kohesi.text.ngrams`. ``tests/text/test_ngrams.py`` fits
it again from the same files and checks that the shipped model is that fit.
"""

from __future__ import annotations

from eval_acts import SETS, fit_model
from kohesi.text.ngrams import MODEL_FILE


def main() -> None:
    m = fit_model(SETS)
    m.save(MODEL_FILE)
    print(f"wrote {MODEL_FILE}: {len(m.buckets):,} buckets, acts {', '.join(m.acts)}; "
          f"{MODEL_FILE.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
