"""The labelled act sets as ``bench/eval_acts.py`` scores them, for the tests that check the
tagger (and the report's figures) against them: one copy of the harness, loaded from the bench."""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from types import ModuleType

EVAL_ACTS = Path(__file__).resolve().parents[2] / "bench" / "eval_acts.py"


@cache
def eval_acts() -> ModuleType:
    """``bench/eval_acts.py`` as a module (``SETS``, ``load``, ``predict``, ``scores``, ``split_of``)."""
    spec = importlib.util.spec_from_file_location("eval_acts", EVAL_ACTS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
