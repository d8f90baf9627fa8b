"""Flow stage 5, shared values and norms: behavioural convergence and norm enforcement."""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import ratio, require
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["rhythm_alignment", "moderation_rate"]

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
    aspect="trust_norms",
    source="Danescu-Niculescu-Mizil et al. 2013 (WWW; alignment as 1 − JSD), applied to hour of day",
    formula="1 − mean over members with ≥ 5 posts of JSD₂(member's hour-of-day distribution ‖ group's)",
)
def rhythm_alignment(w: Window, c: np.ndarray) -> np.ndarray:
    """How closely members' posting hours follow the group's shared rhythm (1 = identical).

    A content-free stand-in for linguistic alignment; behavioural convergence, not values.
    In bootstrap replicates the group distribution is held at its observed value.

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
    require(w, "posts")
    if w.n == 0 or len(w.p_actor) == 0:
        return np.full(c.shape[0], np.nan)
    counts = np.zeros((w.n, 24))
    np.add.at(counts, (w.p_actor, w.p_hour), 1.0)
    tot = counts.sum(axis=1)
    keep = tot >= MIN_POSTS
    if not keep.any():
        return np.full(c.shape[0], np.nan)
    dist = counts[keep] / tot[keep, None]
    group = counts[keep].sum(axis=0)
    jsd = _jsd_to(dist, (group / group.sum())[None, :])
    ck = c[:, keep]
    return 1.0 - ratio(ck @ jsd, ck.sum(axis=1))


@indicator(
    title="Moderation actions per 1,000 posts",
    range=(0.0, np.inf),
    proxy="weak",
    orientation="down",
    tags=("factor:norms",),
    bootstrap=False,
    source="Bliese 2000 (norms); norm-violation rate as moderation load",
    formula="1000 × (#remove + #deleted events) / #posts",
)
def moderation_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Removals of members and deleted messages per 1,000 posts (↓): visible norm enforcement.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a"}, {"actor": "a"}, {"actor": "a", "kind": "deleted"},
    ...                 {"actor": "a"}])
    >>> moderation_rate(w)
    250.0
    """
    require(w, "posts")
    return np.full(c.shape[0], 1000.0 * (w.n_removals + w.n_deleted) / len(w.p_actor) if len(w.p_actor) else np.nan)
