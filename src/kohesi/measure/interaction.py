"""Flow stage 1, social interaction: how many of the group's members take part and are tied.

Every member who belonged to the group during the window counts, silent or not.
"""

from __future__ import annotations

import numpy as np

from kohesi.measure._common import deg, n_eff, possible_pairs, ratio, tie_weight
from kohesi.measure.graphs import Window
from kohesi.measure.registry import indicator

__all__ = ["density", "mean_degree", "coverage", "participation_rate", "posts_per_member"]


@indicator(
    title="Density of the interaction graph",
    range=(0.0, 1.0),
    proxy="validated",
    orientation="report",
    tags=("grouptype",),
    source="Wasserman & Faust 1994 (section 4.2); Friedkin 2004",
    formula="ρ = 2m / (n(n−1)) over G_W (ties with w_uv ≥ θ)",
)
def density(w: Window, c: np.ndarray) -> np.ndarray:
    """Density ρ of G_W: the share of member pairs who interacted in the window (report only).

    Density falls mechanically with group size, so it is not scored; read it with
    :func:`mean_degree`. Density alone is not cohesion (Tulin et al. 2018).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> round(density(window_from_edges([("a", "b"), ("b", "c")])), 4)
    0.6667
    """
    return ratio(tie_weight(w, c).sum(axis=1), possible_pairs(c))


@indicator(
    title="Mean degree",
    range=(0.0, np.inf),
    proxy="validated",
    orientation="report",
    stage="interaction",
    source="Wasserman & Faust 1994; Friedkin 2004",
    formula="k̄ = 2m / n over G_W",
)
def mean_degree(w: Window, c: np.ndarray) -> np.ndarray:
    """Mean number of members each member interacted with (report, not scored).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> round(mean_degree(window_from_edges([("a", "b"), ("b", "c")])), 4)
    1.3333
    """
    return ratio(2.0 * tie_weight(w, c).sum(axis=1), n_eff(c))


@indicator(
    title="Coverage (members not isolated)",
    range=(0.0, 1.0),
    proxy="validated",
    stage="interaction",
    aspect="inclusion",
    tags=("threat:individualism",),
    needs=("reply|mention|reaction|activity",),
    source="Wasserman & Faust 1994; Borgatti 2006 (isolates)",
    formula="1 − #isolates / n over G_W, n = every member of the group in the window, silent ones too",
)
def coverage(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the group's members with at least one tie in the window; 1 − isolate share.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> coverage(window_from_edges([("a", "b")], nodes=["c", "d"]))
    0.5
    """
    connected = deg(w, c) > 0
    return ratio((c * connected).sum(axis=1), n_eff(c))


@indicator(
    title="Participation rate",
    range=(0.0, 1.0),
    proxy="validated",
    stage="interaction",
    aspect="inclusion",
    core=True,
    source="Dragolov et al. 2016 (Bertelsmann Social Cohesion Radar: civic participation); OECD 2011 (inclusion)",
    formula="#members who posted, reacted or took part in an activity / #members of the group in the window",
)
def participation_rate(w: Window, c: np.ndarray) -> np.ndarray:
    """Share of the group's members who took part in the window.

    The group's members are everyone who belonged to it during the window: from the members
    table when given, else everyone the source shows, from the start of the observation (or
    from a recorded join) until a recorded leave or removal. Silent members count.

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> participation_rate(window_from_edges(posts={"a": 2, "b": 1, "c": 0, "d": 0}))
    0.5
    """
    return ratio((c * w.members.active).sum(axis=1), n_eff(c))


@indicator(
    title="Posts per active member",
    range=(0.0, np.inf),
    proxy="validated",
    orientation="report",
    stage="interaction",
    tags=("factor:intensity",),
    source="Homans 1950 (frequency of interaction: the intensity of interaction, a factor of solidarity)",
    formula="Σ posts / #active members",
)
def posts_per_member(w: Window, c: np.ndarray) -> np.ndarray:
    """Mean number of posts per active member in the window (report, not scored).

    Examples
    --------
    >>> from kohesi.measure.graphs import window_from_edges
    >>> posts_per_member(window_from_edges(posts={"a": 3, "b": 1}))
    2.0
    """
    return ratio((c * w.members.posts).sum(axis=1), (c * w.members.active).sum(axis=1))
