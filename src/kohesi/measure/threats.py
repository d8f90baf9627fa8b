"""Threats to solidarity: transactional ties (urbanisation), individualism, shallow online ties.

All are oriented ↓ (higher = more threat). Broadcast share counts in the trust-and-norms aspect
it threatens (posting without engaging is individualism: personal goals before collective exchange), and disruption — the
moderation load — in conflict (:func:`~kohesi.measure.conflict.disruption_rate`); the others are
reported beside the aspects.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import dyad_weight, nan_rows, post_weight, ratio, tie_weight
from kohesi.measure.graphs import REACTION, REPLY, Window
from kohesi.measure.registry import indicator

__all__ = ["one_off_dyad_share", "broadcast_share", "fragmentation", "cheap_signal_ratio", "reaction_only_ties"]


@indicator(
    title="One-off dyads",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("threat:transactional",),
    source="Granovetter 1973; Wirth 1938 (urban ties: superficial, transitory, segmental)",
    formula="#dyads with exactly one interaction in the window / #dyads",
)
def one_off_dyad_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of interacting pairs who interacted only once in the window (↓; report only: it
    rises with group size for the same behaviour).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> one_off_dyad_share(window_from_edges([("a", "b", 1), ("b", "c", 3)]))
    0.5
    """
    pw = dyad_weight(w, c)
    return ratio((pw * (w.dyads.weight == 1)).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Broadcast share",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="down",
    aspect="trust_norms",
    tags=("threat:individualism",),
    needs=("reply|mention|reaction",),
    source="Gouldner 1960 (reciprocity); Putnam 2000 (withdrawal from collective life)",
    formula="#posts with no reply, mention or reaction link in or out / #posts",
)
def broadcast_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of posts that neither answer, mention nor get answered or reacted to (↓): talk
    into the room that nobody takes up. An announcement channel scores 1.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a"}, {"actor": "b", "reply_to": "e0"}, {"actor": "c"}])
    >>> round(broadcast_share(w), 4)
    0.3333
    """
    if len(w.posts) == 0:
        return nan_rows(c)
    pw = post_weight(w, c)
    return ratio((pw * ~w.posts.linked).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Fragmentation",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("threat:individualism",),
    needs=("reply|mention|reaction|activity",),
    source="Borgatti 2006 (fragmentation)",
    formula="1 − |largest connected component| / n of G_W",
)
def fragmentation(w: Window, c: np.ndarray) -> np.ndarray:
    """1 minus the share of members in the largest connected part of G_W (↓; report only:
    with silent members counted it mirrors coverage).

    Bootstrap replicates keep the observed components (exact when no member is dropped).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> fragmentation(window_from_edges([("a", "b"), ("b", "c"), ("d", "e")], nodes=["f"]))
    0.5
    """
    if w.n == 0:
        return np.full(c.shape[0], np.nan)
    memb = np.asarray(w.graph.connected_components().membership)
    k = int(memb.max()) + 1
    sizes = c @ np.eye(k)[memb]
    return 1.0 - ratio(sizes.max(axis=1), c.sum(axis=1))


@indicator(
    title="Cheap-signal ratio",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="report",
    tags=("threat:shallow_online",),
    needs=("reaction",),
    source="Kristofferson, White & Peloza 2014, J. Consumer Res. 40:1149 (slacktivism)",
    formula="#reactions / (#reactions + #replies + #co-attendances)",
)
def cheap_signal_ratio(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of reactions among all directed engagement (↓): taps instead of talk or joint work.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a"}, {"actor": "b", "kind": "reaction", "reply_to": "e0"},
    ...                 {"actor": "c", "kind": "reaction", "reply_to": "e0"},
    ...                 {"actor": "c", "reply_to": "e0"}])
    >>> round(cheap_signal_ratio(w), 4)
    0.6667
    """
    arcs = w.arcs
    by = np.stack([np.bincount(arcs.src, weights=arcs.cnt * (arcs.rel == rel), minlength=w.n) for rel in (REACTION, REPLY)]
                  + [np.bincount(w.threads.member, minlength=w.n).astype(float)])
    r, p, a = (c @ by.T.astype(c.dtype)).T
    return ratio(r, r + p + a)


@indicator(
    title="Reaction-only ties",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="report",
    tags=("threat:shallow_online",),
    needs=("reaction",),
    source="Kristofferson, White & Peloza 2014 (slacktivism: broad but shallow online ties)",
    formula="#ties made only of reactions / (#reaction-only ties + #conversational ties)",
)
def reaction_only_ties(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of reaction-only ties among reaction-only and conversational ties (↓).

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a"}, {"actor": "b", "kind": "reaction", "reply_to": "e0"},
    ...                 {"actor": "c", "reply_to": "e0"}])
    >>> reaction_only_ties(w)
    0.5
    """
    tw = tie_weight(w, c)
    ro = w.dyads.react_only[w.tie]
    conv = w.dyads.conv[w.tie]
    return ratio((tw * ro).sum(axis=1), (tw * (ro | conv)).sum(axis=1))
