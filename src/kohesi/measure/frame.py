"""Columnar preparation of one group's events: time-sorted columns and the group's timeline.

:func:`prepare` turns a canonical event table into a :class:`Prepared`, in four steps that each
have a function here:

1. **source** (:func:`resolve_source`): the group's timezone and what its source can record;
2. **events** (:func:`_event_frame`): members as integer ids, each reply joined to the post it
   answers, events sorted by time;
3. **interactions** (:func:`_arcs`, :func:`_activities`, :func:`_posts`): directed arcs (reply,
   mention, reaction), activity sign-ups, and posts with their first response;
4. **member base** (:func:`_member_base`): who belongs to the group when, from joins, adds,
   leaves, removals and the members table, so that silent members count.

Windows (:mod:`kohesi.measure.windows`) are index ranges over these time-sorted columns;
:mod:`kohesi.measure.graphs` cuts them into per-window views.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi.errors import InputError
from kohesi.events import CAPABILITIES, POST_KINDS, SourceInfo, conform, source_info
from kohesi.measure.params import MeasureParams
from kohesi.measure.windows import Timeline, WindowSpec, is_window_spec, timeline, window_spec
from kohesi.text.acts import ACT_BIT

__all__ = ["to_polars", "prepare", "Prepared", "resolve_source", "REL_NAMES", "REPLY", "MENTION", "REACTION", "COPART"]

REL_NAMES: tuple[str, ...] = ("reply", "mention", "reaction", "coparticipation")
REPLY, MENTION, REACTION, COPART = range(4)
ACTIVE_KINDS: tuple[str, ...] = (*POST_KINDS, "reaction", "activity")
_BIT = {name: np.int64(bit) for name, bit in ACT_BIT.items()}
REQUEST = _BIT["distress"] | _BIT["help_request"]
"""Posts that ask the group for support: a misfortune told, or help asked for."""
SUPPORT = _BIT["sympathy"] | _BIT["help_offer"]
"""Posts that give it: sympathy, or help offered."""
FRICTION = _BIT["hostility"] | _BIT["disagreement"]
REPAIR = _BIT["apology"] | _BIT["agreement"]
US = 1_000_000
DAY_US = 86_400 * US
NEVER = np.iinfo(np.int64).max
ALWAYS = np.iinfo(np.int64).min


def to_polars(events: Any) -> tuple[pl.DataFrame, SourceInfo]:
    """Conform a pyarrow Table, polars or pandas DataFrame to the canonical columns; also return
    the :class:`~kohesi.events.SourceInfo` recorded with a pyarrow table."""
    if isinstance(events, pl.DataFrame):
        table = events.to_arrow()
    elif isinstance(events, pa.Table):
        table = events
    elif type(events).__module__.startswith("pandas"):
        table = pa.Table.from_pandas(events, preserve_index=False)
    else:
        raise InputError(None, f"events must be a pyarrow Table or a DataFrame, not {type(events).__name__}")
    info = source_info(table)
    if "ts" in table.column_names and pa.types.is_timestamp(table.schema.field("ts").type):
        ts = table.column("ts")
        if ts.type.tz is None:
            table = table.set_column(
                table.column_names.index("ts"), "ts", ts.cast(pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC"))
            )
    for name in ("group_id", "event_id", "actor", "kind", "subtype", "reply_to", "target", "thread"):
        if name in table.column_names and pa.types.is_large_string(table.schema.field(name).type):
            i = table.column_names.index(name)
            table = table.set_column(i, name, table.column(name).cast(pa.string()))
    if "mentions" in table.column_names and pa.types.is_large_list(table.schema.field("mentions").type):
        i = table.column_names.index("mentions")
        table = table.set_column(i, "mentions", table.column("mentions").cast(pa.list_(pa.string())))
    return pl.from_arrow(conform(table)), info  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# the parts of a prepared group


@dataclass(frozen=True)
class EventCols:
    """One row per event, sorted by time."""

    t: np.ndarray        # µs since the epoch, UTC
    aid: np.ndarray      # member id, -1 for none
    active: np.ndarray   # a post, reaction or activity by a member
    is_post: np.ndarray
    removal: np.ndarray  # a member removed by another (``remove``)
    deleted: np.ndarray  # a post its author deleted
    hostile: np.ndarray  # a post with the act ``hostility`` (or ``subtype == "hostile"``)
    exit_member: np.ndarray  # member who left or was removed by this event, -1 for none
    arrived: np.ndarray  # a join or an add


@dataclass(frozen=True)
class ArcCols:
    """Directed interactions (reply, mention, reaction), in event order."""

    e: np.ndarray    # index of the event that made the arc
    src: np.ndarray
    dst: np.ndarray
    rel: np.ndarray


@dataclass(frozen=True)
class PostCols:
    """Posts in event order, with their first response by another member."""

    e: np.ndarray
    aid: np.ndarray
    t: np.ndarray        # µs UTC
    lat: np.ndarray      # seconds to the first reply by another member (NaN: none)
    reacted: np.ndarray  # another member reacted within Δ
    linked: np.ndarray   # answers, mentions, is answered or reacted to
    first: np.ndarray    # a newcomer's first post after arriving
    distress: np.ndarray
    acts: np.ndarray     # bitmask of the post's acts (:data:`kohesi.text.acts.ACT_BIT`)
    support_lat: np.ndarray  # a request (distress, help): seconds to the first sympathy or help offered by another member
    offer_lat: np.ndarray    # a help request: seconds to the first help offered by another member
    thanks_lat: np.ndarray   # a help request that was answered: seconds from that answer to the asker's thanks
    repair_lat: np.ndarray   # hostility or disagreement: seconds to an apology or agreement by either party
    kind: np.ndarray     # index into POST_KINDS
    hour: np.ndarray     # local hour of day


@dataclass(frozen=True)
class LinkCols:
    """Reply links between posts (child answers parent), in the child's event order."""

    e: np.ndarray
    child: np.ndarray
    parent: np.ndarray
    parent_e: np.ndarray


