"""Per-window views of one group: its members, arcs, dyads, posts and shared activities.

A :class:`Window` is built from a few named parts, each a small frozen table of numpy arrays
over the window's members (local ids 0..n-1):

- :class:`Members`: everyone who belonged to the group during the window, silent or not, and
  who acted; posts per member; newcomers; who was active in each half of the window;
- :class:`Arcs`: directed interactions (reply, mention, reaction) with their counts;
- :class:`Dyads`: the undirected weighted graph w_uv including co-participation;
- :class:`Posts`, :class:`Links`: posts with their first response, and reply links;
- :class:`Threads`: sign-ups to shared activities;
- :class:`Counts`: event, post, removal, deletion and departure counts.

igraph graphs (G_W binary at threshold θ, the conversation graph R_W) are built lazily.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property

import igraph as ig
import numpy as np
import scipy.sparse as sp

from kohesi.measure.frame import COPART, DAY_US, MENTION, NEVER, REACTION, REPLY, Prepared
from kohesi.measure.params import MeasureParams

__all__ = [
    "Window", "Members", "Arcs", "Dyads", "Posts", "Links", "Threads", "Counts",
    "make_graph", "windows_from_prepared", "window_from_edges", "REPLY", "MENTION", "REACTION", "COPART",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def make_graph(n: int, src: np.ndarray, dst: np.ndarray, directed: bool = False) -> ig.Graph:
    """An igraph graph on n vertices from edge arrays, without a Python list of tuples."""
    if not len(src):
        return ig.Graph(n=n, directed=directed)
    return ig.Graph(n=n, edges=np.column_stack([src, dst]).astype(np.int64), directed=directed)


def _i(a: object = ()) -> np.ndarray:
    return np.asarray(a, dtype=np.int64)


def _f(a: object = ()) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _b(a: object = ()) -> np.ndarray:
    return np.asarray(a, dtype=bool)


@dataclass(frozen=True)
class Members:
    """The window's members. ``present``: belonged to the group during the window (a silent
    member counts); ``active``: posted, reacted or took part in an activity."""

    names: np.ndarray
    gid: np.ndarray = field(default_factory=_i)
    present: np.ndarray = field(default_factory=_b)
    active: np.ndarray = field(default_factory=_b)
    posts: np.ndarray = field(default_factory=_i)
    newcomer: np.ndarray = field(default_factory=_b)
    early: np.ndarray = field(default_factory=_b)
    late: np.ndarray = field(default_factory=_b)
    left: np.ndarray = field(default_factory=_b)
    seen: np.ndarray = field(default_factory=_b)


@dataclass(frozen=True)
class Arcs:
    """Distinct directed arcs (src, dst, relation) of the window with their counts."""

    src: np.ndarray = field(default_factory=_i)
    dst: np.ndarray = field(default_factory=_i)
    rel: np.ndarray = field(default_factory=_i)
    cnt: np.ndarray = field(default_factory=_f)


@dataclass(frozen=True)
class Dyads:
    """Undirected dyads a < b with interaction weight w_ab (all relations, co-participation too)."""

    a: np.ndarray = field(default_factory=_i)
    b: np.ndarray = field(default_factory=_i)
    weight: np.ndarray = field(default_factory=_f)
    nrel: np.ndarray = field(default_factory=_i)
    react_only: np.ndarray = field(default_factory=_b)
    conv: np.ndarray = field(default_factory=_b)
    seen_before: np.ndarray = field(default_factory=_b)
    persist: np.ndarray | None = None
    talk: np.ndarray | None = None

    @staticmethod
    def binary(a: np.ndarray, b: np.ndarray) -> Dyads:
        m = len(a)
        return Dyads(a, b, np.ones(m), np.ones(m, dtype=np.int64), np.zeros(m, dtype=bool),
                     np.ones(m, dtype=bool), np.zeros(m, dtype=bool), None, np.ones(m))

    def take(self, keep: np.ndarray, weight: np.ndarray | None = None) -> Dyads:
        """The dyads where ``keep`` holds (with new weights if given)."""
        pick = None if self.persist is None else self.persist[keep]
        return Dyads(self.a[keep], self.b[keep], self.weight[keep] if weight is None else weight,
                     self.nrel[keep], self.react_only[keep], self.conv[keep], self.seen_before[keep], pick,
                     None if self.talk is None else self.talk[keep])


@dataclass(frozen=True)
class Posts:
    """The window's posts: author, time (s), seconds to the first reply, reaction, link flags."""

    actor: np.ndarray = field(default_factory=_i)
    t: np.ndarray = field(default_factory=_f)
    lat: np.ndarray = field(default_factory=_f)
    reacted: np.ndarray = field(default_factory=_b)
    linked: np.ndarray = field(default_factory=_b)
    first: np.ndarray = field(default_factory=_b)
    distress: np.ndarray = field(default_factory=_b)
    kind: np.ndarray = field(default_factory=_i)
    hour: np.ndarray = field(default_factory=_i)
    acts: np.ndarray = field(default_factory=_i)
    """Bitmask of each post's communicative acts (:data:`kohesi.text.acts.ACT_BIT`)."""
    support_lat: np.ndarray = field(default_factory=_f)
    """Seconds from a request (distress, help) to the first sympathy or help by another member."""
    offer_lat: np.ndarray = field(default_factory=_f)
    """Seconds from a help request to the first help offered by another member."""
    thanks_lat: np.ndarray = field(default_factory=_f)
    """Seconds from the help that answered a request to the asker's thanks."""
    repair_lat: np.ndarray = field(default_factory=_f)
    """Seconds from hostility or disagreement to an apology or agreement by either party."""

    def __len__(self) -> int:
        return len(self.actor)

    def take(self, keep: np.ndarray) -> Posts:
        return Posts(*(getattr(self, f)[keep] for f in _POST_FIELDS))


