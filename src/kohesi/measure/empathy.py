"""Flow stage 4, empathy: log proxies only (reactions, supportive answers to tagged distress).

Logs cannot observe empathy; these are **weak** proxies. Survey scales (Buckner 1988, Sampson
1997) measure it properly.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import post_weight, ratio, require
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["reaction_rate", "supportive_response_rate"]


@indicator(
    title="Posts receiving a reaction within Δ",
    range=(0.0, 1.0),
    proxy="weak",
    stage="empathy",
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
    require(w, "reaction")
    pw = post_weight(w, c)
    return ratio((pw * w.p_reacted).sum(axis=1), pw.sum(axis=1))


@indicator(
    title="Supportive response to distress",
    range=(0.0, 1.0),
    proxy="weak",
    stage="empathy",
    source="Buckner 1988; Sampson, Raudenbush & Earls 1997 (willingness to help)",
    formula="#distress-tagged posts answered (reply or reaction) within Δ / #distress-tagged posts",
)
def supportive_response_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of posts tagged ``subtype == "distress"`` that got a reply or reaction within Δ.

    Needs distress tags from a classifier or a moderator; not available otherwise.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0, "subtype": "distress"},
    ...                 {"actor": "b", "t": 5, "reply_to": "e0"},
    ...                 {"actor": "c", "t": 9, "subtype": "distress"}])
    >>> supportive_response_rate(w)
    0.5
    """
    require(w, "distress")
    ok = ((w.p_lat >= 0) & (w.p_lat <= w.params.response_window_s)) | w.p_reacted
    pw = post_weight(w, c) * w.p_distress
    return ratio((pw * ok).sum(axis=1), pw.sum(axis=1))