@dataclass(frozen=True)
class ActivityCols:
    """Sign-ups to shared activities (``kind == "activity"`` with a thread), in event order."""

    e: np.ndarray
    thread: np.ndarray
    aid: np.ndarray


@dataclass(frozen=True)
class MemberBase:
    """Every known member and when they belonged to the group.

    A member belongs from the start of the observation unless a join or add records a later
    arrival, and until a leave or removal; a members table lists members who never appear.
    ``arrival_us`` is the recorded arrival (``NEVER`` when the member was there from the start).
    """

    names: np.ndarray
    first_us: np.ndarray
    arrival_us: np.ndarray
    iv_member: np.ndarray
    iv_in: np.ndarray
    iv_out: np.ndarray
    attrs: dict[str, np.ndarray] = field(default_factory=dict)
    listed: int | None = None

    def present(self, lo_us: int, hi_us: int) -> np.ndarray:
        """Sorted ids of members who belonged to the group at some time in [lo_us, hi_us)."""
        hit = (self.iv_in < hi_us) & (self.iv_out > lo_us)
        return np.unique(self.iv_member[hit])


@dataclass(frozen=True)
class Prepared:
    """One group's events as time-sorted columns, its timeline and its member base."""

    group_id: str
    source: SourceInfo
    caps: frozenset[str]
    caps_basis: str
    timeline: Timeline
    events: EventCols
    arcs: ArcCols
    posts: PostCols
    links: LinkCols
    acts: ActivityCols
    members: MemberBase
    has: dict[str, bool]

    @property
    def names(self) -> np.ndarray:
        return self.members.names

    @property
    def n_windows(self) -> int:
        return len(self.timeline)


# --------------------------------------------------------------------------------------------
# 1. source


