"""Survey scores beside the behavioural profile: what members say next to what the chat shows.

A scale's mean score (0–1, rescaled by its response range) is set beside the log-based aspect it
speaks to; a gap of 0.2 or more (20 points) is pointed out as a disagreement worth discussing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from kohesi.errors import InputError

__all__ = ["ASPECT_OF_SCALE", "DISAGREE", "survey_beside"]

ASPECT_OF_SCALE = {
    "perceived-cohesion": "belonging",
    "buckner-short": "belonging",
    "sampson-cohesion-trust": "trust_norms",
    "generalised-trust": "trust_norms",
}
DISAGREE = 0.2
FLAGS = {"group_col": "--survey-group-col"}
"""How messages name the survey's options: the flags of ``kohesi report``."""


def survey_beside(path: str | Path, aspects: dict[str, float | None], *, group_col: str | None = None,
                  group: str | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """One row per scale found in the responses: survey mean (0–1), n, α, the matching aspect's
    log-based score and whether the two disagree."""
    from kohesi.survey import available_scales, load_scale, score_csv

    items = {i.key for k in available_scales() for i in load_scale(k).items}
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read the survey responses ({exc.__class__.__name__})") from None
    if not lines or not lines[0].strip():
        raise InputError(path, "the survey file is empty; fill in the CSV from `kohesi survey template`")
    header = lines[0].split(",")
    extra = [c.strip() for c in header if c.strip() not in items | {"respondent_id", group_col}]
    res = score_csv(path, group_col=group_col, seed=seed, n_boot=200, ignore=extra, flags=FLAGS)
    scores = res.scores.filter(pl.col("part") == "total")
    if group is not None and group_col is not None:
        scores = scores.filter(pl.col("group") == group)
    rel = {r["scale"]: r for r in res.reliability.filter(pl.col("part") == "total").iter_rows(named=True)}
    out = []
    for (key,), grp in scores.group_by("scale", maintain_order=True):
        vals = grp["score"].drop_nulls()
        if vals.len() == 0:
            continue
        scale = load_scale(key)
        value = (float(vals.mean()) - scale.response_min) / (scale.response_max - scale.response_min)
        aspect = ASPECT_OF_SCALE.get(key)
        behaviour = aspects.get(aspect) if aspect else None
        alpha = rel.get(key, {}).get("alpha")
        out.append({
            "scale": key, "name": scale.name, "aspect": aspect, "value": value, "n": int(vals.len()),
            "alpha": None if alpha is None or alpha != alpha else float(alpha),
            "behaviour": behaviour,
            "disagree": behaviour is not None and abs(value - behaviour) >= DISAGREE,
        })
    return out
