"""Threats to solidarity (seed 002): transactional ties, individualism, shallow online ties.

All are oriented ↓ (higher = more threat) and reported alongside, not inside, the aspects.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import dyad_weight, post_weight, ratio, require, tie_weight
from kohesi.measure.graphs import REACTION, Window
from kohesi.measure.registry import NotAvailable, indicator

__all__ = ["one_off_dyad_share", "broadcast_share", "fragmentation", "cheap_signal_ratio", "reaction_only_ties"]


@indicator(
    title="One-off dyads",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="down",
    tags=("threat:transactional",),
    source="Granovetter 1973; seed 002 (urbanisation: superficial, transactional ties)",
    formula="#dyads with exactly one interaction in the window / #dyads",
)
def one_off_dyad_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of interacting pairs who interacted only once in the window (↓).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> one_off_dyad_share(window_from_edges([("a", "b", 1), ("b", "c", 3)]))
    0.5
    """
    pw = dyad_weight(w, c)
    return ratio((pw * (w.u_w == 1)).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Broadcast share",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="down",
    tags=("threat:individualism",),
    source="seed 002 (individualism); spec §2 Threat: individualism",
    formula="#posts with no reply, mention or reaction link in or out / #posts",
)
def broadcast_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of posts that neither answer, mention nor get answered or reacted to (↓).

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a"}, {"actor": "b", "reply_to": "e0"}, {"actor": "c"}])
    >>> round(broadcast_share(w), 4)
    0.3333
    """
    if not (w.has.get("reply") or w.has.get("mention") or w.has.get("reaction")):
        raise NotAvailable("the source has no reply, mention or reaction links")
    pw = post_weight(w, c)
    return ratio((pw * ~w.p_linked).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Fragmentation",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="down",
    tags=("threat:individualism",),
    source="Borgatti 2006 (fragmentation); spec §2 Threat: individualism",
    formula="1 − |largest connected component| / n of G_W",
)
def fragmentation(w: Window, c: np.ndarray) -> np.ndarray:
    """1 minus the share of members in the largest connected part of G_W (↓).

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
    orientation="down",
    tags=("threat:shallow_online",),
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
    require(w, "reaction")
    react = w.d_rel == REACTION
    reply = w.d_rel == 0
    r = (c[:, w.d_src] * w.d_cnt * react).sum(axis=1)
    p = (c[:, w.d_src] * w.d_cnt * reply).sum(axis=1)
    a = c @ np.bincount(w.th_mem, minlength=w.n).astype(float)
    return ratio(r, r + p + a)


@indicator(
    title="Reaction-only ties",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="down",
    tags=("threat:shallow_online",),
    source="seed 002 (social media: broad but shallow ties); spec §2",
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
    require(w, "reaction")
    tw = tie_weight(w, c)
    ro = w.u_react_only[w.tie]
    conv = w.u_conv[w.tie]
    return ratio((tw * ro).sum(axis=1), (tw * (ro | conv)).sum(axis=1))