def resolve_source(info: SourceInfo, df: pl.DataFrame, tz: str | None = None,
                   capabilities: set[str] | frozenset[str] | None = None) -> tuple[SourceInfo, str]:
    """The group's timezone and capabilities: given, else recorded with the events, else assumed.

    Assumed capabilities (no source recorded): replies and mentions wherever members post (every
    chat platform records or infers who answers whom), and every other kind of event that occurs.
    Returns the resolved :class:`SourceInfo` and a sentence on where the capabilities came from.
    """
    if capabilities is not None:
        unknown = set(capabilities) - set(CAPABILITIES)
        if unknown:
            raise ValueError(f"unknown capabilities {sorted(unknown)}; known: {', '.join(CAPABILITIES)}")
        caps, basis = frozenset(capabilities), "given"
    elif info.capabilities is not None:
        caps, basis = info.capabilities, f"recorded by the {info.source or 'source'} reader"
    else:
        kinds = set(df.get_column("kind").unique().to_list())
        assumed = set()
        if kinds & set(POST_KINDS):
            assumed |= {"reply", "mention"}
        for cap, kk in (("reaction", {"reaction"}), ("membership", {"join", "leave", "add", "remove"}),
                        ("deletion", {"deleted"}), ("activity", {"activity"})):
            if kinds & kk:
                assumed.add(cap)
        if df.get_column("text").null_count() < len(df):
            assumed.add("text")
        caps, basis = frozenset(assumed), "assumed from the events (the source recorded none)"
    if capabilities is None and "text" in caps and "activity" not in caps \
            and df.select((pl.col("kind") == "activity").any()).item():
        # numbered sign-up lists read from the text: the group organises activities in the chat,
        # so a window without a sign-up is a measured zero
        caps, basis = caps | {"activity"}, basis + "; activities from the sign-up lists in its text"
    zone = tz or info.tz or "UTC"
    return SourceInfo(info.source, caps, zone), basis


# --------------------------------------------------------------------------------------------
# 2. events


def _names(df: pl.DataFrame, mem: pl.DataFrame | None) -> pl.Series:
    cand = [df.get_column("actor"), df.get_column("target"), df.get_column("mentions").explode()]
    if mem is not None:
        cand.append(mem.get_column("actor"))
    return pl.concat([c.cast(pl.String) for c in cand]).drop_nulls().unique().sort()


def _event_frame(df: pl.DataFrame, enum: pl.Enum, params: MeasureParams, tz: str) -> pl.DataFrame:
    """Events sorted by time with member ids, local hour, and the author of the post each answers."""

    def ids(col: str) -> pl.Expr:
        return pl.col(col).cast(enum).to_physical().cast(pl.Int64)

    keep_reply = pl.col("reply_to").is_not_null()
    if not params.use_inferred_replies:
        keep_reply = keep_reply & ~pl.col("reply_inferred").fill_null(False)
    ev = (
        df.with_row_index("_row")
        .sort(["ts", "_row"])
        .select(
            t=pl.col("ts").dt.epoch("us"),
            hour=pl.col("ts").dt.convert_time_zone(tz).dt.hour().cast(pl.Int64),
            event_id=pl.col("event_id"),
            aid=ids("actor"),
            tid=ids("target"),
            kind=pl.col("kind"),
            subtype=pl.col("subtype"),
            reply_to=pl.when(keep_reply).then(pl.col("reply_to")),
            mentions=pl.col("mentions"),
            thread=pl.col("thread"),
            acts=_act_mask(),
        )
        .with_row_index("e")
        .with_columns(pl.col("e").cast(pl.Int64))
    )
    parents = ev.select(
        reply_to=pl.col("event_id"), p_aid=pl.col("aid"), p_t=pl.col("t"), p_e=pl.col("e"),
        p_post=pl.col("kind").is_in(POST_KINDS),
    )
    ev = ev.join(parents, on="reply_to", how="left", maintain_order="left")
    return ev.with_columns(dst=pl.coalesce("tid", "p_aid"))


def _act_mask() -> pl.Expr:
    """Bitmask of an event's acts; a ``subtype`` of ``distress`` or ``hostile`` (tables and
    simulations that tag events themselves) counts as that act."""
    bits = pl.col("acts").list.eval(pl.element().replace_strict(ACT_BIT, default=0, return_dtype=pl.Int64))
    mask = bits.list.sum().fill_null(0).cast(pl.Int64)
    sub = pl.col("subtype")
    return (mask | pl.when(sub == "distress").then(pl.lit(ACT_BIT["distress"])).otherwise(0)
            | pl.when(sub == "hostile").then(pl.lit(ACT_BIT["hostility"])).otherwise(0))


