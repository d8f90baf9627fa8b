"""Aspect D, conflict resolution: disruption, removals, and factions separated beyond chance.

No major cohesion index measures conflict resolution directly. Three things are visible in
logs: *disruption* — deleted and hostile posts — and *removals* of members lower the aspect,
and *separation* — factions that talk among themselves more than a random network of the same
degrees would — marks the risk that a conflict has no bridge to be resolved across. A group
with no factions is not penalised: its separation is no larger than its null model's. Hostile
or deleted exchanges across factions are not bridges: they are left out of the talk graph.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from kohesi.measure._common import answered_share, deg, nan_rows, ratio, tie_weight
from kohesi.measure.frame import FRICTION
from kohesi.measure.graphs import Window
from kohesi.measure.registry import NotAvailable, indicator

__all__ = ["disruption_rate", "removal_rate", "faction_separation", "polarisation", "faction_bridging", "window_factions",
           "conflict_repair_rate"]


def window_factions(w: Window) -> np.ndarray:
    """Faction of each member of ``w``'s G_W: the best-modularity Leiden partition of one seeded
    run of two Leiden iterations (the same for the observed window and each null sample, so the
    two are comparable; the whole-period factions use ``faction_restarts`` runs, each iterated to
    convergence)."""
    from kohesi.measure.members import best_partition

    def compute() -> np.ndarray:
        return best_partition(
            w.graph,
            restarts=1,
            seed=w.index,
            resolution=w.params.faction_resolution,
            iterations=2,
        )[0]

    return w.once("factions", compute)  # type: ignore[return-value]


@indicator(
    title="Disruption (deleted and hostile posts)",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="down",
    aspect="conflict",
    core=True,
    tags=("factor:norms",),
    needs=("deletion|text",),
    scoring="half",
    half=0.05,
    source="Bliese 2000 (norm violations); Danescu-Niculescu-Mizil et al. 2013 (WWW; community norms)",
    formula="(#deleted posts + #hostile posts) / #posts; scored h/(h + rate), h = 0.05",
)
def disruption_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the window's posts that were deleted by their author or tagged hostile (↓).

    A rate of 5% halves the score (0.05 / (0.05 + rate)); 1% scores 0.83. Deleted messages are
    often innocent (a typo, the wrong group), so this is a weak proxy on its own; hostile posts
    read from the text make it stronger. Only what the source can record counts.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a"}, {"actor": "a"}, {"actor": "a", "kind": "deleted"},
    ...                 {"actor": "a"}], capabilities={"reply", "deletion"})
    >>> disruption_rate(w)
    0.25
    """
    n = w.counts
    if len(w.posts) == 0:
        return nan_rows(c)
    deleted = n.deleted if w.can("deletion") else 0
    hostile = n.hostile if w.can("text") else 0
    return np.full(c.shape[0], (deleted + hostile) / len(w.posts))


@indicator(
    title="Members removed by others",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="down",
    aspect="conflict",
    needs=("membership",),
    scoring="half",
    half=0.02,
    source="Fehr & Gächter 2000 (sanctions; exclusion is the sharpest visible conflict in a group)",
    formula="#members removed by another member / #members of the group in the window; scored h/(h + rate), h = 0.02",
)
def removal_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the group's members removed by another member during the window (↓).

    Removing someone is rare and drastic, so it is counted against the group's size rather than
    its posts: one removal in a week in a group of 50 (2%) halves the score.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> rows = [{"actor": m} for m in "abcdefghij"] + [{"actor": "a", "kind": "remove", "target": "j"}]
    >>> removal_rate(one_window(rows))
    0.1
    """
    return np.full(c.shape[0], w.counts.removals / w.n if w.n else np.nan)


def _mixing(w: Window, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ_f e_ff and Σ_f a_f² of the best partition of ``w``'s G_W under multiplicities c
    (Newman 2003)."""
    t = w.tie
    f = window_factions(w)
    a, b = w.dyads.a[t], w.dyads.b[t]
    pw = tie_weight(w, c)
    total = pw.sum(axis=1)
    inside = (pw * (f[a] == f[b])).sum(axis=1)
    s = c * deg(w, c)
    k = int(f.max()) + 1
    sf = s @ sp.csr_matrix((np.ones(w.n), (np.arange(w.n), f)), shape=(w.n, k))
    return ratio(inside, total), ratio((sf**2).sum(axis=1), (2.0 * total) ** 2)


