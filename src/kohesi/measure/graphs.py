"""Per-window interaction graphs.

A :class:`Window` holds, for one time window, the members present (local ids 0..n-1), the
directed edges (reply, mention, reaction), the undirected weighted graph w_uv including
co-participation, the posts with their response latency, and the activity-thread incidence.
igraph graphs (G_W binary at threshold θ, directed reply/mention graph R_W) are built lazily.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from functools import cached_property

import igraph as ig
import numpy as np
import scipy.sparse as sp

from kohesi.measure.frame import COPART, MENTION, REACTION, REPLY, Prepared
from kohesi.measure.params import MeasureParams

__all__ = ["Window", "make_graph", "windows_from_prepared", "window_from_edges", "REPLY", "MENTION", "REACTION", "COPART"]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def make_graph(n: int, src: np.ndarray, dst: np.ndarray, directed: bool = False) -> ig.Graph:
    """An igraph graph on n vertices from edge arrays, without a Python list of tuples."""
    g = ig.Graph(n=n, directed=directed)
    if len(src):
        g.add_edges(np.column_stack([src, dst]).astype(np.int64))
    return g


def _i(a: object = ()) -> np.ndarray:
    return np.asarray(a, dtype=np.int64)


def _f(a: object = ()) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _b(a: object = ()) -> np.ndarray:
    return np.asarray(a, dtype=bool)


@dataclass(eq=False)
class Window:
    """One window of one group: members, edges and posts as numpy arrays (local member ids)."""

    names: np.ndarray
    start: datetime = _EPOCH
    end: datetime = _EPOCH
    index: int = 0
    params: MeasureParams = field(default_factory=MeasureParams)
    active: np.ndarray = field(default_factory=_b)
    posts_per: np.ndarray = field(default_factory=_i)
    tenure_days: np.ndarray = field(default_factory=_f)
    newcomer: np.ndarray = field(default_factory=_b)
    retained: np.ndarray | None = None
    registered: int = 0
    d_src: np.ndarray = field(default_factory=_i)
    d_dst: np.ndarray = field(default_factory=_i)
    d_rel: np.ndarray = field(default_factory=_i)
    d_cnt: np.ndarray = field(default_factory=_f)
    u_src: np.ndarray = field(default_factory=_i)
    u_dst: np.ndarray = field(default_factory=_i)
    u_w: np.ndarray = field(default_factory=_f)
    u_nrel: np.ndarray = field(default_factory=_i)
    u_react_only: np.ndarray = field(default_factory=_b)
    u_conv: np.ndarray = field(default_factory=_b)
    u_seen_before: np.ndarray = field(default_factory=_b)
    u_persist: np.ndarray | None = None
    next_src: np.ndarray = field(default_factory=_i)
    next_dst: np.ndarray = field(default_factory=_i)
    p_actor: np.ndarray = field(default_factory=_i)
    p_t: np.ndarray = field(default_factory=_f)
    p_lat: np.ndarray = field(default_factory=_f)
    p_reacted: np.ndarray = field(default_factory=_b)
    p_linked: np.ndarray = field(default_factory=_b)
    p_first: np.ndarray = field(default_factory=_b)
    p_distress: np.ndarray = field(default_factory=_b)
    p_kind: np.ndarray = field(default_factory=_i)
    p_hour: np.ndarray = field(default_factory=_i)
    l_child: np.ndarray = field(default_factory=_i)
    l_parent: np.ndarray = field(default_factory=_i)
    th_idx: np.ndarray = field(default_factory=_i)
    th_mem: np.ndarray = field(default_factory=_i)
    n_events: int = 0
    n_removals: int = 0
    n_deleted: int = 0
    attrs: dict[str, np.ndarray] = field(default_factory=dict)
    has: dict[str, bool] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.names)

    @property
    def label(self) -> str:
        return self.start.strftime("%Y-%m-%dT%H:%M") if self.start != _EPOCH else str(self.index)

    def ones(self) -> np.ndarray:
        """Member multiplicities of the observed window: shape (1, n)."""
        return np.ones((1, self.n))

    @cached_property
    def tie(self) -> np.ndarray:
        """Mask of undirected dyads that are ties of G_W (w_uv ≥ θ)."""
        return self.u_w >= self.params.tie_threshold

    @cached_property
    def graph(self) -> ig.Graph:
        """G_W: undirected, binary, edges where w_uv ≥ θ."""
        t = self.tie
        return make_graph(self.n, self.u_src[t], self.u_dst[t])

    @cached_property
    def wgraph(self) -> ig.Graph:
        """Undirected weighted graph of all dyads (weight w_uv)."""
        g = make_graph(self.n, self.u_src, self.u_dst)
        g.es["weight"] = self.u_w
        return g

    @cached_property
    def conv_mask(self) -> np.ndarray:
        return (self.d_rel == REPLY) | (self.d_rel == MENTION)

    @cached_property
    def conv_arcs(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct directed arcs (u, v) of the conversation graph R_W (replies and mentions),
        sorted by u·n + v."""
        m = self.conv_mask
        if not m.any():
            return _i(), _i()
        key = np.unique(self.d_src[m] * self.n + self.d_dst[m])
        return key // self.n, key % self.n

    @cached_property
    def conv_mutual(self) -> np.ndarray:
        """For each arc u→v of R_W (in ``conv_arcs`` order), whether v→u is an arc too."""
        s, d = self.conv_arcs
        if len(s) == 0:
            return _b()
        keys = s * self.n + d
        rev = d * self.n + s
        pos = np.minimum(np.searchsorted(keys, rev), len(keys) - 1)
        return keys[pos] == rev

    @cached_property
    def adj(self) -> sp.csr_matrix:
        """Binary symmetric adjacency of G_W as a sparse matrix."""
        t = self.tie
        s, d = self.u_src[t], self.u_dst[t]
        a = sp.coo_matrix((np.ones(2 * len(s), dtype=np.float32), (np.r_[s, d], np.r_[d, s])), shape=(self.n, self.n))
        return a.tocsr()

    def triangle_corner_weights(self, c: np.ndarray) -> np.ndarray:
        """For each member v, Σ over triangles {v, u, x} of c_u c_x: shape (B, n)."""
        if self.n == 0 or not self.tie.any():
            return np.zeros((c.shape[0], self.n))
        return self.memo("corner", c, lambda: _corner(self, c))

    @cached_property
    def received(self) -> np.ndarray:
        """Replies, mentions and reactions received per member."""
        return np.bincount(self.d_dst, weights=self.d_cnt, minlength=self.n)

    def evolve(self, **changes: object) -> Window:
        """A copy with ``changes`` to its data fields and none of its caches (as
        ``dataclasses.replace``, without re-running ``__init__`` for each null sample)."""
        new = object.__new__(Window)
        d = self.__dict__
        new.__dict__.update({k: d[k] for k in _FIELDS})
        new.__dict__.update(changes)
        return new

    def with_edges(self, src: np.ndarray, dst: np.ndarray) -> Window:
        """A copy with G_W replaced by the binary undirected edges (src, dst), src < dst."""
        m = len(src)
        return self.evolve(
            u_src=src,
            u_dst=dst,
            u_w=np.ones(m),
            u_nrel=np.ones(m, dtype=np.int64),
            u_react_only=np.zeros(m, dtype=bool),
            u_conv=np.ones(m, dtype=bool),
            u_seen_before=np.zeros(m, dtype=bool),
            u_persist=None,
        )

    def memo(self, key: str, c: np.ndarray, compute: Callable[[], np.ndarray]) -> np.ndarray:
        """Cache ``compute()`` for this exact multiplicity array ``c`` (shared across indicators)."""
        store = self.__dict__.setdefault("_memo", {})
        hit = store.get((key, id(c)))
        if hit is not None and hit[0] is c:
            return hit[1]
        val = compute()
        store[(key, id(c))] = (c, val)
        return val

    def once(self, key: str, compute: Callable[[], object]) -> object:
        """Cache ``compute()`` for this window (results that do not depend on multiplicities)."""
        store = self.__dict__.setdefault("_once", {})
        if key not in store:
            store[key] = compute()
        return store[key]

    def release(self) -> None:
        """Drop cached graphs and replicate arrays (keeps the window's own data)."""
        for k in ("_memo", "_once", *_CACHED):
            self.__dict__.pop(k, None)

    def is_observed(self, c: np.ndarray) -> bool:
        """True when ``c`` is the single all-ones row (the observed window, no resampling)."""
        return c.shape[0] == 1 and bool(np.all(c == 1.0))

    def with_arcs(self, src: np.ndarray, dst: np.ndarray) -> Window:
        """A copy whose conversation graph R_W is the arcs (src, dst)."""
        m = len(src)
        return self.evolve(d_src=src, d_dst=dst, d_rel=np.full(m, REPLY), d_cnt=np.ones(m))


