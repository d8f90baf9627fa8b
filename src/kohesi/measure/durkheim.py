"""Solidarity type (Durkheim 1893): mechanical (similarity) versus organic (interdependence).

Both need member attributes: ``MeasureParams.attribute`` (a background or value attribute, for
similarity) and ``MeasureParams.role`` (roles, for interdependence), read from the members
table. Without them these indicators are not available. No validated network operationalisation
exists; these are labelled proxies and reported as a profile, not scored.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import ratio, tie_weight
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator

__all__ = [
    "attribute_assortativity",
    "ei_homophily",
    "role_diversity",
    "cross_role_ties",
    "task_interdependence",
    "attribute_codes",
]


def attribute_codes(w: Window, which: str) -> tuple[np.ndarray, int]:
    """Integer codes of the attribute named by ``params.<which>`` (−1 unknown) and #categories."""
    name = getattr(w.params, which)
    if name is None or name not in w.attrs:
        raise NotAvailable(f"no member {which} chosen to compare members by (a column of the members file, --members)")
    vals = w.attrs[name]
    known = np.array([v is not None for v in vals], dtype=bool)
    cats, codes = np.unique(np.where(known, vals, "").astype(str), return_inverse=True)
    codes = np.where(known, codes, -1)
    if known.any() and not known.all():
        present = np.unique(codes[known])
        remap = -np.ones(len(cats), dtype=np.int64)
        remap[present] = np.arange(len(present))
        codes = np.where(known, remap[np.maximum(codes, 0)], -1)
        return codes, len(present)
    return codes, len(cats)