@indicator(
    title="Faction separation (assortativity by faction)",
    range=(0.0, 1.0),
    proxy="plausible",
    orientation="down",
    aspect="conflict",
    also=("belonging",),
    needs=("reply|mention|reaction|activity",),
    null="rewire",
    null_max=3,
    scoring="excess",
    source="Newman 2003, PRE 67:026126 (assortative mixing); Moody & White 2003; Guimerà et al. 2004, PRE 70:025101 (factions in random graphs)",
    formula="r_f = (Σ_f e_ff − Σ_f a_f²) / (1 − Σ_f a_f²) over the best Leiden partition of the talk graph (G_W without activity-only ties; 0 with one faction); scored 1 − (r_f − r₀)/(1 − r₀), r₀ = mean r_f of degree-preserving rewirings",
)
def faction_separation(w: Window, c: np.ndarray) -> np.ndarray:
    """How far the group's factions keep to themselves (↓): 1 when no tie crosses between
    factions, 0 when ties cross as often as random mixing would have them.

    Community detection finds "factions" in random networks too (Guimerà et al. 2004), more
    so when they are small and sparse, so the score counts only the separation beyond
    degree-preserving rewirings of the same ties: a group without factions, or a complete one,
    scores 1; two factions that never talk score 0. The partition is found once on the
    observed window and kept fixed in bootstrap replicates.

    It counts in conflict resolution (no bridge to resolve a conflict across) and in identity
    and belonging: members of a split group belong to their faction, not to the group as a
    whole (Bollen & Hoyle 1990; Moody & White 2003).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> two = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f")]
    >>> faction_separation(window_from_edges(two))
    1.0
    >>> round(faction_separation(window_from_edges(two + [("c", "d")])), 4)
    0.7143
    """
    w = w.talk()
    t = w.tie
    if w.n < 2 or not t.any():
        return nan_rows(c)
    e_in, a2 = _mixing(w, c)
    return np.where(a2 >= 1.0 - 1e-12, 0.0, ratio(e_in - a2, 1.0 - a2))


@indicator(
    title="Polarisation (modularity of factions)",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="report",
    needs=("reply|mention|reaction|activity",),
    source="Newman & Girvan 2004, PRE 69:026113; Traag et al. 2019 (Leiden)",
    formula="Q = Σ_f [e_ff − a_f²] of the best Leiden partition of G_W",
)
def polarisation(w: Window, c: np.ndarray) -> np.ndarray:
    """Modularity of the group's best split into factions (report; the scored form, corrected
    for chance and for the number of factions, is :func:`faction_separation`). The partition
    is found once on the observed window and kept fixed in bootstrap replicates.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> two = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
    >>> round(polarisation(window_from_edges(two)), 4)
    0.3571
    """
    w = w.talk()
    t = w.tie
    if w.n < 2 or not t.any():
        return nan_rows(c)
    e_in, a2 = _mixing(w, c)
    return e_in - a2


@indicator(
    title="Faction bridging",
    range=(0.0, 1.0),
    proxy="weak",
    orientation="report",
    needs=("reply|mention|reaction|activity",),
    source="Burt 1992 (brokerage across structural holes); Granovetter 1973 (bridges)",
    formula="#members with at least one tie into another faction / #members with ties, over the talk graph",
)
def faction_bridging(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of tied members who also interact with another faction: bridges that can mediate
    (report: with one faction there is nothing to bridge).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> two = [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]
    >>> round(faction_bridging(window_from_edges(two)), 4)
    0.3333
    """
    w = w.talk()
    t = w.tie
    if w.n < 2 or not t.any():
        return nan_rows(c)
    f = window_factions(w)
    if f[np.r_[w.dyads.a[t], w.dyads.b[t]]].max() == f[np.r_[w.dyads.a[t], w.dyads.b[t]]].min():
        raise NotAvailable("one faction: nothing to bridge")
    a, b = w.dyads.a[t], w.dyads.b[t]
    cross = f[a] != f[b]
    bridge = np.zeros(w.n, dtype=bool)
    bridge[a[cross]] = True
    bridge[b[cross]] = True
    tied = np.zeros(w.n, dtype=bool)
    tied[a] = True
    tied[b] = True
    return ratio((c * bridge).sum(axis=1), (c * tied).sum(axis=1))


@indicator(
    title="Conflicts repaired (apology or agreement)",
    range=(0.0, 1.0),
    proxy="plausible",
    aspect="conflict",
    stage="norms",
    needs=("text",),
    source="Goffman 1971 (remedial interchanges); Deutsch 1973 (constructive conflict resolution)",
    formula="#posts with hostility or disagreement followed within the repair window (72 h) by an apology or "
            "agreement from their author or the member they answer / #such posts",
)
def conflict_repair_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the window's hostile or disagreeing posts that were repaired: their author, or
    the member they answered, apologised or agreed within the repair window (default 72 h).

    Conflict itself is not what lowers cohesion — every living group disagrees — but conflict
    left unrepaired. Not measured in a window without hostility or disagreement; a quarrel
    nobody repairs counts 0.

    Examples
    --------
    >>> from kohesi.measure.testing import one_window
    >>> w = one_window([{"actor": "a", "t": 0}, {"actor": "b", "t": 1, "acts": ["hostility"], "reply_to": "e0"},
    ...                 {"actor": "b", "t": 60, "acts": ["apology"]},
    ...                 {"actor": "c", "t": 70, "acts": ["disagreement"]}], capabilities={"reply", "text"})
    >>> conflict_repair_rate(w)
    0.5
    """
    p = w.posts
    return answered_share(w, c, (p.acts & FRICTION) != 0, p.repair_lat, w.params.repair_window_h * 3600.0)
