"""Counts of what members did for each other, read from their acts, for the report's plain words.

"27 requests for help in the last 30 days, 20 answered with help within a day": the same
episodes the act indicators rate (:mod:`kohesi.measure.empathy`, :mod:`kohesi.measure.cooperation`,
:mod:`kohesi.measure.norms`, :mod:`kohesi.measure.conflict`), counted over the whole period and
over the last ``recent_days`` of it. Only for sources with text.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kohesi.measure.frame import DAY_US, FRICTION, REQUEST, Prepared
from kohesi.measure.params import MeasureParams
from kohesi.text.acts import ACT_BIT

__all__ = ["act_episodes"]


def _count(prep: Prepared, params: MeasureParams, since_us: int) -> dict[str, Any]:
    p = prep.posts
    at = p.t >= since_us
    acts = p.acts[at]
    day = params.response_window_s

    def has(bits: int) -> np.ndarray:
        return (acts & bits) != 0

    def within(lat: np.ndarray, s: float) -> np.ndarray:
        return np.nan_to_num(lat[at], nan=np.inf) <= s

    help_req = has(ACT_BIT["help_request"])
    distress = has(ACT_BIT["distress"])
    requests = has(int(REQUEST))
    support = within(p.support_lat, day) & requests
    friction = has(int(FRICTION))
    repaired = within(p.repair_lat, params.repair_window_h * 3600.0) & friction
    helped = within(p.offer_lat, day) & help_req
    lat = p.support_lat[at][support]
    signups = prep.acts.e[prep.events.t[prep.acts.e] >= since_us] if len(prep.acts.e) else prep.acts.e
    return {
        "help_request": int(help_req.sum()),
        "help_answered": int(helped.sum()),
        "thanked": int((within(p.thanks_lat, day) & helped).sum()),
        "distress": int(distress.sum()),
        "distress_supported": int((support & distress).sum()),
        "support_median_h": float(np.median(lat)) / 3600.0 if len(lat) else None,
        "friction": int(friction.sum()),
        "hostility": int(has(ACT_BIT["hostility"]).sum()),
        "repaired": int(repaired.sum()),
        "thanks": int(has(ACT_BIT["thanks"]).sum()),
        "norm_reminder": int(has(ACT_BIT["norm_reminder"]).sum()),
        "activity_call": int(has(ACT_BIT["activity_call"]).sum()),
        "signups": int(len(signups)),
        "lists": int(len(np.unique(prep.acts.thread[np.isin(prep.acts.e, signups)]))) if len(signups) else 0,
    }


def act_episodes(prep: Prepared, params: MeasureParams, recent_days: int = 30) -> dict[str, Any] | None:
    """Episode counts over the whole period (``all``) and the last ``recent_days`` (``recent``),
    or None when the source has no text to read acts from.

    Keys: ``help_request`` and ``help_answered`` (answered with help by another member within
    Δ), ``thanked`` (the asker thanked within Δ of the help), ``distress`` and
    ``distress_supported`` (sympathy or help within Δ), ``support_median_h`` (median hours to
    the first supportive answer of a request), ``friction`` (hostility or disagreement),
    ``hostility``, ``repaired`` (apology or agreement by a party within the repair window),
    ``thanks``, ``norm_reminder``, ``activity_call``, ``signups`` (sign-up events) and
    ``lists`` (sign-up lists they belong to).
    """
    if "text" not in prep.caps:
        return None
    last = int(prep.timeline.last_us)
    return {"recent_days": recent_days, "all": _count(prep, params, np.iinfo(np.int64).min),
            "recent": _count(prep, params, last - recent_days * DAY_US)}