def _event_cols(ev: pl.DataFrame) -> EventCols:
    sel = ev.select(
        t="t",
        aid=pl.col("aid").fill_null(-1),
        active=pl.col("kind").is_in(ACTIVE_KINDS) & pl.col("aid").is_not_null(),
        is_post=pl.col("kind").is_in(POST_KINDS) & pl.col("aid").is_not_null(),
        removal=pl.col("kind") == "remove",
        deleted=pl.col("kind") == "deleted",
        hostile=pl.col("kind").is_in(POST_KINDS) & ((pl.col("acts") & ACT_BIT["hostility"]) != 0),
        exit_member=pl.when(pl.col("kind") == "leave").then(pl.col("aid"))
        .when(pl.col("kind") == "remove").then(pl.col("tid")).fill_null(-1),
        arrived=pl.col("kind").is_in(["join", "add"]),
    )
    return EventCols(**{c: sel.get_column(c).to_numpy() for c in sel.columns})


# --------------------------------------------------------------------------------------------
# 3. interactions


def _arcs(ev: pl.DataFrame, enum: pl.Enum) -> tuple[ArcCols, int]:
    """Directed arcs: posts to the member they answer or address, reactions, @-mentions."""
    base = pl.col("aid").is_not_null() & pl.col("dst").is_not_null() & (pl.col("aid") != pl.col("dst"))
    is_post = pl.col("kind").is_in(POST_KINDS)
    reply = ev.filter(is_post & base).select("e", src="aid", dst="dst", rel=pl.lit(REPLY, pl.Int64))
    react = ev.filter((pl.col("kind") == "reaction") & base).select("e", src="aid", dst="dst", rel=pl.lit(REACTION, pl.Int64))
    ment = (
        ev.filter(pl.col("aid").is_not_null() & pl.col("mentions").list.len().fill_null(0).gt(0))
        .select("e", "aid", m=pl.col("mentions"))
        .explode("m")
        .with_columns(dst=pl.col("m").cast(enum).to_physical().cast(pl.Int64))
        .filter(pl.col("dst").is_not_null() & (pl.col("dst") != pl.col("aid")))
        .select("e", src="aid", dst="dst", rel=pl.lit(MENTION, pl.Int64))
    )
    arcs = pl.concat([reply, ment, react]).sort(["e", "rel", "src", "dst"])
    cols = ArcCols(*(arcs.get_column(c).to_numpy().astype(np.int64) for c in ("e", "src", "dst", "rel")))
    return cols, len(ment)


def _activities(ev: pl.DataFrame) -> ActivityCols:
    act = (
        ev.filter((pl.col("kind") == "activity") & pl.col("aid").is_not_null() & pl.col("thread").is_not_null())
        .select("e", "thread", "aid")
    )
    codes = act.get_column("thread").cast(pl.Categorical).to_physical().cast(pl.Int64) if len(act) else pl.Series([], dtype=pl.Int64)
    return ActivityCols(act.get_column("e").to_numpy().astype(np.int64), codes.to_numpy(), act.get_column("aid").to_numpy())


