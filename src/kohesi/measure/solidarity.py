"""Flow stage 6, solidarity as outcome: members who keep coming back and stay (Friedkin 2004).

Within-window indicators (:func:`continuity`, :func:`staying`) carry the identity-and-belonging
aspect: they need no other window, so the first and last windows of a profile, and a profile of
one window, are measured like any other. Indicators that compare with the next or the previous
window are reported for trends only.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import n_eff, ratio, tie_weight
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator

__all__ = ["continuity", "staying", "retention", "tie_persistence", "returning_share"]


@indicator(
    title="Continuity (members active in both halves of the window)",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="solidarity",
    aspect="belonging",
    core=True,
    source="Friedkin 2004 (membership stability, the desire to remain); CHAOSS retention, within one window",
    formula="|active(first half) ∩ active(second half)| / |active(first half)|, halves of the observed window",
)
def continuity(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the members active in the first half of the window who are active again in
    the second half: members who keep coming back, measured inside the window so that edge
    windows and one-window profiles need no neighbour.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> from dataclasses import replace
    >>> import numpy as np
    >>> w = window_from_edges(posts={"a": 2, "b": 2, "c": 1, "d": 1})
    >>> w.members = replace(w.members, early=np.array([True, True, True, False]),
    ...                     late=np.array([True, False, True, True]))
    >>> round(continuity(w), 4)
    0.6667
    """
    m = w.members
    return ratio((c * (m.early & m.late)).sum(axis=1), (c * m.early).sum(axis=1))


@indicator(
    title="Members who stay",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="solidarity",
    aspect="belonging",
    needs=("membership",),
    source="Friedkin 2004 (desire to remain); Bollen & Hoyle 1990 (belonging)",
    formula="1 − #members who left or were removed in the window / #members of the group in the window",
)
def staying(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the group's members who did not leave and were not removed during the window.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> from dataclasses import replace
    >>> import numpy as np
    >>> w = window_from_edges(posts={"a": 1, "b": 0, "c": 0, "d": 1}, caps=frozenset({"membership"}))
    >>> w.members = replace(w.members, left=np.array([False, True, False, False]))
    >>> staying(w)
    0.75
    """
    return 1.0 - ratio((c * w.members.left).sum(axis=1), n_eff(c))


@indicator(
    title="Retention of active members (next window)",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    source="Friedkin 2004 (membership stability); Bollen & Hoyle 1990",
    formula="|active(W_t) ∩ active(W_{t+1})| / |active(W_t)|",
)
def retention(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of this window's active members who are active again in the next window (report:
    not available in the last window, so it would tilt the last window's aspect).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> import numpy as np
    >>> w = window_from_edges(posts={"a": 1, "b": 1, "c": 1, "d": 1})
    >>> w.retained = np.array([True, True, True, False])
    >>> retention(w)
    0.75
    """
    if w.retained is None:
        raise NotAvailable("last window: no next window to return in")
    a = w.members.active
    return ratio((c * (a & w.retained)).sum(axis=1), (c * a).sum(axis=1))


@indicator(
    title="Tie persistence (Jaccard of consecutive windows)",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("threat:transactional",),
    source="Friedkin 2004; Granovetter 1973",
    formula="|E_t ∩ E_{t+1}| / |E_t ∪ E_{t+1}| over ties of G_W",
)
def tie_persistence(w: Window, c: np.ndarray) -> np.ndarray:
    """Jaccard similarity of this window's ties and the next window's ties (report: not
    available in the last window, and it falls with group size).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> from dataclasses import replace
    >>> import numpy as np
    >>> w = window_from_edges([("a", "b"), ("b", "c")], nodes=["d"])
    >>> w.dyads = replace(w.dyads, persist=np.array([True, False]))
    >>> w.next_src, w.next_dst = np.array([0]), np.array([3])
    >>> round(tie_persistence(w), 4)
    0.3333
    """
    if w.dyads.persist is None:
        raise NotAvailable("last window: no next window to compare ties with")
    tw = tie_weight(w, c)
    inter = (tw * w.dyads.persist[w.tie]).sum(axis=1)
    ca = np.where(w.next_src >= 0, c[:, np.maximum(w.next_src, 0)], 1.0)
    cb = np.where(w.next_dst >= 0, c[:, np.maximum(w.next_dst, 0)], 1.0)
    union = tw.sum(axis=1) + (ca * cb).sum(axis=1)
    return ratio(inter, union)


@indicator(
    title="Returning members",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    source="Friedkin 2004 (desire to remain); CHAOSS retention",
    formula="#active members first seen before this window / #active members",
)
def returning_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of this window's active members who were seen before it (report: not available
    in the first window, where everyone is seen for the first time).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> from dataclasses import replace
    >>> import numpy as np
    >>> w = window_from_edges(posts={"a": 1, "b": 1})
    >>> w.members = replace(w.members, seen=np.array([True, False]))
    >>> returning_share(w)
    0.5
    """
    if w.first:
        raise NotAvailable("first window: no earlier window to have been seen in")
    back = w.members.seen
    a = w.members.active
    return ratio((c * (a & back)).sum(axis=1), (c * a).sum(axis=1))
