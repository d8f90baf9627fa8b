"""Suggestions tied to the weakest dimensions, from rules kept as data (``suggestions.toml``)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

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
    facts: dict[str, Any] | None = None
    """Counts the text cites (``%(help_request)s``…), from the last 30 days' acts; None when the
    rule cites none."""

    def render(self, gettext: Callable[[str], str]) -> str:
        """The translated text with its counts filled in."""
        text = gettext(self.text)
        return text % self.facts if self.facts else text


@cache
def RULES() -> list[dict]:  # noqa: N802
    raw = resources.files("kohesi.report").joinpath("suggestions.toml").read_text("utf-8")
    return tomllib.loads(raw)["suggestion"]


def suggest(scores: dict[str, float | None], indicators: dict[str, float | None], limit: int = 5,
            facts: dict[str, Any] | None = None) -> list[Suggestion]:
    """Suggestions whose trigger crosses its threshold, most severe first.

    ``scores`` holds aspect and stage scores (0–1), ``indicators`` indicator values; a trigger
    whose value is unavailable never fires. A rule that cites counts (``cites`` in
    ``suggestions.toml``) fires only when ``facts`` has them and its ``min_count`` is met.

    >>> [s.key for s in suggest({"cooperation": 0.2}, {"newcomer_inclusion": 0.9})]
    ['gotong_royong']
    """
    out = []
    for rule in RULES():
        value = scores.get(rule["trigger"], indicators.get(rule["trigger"]))
        if value is None or value != value:
            continue
        cited = None
        if "cites" in rule:
            if not facts or any(facts.get(k) is None for k in rule["cites"]):
                continue
            cited = {k: facts[k] for k in rule["cites"]}
            if cited[rule["cites"][0]] < rule.get("min_count", 1):
                continue
        if "below" in rule and value < rule["below"]:
            sev, threshold, direction = (rule["below"] - value) / max(rule["below"], 1e-9), rule["below"], "below"
        elif "above" in rule and value > rule["above"]:
            sev, threshold, direction = (value - rule["above"]) / max(1 - rule["above"], 1e-9), rule["above"], "above"
        else:
            continue
        out.append(Suggestion(rule["key"], rule["title"], rule["text"], rule["lever"], rule["trigger"],
                              float(value), float(threshold), direction, float(sev), cited))
    out.sort(key=lambda s: -s.severity)
    return out[:limit]