def _posts(ev: pl.DataFrame, params: MeasureParams, arrival: np.ndarray) -> tuple[PostCols, LinkCols]:
    """Posts with the latency of their first reply by another member, reactions and links."""
    dwin = int(params.response_window_s * US)
    is_post = pl.col("kind").is_in(POST_KINDS) & pl.col("aid").is_not_null()
    child = ev.filter(
        pl.col("reply_to").is_not_null() & pl.col("p_post").fill_null(False) & (pl.col("aid") != pl.col("p_aid"))
    )
    first_reply = (
        child.filter(pl.col("kind").is_in(POST_KINDS) & (pl.col("t") >= pl.col("p_t")))
        .group_by("p_e").agg(first_t=pl.col("t").min())
    )
    reacted = (
        child.filter((pl.col("kind") == "reaction") & (pl.col("t") - pl.col("p_t")).is_between(0, dwin))
        .select("p_e").unique().with_columns(reacted=pl.lit(True))
    )
    out_link = (pl.col("dst").is_not_null() & (pl.col("dst") != pl.col("aid"))) | pl.col("mentions").list.len().fill_null(0).gt(0)
    posts = (
        ev.filter(is_post)
        .join(first_reply, left_on="e", right_on="p_e", how="left", maintain_order="left")
        .join(reacted, left_on="e", right_on="p_e", how="left", maintain_order="left")
        .with_columns(
            lat=((pl.col("first_t") - pl.col("t")) / US).cast(pl.Float64),
            reacted=pl.col("reacted").fill_null(False),
            distress=(pl.col("acts") & ACT_BIT["distress"]) != 0,
        )
        .with_columns(linked=out_link | pl.col("lat").is_not_null() | pl.col("reacted"))
        .with_row_index("pidx")
    )
    p_aid = posts.get_column("aid").to_numpy()
    p_t = posts.get_column("t").to_numpy()
    arr = arrival[p_aid] if len(p_aid) else np.zeros(0, dtype=np.int64)
    after = np.flatnonzero((arr < NEVER) & (p_t >= arr))
    is_first = np.zeros(len(posts), dtype=bool)
    if len(after):
        _, first_idx = np.unique(p_aid[after], return_index=True)
        is_first[after[first_idx]] = True
    kinds = posts.get_column("kind").cast(pl.Enum(list(POST_KINDS))).to_physical().cast(pl.Int64).to_numpy()
    acts = posts.get_column("acts").to_numpy().astype(np.int64)
    dst = posts.get_column("dst").fill_null(-1).to_numpy().astype(np.int64)
    day = params.response_window_s
    support_lat = _answer_lat(p_t, p_aid, acts, REQUEST, SUPPORT, day)
    offer_lat = _answer_lat(p_t, p_aid, acts, _BIT["help_request"], _BIT["help_offer"], day)
    thanks_lat = _thanks_lat(p_t, p_aid, acts, offer_lat, day)
    repair_lat = _answer_lat(p_t, p_aid, acts, FRICTION, REPAIR, params.repair_window_h * 3600.0,
                             parties=dst)
    pc = PostCols(
        e=posts.get_column("e").to_numpy(),
        aid=posts.get_column("aid").to_numpy(),
        t=posts.get_column("t").to_numpy(),
        lat=posts.get_column("lat").to_numpy(),
        reacted=posts.get_column("reacted").to_numpy(),
        linked=posts.get_column("linked").to_numpy(),
        first=is_first,
        distress=posts.get_column("distress").to_numpy(),
        acts=acts,
        support_lat=support_lat,
        offer_lat=offer_lat,
        thanks_lat=thanks_lat,
        repair_lat=repair_lat,
        kind=kinds,
        hour=posts.get_column("hour").to_numpy(),
    )
    pidx_of = posts.select(p_e="e", parent="pidx")
    links = (
        posts.filter(pl.col("p_e").is_not_null() & (pl.col("aid") != pl.col("p_aid")))
        .select("e", child="pidx", p_e="p_e")
        .join(pidx_of, on="p_e")
        .sort("e")
    )
    lc = LinkCols(*(links.get_column(c).to_numpy().astype(np.int64) for c in ("e", "child", "parent", "p_e")))
    return pc, lc


def _answer_lat(t: np.ndarray, aid: np.ndarray, acts: np.ndarray, ask: np.int64,
                answer: np.int64, within_s: float, parties: np.ndarray | None = None) -> np.ndarray:
    """Seconds from each post with an ``ask`` act to the first later post with an ``answer``
    act, within ``within_s``: by another member, or (``parties`` given) by the post's own
    author or the member it answers. NaN where there is none, or the post asks nothing.

    "Later" is event order, so an answer in the same minute as the post counts (WhatsApp
    times have minute resolution). Only answers inside the horizon are scanned.
    """
    out = np.full(len(t), np.nan)
    asks = np.flatnonzero((acts & ask) != 0)
    answers = np.flatnonzero((acts & answer) != 0)
    if len(asks) == 0 or len(answers) == 0:
        return out
    horizon = int(within_s * US)
    for i in asks.tolist():
        j = int(np.searchsorted(answers, i, side="right"))
        while j < len(answers):
            k = int(answers[j])
            if t[k] - t[i] > horizon:
                break
            ok = aid[k] != aid[i] if parties is None else (aid[k] == aid[i] or aid[k] == parties[i])
            if ok and k != i:
                out[i] = (t[k] - t[i]) / US
                break
            j += 1
    return out


