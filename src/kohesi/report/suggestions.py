"""Suggestions tied to the weakest dimensions, from rules kept as data (``suggestions.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = ["Suggestion", "RULES", "suggest"]


@dataclass(frozen=True)
class Suggestion:
    key: str
    title: str
    text: str
    lever: str
    trigger: str
    value: float
    threshold: float
    direction: str
    """``below`` or ``above``: which side of the threshold fired the suggestion."""
    severity: float


@cache
def RULES() -> list[dict]:  # noqa: N802
    raw = resources.files("kohesi.report").joinpath("suggestions.toml").read_text("utf-8")
    return tomllib.loads(raw)["suggestion"]


def suggest(scores: dict[str, float | None], indicators: dict[str, float | None], limit: int = 5) -> list[Suggestion]:
    """Suggestions whose trigger crosses its threshold, most severe first.

    ``scores`` holds aspect and stage scores (0–1), ``indicators`` indicator values; a trigger
    whose value is unavailable never fires.

    >>> [s.key for s in suggest({"cooperation": 0.2}, {"newcomer_inclusion": 0.9})]
    ['gotong_royong']
    """
    out = []
    for rule in RULES():
        value = scores.get(rule["trigger"], indicators.get(rule["trigger"]))
        if value is None or value != value:
            continue
        if "below" in rule and value < rule["below"]:
            sev, threshold, direction = (rule["below"] - value) / max(rule["below"], 1e-9), rule["below"], "below"
        elif "above" in rule and value > rule["above"]:
            sev, threshold, direction = (value - rule["above"]) / max(1 - rule["above"], 1e-9), rule["above"], "above"
        else:
            continue
        out.append(Suggestion(rule["key"], rule["title"], rule["text"], rule["lever"], rule["trigger"],
                              float(value), float(threshold), direction, float(sev)))
    out.sort(key=lambda s: -s.severity)
    return out[:limit]