_POST_FIELDS = ("actor", "t", "lat", "reacted", "linked", "first", "distress", "kind", "hour", "acts", "support_lat",
                "offer_lat", "thanks_lat", "repair_lat")


@dataclass(frozen=True)
class Links:
    """Reply links inside the window: post ``child`` answers post ``parent`` (post indices)."""

    child: np.ndarray = field(default_factory=_i)
    parent: np.ndarray = field(default_factory=_i)


@dataclass(frozen=True)
class Threads:
    """Sign-ups to shared activities: thread index and member, one row per (thread, member)."""

    idx: np.ndarray = field(default_factory=_i)
    member: np.ndarray = field(default_factory=_i)


@dataclass(frozen=True)
class Counts:
    """Event counts of the window."""

    events: int = 0
    removals: int = 0
    deleted: int = 0
    hostile: int = 0


@dataclass(eq=False)
class Window:
    """One window of one group, from its parts (see the module docstring)."""

    members: Members
    arcs: Arcs = field(default_factory=Arcs)
    dyads: Dyads = field(default_factory=Dyads)
    posts: Posts = field(default_factory=Posts)
    links: Links = field(default_factory=Links)
    threads: Threads = field(default_factory=Threads)
    counts: Counts = field(default_factory=Counts)
    start: datetime = _EPOCH
    end: datetime = _EPOCH
    index: int = 0
    label: str = ""
    coverage: float = 1.0
    complete: bool = True
    params: MeasureParams = field(default_factory=MeasureParams)
    caps: frozenset[str] = frozenset({"reply", "mention"})
    attrs: dict[str, np.ndarray] = field(default_factory=dict)
    retained: np.ndarray | None = None
    next_src: np.ndarray = field(default_factory=_i)
    next_dst: np.ndarray = field(default_factory=_i)
    first: bool = False
    last: bool = False

    @property
    def n(self) -> int:
        return len(self.members.names)

    @property
    def names(self) -> np.ndarray:
        return self.members.names

    def ones(self) -> np.ndarray:
        """Member multiplicities of the observed window: shape (1, n)."""
        return np.ones((1, self.n))

    def can(self, what: str) -> bool:
        """Whether the group's source can record ``what`` (see :data:`kohesi.events.CAPABILITIES`)."""
        return what in self.caps

    @cached_property
    def tie(self) -> np.ndarray:
        """Mask of undirected dyads that are ties of G_W (w_uv ≥ θ)."""
        return self.dyads.weight >= self.params.tie_threshold

    def talk(self) -> Window:
        """This window with G_W restricted to ties made by talking — replies, mentions and
        reactions, not shared activities alone — weighted by those interactions.

        Attending the same meeting ties every pair of attendees (a clique), which would swamp
        closure and factions with the meeting's size (Newman 2001 on one-mode projections);
        who talks with whom is what closure, factions and hubs are about. Deleted posts, and
        posts tagged hostile, are retracted or hostile exchanges, not ties."""
        d = self.dyads
        if d.talk is None:
            return self
        return self.once("talk", lambda: self.evolve(dyads=d.take(d.talk > 0, d.talk[d.talk > 0])))  # type: ignore[return-value]

    @cached_property
    def graph(self) -> ig.Graph:
        """G_W: undirected, binary, edges where w_uv ≥ θ."""
        t = self.tie
        return make_graph(self.n, self.dyads.a[t], self.dyads.b[t])

    @cached_property
    def conv_mask(self) -> np.ndarray:
        return (self.arcs.rel == REPLY) | (self.arcs.rel == MENTION)

    @cached_property
    def conv_arcs(self) -> tuple[np.ndarray, np.ndarray]:
        """Distinct directed arcs (u, v) of the conversation graph R_W (replies and mentions),
        sorted by u·n + v."""
        m = self.conv_mask
        if not m.any():
            return _i(), _i()
        key = np.unique(self.arcs.src[m] * self.n + self.arcs.dst[m])
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
        s, d = self.dyads.a[t], self.dyads.b[t]
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
        return np.bincount(self.arcs.dst, weights=self.arcs.cnt, minlength=self.n)

    def evolve(self, **changes: object) -> Window:
        """A copy with ``changes`` to its parts and none of its caches (cheap enough to build one
        per null sample)."""
        new = object.__new__(Window)
        d = self.__dict__
        new.__dict__.update({k: d[k] for k in _FIELDS})
        new.__dict__.update(changes)
        return new

    def with_edges(self, src: np.ndarray, dst: np.ndarray) -> Window:
        """A copy with G_W replaced by the binary undirected edges (src, dst), src < dst."""
        return self.evolve(dyads=Dyads.binary(src, dst))

    def with_arcs(self, src: np.ndarray, dst: np.ndarray) -> Window:
        """A copy whose conversation graph R_W is the arcs (src, dst)."""
        m = len(src)
        return self.evolve(arcs=Arcs(src, dst, np.full(m, REPLY, dtype=np.int64), np.ones(m)))

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