def _thanks_lat(t: np.ndarray, aid: np.ndarray, acts: np.ndarray, offer_lat: np.ndarray,
                within_s: float) -> np.ndarray:
    """Seconds from the help that answered a help request to the asker's first thanks after it,
    within ``within_s`` (NaN: none, or the request was not answered)."""
    out = np.full(len(t), np.nan)
    thanks = np.flatnonzero((acts & _BIT["thanks"]) != 0)
    answered = np.flatnonzero(np.isfinite(offer_lat))
    if len(thanks) == 0 or len(answered) == 0:
        return out
    horizon = int(within_s * US)
    for i in answered.tolist():
        t_help = t[i] + int(offer_lat[i] * US)
        j = int(np.searchsorted(t[thanks], t_help, side="left"))
        j = max(j, int(np.searchsorted(thanks, i, side="right")))
        while j < len(thanks):
            k = int(thanks[j])
            if t[k] - t_help > horizon:
                break
            if aid[k] == aid[i]:
                out[i] = (t[k] - t_help) / US
                break
            j += 1
    return out


# --------------------------------------------------------------------------------------------
# 4. member base


def _member_base(ev: pl.DataFrame, names: np.ndarray, mem: pl.DataFrame | None, enum: pl.Enum) -> MemberBase:
    n = len(names)
    seen = ev.filter(pl.col("aid").is_not_null() & (pl.col("kind") != "system")).group_by("aid").agg(f=pl.col("t").min())
    first_us = np.full(n, NEVER, dtype=np.int64)
    if len(seen):
        first_us[seen.get_column("aid").to_numpy()] = seen.get_column("f").to_numpy()
    moves = (
        pl.concat([
            ev.filter(pl.col("kind").is_in(["join", "leave"])).select("e", "t", m="aid", into=pl.col("kind") == "join"),
            ev.filter(pl.col("kind").is_in(["add", "remove"])).select("e", "t", m="tid", into=pl.col("kind") == "add"),
        ])
        .drop_nulls("m")
        .sort(["m", "e"])
    )
    iv_m: list[np.ndarray] = []
    iv_in: list[np.ndarray] = []
    iv_out: list[np.ndarray] = []
    arrival = np.full(n, NEVER, dtype=np.int64)
    moved = np.zeros(n, dtype=bool)
    if len(moves):
        m = moves.get_column("m").to_numpy()
        t = moves.get_column("t").to_numpy()
        into = moves.get_column("into").to_numpy()
        moved[m] = True
        bounds = np.flatnonzero(np.r_[True, m[1:] != m[:-1], True])
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            member = int(m[a])
            inside = not bool(into[a])  # a first leave or removal: a member since the start
            since = ALWAYS
            if into[a]:
                arrival[member] = int(t[a])
            for j in range(a, b):
                if into[j] and not inside:
                    inside, since = True, int(t[j])
                elif not into[j] and inside:
                    iv_m.append(np.array([member]))
                    iv_in.append(np.array([since]))
                    iv_out.append(np.array([int(t[j])]))
                    inside = False
            if inside:
                iv_m.append(np.array([member]))
                iv_in.append(np.array([since]))
                iv_out.append(np.array([NEVER]))
    still = np.flatnonzero(~moved)
    iv_m.append(still)
    iv_in.append(np.full(len(still), ALWAYS, dtype=np.int64))
    iv_out.append(np.full(len(still), NEVER, dtype=np.int64))
    attrs: dict[str, np.ndarray] = {}
    listed = None
    if mem is not None:
        listed = int(mem.get_column("actor").n_unique())
        mm = mem.with_columns(mid=pl.col("actor").cast(enum).to_physical().cast(pl.Int64))
        for col in mm.columns:
            if col in ("group_id", "actor", "name", "is_phone", "mid"):
                continue
            arr = np.full(n, None, dtype=object)
            arr[mm.get_column("mid").to_numpy()] = np.asarray(mm.get_column(col).cast(pl.String).to_list(), dtype=object)
            attrs[col] = arr
    return MemberBase(
        names=names, first_us=first_us, arrival_us=arrival,
        iv_member=np.concatenate(iv_m).astype(np.int64), iv_in=np.concatenate(iv_in).astype(np.int64),
        iv_out=np.concatenate(iv_out).astype(np.int64), attrs=attrs, listed=listed,
    )


