"""Factors of solidarity: intensity of interaction and shared goals.

Norms, leadership and communication effectiveness are tagged on indicators in
:mod:`~kohesi.measure.norms`, :mod:`~kohesi.measure.leadership` and
:mod:`~kohesi.measure.communication`.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import dyad_weight, weighted_median
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["dyad_intensity", "burstiness", "activity_share"]


@indicator(
    title="Interactions per active dyad per week (median)",
    range=(0.0, np.inf),
    proxy="validated",
    orientation="report",
    tags=("factor:intensity",),
    source="Goh & Barabási 2008; Stehlé et al. 2011 PLoS ONE 6:e23176",
    formula="median over dyads with w_uv > 0 of w_uv × 7 days / window length",
)
def dyad_intensity(w: Window, c: np.ndarray) -> np.ndarray:
    """Median number of interactions per interacting pair, per week.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> from datetime import datetime, UTC
    >>> w = window_from_edges([("a", "b", 4), ("b", "c", 2), ("c", "d", 9)])
    >>> w.start, w.end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 15, tzinfo=UTC)
    >>> dyad_intensity(w)
    2.0
    """
    days = (w.end - w.start).total_seconds() / 86400.0
    if days <= 0 or len(w.dyads.weight) == 0:
        return np.full(c.shape[0], np.nan)
    return weighted_median(w.dyads.weight * 7.0 / days, dyad_weight(w, c))


@indicator(
    title="Burstiness of posting",
    range=(-1.0, 1.0),
    proxy="validated",
    orientation="report",
    tags=("factor:intensity",),
    bootstrap=False,
    source="Goh & Barabási 2008, EPL 81:48002",
    formula="B = (σ − μ) / (σ + μ) of inter-post times in the window",
)
def burstiness(w: Window, c: np.ndarray) -> np.ndarray:
    """Burstiness of the group's posting: −1 regular, 0 Poisson, → 1 bursty (report only).

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> burstiness(one_window([{"actor": "a", "t": t} for t in (0, 10, 20, 30)]))
    -1.0
    """
    t = np.sort(w.posts.t)
    if len(t) < 3:
        return np.full(c.shape[0], np.nan)
    gaps = np.diff(t)
    mu, sd = gaps.mean(), gaps.std()
    return np.full(c.shape[0], (sd - mu) / (sd + mu) if sd + mu > 0 else np.nan)


@indicator(
    title="Share of joint activity",
    range=(0.0, 1.0),
    proxy="weak",
    tags=("factor:shared_goals",),
    needs=("activity",),
    source="Sampson et al. 1997 (collective efficacy); Buckner 1988 item 12 (work together)",
    formula="#activity events / (#activity events + #posts)",
)
def activity_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of members' contributions that are joint activities rather than messages.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> activity_share(one_window([{"actor": "a", "kind": "activity", "thread": "x"},
    ...                            {"actor": "a"}, {"actor": "b"}, {"actor": "b"}]))
    0.25
    """
    acts = np.bincount(w.threads.member, minlength=w.n).astype(float)
    num = c @ acts
    return num / np.maximum(num + c @ w.members.posts.astype(float), 1e-300)
