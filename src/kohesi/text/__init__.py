"""What a message does: communicative acts read from text, without keeping the text.

A transparent, offline tagger: lexicons per language (``lexicons/*.toml``, each entry citing its
basis) matched in one Aho–Corasick pass (polars ``extract_many``), then a few readable rules (an
entry may need a cue, or be cancelled by another act), and numbered sign-up lists followed
across the messages that copy and extend them. The guideline the acts follow and how well the
tagger agrees with a human annotator are in ``docs/acts.md``.
"""

from __future__ import annotations

from kohesi.text.acts import ACTS, act_mask, acts_from_mask
from kohesi.text.lexicon import Lexicon, lexicon
from kohesi.text.signup import SignupChains, numbered_items
from kohesi.text.tagger import tag, tag_texts

__all__ = [
    "ACTS", "act_mask", "acts_from_mask", "Lexicon", "lexicon", "tag", "tag_texts",
    "SignupChains", "numbered_items",
]
