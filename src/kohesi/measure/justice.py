"""Aspect E, social justice: how evenly attention and responses are distributed."""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import post_weight, ratio, require, smallest_share_count
from kohesi.measure._stats import gini_w
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator

__all__ = ["attention_equality", "responsiveness_gap", "attention_spread", "attribute_responsiveness_gap"]


def _require_links(w: Window) -> None:
    if not (w.has.get("reply") or w.has.get("mention") or w.has.get("reaction")):
        raise NotAvailable("the source has no reply, mention or reaction links")


@indicator(
    title="Attention equality (1 − Gini of attention received)",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="justice",
    source="Langer et al. 2017 (horizontal inequality); Gini 1912",
    formula="1 − Gini(replies + mentions + reactions received, over members who posted)",
)
def attention_equality(w: Window, c: np.ndarray) -> np.ndarray:
    """How evenly replies, mentions and reactions reach the members who post.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> w = window_from_edges(arcs=[("a", "b"), ("c", "b")], posts={"a": 1, "b": 1, "c": 1})
    >>> round(attention_equality(w), 4)
    0.3333
    """
    _require_links(w)
    posters = w.posts_per > 0
    if not posters.any():
        return np.full(c.shape[0], np.nan)
    return 1.0 - gini_w(w.received[posters], c[:, posters])


@indicator(
    title="Newcomer–veteran responsiveness gap",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="justice",
    source="Langer et al. 2017 (SCIVA: between-group gaps); CHAOSS Newcomer Experience",
    formula="1 − |resp(newcomers) − resp(veterans)|, resp = share of posts answered within Δ",
)
def responsiveness_gap(w: Window, c: np.ndarray) -> np.ndarray:
    """1 minus the gap in responsiveness between newcomers' and veterans' posts.

    Newcomers are members within ``newcomer_days`` of their first event.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> import numpy as np
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "t": 3, "reply_to": "e0"},
    ...                 {"actor": "b", "t": 9}, {"actor": "a", "t": 10}])
    >>> w.newcomer = np.array([False, True])
    >>> responsiveness_gap(w)
    0.5
    """
    require(w, "reply")
    return _gap(w, c, w.newcomer[w.p_actor].astype(np.int64))


def _gap(w: Window, c: np.ndarray, group: np.ndarray) -> np.ndarray:
    ok = (w.p_lat >= 0) & (w.p_lat <= w.params.response_window_s)
    pw = post_weight(w, c)
    k = int(group.max()) + 1 if len(group) else 0
    if k < 2:
        return np.full(c.shape[0], np.nan)
    onehot = np.eye(k)[group]
    den = pw @ onehot
    num = (pw * ok) @ onehot
    resp = ratio(num, den)
    if np.isnan(resp).all(axis=1).all():
        return np.full(c.shape[0], np.nan)
    with np.errstate(all="ignore"):
        gap = np.nanmax(resp, axis=1) - np.nanmin(resp, axis=1)
    gap[(~np.isnan(resp)).sum(axis=1) < 2] = np.nan
    return 1.0 - gap


@indicator(
    title="Responsiveness gap across attribute groups",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="justice",
    source="Langer et al. 2017 (SCIVA); spec §2 Aspect E(b)",
    formula="1 − (max − min) over groups of params.attribute of resp(group)",
)
def attribute_responsiveness_gap(w: Window, c: np.ndarray) -> np.ndarray:
    """1 minus the largest gap in responsiveness between groups of a member attribute.

    Needs ``MeasureParams(attribute=...)`` and a members table with that column.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> from kohesi.measure.params import MeasureParams
    >>> import pyarrow as pa
    >>> mem = pa.table({"actor": ["a", "b", "c"], "sex": ["f", "m", "m"]})
    >>> rows = [{"actor": "a", "t": 0}, {"actor": "b", "t": 3, "reply_to": "e0"},
    ...         {"actor": "c", "t": 9}]
    >>> attribute_responsiveness_gap(one_window(rows, MeasureParams(attribute="sex"), mem))
    0.0
    """
    require(w, "reply")
    attr = w.params.attribute
    if attr is None or attr not in w.attrs:
        raise NotAvailable("no member attribute given (MeasureParams.attribute and a members table)")
    vals = w.attrs[attr][w.p_actor]
    known = np.array([v is not None for v in vals], dtype=bool)
    _, codes = np.unique(np.where(known, vals, "").astype(str), return_inverse=True)
    sub = _restrict_posts(w, known)
    return _gap(sub, c, codes[known])


def _restrict_posts(w: Window, keep: np.ndarray) -> Window:

    return w.evolve(p_actor=w.p_actor[keep], p_lat=w.p_lat[keep])


@indicator(
    title="Attention spread (absence factor of attention / n)",
    range=(0.0, 0.5),
    proxy="validated",
    aspect="justice",
    source="CHAOSS Contributor Absence Factor and Elephant Factor, applied to attention received",
    formula="fewest members who receive 50% of replies, mentions and reactions / n",
)
def attention_spread(w: Window, c: np.ndarray) -> np.ndarray:
    """Fewest members who together receive half of all attention, as a share of members.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> w = window_from_edges(arcs=[("a", "b"), ("c", "b"), ("d", "b"), ("b", "a")])
    >>> attention_spread(w)
    0.25
    """
    _require_links(w)
    return ratio(smallest_share_count(w.received, c), c.sum(axis=1))
