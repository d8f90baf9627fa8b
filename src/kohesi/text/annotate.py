"""Acts for an event table: tag the texts, follow sign-up lists, add co-participation events.

Readers call :func:`annotate` while the text is still in memory; the text itself is dropped
afterwards unless the user asked to keep it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from kohesi._gc import no_gc
from kohesi._gil import quick_handoff
from kohesi.text.acts import ACT_BIT
from kohesi.text.signup import LIST_PREFILTER, SignupChains, list_posts
from kohesi.text.tagger import distinct_texts, masks_to_lists, tag_masks

__all__ = ["annotate", "list_acts"]

_SIGNUP, _CALL = ACT_BIT["signup"], ACT_BIT["activity_call"]
_US_PER_DAY = 86_400_000_000


def list_acts(mask: int, result: tuple[str, bool, bool] | None) -> int:
    """The acts of a message once its numbered list is placed in a chain: a later version of a
    list does not call the activity again; it signs its poster up when it adds an item."""
    if result is None:
        return mask
    _, signed, first = result
    if not first:
        mask &= ~_CALL
    return mask | _SIGNUP if signed else mask & ~_SIGNUP


def _follow_lists(events: pa.Table, text: pl.Series, distinct: pl.Series,
                  inverse: np.ndarray | None) -> list[tuple[int, tuple[str, bool, bool] | None, str | None]]:
    """Every candidate list message in time order per group: (row, its place in a chain as
    :meth:`SignupChains.add` returns it, its poster). ``distinct`` holds the texts of ``text``
    once each, ``inverse`` each row's index among them (``None``: ``distinct`` is ``text``)."""
    candidate = distinct.str.contains(LIST_PREFILTER).fill_null(False).to_numpy()
    candidates = np.flatnonzero(candidate if inverse is None else candidate[inverse])
    if len(candidates) == 0:
        return []
    sub = pl.from_arrow(events.select(["group_id", "ts", "event_id", "actor"])).with_columns(
        ts=pl.col("ts").dt.epoch("us")).with_row_index("row")[candidates]  # (arrow's take on chunks is 50x slower)
    sub = sub.sort("group_id", "ts", "row")  # each group in time order, ties in row order
    groups, eids, actors = sub["group_id"].to_list(), sub["event_id"].to_list(), sub["actor"].to_list()
    rows, days = sub["row"].to_list(), (sub["ts"].to_numpy() / _US_PER_DAY).tolist()
    chains: dict[str, SignupChains] = {}
    with no_gc():  # tens of thousands of small lists and sets, none in a cycle
        posts = list_posts(text.gather(sub["row"]))
        return [(row, chains.setdefault(group, SignupChains()).add(eid, post, day), actor)
                for row, group, eid, post, day, actor in zip(rows, groups, eids, posts, days, actors, strict=True)]


def annotate(events: pa.Table, text: pa.Array | pa.ChunkedArray) -> pa.Table:
    """``events`` with an ``acts`` column from ``text`` (aligned with the rows; null where the
    event has no text), plus one ``activity`` event (subtype ``signup``) per sign-up to a
    numbered list, in the list's thread ``signup:<event id of its first version>``.

    Each distinct text is tagged, and looked at for a list, once. Lists are followed per group in
    time order (ties in row order), in a thread while the texts are tagged (the tagger's polars
    passes and n-gram scorer release the GIL and take it back quickly:
    :func:`~kohesi._gil.quick_handoff`)."""
    text = pl.Series("t", text, dtype=pl.String)
    distinct, inverse = distinct_texts(text) or (text, None)  # chats repeat themselves: "ok", "aamiin"
    with quick_handoff(), ThreadPoolExecutor(1) as pool:
        lists = pool.submit(_follow_lists, events, text, distinct, inverse)
        masks = tag_masks(distinct)
        masks = masks if inverse is None else masks[inverse]
        placed = lists.result()
    extra: list[dict] = []
    for row, res, actor in placed:
        masks[row] = list_acts(int(masks[row]), res)
        if res is not None and res[1] and actor is not None:
            extra.append({"row": row, "thread": f"signup:{res[0]}"})
    acts = pa.array(masks_to_lists(masks).to_arrow(), type=pa.list_(pa.string()))
    out = events.append_column("acts", acts) if "acts" not in events.column_names else \
        events.set_column(events.column_names.index("acts"), "acts", acts)
    if not extra:
        return out
    rows = out.take(pa.array([e["row"] for e in extra]))
    n = rows.num_rows
    cols = {name: rows[name] for name in out.column_names}
    cols["event_id"] = pc.binary_join_element_wise(rows["event_id"], pa.array([":signup"] * n), "")
    cols["kind"] = pa.array(["activity"] * n)
    cols["subtype"] = pa.array(["signup"] * n)
    cols["thread"] = pa.array([e["thread"] for e in extra])
    for name in ("reply_to", "target"):
        if name in cols:
            cols[name] = pa.nulls(n, out.schema.field(name).type)
    for name in ("reply_inferred",):
        if name in cols:
            cols[name] = pa.nulls(n, pa.bool_())
    if "mentions" in cols:  # a list, never null: a sign-up mentions no one
        cols["mentions"] = pa.array([[]] * n, type=out.schema.field("mentions").type)
    if "text" in cols:
        cols["text"] = pa.nulls(n, out.schema.field("text").type)
    cols["acts"] = pa.array([[]] * n, type=pa.list_(pa.string()))
    cols["n_chars"] = pa.array(np.zeros(n, dtype=np.int32))  # the message's own row counts its text
    cols["n_media"] = pa.array(np.zeros(n, dtype=np.int16))
    added = pa.table([pc.cast(cols[c], out.schema.field(c).type) for c in out.column_names], schema=out.schema)
    return pa.concat_tables([out, added])
