"""Aspect E, social justice: whether attention and answers reach everyone who speaks, evenly.

In a chat group the resource members distribute is attention: answers, mentions, reactions.
Justice asks whether it reaches everyone who posts (:func:`attention_reach`), how evenly
(:func:`attention_equality`, :func:`attention_spread`), and whether newcomers or groups of
members are answered as readily as others (:func:`responsiveness_gap`).
"""

from __future__ import annotations

import warnings

import numpy as np

from kohesi.measure._common import nan_rows, post_weight, ratio, smallest_share_count
from kohesi.measure._stats import gini_w
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator

__all__ = ["attention_reach", "attention_equality", "responsiveness_gap", "attribute_responsiveness_gap",
           "attention_spread"]

_LINKS = ("reply|mention|reaction",)


@indicator(
    title="Attention reach (posters who get any response)",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="justice",
    core=True,
    needs=_LINKS,
    source="Langer et al. 2017 (horizontal inequality: who is reached); CHAOSS Newcomer Experience",
    formula="#members who posted and received a reply, mention or reaction / #members who posted",
)
def attention_reach(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the members who posted in the window that someone answered, mentioned or reacted
    to: 0 when nobody gets any response.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> w = window_from_edges(arcs=[("a", "b")], posts={"a": 1, "b": 1, "c": 1})
    >>> round(attention_reach(w), 4)
    0.3333
    """
    posters = w.members.posts > 0
    if not posters.any():
        return nan_rows(c)
    reached = posters & (w.received > 0)
    return ratio((c * reached).sum(axis=1), (c * posters).sum(axis=1))


@indicator(
    title="Attention equality (1 − Gini of attention received)",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="justice",
    needs=_LINKS,
    source="Langer et al. 2017 (horizontal inequality); Gini 1912",
    formula="1 − Gini(replies + mentions + reactions received, over members who posted)",
)
def attention_equality(w: Window, c: np.ndarray) -> np.ndarray:
    """How evenly replies, mentions and reactions reach the members who post (not measured in a
    window where nobody got any).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> w = window_from_edges(arcs=[("a", "b"), ("c", "b")], posts={"a": 1, "b": 1, "c": 1})
    >>> round(attention_equality(w), 4)
    0.3333
    """
    posters = w.members.posts > 0
    if not posters.any():
        return nan_rows(c)
    return 1.0 - gini_w(w.received[posters], c[:, posters])


@indicator(
    title="Newcomer–veteran responsiveness gap",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="justice",
    needs=("reply",),
    source="Langer et al. 2017 (SCIVA: between-group gaps); CHAOSS Newcomer Experience",
    formula="1 − |resp(newcomers) − resp(others)|, resp = share of posts answered within Δ",
)
def responsiveness_gap(w: Window, c: np.ndarray) -> np.ndarray:
    """1 minus the gap in responsiveness between newcomers' posts and everyone else's.

    Newcomers are members within ``newcomer_days`` of a recorded arrival.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> from dataclasses import replace
    >>> import numpy as np
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "t": 3, "reply_to": "e0"},
    ...                 {"actor": "b", "t": 9}, {"actor": "a", "t": 10}])
    >>> w.members = replace(w.members, newcomer=np.array([False, True]))
    >>> responsiveness_gap(w)
    0.5
    """
    return _gap(w, c, w.members.newcomer[w.posts.actor].astype(np.int64))


def _gap(w: Window, c: np.ndarray, group: np.ndarray) -> np.ndarray:
    ok = (w.posts.lat >= 0) & (w.posts.lat <= w.params.response_window_s)
    pw = post_weight(w, c)
    k = int(group.max()) + 1 if len(group) else 0
    if k < 2:
        return nan_rows(c)
    onehot = np.eye(k)[group]
    den = pw @ onehot
    num = (pw * ok) @ onehot
    resp = ratio(num, den)
    if np.isnan(resp).all():
        return nan_rows(c)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        gap = np.nanmax(resp, axis=1) - np.nanmin(resp, axis=1)
    gap[(~np.isnan(resp)).sum(axis=1) < 2] = np.nan
    return 1.0 - gap


@indicator(
    title="Responsiveness gap across attribute groups",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="justice",
    needs=("reply",),
    source="Langer et al. 2017 (SCIVA: between-group gaps)",
    formula="1 − (max − min) over the groups of the chosen member attribute of resp(group)",
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
    attr = w.params.attribute
    if attr is None or attr not in w.attrs:
        raise NotAvailable("no member attribute chosen to compare members by (a column of the members file, --members)")
    vals = w.attrs[attr][w.posts.actor]
    known = np.array([v is not None for v in vals], dtype=bool)
    _, codes = np.unique(np.where(known, vals, "").astype(str), return_inverse=True)
    sub = w.evolve(posts=w.posts.take(known))
    return _gap(sub, c, codes[known])


@indicator(
    title="Attention spread (absence factor of attention / n)",
    range=(0.0, 0.5),
    proxy="validated",
    aspect="justice",
    needs=_LINKS,
    source="CHAOSS Contributor Absence Factor (applied to attention received); CHAOSS Elephant Factor",
    formula="fewest members who receive 50% of replies, mentions and reactions / n (every member of the group in the window)",
)
def attention_spread(w: Window, c: np.ndarray) -> np.ndarray:
    """Fewest members who together receive half of all attention, as a share of the group
    (not measured in a window where nobody got any).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> w = window_from_edges(arcs=[("a", "b"), ("c", "b"), ("d", "b"), ("b", "a")])
    >>> attention_spread(w)
    0.25
    """
    return ratio(smallest_share_count(w.received, c), c.sum(axis=1))