def _members_frame(members: Any) -> pl.DataFrame | None:
    if members is None:
        return None
    if isinstance(members, pl.DataFrame):
        mem = members
    elif isinstance(members, pa.Table):
        mem = pl.from_arrow(members)  # type: ignore[assignment]
    elif type(members).__module__.startswith("pandas"):
        mem = pl.from_arrow(pa.Table.from_pandas(members, preserve_index=False))  # type: ignore[assignment]
    else:
        raise InputError(None, f"members must be a table, not {type(members).__name__}")
    if "actor" not in mem.columns:
        raise InputError(None, "members table lacks column 'actor'")
    return mem.with_columns(pl.col("actor").cast(pl.String)).filter(pl.col("actor").is_not_null())


# --------------------------------------------------------------------------------------------


def prepare(
    events: Any,
    members: Any = None,
    window: str | timedelta | WindowSpec | None = "7D",
    params: MeasureParams | None = None,
    *,
    tz: str | None = None,
    capabilities: set[str] | frozenset[str] | None = None,
) -> Prepared:
    """Prepare one group's events for per-window measurement (see the module docstring)."""
    params = params or MeasureParams()
    df, info = to_polars(events)
    groups = df.get_column("group_id").unique()
    if len(groups) > 1:
        raise InputError(None, f"measure takes one group's events; got {len(groups)} groups (split by group_id)")
    if len(df) == 0:
        raise InputError(None, "no events to measure")
    group_id = str(groups[0])
    source, basis = resolve_source(info, df, tz, capabilities)
    spec = window if is_window_spec(window) else window_spec(window)

    mem = _members_frame(members)
    names = _names(df, mem)
    enum = pl.Enum(names.to_list())
    names_np = np.asarray(names.to_list(), dtype=object)
    ev = _event_frame(df, enum, params, source.tz or "UTC")
    t = ev.get_column("t")
    tl = timeline(spec, source.tz or "UTC", int(t.min()), int(t.max()))

    base = _member_base(ev, names_np, mem, enum)
    if "membership" not in (source.capabilities or ()):
        # the source records no arrivals: a member first seen well after the observation began
        # (more than ``newcomer_days`` later) is taken to have arrived then
        late = base.first_us > int(t.min()) + int(params.newcomer_days * DAY_US)
        listed = np.zeros(len(names_np), dtype=bool)
        if mem is not None:
            listed[np.searchsorted(names_np, np.asarray(mem.get_column("actor").unique().to_list(), dtype=object))] = True
        base = replace(base, arrival_us=np.where(late & ~listed & (base.first_us < NEVER), base.first_us, base.arrival_us))
    arcs, n_mentions = _arcs(ev, enum)
    acts = _activities(ev)
    posts, links = _posts(ev, params, base.arrival_us)
    cols = _event_cols(ev)
    has = {
        "reaction": bool(ev.select((pl.col("kind") == "reaction").any()).item()),
        "reply": bool((arcs.rel == REPLY).any()),
        "mention": n_mentions > 0,
        "activity": len(acts.e) > 0,
        "distress": bool(posts.distress.any()),
        "membership": bool(base.iv_in.max(initial=ALWAYS) > ALWAYS) or bool(cols.exit_member.max(initial=-1) >= 0),
        "posts": len(posts.e) > 0,
    }
    return Prepared(group_id, source, source.capabilities or frozenset(), basis, tl, cols, arcs, posts, links,
                    acts, base, has)
