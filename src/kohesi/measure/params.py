"""Parameters of a measurement run: one small frozen dataclass, printed in every report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["MeasureParams", "ASPECTS", "STAGES"]

ASPECTS: tuple[str, ...] = ("trust_norms", "belonging", "inclusion", "conflict", "justice")
"""The five aspects of the social cohesion approach: trust and shared norms, identity and
belonging, inclusion and participation, conflict resolution, social justice."""

STAGES: tuple[str, ...] = (
    "interaction",
    "communication",
    "cooperation",
    "empathy",
    "norms",
    "solidarity",
)
"""The six stages of the flow by which solidarity forms, in order: interaction → communication →
cooperation → empathy → shared norms → solidarity."""


def _equal_weights() -> dict[str, float]:
    return {a: 1.0 for a in ASPECTS}


@dataclass(frozen=True)
class MeasureParams:
    """Parameters of :func:`kohesi.measure.measure`, with documented defaults.

    Attributes
    ----------
    response_window_h : float
        Δ, hours within which a reply counts as a response (CHAOSS time to first response). 24.
    repair_window_h : float
        Hours within which an apology or agreement repairs a hostile or disagreeing post. 72.
    tie_threshold : float
        θ, minimum number of interactions in a window for a dyad to be a tie of G_W. 1.
    use_inferred_replies : bool
        Count reply links marked ``reply_inferred`` (WhatsApp adjacency). True.
    null_model : str
        ``"rewire"`` (degree-preserving rewiring, time shuffle and label permutation where each
        fits) or ``"none"`` to skip null percentiles. ``"rewire"``.
    null_samples : int
        Null-model samples per window. 10: enough for the null means that excess scores use
        (percentile resolution 0.1; raise it for inference on the percentiles).
    primary_max_n, primary_min_density, primary_min_multiplexity : float
        Heuristic thresholds of a "primary-like" group (Cooley 1909); arbitrary, so exposed. 50, 0.5, 0.3.
    aspect_weights : dict
        Weights of the five aspects in the geometric-mean index. Equal.
    index_floor : float
        ε, floor of each aspect score before the geometric mean. 0.01.
    index_method : str
        ``"geometric"`` (partially compensatory, the default) or ``"arithmetic"``.
    attribute : str or None
        Member attribute column for similarity (mechanical solidarity) and group gaps. None.
    role : str or None
        Member attribute column holding roles (organic solidarity). None.
    newcomer_days : float
        A member is a newcomer during this many days after their first event. 30.
    faction_restarts : int
        Seeded Leiden restarts; the partition with the best modularity is kept. 10.
    faction_resolution : float
        γ of generalised modularity (Reichardt & Bornholdt 2006); > 1 finds smaller factions and
        counters the resolution limit (Fortunato & Barthélemy 2007). 1.
    max_n_connectivity : int
        Vertex connectivity κ is computed only for windows with at most this many members
        (it is cubic or worse). 60.
    efficiency_sources : int
        Above this many members, global efficiency is estimated from this many seeded source
        members (unbiased); below it, it is exact. 300.
    betweenness_sources : int
        Above this many members, the members view's betweenness is estimated from this many seeded
        source members, scaled by n / k (Brandes & Pich 2007; unbiased); below it, exact. 256.
    faction_restarts_large : int
        Leiden restarts for whole-period graphs of more than 50,000 ties (each iterated to
        convergence; the partition is descriptive, and restarts cost seconds there). 3.
    report_bootstrap : int
        Bootstrap replicates for report-only indicators (descriptors that never enter a score);
        scored indicators use all of them. 50.
    block_length : int or None
        Block length of the moving-block bootstrap over windows; None = round(T^(1/3)).
    min_posts, min_members, min_days, min_windows : int
        Minimum evidence for a whole-period verdict: posts, members of the group (silent ones
        count: a group where one member writes and 29 are silent is well observed), days
        observed, and complete windows with an index (windowed profiles only). 100, 5, 14, 2.
    min_window_posts, min_window_members : int
        Minimum evidence for a window's index: posts in the window and members of the group in
        it. 10, 3.
    """

    response_window_h: float = 24.0
    repair_window_h: float = 72.0
    tie_threshold: float = 1.0
    use_inferred_replies: bool = True
    null_model: str = "rewire"
    null_samples: int = 10
    primary_max_n: int = 50
    primary_min_density: float = 0.5
    primary_min_multiplexity: float = 0.3
    aspect_weights: dict[str, float] = field(default_factory=_equal_weights)
    index_floor: float = 0.01
    index_method: str = "geometric"
    attribute: str | None = None
    role: str | None = None
    newcomer_days: float = 30.0
    faction_restarts: int = 10
    faction_resolution: float = 1.0
    max_n_connectivity: int = 60
    efficiency_sources: int = 100
    report_bootstrap: int = 50
    betweenness_sources: int = 256
    faction_restarts_large: int = 3
    block_length: int | None = None
    min_posts: int = 100
    min_members: int = 5
    min_days: float = 14.0
    min_windows: int = 2
    min_window_posts: int = 10
    min_window_members: int = 3

    def __post_init__(self) -> None:
        if self.response_window_h <= 0:
            raise ValueError("response_window_h must be positive")
        if self.repair_window_h <= 0:
            raise ValueError("repair_window_h must be positive")
        if self.tie_threshold <= 0:
            raise ValueError("tie_threshold must be positive")
        if self.null_model not in ("rewire", "none"):
            raise ValueError("null_model must be 'rewire' or 'none'")
        if self.null_samples < 0:
            raise ValueError("null_samples must be >= 0")
        unknown = set(self.aspect_weights) - set(ASPECTS)
        if unknown:
            raise ValueError(f"unknown aspects in aspect_weights: {sorted(unknown)}")
        if any(v < 0 for v in self.aspect_weights.values()):
            raise ValueError("aspect weights must be non-negative")
        if self.index_method not in ("geometric", "arithmetic"):
            raise ValueError("index_method must be 'geometric' or 'arithmetic'")
        if not 0 < self.index_floor < 1:
            raise ValueError("index_floor must lie in (0, 1)")

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.to_dict().items(), key=lambda kv: kv[0]).__repr__()))

    @property
    def response_window_s(self) -> float:
        return self.response_window_h * 3600.0

    def to_dict(self) -> dict:
        return asdict(self)
