"""Code that moves without changing behaviour leaves these outputs byte-identical
(``tests/golden/capture.py`` says how to regenerate them for an intended change)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from golden.capture import HASHES, outputs  # noqa: E402


def test_outputs_are_byte_identical(tmp_path):
    want = json.loads(HASHES.read_text(encoding="utf-8"))
    got = outputs(tmp_path)
    changed = sorted(k for k in want if got.get(k) != want[k])
    assert not changed and set(got) == set(want), f"changed: {changed}; new: {sorted(set(got) - set(want))}"