_FIELDS = tuple(f.name for f in fields(Window))
_CACHED = tuple(k for k, v in vars(Window).items() if isinstance(v, cached_property))


def _corner(w: Window, c: np.ndarray) -> np.ndarray:
    """Σ over triangles {v, u, x} of c_u c_x for every v, from edge-level common-neighbour sums:
    each tie (v, u) adds c_u Σ_{x ∈ N(v) ∩ N(u)} c_x to v (and symmetrically), every triangle
    being reached through two of v's ties, hence the ½."""
    t = w.tie
    s, d = w.u_src[t], w.u_dst[t]
    common = w.adj[s].multiply(w.adj[d]).tocsr()
    if common.nnz == 0:
        return np.zeros((c.shape[0], w.n))
    cn = np.asarray(common @ c.T)
    ct = c.T
    e = np.arange(len(s))
    inc_s = sp.csr_matrix((np.ones(len(s), dtype=c.dtype), (s, e)), shape=(w.n, len(s)))
    inc_d = sp.csr_matrix((np.ones(len(s), dtype=c.dtype), (d, e)), shape=(w.n, len(s)))
    out = inc_s @ (cn * ct[d]) + inc_d @ (cn * ct[s])
    return 0.5 * np.asarray(out).T


def windows_from_prepared(prep: Prepared, params: MeasureParams) -> list[Window]:
    """Slice prepared columns into one :class:`Window` per time window (empty windows included)."""
    out: list[Window] = []
    actives: list[np.ndarray] = []
    for w in range(prep.n_windows):
        e0, e1 = prep.ev_off[w], prep.ev_off[w + 1]
        act_mask = prep.ev["active"][e0:e1]
        act_ids = prep.ev["aid"][e0:e1][act_mask]
        d0, d1 = prep.dedges_off[w], prep.dedges_off[w + 1]
        u0, u1 = prep.uedges_off[w], prep.uedges_off[w + 1]
        nodes = np.unique(
            np.concatenate(
                [act_ids, prep.dedges["src"][d0:d1], prep.dedges["dst"][d0:d1], prep.uedges["a"][u0:u1], prep.uedges["b"][u0:u1]]
            ).astype(np.int64)
        )
        actives.append(np.unique(act_ids))

        def loc(g: np.ndarray, nodes: np.ndarray = nodes) -> np.ndarray:
            return np.searchsorted(nodes, g).astype(np.int64)

        p0, p1 = prep.posts_off[w], prep.posts_off[w + 1]
        posts_aid = prep.posts["aid"][p0:p1]
        pidx = prep.posts["pidx"][p0:p1]
        l0, l1 = prep.links_off[w], prep.links_off[w + 1]
        t0_, t1_ = prep.threads_off[w], prep.threads_off[w + 1]
        th = prep.threads["th"][t0_:t1_]
        start, end = prep.window_bounds(w)
        end_us = prep.t0_us + (w + 1) * prep.width_us if prep.width_us else prep.end_us
        first = prep.first_us[nodes]
        tenure = np.where(first <= end_us, (end_us - first) / 86400e6, 0.0)
        newcomer = tenure <= params.newcomer_days
        if prep.registered_fixed is not None:
            registered = prep.registered_fixed
        else:
            seen = int(np.sum(prep.first_us < end_us))
            gone = int(np.sum((prep.left_window >= 0) & (prep.left_window <= w)))
            registered = max(seen - gone, len(actives[-1]))
        win = Window(
            names=prep.names[nodes],
            start=start,
            end=end,
            index=w,
            params=params,
            active=np.isin(nodes, act_ids),
            posts_per=np.bincount(loc(posts_aid), minlength=len(nodes)).astype(np.int64),
            tenure_days=tenure,
            newcomer=newcomer,
            registered=registered,
            d_src=loc(prep.dedges["src"][d0:d1]),
            d_dst=loc(prep.dedges["dst"][d0:d1]),
            d_rel=prep.dedges["rel"][d0:d1].astype(np.int64),
            d_cnt=prep.dedges["cnt"][d0:d1].astype(np.float64),
            u_src=loc(prep.uedges["a"][u0:u1]),
            u_dst=loc(prep.uedges["b"][u0:u1]),
            u_w=prep.uedges["uw"][u0:u1].astype(np.float64),
            u_nrel=prep.uedges["nrel"][u0:u1].astype(np.int64),
            u_react_only=prep.uedges["react_only"][u0:u1].astype(bool),
            u_conv=prep.uedges["conv"][u0:u1].astype(bool),
            u_seen_before=prep.uedges["seen_before"][u0:u1].astype(bool),
            u_persist=prep.uedges["persist"][u0:u1].astype(bool) if w + 1 < prep.n_windows else None,
            p_actor=loc(posts_aid),
            p_t=(prep.posts["t"][p0:p1] / 1e6).astype(np.float64),
            p_lat=prep.posts["lat"][p0:p1].astype(np.float64),
            p_reacted=prep.posts["reacted"][p0:p1].astype(bool),
            p_linked=prep.posts["linked"][p0:p1].astype(bool),
            p_first=prep.posts["first"][p0:p1].astype(bool),
            p_distress=prep.posts["distress"][p0:p1].astype(bool),
            p_kind=prep.posts["kind"][p0:p1].astype(np.int64),
            p_hour=prep.posts["hour"][p0:p1].astype(np.int64),
            l_child=np.searchsorted(pidx, prep.links["child"][l0:l1]).astype(np.int64),
            l_parent=np.searchsorted(pidx, prep.links["parent"][l0:l1]).astype(np.int64),
            th_idx=(th - th.min()).astype(np.int64) if len(th) else _i(),
            th_mem=loc(prep.threads["aid"][t0_:t1_]),
            n_events=int(e1 - e0),
            n_removals=int(prep.ev["kind_remove"][e0:e1].sum()),
            n_deleted=int(prep.ev["kind_deleted"][e0:e1].sum()),
            attrs={k: v[nodes] for k, v in prep.attrs.items()},
            has=prep.has,
        )
        out.append(win)
    for w, win in enumerate(out[:-1]):
        nxt_nodes = np.searchsorted(prep.names, out[w + 1].names) if out[w + 1].n else _i()
        win.retained = np.isin(np.searchsorted(prep.names, win.names), actives[w + 1])
        _attach_next_edges(win, out[w + 1], nxt_nodes, np.searchsorted(prep.names, win.names))
    return out