def _tie_codes(w: Window, which: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    codes, k = attribute_codes(w, which)
    t = w.tie
    a, b = codes[w.dyads.a[t]], codes[w.dyads.b[t]]
    keep = (a >= 0) & (b >= 0)
    return a, b, keep, k


@indicator(
    title="Attribute assortativity (similarity)",
    range=(-1.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("solidarity_type",),
    null="permute",
    source="Newman 2003, PRE 67:026126, Eq. (2); Durkheim 1893 (mechanical solidarity)",
    formula="r_a = (Σ_i e_ii − Σ_i a_i b_i) / (1 − Σ_i a_i b_i) on the chosen member attribute over G_W",
)
def attribute_assortativity(w: Window, c: np.ndarray) -> np.ndarray:
    """Newman's nominal assortativity: do members interact mostly with similar members?

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> from kohesi.measure.params import MeasureParams
    >>> import numpy as np
    >>> w = window_from_edges([("a", "b"), ("c", "d"), ("b", "c")], params=MeasureParams(attribute="x"))
    >>> w.attrs = {"x": np.array(["p", "p", "q", "q"], dtype=object)}
    >>> round(attribute_assortativity(w), 4)
    0.3333
    """
    a, b, keep, k = _tie_codes(w, "attribute")
    if k < 2 or not keep.any():
        return np.full(c.shape[0], np.nan)
    tw = tie_weight(w, c)[:, keep]
    a, b = a[keep], b[keep]
    e = np.zeros((c.shape[0], k, k))
    np.add.at(e.transpose(1, 2, 0), (a, b), tw.T)
    np.add.at(e.transpose(1, 2, 0), (b, a), tw.T)
    tot = e.sum(axis=(1, 2), keepdims=True)
    e = e / np.where(tot > 0, tot, 1.0)
    ai = e.sum(axis=2)
    trace = np.einsum("bii->b", e)
    sab = (ai * ai).sum(axis=1)
    return ratio(trace - sab, 1.0 - sab)


@indicator(
    title="Within-group tie share ((1 − E-I)/2)",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="report",
    tags=("solidarity_type",),
    null="permute",
    source="Krackhardt & Stern 1988, Soc. Psychol. Q. 51:123 (E-I index)",
    formula="(1 − EI)/2 = I / (E + I), I / E = ties within / between attribute groups",
)
def ei_homophily(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of ties inside attribute groups: (1 − E-I index) / 2.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> from kohesi.measure.params import MeasureParams
    >>> import numpy as np
    >>> w = window_from_edges([("a", "b"), ("c", "d"), ("b", "c")], params=MeasureParams(attribute="x"))
    >>> w.attrs = {"x": np.array(["p", "p", "q", "q"], dtype=object)}
    >>> round(ei_homophily(w), 4)
    0.6667
    """
    a, b, keep, _ = _tie_codes(w, "attribute")
    tw = tie_weight(w, c)[:, keep]
    same = a[keep] == b[keep]
    return ratio((tw * same).sum(axis=1), tw.sum(axis=1))


@indicator(
    title="Role diversity",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="report",
    tags=("solidarity_type",),
    source="Durkheim 1893 (division of labour); Shannon 1948",
    formula="H(ρ) / ln K over active members' roles (normalised Shannon entropy)",
)
def role_diversity(w: Window, c: np.ndarray) -> np.ndarray:
    """Normalised entropy of active members' roles: 1 when all K roles are equally common.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> from kohesi.measure.params import MeasureParams
    >>> import numpy as np
    >>> w = window_from_edges(posts={"a": 1, "b": 1, "c": 1, "d": 1}, params=MeasureParams(role="r"))
    >>> w.attrs = {"r": np.array(["x", "x", "y", "y"], dtype=object)}
    >>> role_diversity(w)
    1.0
    """
    codes, k = attribute_codes(w, "role")
    keep = (codes >= 0) & w.members.active
    if k < 2 or not keep.any():
        return np.full(c.shape[0], np.nan)
    cnt = c[:, keep] @ np.eye(k)[codes[keep]]
    p = cnt / np.maximum(cnt.sum(axis=1, keepdims=True), 1e-300)
    with np.errstate(divide="ignore", invalid="ignore"):
        h = -np.where(p > 0, p * np.log(p), 0.0).sum(axis=1)
    return h / np.log(k)


@indicator(
    title="Cross-role ties relative to random mixing",
    range=(0.0, np.inf),
    proxy="weak",
    orientation="report",
    tags=("solidarity_type",),
    source="Durkheim 1893 (organic solidarity; a labelled proxy)",
    formula="share of ties with ρ(u) ≠ ρ(v) / (1 − Σ_k n_k(n_k − 1) / (n(n − 1)))",
)
def cross_role_ties(w: Window, c: np.ndarray) -> np.ndarray:
    """Cross-role tie share over its expectation under random mixing (> 1: roles interdepend).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> from kohesi.measure.params import MeasureParams
    >>> import numpy as np
    >>> w = window_from_edges([("a", "c"), ("b", "d")], params=MeasureParams(role="r"))
    >>> w.attrs = {"r": np.array(["x", "x", "y", "y"], dtype=object)}
    >>> round(cross_role_ties(w), 4)
    1.5
    """
    a, b, keep, k = _tie_codes(w, "role")
    codes, _ = attribute_codes(w, "role")
    known = codes >= 0
    if k < 2 or not keep.any():
        return np.full(c.shape[0], np.nan)
    tw = tie_weight(w, c)[:, keep]
    share = ratio((tw * (a[keep] != b[keep])).sum(axis=1), tw.sum(axis=1))
    nk = c[:, known] @ np.eye(k)[codes[known]]
    nn = nk.sum(axis=1)
    same = ratio((nk * (nk - 1)).sum(axis=1), nn * (nn - 1))
    return ratio(share, 1.0 - same)


@indicator(
    title="Task interdependence across roles",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="report",
    tags=("solidarity_type",),
    needs=("activity",),
    source="Durkheim 1893; Wageman 1995 (task interdependence)",
    formula="#activity threads whose participants hold ≥ 2 distinct roles / #activity threads with ≥ 2 participants",
)
def task_interdependence(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of joint activities that bring together members of different roles.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> from kohesi.measure.params import MeasureParams
    >>> import pyarrow as pa
    >>> mem = pa.table({"actor": ["a", "b", "c"], "r": ["x", "y", "x"]})
    >>> rows = [{"actor": "a", "kind": "activity", "thread": "t1"},
    ...         {"actor": "b", "kind": "activity", "thread": "t1"},
    ...         {"actor": "a", "kind": "activity", "thread": "t2"},
    ...         {"actor": "c", "kind": "activity", "thread": "t2"}]
    >>> task_interdependence(one_window(rows, MeasureParams(role="r"), mem))
    0.5
    """
    codes, k = attribute_codes(w, "role")
    keep = codes[w.threads.member] >= 0
    if k < 2 or not keep.any():
        return np.full(c.shape[0], np.nan)
    th, mem = w.threads.idx[keep], w.threads.member[keep]
    nt = int(th.max()) + 1
    present = np.zeros((c.shape[0], nt, k))
    np.add.at(present.transpose(1, 2, 0), (th, codes[mem]), c[:, mem].T)
    roles = (present > 0).sum(axis=2)
    members = present.sum(axis=2)
    multi = members >= 2
    return ratio(((roles >= 2) & multi).sum(axis=1), multi.sum(axis=1))
