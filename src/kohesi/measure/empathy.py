"""Flow stage 4, empathy: log proxies only (reactions, supportive answers to tagged distress).

Logs cannot observe empathy; these are **weak** proxies. Survey scales (Buckner 1988, Sampson
1997) measure it properly.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import nan_rows, post_weight, ratio
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["reaction_rate", "supportive_response_rate"]


@indicator(
    title="Posts receiving a reaction within Δ",
    range=(0.0, 1.0),
    proxy="weak",
    stage="empathy",
    needs=("reaction",),
    source="log proxy of acknowledgement; Buckner 1988 / Sampson 1997 measure empathy by survey",
    formula="#posts with a reaction by another member within Δ / #posts",
)
def reaction_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of posts acknowledged by another member's reaction within Δ.

    Not available when the source records no reactions (e.g. WhatsApp text exports).

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "t": 1, "kind": "reaction", "reply_to": "e0"},
    ...                 {"actor": "b", "t": 2}])
    >>> reaction_rate(w)
    0.5
    """
    if len(w.posts) == 0:
        return nan_rows(c)
    pw = post_weight(w, c)
    return ratio((pw * w.posts.reacted).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Supportive response to distress",
    range=(0.0, 1.0),
    proxy="weak",
    stage="empathy",
    needs=("reply|reaction", "text"),
    source="Buckner 1988; Sampson, Raudenbush & Earls 1997 (willingness to help)",
    formula="#distress-tagged posts answered (reply or reaction) within Δ / #distress-tagged posts",
)
def supportive_response_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of posts tagged ``subtype == "distress"`` that got a reply or reaction within Δ.

    Needs distress tags, read from message text; not available for sources without text, and
    not measured in a window without a distress post.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0, "subtype": "distress"},
    ...                 {"actor": "b", "t": 5, "reply_to": "e0"},
    ...                 {"actor": "c", "t": 9, "subtype": "distress"}], capabilities={"reply", "text"})
    >>> supportive_response_rate(w)
    0.5
    """
    p = w.posts
    ok = ((p.lat >= 0) & (p.lat <= w.params.response_window_s)) | p.reacted
    pw = post_weight(w, c) * p.distress
    return ratio((pw * ok).sum(axis=1), pw.sum(axis=1))
