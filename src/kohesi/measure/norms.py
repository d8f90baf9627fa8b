"""Flow stage 5, shared values and norms: behavioural convergence and norm enforcement."""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import answered_share, nan_rows, post_weight, ratio
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator
from kohesi.text.acts import ACT_BIT

__all__ = ["rhythm_alignment", "thanks_reciprocity", "norm_reminder_rate"]

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
    source="Danescu-Niculescu-Mizil et al. 2013 (alignment as 1 − JSD; applied here to the local hour of day)",
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


@indicator(
    title="Help acknowledged with thanks",
    range=(0.0, 1.0),
    proxy="weak",
    stage="norms",
    aspect="trust_norms",
    needs=("text",),
    source="Gouldner 1960 (the norm of reciprocity); Algoe 2012 (gratitude binds relationships)",
    formula="#help requests answered within Δ whose asker thanked within Δ of the answer / #help requests answered within Δ",
)
def thanks_reciprocity(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of answered help requests that the asker acknowledged with thanks within Δ of the
    help: the last link of help_request → help_offer → thanks, the norm of reciprocity at work.

    Weak: thanks are often said in person, or with an emoji the export drops. Not measured in a
    window where no help request was answered.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0, "acts": ["help_request"]},
    ...                 {"actor": "b", "t": 5, "acts": ["help_offer"]},
    ...                 {"actor": "a", "t": 7, "acts": ["thanks"]},
    ...                 {"actor": "c", "t": 9, "acts": ["help_request"]},
    ...                 {"actor": "d", "t": 9, "acts": ["help_offer"]}], capabilities={"reply", "text"})
    >>> thanks_reciprocity(w)
    0.5
    """
    p = w.posts
    day = w.params.response_window_s
    return answered_share(w, c, np.nan_to_num(p.offer_lat, nan=np.inf) <= day, p.thanks_lat, day)


@indicator(
    title="Norm reminders per 100 posts",
    range=(0.0, 100.0),
    proxy="weak",
    orientation="report",
    stage="norms",
    needs=("text",),
    source="Sampson, Raudenbush & Earls 1997 (informal social control); Bicchieri 2006 (social norms)",
    formula="100 × #posts with the act norm_reminder / #posts",
)
def norm_reminder_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """How often members remind each other of the group's rules (where to park, when to put the
    rubbish out, guests to report to the RT), per 100 posts.

    Report only: reminders are informal social control, a sign that norms are held and
    enforced, but also of the breaches that call for them; their direction is not known.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "acts": ["norm_reminder"]}, {"actor": "b"}, {"actor": "c"}, {"actor": "d"}],
    ...                capabilities={"reply", "text"})
    >>> norm_reminder_rate(w)
    25.0
    """
    if len(w.posts) == 0:
        return nan_rows(c)
    pw = post_weight(w, c)
    reminded = (w.posts.acts & ACT_BIT["norm_reminder"]) != 0
    return 100.0 * ratio((pw * reminded).sum(axis=1), pw.sum(axis=1))
