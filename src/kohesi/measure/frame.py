"""Columnar preparation of one group's events: windows, member ids, edges, posts.

Everything here is a polars expression over whole columns; the result is a handful of numpy
arrays sorted by window, which :mod:`kohesi.measure.graphs` slices into per-window views.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from kohesi.errors import InputError
from kohesi.events import POST_KINDS, conform
from kohesi.measure.params import MeasureParams

__all__ = ["to_polars", "parse_window", "prepare", "Prepared", "REL_NAMES"]

REL_NAMES: tuple[str, ...] = ("reply", "mention", "reaction", "coparticipation")
REPLY, MENTION, REACTION, COPART = range(4)
ACTIVE_KINDS: tuple[str, ...] = (*POST_KINDS, "reaction", "activity")
US = 1_000_000


def to_polars(events: Any) -> pl.DataFrame:
    """Conform a pyarrow Table, polars or pandas DataFrame to the canonical event columns."""
    if isinstance(events, pl.DataFrame):
        table = events.to_arrow()
    elif isinstance(events, pa.Table):
        table = events
    elif type(events).__module__.startswith("pandas"):
        table = pa.Table.from_pandas(events, preserve_index=False)
    else:
        raise InputError(None, f"events must be a pyarrow Table or a DataFrame, not {type(events).__name__}")
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
    return pl.from_arrow(conform(table))  # type: ignore[return-value]


_WINDOW = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdwSMHDW])\s*$")
_UNIT_S = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_window(window: str | timedelta | None) -> int | None:
    """Window width in microseconds; None means one window over the whole period.

    Examples
    --------
    >>> parse_window("7D") == 7 * 86400 * 10**6
    True
    >>> parse_window("12h") == 12 * 3600 * 10**6
    True
    >>> parse_window(None) is None
    True
    """
    if window is None:
        return None
    if isinstance(window, timedelta):
        width = int(window.total_seconds() * US)
    else:
        m = _WINDOW.match(str(window))
        if not m:
            raise ValueError(f"window {window!r}: expected a number and a unit s/m/h/D/W, e.g. '7D'")
        width = int(float(m.group(1)) * _UNIT_S[m.group(2).lower()] * US)
    if width <= 0:
        raise ValueError("window must be positive")
    return width


@dataclass
class Prepared:
    """Columnar arrays of one group, each sorted by window, with window offsets."""

    group_id: str
    names: np.ndarray
    n_windows: int
    t0_us: int
    width_us: int | None
    end_us: int
    ev: dict[str, np.ndarray]
    ev_off: np.ndarray
    dedges: dict[str, np.ndarray]
    dedges_off: np.ndarray
    uedges: dict[str, np.ndarray]
    uedges_off: np.ndarray
    posts: dict[str, np.ndarray]
    posts_off: np.ndarray
    links: dict[str, np.ndarray]
    links_off: np.ndarray
    threads: dict[str, np.ndarray]
    threads_off: np.ndarray
    first_us: np.ndarray
    left_window: np.ndarray
    attrs: dict[str, np.ndarray]
    registered_fixed: int | None
    has: dict[str, bool]

    def window_bounds(self, w: int) -> tuple[datetime, datetime]:
        if self.width_us is None:
            start, end = self.t0_us, self.end_us
        else:
            start = self.t0_us + w * self.width_us
            end = start + self.width_us
        return _dt(start), _dt(end)


def _dt(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(us))


def _sorted_arrays(df: pl.DataFrame, n_windows: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    df = df.sort("w", maintain_order=True)
    arrays = {c: df.get_column(c).to_numpy() for c in df.columns}
    off = np.searchsorted(arrays["w"], np.arange(n_windows + 1)) if len(df) else np.zeros(n_windows + 1, int)
    return arrays, off


def prepare(
    events: Any,
    members: Any = None,
    window: str | timedelta | None = "7D",
    params: MeasureParams | None = None,
) -> Prepared:
    """Prepare one group's events for per-window measurement."""
    params = params or MeasureParams()
    df = to_polars(events)
    groups = df.get_column("group_id").unique()
    if len(groups) > 1:
        raise InputError(None, f"measure takes one group's events; got {len(groups)} groups (split by group_id)")
    if len(df) == 0:
        raise InputError(None, "no events to measure")
    group_id = str(groups[0])
    width = parse_window(window)

    mem = _members_frame(members)
    cand = [
        df.get_column("actor"),
        df.get_column("target"),
        df.get_column("mentions").explode(),
    ]
    if mem is not None:
        cand.append(mem.get_column("actor"))
    names = pl.concat([c.cast(pl.String) for c in cand]).drop_nulls().unique().sort()
    enum = pl.Enum(names.to_list())
    names_np = np.asarray(names.to_list(), dtype=object)

    def ids(col: str) -> pl.Expr:
        return pl.col(col).cast(enum).to_physical().cast(pl.Int64)

    ts_us = pl.col("ts").dt.epoch("us")
    t_min = int(df.select(ts_us.min()).item())
    t_max = int(df.select(ts_us.max()).item())
    t0 = t_min - (t_min % (86400 * US))
    if width is None:
        wexpr = pl.lit(0, dtype=pl.Int64)
        n_windows = 1
    else:
        wexpr = ((ts_us - t0) // width).cast(pl.Int64)
        n_windows = int((t_max - t0) // width) + 1

    keep_reply = pl.col("reply_to").is_not_null()
    if not params.use_inferred_replies:
        keep_reply = keep_reply & ~pl.col("reply_inferred").fill_null(False)
    ev = df.select(
        w=wexpr,
        t=ts_us,
        event_id=pl.col("event_id"),
        aid=ids("actor"),
        tid=ids("target"),
        kind=pl.col("kind"),
        subtype=pl.col("subtype"),
        reply_to=pl.when(keep_reply).then(pl.col("reply_to")),
        mentions=pl.col("mentions"),
        thread=pl.col("thread"),
    )
    parents = ev.select(
        reply_to=pl.col("event_id"),
        p_aid=pl.col("aid"),
        p_t=pl.col("t"),
        p_post=pl.col("kind").is_in(POST_KINDS),
    )
    ev = ev.join(parents, on="reply_to", how="left", maintain_order="left")
    ev = ev.with_columns(dst=pl.coalesce("tid", "p_aid"))
    is_post = pl.col("kind").is_in(POST_KINDS) & pl.col("aid").is_not_null()

    # directed edges: reply, mention, reaction
    base = pl.col("aid").is_not_null() & pl.col("dst").is_not_null() & (pl.col("aid") != pl.col("dst"))
    reply_e = ev.filter(is_post & base).select("w", src="aid", dst="dst", rel=pl.lit(REPLY))
    react_e = ev.filter((pl.col("kind") == "reaction") & base).select("w", src="aid", dst="dst", rel=pl.lit(REACTION))
    ment = (
        ev.filter(pl.col("aid").is_not_null() & pl.col("mentions").list.len().fill_null(0).gt(0))
        .select("w", "aid", m=pl.col("mentions"))
        .explode("m")
        .with_columns(dst=pl.col("m").cast(enum).to_physical().cast(pl.Int64))
        .filter(pl.col("dst").is_not_null() & (pl.col("dst") != pl.col("aid")))
        .select("w", src="aid", dst="dst", rel=pl.lit(MENTION))
    )
    dir_all = pl.concat([reply_e, ment, react_e]).with_columns(pl.col("rel").cast(pl.Int64))
    dedges = dir_all.group_by(["w", "src", "dst", "rel"]).agg(cnt=pl.len()).sort(["w", "src", "dst", "rel"])

    # co-participation: activity events sharing a thread, projected on members
    act = (
        ev.filter((pl.col("kind") == "activity") & pl.col("aid").is_not_null() & pl.col("thread").is_not_null())
        .select("w", "thread", "aid")
        .unique()
    )
    th_keys = act.select("w", "thread").unique().sort(["w", "thread"]).with_row_index("th")
    act = act.join(th_keys, on=["w", "thread"]).select("w", pl.col("th").cast(pl.Int64), "aid")
    pairs = (
        act.join(act.select("th", b="aid"), on="th")
        .filter(pl.col("aid") < pl.col("b"))
        .group_by(["w", "aid", "b"])
        .agg(cnt=pl.len())
        .select("w", a="aid", b="b", rel=pl.lit(COPART, dtype=pl.Int64), cnt="cnt")
    )
    und = pl.concat(
        [
            dedges.select(
                "w",
                a=pl.min_horizontal("src", "dst"),
                b=pl.max_horizontal("src", "dst"),
                rel="rel",
                cnt="cnt",
            ),
            pairs,
        ]
    )
    uedges = und.group_by(["w", "a", "b"]).agg(
        uw=pl.col("cnt").sum().cast(pl.Float64),
        nrel=pl.col("rel").n_unique(),
        react_only=(pl.col("rel") == REACTION).all(),
        conv=((pl.col("rel") == REPLY) | (pl.col("rel") == MENTION)).any(),
    )
    first_w = uedges.group_by(["a", "b"]).agg(fw=pl.col("w").min())
    nxt = uedges.select(pl.col("w") - 1, "a", "b", persist=pl.lit(True))
    uedges = (
        uedges.join(first_w, on=["a", "b"])
        .join(nxt, on=["w", "a", "b"], how="left")
        .with_columns(seen_before=pl.col("fw") < pl.col("w"), persist=pl.col("persist").fill_null(False))
        .drop("fw")
        .sort(["w", "a", "b"])
    )

    # posts with response latency, reactions and links
    dwin = int(params.response_window_s * US)
    posts = ev.filter(is_post).sort("t").with_row_index("pidx")
    posts = posts.with_columns(first=pl.col("t").rank("ordinal").over("aid") == 1)
    child = ev.filter(
        pl.col("reply_to").is_not_null() & pl.col("p_post").fill_null(False) & (pl.col("aid") != pl.col("p_aid"))
    )
    first_reply = (
        child.filter(pl.col("kind").is_in(POST_KINDS) & (pl.col("t") >= pl.col("p_t")))
        .group_by("reply_to")
        .agg(first_t=pl.col("t").min())
    )
    reacted = (
        child.filter((pl.col("kind") == "reaction") & (pl.col("t") - pl.col("p_t")).is_between(0, dwin))
        .select("reply_to")
        .unique()
        .with_columns(reacted=pl.lit(True))
    )
    out_link = (
        pl.col("dst").is_not_null() & (pl.col("dst") != pl.col("aid"))
    ) | pl.col("mentions").list.len().fill_null(0).gt(0)
    posts = (
        posts.join(first_reply, left_on="event_id", right_on="reply_to", how="left")
        .join(reacted, left_on="event_id", right_on="reply_to", how="left")
        .with_columns(
            lat=((pl.col("first_t") - pl.col("t")) / US).cast(pl.Float64),
            reacted=pl.col("reacted").fill_null(False),
            distress=(pl.col("subtype") == "distress").fill_null(False),
        )
        .with_columns(linked=out_link | pl.col("lat").is_not_null() | pl.col("reacted"))
        .sort("pidx")
    )
    post_idx = posts.select(reply_to="event_id", parent="pidx")
    links = (
        posts.filter(pl.col("reply_to").is_not_null() & (pl.col("aid") != pl.col("p_aid")))
        .select("w", child="pidx", reply_to="reply_to")
        .join(post_idx, on="reply_to")
        .join(posts.select(parent="pidx", pw="w"), on="parent")
        .filter(pl.col("pw") == pl.col("w"))
        .select("w", pl.col("child").cast(pl.Int64), pl.col("parent").cast(pl.Int64))
    )
    posts_sel = posts.select(
        "w",
        pl.col("pidx").cast(pl.Int64),
        "aid",
        "t",
        "lat",
        "reacted",
        "linked",
        "first",
        "distress",
        kind=pl.col("kind").cast(pl.Enum(list(POST_KINDS))).to_physical().cast(pl.Int64),
        hour=pl.from_epoch("t", time_unit="us").dt.hour().cast(pl.Int64),
    )

    # member-level facts
    n_names = len(names_np)
    seen = ev.filter(pl.col("aid").is_not_null() & (pl.col("kind") != "system")).group_by("aid").agg(f=pl.col("t").min())
    first_us = np.full(n_names, np.iinfo(np.int64).max, dtype=np.int64)
    if len(seen):
        first_us[seen.get_column("aid").to_numpy()] = seen.get_column("f").to_numpy()
    memb = pl.concat(
        [
            ev.filter(pl.col("kind").is_in(["join", "leave"])).select("w", "t", m="aid", out=pl.col("kind") == "leave"),
            ev.filter(pl.col("kind").is_in(["add", "remove"])).select("w", "t", m="tid", out=pl.col("kind") == "remove"),
        ]
    ).drop_nulls("m")
    left_window = np.full(n_names, -1, dtype=np.int64)
    if len(memb):
        last = memb.sort("t").group_by("m").agg(pl.col("out").last(), pl.col("w").last()).filter("out")
        left_window[last.get_column("m").to_numpy()] = last.get_column("w").to_numpy()

    attrs: dict[str, np.ndarray] = {}
    registered_fixed = None
    if mem is not None:
        registered_fixed = int(mem.get_column("actor").n_unique())
        mm = mem.with_columns(mid=pl.col("actor").cast(pl.String).cast(enum).to_physical().cast(pl.Int64))
        for col in mm.columns:
            if col in ("group_id", "actor", "name", "is_phone", "mid"):
                continue
            arr = np.full(n_names, None, dtype=object)
            arr[mm.get_column("mid").to_numpy()] = np.asarray(mm.get_column(col).cast(pl.String).to_list(), dtype=object)
            attrs[col] = arr

    evs = ev.select(
        "w",
        "t",
        "aid",
        active=pl.col("kind").is_in(ACTIVE_KINDS) & pl.col("aid").is_not_null(),
        is_post=is_post,
        kind_react=pl.col("kind") == "reaction",
        kind_act=pl.col("kind") == "activity",
        kind_remove=pl.col("kind") == "remove",
        kind_deleted=pl.col("kind") == "deleted",
    ).with_columns(pl.col("aid").fill_null(-1))

    has = {
        "reaction": bool(ev.select((pl.col("kind") == "reaction").any()).item()),
        "reply": bool(ev.select(pl.col("p_aid").is_not_null().any()).item())
        or bool(ev.select((pl.col("tid").is_not_null() & pl.col("kind").is_in(POST_KINDS)).any()).item()),
        "mention": len(ment) > 0,
        "activity": len(act) > 0,
        "distress": bool(posts.select(pl.col("distress").any()).item()) if len(posts) else False,
        "membership": len(memb) > 0,
        "posts": len(posts) > 0,
    }

    ev_a, ev_off = _sorted_arrays(evs, n_windows)
    de_a, de_off = _sorted_arrays(dedges, n_windows)
    ue_a, ue_off = _sorted_arrays(uedges, n_windows)
    po_a, po_off = _sorted_arrays(posts_sel, n_windows)
    li_a, li_off = _sorted_arrays(links, n_windows)
    th_a, th_off = _sorted_arrays(act, n_windows)
    end_us = t0 + (n_windows * width if width is not None else (t_max - t0) + 1)
    return Prepared(
        group_id=group_id,
        names=names_np,
        n_windows=n_windows,
        t0_us=t0 if width is not None else t_min,
        width_us=width,
        end_us=end_us,
        ev=ev_a,
        ev_off=ev_off,
        dedges=de_a,
        dedges_off=de_off,
        uedges=ue_a,
        uedges_off=ue_off,
        posts=po_a,
        posts_off=po_off,
        links=li_a,
        links_off=li_off,
        threads=th_a,
        threads_off=th_off,
        first_us=first_us,
        left_window=left_window,
        attrs=attrs,
        registered_fixed=registered_fixed,
        has=has,
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
    return mem.with_columns(pl.col("actor").cast(pl.String))