def _attach_next_edges(win: Window, nxt: Window, nxt_global: np.ndarray, cur_global: np.ndarray) -> None:
    """Edges of the next window that are not ties of this one (for tie-persistence Jaccard)."""
    if not nxt.n:
        return
    if not len(cur_global):  # a silent window: every tie of the next window is new
        t = nxt.tie
        win.next_src = np.full(int(t.sum()), -1, dtype=np.int64)
        win.next_dst = win.next_src.copy()
        return
    t = nxt.tie
    ga, gb = nxt_global[nxt.u_src[t]], nxt_global[nxt.u_dst[t]]
    pos_a = np.searchsorted(cur_global, ga)
    pos_b = np.searchsorted(cur_global, gb)
    in_a = (pos_a < len(cur_global)) & (cur_global[np.minimum(pos_a, len(cur_global) - 1)] == ga)
    in_b = (pos_b < len(cur_global)) & (cur_global[np.minimum(pos_b, len(cur_global) - 1)] == gb)
    la, lb = np.where(in_a, pos_a, -1), np.where(in_b, pos_b, -1)
    cur_keys = set()
    ct = win.tie
    if ct.any():
        cur_keys = set((win.u_src[ct] * win.n + win.u_dst[ct]).tolist())
    both = (la >= 0) & (lb >= 0)
    keys = np.where(both, la * win.n + lb, -1)
    new = ~np.isin(keys, np.fromiter(cur_keys, dtype=np.int64, count=len(cur_keys))) | ~both
    win.next_src, win.next_dst = la[new], lb[new]