_FIELDS = tuple(Window.__dataclass_fields__)
_CACHED = tuple(k for k, v in vars(Window).items() if isinstance(v, cached_property))


def _corner(w: Window, c: np.ndarray) -> np.ndarray:
    """Σ over triangles {v, u, x} of c_u c_x for every v, from edge-level common-neighbour sums:
    each tie (v, u) adds c_u Σ_{x ∈ N(v) ∩ N(u)} c_x to v (and symmetrically), every triangle
    being reached through two of v's ties, hence the ½."""
    t = w.tie
    s, d = w.dyads.a[t], w.dyads.b[t]
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


# --------------------------------------------------------------------------------------------
# cutting a prepared group into windows


_PAIRS: dict[int, tuple[np.ndarray, np.ndarray]] = {}


def _pairs(k: int) -> tuple[np.ndarray, np.ndarray]:
    if k not in _PAIRS:
        if len(_PAIRS) > 256:
            _PAIRS.clear()
        _PAIRS[k] = np.triu_indices(k, 1)
    return _PAIRS[k]


def _copart_pairs(thread: np.ndarray, aid: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Member pairs (a < b) who signed up to the same thread, with the event index at which the
    pair was first together (the later sign-up)."""
    if len(thread) == 0:
        return _i(), _i(), _i()
    key = thread * (int(aid.max()) + 1) + aid
    uk, first = np.unique(key, return_index=True)
    th, mem, ev = thread[first], aid[first], e[first]
    order = np.lexsort((mem, th))
    th, mem, ev = th[order], mem[order], ev[order]
    bounds = np.flatnonzero(np.r_[True, th[1:] != th[:-1], True])
    out_a, out_b, out_e = [], [], []
    for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
        k = hi - lo
        if k < 2:
            continue
        i, j = _pairs(k)
        out_a.append(mem[lo:hi][i])
        out_b.append(mem[lo:hi][j])
        out_e.append(np.maximum(ev[lo:hi][i], ev[lo:hi][j]))
    if not out_a:
        return _i(), _i(), _i()
    return np.concatenate(out_a), np.concatenate(out_b), np.concatenate(out_e)


def _marked(ids: np.ndarray, marks: np.ndarray, n: int) -> np.ndarray:
    """For each of ``ids`` (global member ids), whether it is among ``marks``."""
    flag = np.zeros(max(n, 1), dtype=bool)
    flag[marks] = True
    return flag[ids]


def _in_sorted(x: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """``np.isin(x, sorted_keys)`` for sorted, unique ``sorted_keys``."""
    if len(sorted_keys) == 0:
        return np.zeros(len(x), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, x), len(sorted_keys) - 1)
    return sorted_keys[pos] == x


_POPCOUNT = np.array([bin(i).count("1") for i in range(16)], dtype=np.int64)


@dataclass
class _Raw:
    """One window's slices in global member ids, before local ids are assigned."""

    nodes: np.ndarray
    present: np.ndarray
    dkey: np.ndarray
    dw: np.ndarray
    drels: np.ndarray
    dfirst: np.ndarray
    active_g: np.ndarray
    dtalk: np.ndarray


def windows_from_prepared(prep: Prepared, params: MeasureParams) -> list[Window]:
    """Slice prepared columns into one :class:`Window` per time window (empty windows included)."""
    tl = prep.timeline
    ev, arcs, posts, links, acts, base = prep.events, prep.arcs, prep.posts, prep.links, prep.acts, prep.members
    N = max(len(prep.names), 1)
    e_lo, e_hi = tl.slices(ev.t)
    newcomer_us = int(params.newcomer_days * DAY_US)
    can_text = "text" in prep.caps
    raws: list[_Raw] = []
    for k in range(len(tl)):
        lo, hi = int(e_lo[k]), int(e_hi[k])
        a0, a1 = np.searchsorted(arcs.e, [lo, hi])
        t0, t1 = np.searchsorted(acts.e, [lo, hi])
        src, dst, rel = arcs.src[a0:a1], arcs.dst[a0:a1], arcs.rel[a0:a1]
        ca, cb, ce = _copart_pairs(acts.thread[t0:t1], acts.aid[t0:t1], acts.e[t0:t1])
        ua = np.r_[np.minimum(src, dst), ca]
        ub = np.r_[np.maximum(src, dst), cb]
        ur = np.r_[rel, np.full(len(ca), COPART, dtype=np.int64)]
        ue = np.r_[arcs.e[a0:a1], ce]
        key = ua * N + ub
        dkey, inv = np.unique(key, return_inverse=True)
        dw = np.bincount(inv, minlength=len(dkey)).astype(np.float64)
        # talk: replies, mentions and reactions that were not retracted (deleted, or hostile)
        said = ~(ev.deleted[arcs.e[a0:a1]] | (ev.hostile[arcs.e[a0:a1]] & can_text))
        dtalk = np.bincount(inv, weights=np.r_[said, np.zeros(len(ca), dtype=bool)].astype(np.float64),
                            minlength=len(dkey))
        drels = np.zeros(len(dkey), dtype=np.int64)
        np.bitwise_or.at(drels, inv, 1 << ur)
        dfirst = np.full(len(dkey), NEVER, dtype=np.int64)
        np.minimum.at(dfirst, inv, ue)
        act_mask = ev.active[lo:hi]
        active_g = np.unique(ev.aid[lo:hi][act_mask])
        present = base.present(int(tl.starts_us[k]), int(tl.ends_us[k]))
        nodes = np.unique(np.concatenate([present, active_g, src, dst, acts.aid[t0:t1]]).astype(np.int64))
        raws.append(_Raw(nodes, present, dkey, dw, drels, dfirst, active_g, dtalk))

    # the first event at which each dyad interacted (for "seen in an earlier window")
    if raws and any(len(r.dkey) for r in raws):
        allk = np.concatenate([r.dkey for r in raws])
        alle = np.concatenate([r.dfirst for r in raws])
        gk, ginv = np.unique(allk, return_inverse=True)
        gfirst = np.full(len(gk), NEVER, dtype=np.int64)
        np.minimum.at(gfirst, ginv, alle)
    else:
        gk, gfirst = _i(), _i()

    out: list[Window] = []
    for k, r in enumerate(raws):
        lo, hi = int(e_lo[k]), int(e_hi[k])
        nodes = r.nodes
        n = len(nodes)

        def loc(g: np.ndarray, nodes: np.ndarray = nodes) -> np.ndarray:
            return np.searchsorted(nodes, g).astype(np.int64)

        start_us, end_us = int(tl.starts_us[k]), int(tl.ends_us[k])
        obs_lo, obs_hi = max(start_us, tl.first_us), min(end_us, tl.last_us + 1)
        mid = obs_lo + (obs_hi - obs_lo) // 2
        t_ev = ev.t[lo:hi]
        act_mask = ev.active[lo:hi]
        aid_ev = ev.aid[lo:hi]
        early = _marked(nodes, aid_ev[act_mask & (t_ev < mid)], N)
        late = _marked(nodes, aid_ev[act_mask & (t_ev >= mid)], N)
        exits = ev.exit_member[lo:hi]
        arr = base.arrival_us[nodes]
        newcomer = (arr < NEVER) & (arr < end_us) & (arr >= end_us - newcomer_us)
        p0, p1 = np.searchsorted(posts.e, [lo, hi])
        p_aid = posts.aid[p0:p1]
        l0, l1 = np.searchsorted(links.e, [lo, hi])
        inside = (links.parent_e[l0:l1] >= lo) & (links.parent_e[l0:l1] < hi)
        a0, a1 = np.searchsorted(arcs.e, [lo, hi])
        akey = (arcs.src[a0:a1] * N + arcs.dst[a0:a1]) * 4 + arcs.rel[a0:a1]
        uak, acnt = np.unique(akey, return_counts=True)
        t0, t1 = np.searchsorted(acts.e, [lo, hi])
        th_pairs = np.unique(acts.thread[t0:t1] * N + acts.aid[t0:t1])
        th_idx = np.unique(th_pairs // N, return_inverse=True)[1].astype(np.int64) if len(th_pairs) else _i()
        da, db = r.dkey // N, r.dkey % N
        seen_before = gfirst[np.searchsorted(gk, r.dkey)] < lo if len(r.dkey) else _b()
        members = Members(
            names=prep.names[nodes],
            gid=nodes,
            present=_marked(nodes, r.present, N),
            active=_marked(nodes, r.active_g, N),
            posts=np.bincount(loc(p_aid), minlength=n).astype(np.int64),
            newcomer=newcomer,
            early=early,
            late=late,
            left=_marked(nodes, exits[exits >= 0], N),
            seen=base.first_us[nodes] < start_us,
        )
        win = Window(
            members=members,
            arcs=Arcs(loc(uak // 4 // N), loc(uak // 4 % N), (uak % 4).astype(np.int64), acnt.astype(np.float64)),
            dyads=Dyads(
                a=loc(da), b=loc(db), weight=r.dw,
                nrel=_POPCOUNT[r.drels],
                react_only=r.drels == (1 << REACTION),
                conv=(r.drels & ((1 << REPLY) | (1 << MENTION))) > 0,
                seen_before=np.asarray(seen_before, dtype=bool),
                persist=None,
                talk=r.dtalk,
            ),
            posts=Posts(
                actor=loc(p_aid),
                t=posts.t[p0:p1] / 1e6,
                lat=posts.lat[p0:p1].astype(np.float64),
                reacted=posts.reacted[p0:p1].astype(bool),
                linked=posts.linked[p0:p1].astype(bool),
                first=posts.first[p0:p1].astype(bool),
                distress=posts.distress[p0:p1].astype(bool),
                kind=posts.kind[p0:p1].astype(np.int64),
                hour=posts.hour[p0:p1].astype(np.int64),
                acts=posts.acts[p0:p1],
                support_lat=posts.support_lat[p0:p1],
                offer_lat=posts.offer_lat[p0:p1],
                thanks_lat=posts.thanks_lat[p0:p1],
                repair_lat=posts.repair_lat[p0:p1],
            ),
            links=Links(links.child[l0:l1][inside] - p0, links.parent[l0:l1][inside] - p0),
            threads=Threads(th_idx, loc(th_pairs % N) if len(th_pairs) else _i()),
            counts=Counts(
                events=hi - lo,
                removals=int(ev.removal[lo:hi].sum()),
                deleted=int(ev.deleted[lo:hi].sum()),
                hostile=int(ev.hostile[lo:hi].sum()),
            ),
            start=tl.start(k),
            end=tl.end(k),
            index=k,
            label=tl.labels[k],
            coverage=float(tl.coverage[k]),
            complete=bool(tl.complete[k]),
            params=params,
            caps=prep.caps,
            attrs={a: v[nodes] for a, v in base.attrs.items()},
            first=k == 0,
            last=k == len(raws) - 1,
        )
        out.append(win)
    for k in range(len(out) - 1):
        _link_next(out[k], out[k + 1], raws[k], raws[k + 1], N)
    return out


def _link_next(win: Window, nxt: Window, raw: _Raw, raw_next: _Raw, N: int) -> None:
    """What the next window keeps of this one: active members, and ties (for tie persistence)."""
    win.retained = _marked(win.members.gid, raw_next.active_g, N)
    tie_now = win.tie
    tie_next = nxt.tie
    keys_next = raw_next.dkey[tie_next]
    persist = _in_sorted(raw.dkey, keys_next)
    win.dyads = replace(win.dyads, persist=persist)
    new = ~_in_sorted(keys_next, raw.dkey[tie_now])
    ga, gb = keys_next[new] // N, keys_next[new] % N
    pa_, pb_ = np.searchsorted(win.members.gid, ga), np.searchsorted(win.members.gid, gb)
    gid = win.members.gid
    ok_a = (pa_ < len(gid)) & (gid[np.minimum(pa_, max(len(gid) - 1, 0))] == ga) if len(gid) else np.zeros(len(ga), bool)
    ok_b = (pb_ < len(gid)) & (gid[np.minimum(pb_, max(len(gid) - 1, 0))] == gb) if len(gid) else np.zeros(len(gb), bool)
    win.next_src = np.where(ok_a, pa_, -1).astype(np.int64)
    win.next_dst = np.where(ok_b, pb_, -1).astype(np.int64)


def window_from_edges(
    edges: Sequence[tuple[str, str] | tuple[str, str, float]] = (),
    *,
    arcs: Sequence[tuple[str, str]] = (),
    posts: dict[str, int] | None = None,
    params: MeasureParams | None = None,
    nodes: list[str] | None = None,
    caps: frozenset[str] = frozenset({"reply", "mention"}),
) -> Window:
    """A small window for examples and tests: undirected ties, directed reply arcs, post counts.

    Every member is present and counts as active when it has a post or a tie.

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
    tied = np.zeros(n, dtype=bool)
    for a, b in keys:
        tied[[a, b]] = True
    return Window(
        members=Members(names=nm, gid=np.arange(n), present=np.ones(n, dtype=bool), active=(pp > 0) | tied,
                        posts=pp, newcomer=np.zeros(n, dtype=bool), early=np.zeros(n, dtype=bool),
                        late=np.zeros(n, dtype=bool), left=np.zeros(n, dtype=bool), seen=np.zeros(n, dtype=bool)),
        arcs=Arcs(_i([idx[s] for s, _ in arcs]), _i([idx[d] for _, d in arcs]), np.full(len(arcs), REPLY, dtype=np.int64),
                  np.ones(len(arcs))),
        dyads=Dyads(_i([k[0] for k in keys]), _i([k[1] for k in keys]), _f([und[k] for k in keys]),
                    np.ones(m, dtype=np.int64), np.zeros(m, dtype=bool), np.ones(m, dtype=bool), np.zeros(m, dtype=bool),
                    None, _f([und[k] for k in keys])),
        params=params or MeasureParams(),
        caps=caps,
    )
