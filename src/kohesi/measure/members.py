"""The members view and factions over the whole period.

Per member: participation, attention received, brokerage (normalised betweenness, factions
bridged), isolation, tenure and retention. Factions: the best-modularity Leiden partition over
seeded restarts (Traag, Waltman & van Eck 2019), or Girvan–Newman edge betweenness for a fixed
number of factions; bridges are the ties between factions.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import numpy as np
import polars as pl

from kohesi.measure._rng import igraph_seed
from kohesi.measure.frame import Prepared
from kohesi.measure.params import MeasureParams

__all__ = ["best_partition", "Factions", "find_factions", "whole_graph", "members_view"]


def best_partition(
    g: ig.Graph, weights: str | None = None, restarts: int = 10, seed: int = 0, resolution: float = 1.0,
    iterations: int = -1,
) -> tuple[np.ndarray, float]:
    """Best-modularity Leiden partition over ``restarts`` seeded runs: (membership, Q).

    Runs are compared by modularity at ``resolution`` γ; the returned Q is the standard
    modularity (γ = 1) of the chosen partition. Each run iterates Leiden until the partition
    stops changing (``iterations=-1``) or the given number of times.

    Examples
    --------
    >>> g = ig.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> memb, q = best_partition(g)
    >>> memb.tolist(), round(q, 4)
    ([0, 0, 0, 1, 1, 1], 0.3571)
    """
    n = g.vcount()
    if n == 0:
        return np.zeros(0, dtype=np.int64), float("nan")
    if g.ecount() == 0:
        return np.arange(n, dtype=np.int64), float("nan")
    w = g.es[weights] if weights else None
    best, best_q = None, -np.inf
    for r in range(max(1, restarts)):
        with igraph_seed(seed * 7919 + r):
            part = g.community_leiden(
                objective_function="modularity", weights=w, resolution=resolution, n_iterations=iterations
            )
        q = g.modularity(part.membership, weights=w, resolution=resolution)
        if q > best_q + 1e-12:
            best, best_q = part.membership, q
    return _canonical(np.asarray(best, dtype=np.int64)), float(g.modularity(best, weights=w))


def _canonical(memb: np.ndarray) -> np.ndarray:
    """Relabel factions in order of first appearance, so equal partitions compare equal."""
    _, first = np.unique(memb, return_index=True)
    order = np.argsort(first)
    remap = np.empty(len(order), dtype=np.int64)
    remap[np.unique(memb)[order]] = np.arange(len(order))
    return remap[memb]


@dataclass(frozen=True)
class Factions:
    """Factions of the whole-period graph.

    Attributes
    ----------
    membership : polars.DataFrame
        ``member``, ``faction``.
    modularity : float
        Q of the partition (Newman & Girvan 2004).
    bridges : polars.DataFrame
        Ties between factions: ``member_a``, ``member_b``, ``faction_a``, ``faction_b``, ``weight``.
    method : str
    """

    membership: pl.DataFrame
    modularity: float
    bridges: pl.DataFrame
    method: str

    @property
    def n_factions(self) -> int:
        return int(self.membership.get_column("faction").n_unique()) if len(self.membership) else 0


def find_factions(
    g: ig.Graph,
    names: np.ndarray | list[str],
    method: str = "leiden",
    n: int | None = None,
    restarts: int = 10,
    seed: int = 0,
    resolution: float = 1.0,
) -> Factions:
    """Factions of a weighted undirected graph: ``leiden`` (best modularity) or
    ``edge_betweenness`` (Girvan & Newman 2002, cut at ``n`` factions or at best modularity)."""
    names = np.asarray(names, dtype=object)
    wattr = "weight" if "weight" in g.es.attributes() else None
    if method == "leiden":
        memb, q = best_partition(g, weights=wattr, restarts=restarts, seed=seed, resolution=resolution)
    elif method == "edge_betweenness":
        dend = g.community_edge_betweenness(directed=False, weights=None)
        cl = dend.as_clustering(n)
        memb = _canonical(np.asarray(cl.membership, dtype=np.int64))
        q = g.modularity(memb.tolist(), weights=g.es[wattr] if wattr else None)
    else:
        raise ValueError(f"unknown faction method {method!r}; use 'leiden' or 'edge_betweenness'")
    el = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    wts = np.asarray(g.es[wattr], dtype=float) if wattr else np.ones(len(el))
    cross = memb[el[:, 0]] != memb[el[:, 1]] if len(el) else np.zeros(0, dtype=bool)
    bridges = pl.DataFrame(
        {
            "member_a": names[el[cross, 0]].tolist() if len(el) else [],
            "member_b": names[el[cross, 1]].tolist() if len(el) else [],
            "faction_a": memb[el[cross, 0]].tolist() if len(el) else [],
            "faction_b": memb[el[cross, 1]].tolist() if len(el) else [],
            "weight": wts[cross].tolist() if len(el) else [],
        },
        schema={"member_a": pl.String, "member_b": pl.String, "faction_a": pl.Int64, "faction_b": pl.Int64, "weight": pl.Float64},
    )
    membership = pl.DataFrame({"member": names.tolist(), "faction": memb.tolist()}, schema={"member": pl.String, "faction": pl.Int64})
    return Factions(membership=membership, modularity=float(q), bridges=bridges, method=method)


def whole_graph(prep: Prepared, params: MeasureParams) -> ig.Graph:
    """Undirected weighted graph of the whole period over all members (weight = interactions:
    replies, mentions, reactions and shared activities); dyads with fewer than θ interactions
    in total are dropped."""
    from kohesi.measure.graphs import _copart_pairs

    n = max(len(prep.names), 1)
    arcs, acts = prep.arcs, prep.acts
    ca, cb, _ = _copart_pairs(acts.thread, acts.aid, acts.e)
    a = np.r_[np.minimum(arcs.src, arcs.dst), ca].astype(np.int64)
    b = np.r_[np.maximum(arcs.src, arcs.dst), cb].astype(np.int64)
    if len(a):
        uk, tot = np.unique(a * n + b, return_counts=True)
        keep = tot >= params.tie_threshold
        uk, tot = uk[keep], tot[keep].astype(float)
        el = np.column_stack([uk // n, uk % n])
    else:
        el, tot = np.zeros((0, 2), dtype=np.int64), np.zeros(0)
    g = ig.Graph(n=len(prep.names), edges=el)
    g.es["weight"] = tot
    return g


def members_view(prep: Prepared, params: MeasureParams, g: ig.Graph, factions: Factions) -> pl.DataFrame:
    """One row per member over the whole period."""
    n = len(prep.names)
    ev, tl = prep.events, prep.timeline
    k = max(len(tl), 1)
    aid = ev.aid
    posts = np.bincount(prep.posts.aid, minlength=n)
    acts = ev.active & (aid >= 0)
    wins = np.clip(np.searchsorted(tl.starts_us, ev.t[acts], "right") - 1, 0, k - 1)
    win_key = np.unique(aid[acts] * k + wins)
    m_of, w_of = win_key // k, win_key % k
    active_windows = np.bincount(m_of, minlength=n)
    first_w = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_w, m_of, w_of)
    possible = np.where(first_w < np.iinfo(np.int64).max, k - first_w - 1, 0)
    later = np.maximum(active_windows - 1, 0)
    retention = np.where(possible > 0, later / np.maximum(possible, 1), np.nan)
    t_act = ev.t[acts]
    last_us = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(last_us, aid[acts], t_act)
    first_us = prep.members.first_us
    seen = first_us < np.iinfo(np.int64).max
    tenure = np.where(seen & (last_us >= first_us), (last_us - first_us) / 86400e6, np.nan)
    arcs = prep.arcs
    received = np.bincount(arcs.dst, minlength=n).astype(float) if len(arcs.dst) else np.zeros(n)
    replies_made = np.bincount(arcs.src[arcs.rel == 0], minlength=n).astype(float) if len(arcs.src) else np.zeros(n)
    degree = np.asarray(g.degree(), dtype=np.int64)
    k = params.betweenness_sources
    if n > k:  # Brandes & Pich 2007: shortest paths from k seeded sources, scaled by n / k
        src = np.sort(np.random.default_rng([n, k, 11]).choice(n, size=k, replace=False))
        bt = np.asarray(g.betweenness(directed=False, sources=src.tolist()), dtype=float) * n / k
    else:
        bt = np.asarray(g.betweenness(directed=False), dtype=float)
    norm = (n - 1) * (n - 2) / 2.0
    betw = bt / norm if norm > 0 else np.zeros(n)
    fac = factions.membership.get_column("faction").to_numpy()
    el = np.asarray(g.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    bridged = np.zeros(n, dtype=np.int64)
    if len(el):
        cross = fac[el[:, 0]] != fac[el[:, 1]]
        pairs = np.r_[el[cross, 0] * n + fac[el[cross, 1]], el[cross, 1] * n + fac[el[cross, 0]]]
        up = np.unique(pairs)
        bridged = np.bincount(up // n, minlength=n)
    total_posts = max(int(posts.sum()), 1)
    return pl.DataFrame(
        {
            "member": prep.names.tolist(),
            "posts": posts.astype(np.int64),
            "post_share": posts / total_posts,
            "active_windows": active_windows.astype(np.int64),
            "attention_received": received,
            "replies_made": replies_made,
            "degree": degree,
            "betweenness": betw,
            "faction": fac.astype(np.int64),
            "factions_bridged": bridged.astype(np.int64),
            "isolated": degree == 0,
            "tenure_days": tenure,
            "retention": retention,
        },
        schema_overrides={"member": pl.String},
    ).with_columns(broker_rank=pl.col("betweenness").rank("min", descending=True).cast(pl.Int64))
