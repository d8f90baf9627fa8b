"""Flow stage 6, solidarity as outcome: members and ties that stay (Friedkin 2004)."""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import ratio, tie_weight
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator

__all__ = ["retention", "tie_persistence", "returning_share"]


@indicator(
    title="Retention of active members",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="solidarity",
    aspect="belonging",
    source="Friedkin 2004 (membership stability); Bollen & Hoyle 1990",
    formula="|active(W_t) ∩ active(W_{t+1})| / |active(W_t)|",
)
def retention(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of this window's active members who are active again in the next window.

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
    return ratio((c * (w.active & w.retained)).sum(axis=1), (c * w.active).sum(axis=1))


@indicator(
    title="Tie persistence (Jaccard of consecutive windows)",
    range=(0.0, 1.0),
    proxy="plausible",
    stage="solidarity",
    aspect="belonging",
    tags=("threat:transactional",),
    source="Friedkin 2004; Granovetter 1973",
    formula="|E_t ∩ E_{t+1}| / |E_t ∪ E_{t+1}| over ties of G_W",
)
def tie_persistence(w: Window, c: np.ndarray) -> np.ndarray:
    """Jaccard similarity of this window's ties and the next window's ties.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> import numpy as np
    >>> w = window_from_edges([("a", "b"), ("b", "c")], nodes=["d"])
    >>> w.u_persist = np.array([True, False])
    >>> w.next_src, w.next_dst = np.array([0]), np.array([3])
    >>> round(tie_persistence(w), 4)
    0.3333
    """
    if w.u_persist is None:
        raise NotAvailable("last window: no next window to compare ties with")
    tw = tie_weight(w, c)
    inter = (tw * w.u_persist[w.tie]).sum(axis=1)
    ca = np.where(w.next_src >= 0, c[:, np.maximum(w.next_src, 0)], 1.0)
    cb = np.where(w.next_dst >= 0, c[:, np.maximum(w.next_dst, 0)], 1.0)
    union = tw.sum(axis=1) + (ca * cb).sum(axis=1)
    return ratio(inter, union)


@indicator(
    title="Returning members",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="belonging",
    source="Friedkin 2004 (desire to remain); CHAOSS retention",
    formula="#active members first seen before this window / #active members",
)
def returning_share(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of this window's active members who were already members in earlier windows.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> import numpy as np
    >>> from datetime import datetime, UTC
    >>> w = window_from_edges(posts={"a": 1, "b": 1})
    >>> w.start, w.end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 8, tzinfo=UTC)
    >>> w.tenure_days = np.array([30.0, 3.0])
    >>> returning_share(w)
    0.5
    """
    span = (w.end - w.start).total_seconds() / 86400.0
    back = w.tenure_days > span
    return ratio((c * (w.active & back)).sum(axis=1), (c * w.active).sum(axis=1))
