"""Flow stage 5, shared values and norms: behavioural convergence and norm enforcement."""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import nan_rows, ratio
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["rhythm_alignment"]

MIN_POSTS = 5


def _jsd_to(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Jensen–Shannon divergence (base 2) between rows of p (…, k) and q (…, k)."""
    m = 0.5 * (p + q)
    with np.errstate(divide="ignore", invalid="ignore"):
        kl_p = np.where(p > 0, p * np.log2(p / m), 0.0).sum(axis=-1)
        kl_q = np.where(q > 0, q * np.log2(q / m), 0.0).sum(axis=-1)
    return 0.5 * (kl_p + kl_q)


@indicator(
    title="Rhythm alignment (shared posting hours)",
    range=(0.0, 1.0),
    proxy="weak",
    stage="norms",
    source="Danescu-Niculescu-Mizil et al. 2013 (WWW; alignment as 1 − JSD), applied to the local hour of day",
    formula="1 − mean over members with ≥ 5 posts of JSD₂(member's hour-of-day distribution ‖ group's); needs two such members",
)
def rhythm_alignment(w: Window, c: np.ndarray) -> np.ndarray:
    """How closely members' posting hours follow the group's shared rhythm (1 = identical).

    A content-free stand-in for linguistic alignment; behavioural convergence, not values, so
    it describes the norms stage but does not enter the trust-and-norms aspect. Hours are the
    group's local hours. In bootstrap replicates the group distribution is held at its observed
    value.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> rows = [{"actor": a, "t": 60 * h} for a in "ab" for h in (0, 0, 0, 0, 0)]
    >>> rhythm_alignment(one_window(rows))
    1.0
    >>> rows = [{"actor": "a", "t": 0}] * 5 + [{"actor": "b", "t": 120}] * 5
    >>> round(rhythm_alignment(one_window(rows)), 4)
    0.6887

    Here the group's distribution is ½ at 00h and ½ at 02h; each member's JSD to it is
    ½ log₂(4/3) + ¼ log₂(2/3) + ¼ log₂ 2 = 0.3113.
    """
    if w.n == 0 or len(w.posts) == 0:
        return nan_rows(c)
    counts = np.zeros((w.n, 24))
    np.add.at(counts, (w.posts.actor, w.posts.hour), 1.0)
    tot = counts.sum(axis=1)
    keep = tot >= MIN_POSTS
    if keep.sum() < 2:
        return nan_rows(c)
    dist = counts[keep] / tot[keep, None]
    group = counts[keep].sum(axis=0)
    jsd = _jsd_to(dist, (group / group.sum())[None, :])
    ck = c[:, keep]
    return 1.0 - ratio(ck @ jsd, ck.sum(axis=1))
