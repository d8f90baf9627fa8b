"""Flow stage 4, empathy: reactions, and support given when a member tells a misfortune or asks
for help (acts read from the text by :mod:`kohesi.text`), and how fast.

Logs cannot observe the feeling; they show what members do when another is in need. Survey
scales (Buckner 1988, Sampson 1997) measure empathy itself.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import answered_share, nan_rows, post_weight, ratio
from kohesi.measure.frame import REQUEST
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["reaction_rate", "supportive_response_rate", "support_latency"]


@indicator(
    title="Posts receiving a reaction within Δ",
    range=(0.0, 1.0),
    proxy="weak",
    stage="empathy",
    needs=("reaction",),
    source="Buckner 1988 (empathy, by survey; a reaction is a log proxy of acknowledgement); "
           "Sampson, Raudenbush & Earls 1997 (willingness to help, by survey)",
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
    title="Requests for support answered within Δ",
    range=(0.0, 1.0),
    proxy="weak",
    stage="empathy",
    needs=("text",),
    source="Buckner 1988 (neighbourhood cohesion: neighbours who help); Sampson, Raudenbush & Earls 1997 "
           "(willingness to help); Cutrona & Suhr 1992 (support behaviours answering disclosed stress)",
    formula="#posts telling a misfortune or asking for help (acts distress, help_request) answered by another "
            "member's sympathy or help_offer within Δ / #such posts",
)
def supportive_response_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the window's requests for support — a misfortune told (``distress``: a death,
    an illness, a flood) or help asked for (``help_request``) — that another member answered
    with sympathy or an offer of help within Δ (default 24 h).

    The acts are read from message text (:mod:`kohesi.text`); any later post of another member
    counts as the answer, replied to or not, since condolences come many messages later.
    Not available for sources without text; not measured in a window without a request (no
    request, no chance to answer). A request left unanswered counts 0: absence is evidence.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0, "acts": ["distress"]},
    ...                 {"actor": "b", "t": 5, "acts": ["sympathy"]},
    ...                 {"actor": "c", "t": 9, "acts": ["help_request"]},
    ...                 {"actor": "c", "t": 10, "acts": ["thanks"]}], capabilities={"reply", "text"})
    >>> supportive_response_rate(w)
    0.5
    """
    p = w.posts
    return answered_share(w, c, (p.acts & REQUEST) != 0, p.support_lat, w.params.response_window_s)


@indicator(
    title="Hours to the first supportive answer (median)",
    range=(0.0, float("inf")),
    proxy="weak",
    orientation="report",
    stage="empathy",
    needs=("text",),
    bootstrap=False,
    source="Cutrona & Suhr 1992 (support behaviours); CHAOSS Time to First Response (applied to requests for support)",
    formula="median over answered requests (distress, help_request) of hours to the first sympathy or help_offer "
            "by another member",
)
def support_latency(w: Window, c: np.ndarray) -> np.ndarray:
    """How fast support comes: the median hours from a misfortune told or help asked for to the
    first sympathy or offer of help by another member, over the requests answered within Δ
    (report only: how fast a group answers depends on what was asked).

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0, "acts": ["distress"]},
    ...                 {"actor": "b", "t": 30, "acts": ["sympathy"]},
    ...                 {"actor": "b", "t": 40, "acts": ["sympathy"]}], capabilities={"reply", "text"})
    >>> support_latency(w)
    0.5
    """
    lat = w.posts.support_lat
    ok = np.isfinite(lat) & (lat <= w.params.response_window_s) & ((w.posts.acts & REQUEST) != 0)
    if not ok.any():
        return nan_rows(c)
    return np.full(c.shape[0], float(np.median(lat[ok])) / 3600.0)
