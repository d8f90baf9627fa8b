"""docs/indicators.md is generated from the indicator registry: one source of truth."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_indicator_catalogue_is_up_to_date():
    spec = importlib.util.spec_from_file_location("gen_indicators", ROOT / "docs" / "gen_indicators.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8") == gen.render(), (
        "docs/indicators.md is stale: run python docs/gen_indicators.py")