def window_from_edges(
    edges: Sequence[tuple[str, str] | tuple[str, str, float]] = (),
    *,
    arcs: Sequence[tuple[str, str]] = (),
    posts: dict[str, int] | None = None,
    params: MeasureParams | None = None,
    nodes: list[str] | None = None,
) -> Window:
    """A small window for examples and tests: undirected ties, directed reply arcs, post counts.

    Examples
    --------
    >>> w = window_from_edges([("a", "b"), ("b", "c")])
    >>> w.n, int(w.tie.sum())
    (3, 2)
    """
    names = set(nodes or [])
    for e in edges:
        names.update(e[:2])
    for a in arcs:
        names.update(a)
    names.update((posts or {}).keys())
    nm = np.asarray(sorted(names), dtype=object)
    idx = {k: i for i, k in enumerate(nm)}
    und: dict[tuple[int, int], float] = {}
    for e in edges:
        a, b = sorted((idx[e[0]], idx[e[1]]))
        und[(a, b)] = und.get((a, b), 0.0) + (float(e[2]) if len(e) == 3 else 1.0)
    for s, d in arcs:
        a, b = sorted((idx[s], idx[d]))
        und[(a, b)] = und.get((a, b), 0.0) + 1.0
    keys = sorted(und)
    n = len(nm)
    pp = np.zeros(n, dtype=np.int64)
    for k, v in (posts or {}).items():
        pp[idx[k]] = v
    m = len(keys)
    return Window(
        names=nm,
        params=params or MeasureParams(),
        active=np.ones(n, dtype=bool),
        posts_per=pp,
        tenure_days=np.zeros(n),
        newcomer=np.zeros(n, dtype=bool),
        registered=n,
        d_src=_i([idx[s] for s, _ in arcs]),
        d_dst=_i([idx[d] for _, d in arcs]),
        d_rel=np.full(len(arcs), REPLY, dtype=np.int64),
        d_cnt=np.ones(len(arcs)),
        u_src=_i([k[0] for k in keys]),
        u_dst=_i([k[1] for k in keys]),
        u_w=_f([und[k] for k in keys]),
        u_nrel=np.ones(m, dtype=np.int64),
        u_react_only=np.zeros(m, dtype=bool),
        u_conv=np.ones(m, dtype=bool),
        u_seen_before=np.zeros(m, dtype=bool),
        has={"reply": bool(arcs), "reaction": False, "mention": False, "activity": False, "posts": bool(posts)},
    )
