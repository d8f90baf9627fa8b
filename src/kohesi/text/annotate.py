"""Acts for an event table: tag the texts, follow sign-up lists, add co-participation events.

Readers call :func:`annotate` while the text is still in memory; the text itself is dropped
afterwards unless the user asked to keep it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from kohesi._gil import quick_handoff
from kohesi.text.acts import ACT_BIT
from kohesi.text.signup import LIST_PREFILTER, follow_lists
from kohesi.text.tagger import distinct_texts, masks_to_arrow, tag_distinct

__all__ = ["TextActs", "annotate", "attach", "list_acts", "read_acts", "previous_rows"]

_SIGNUP, _CALL = ACT_BIT["signup"], ACT_BIT["activity_call"]
_US_PER_DAY = 86_400_000_000


def list_acts(masks: np.ndarray | int, signed: np.ndarray | bool, first: np.ndarray | bool) -> np.ndarray:
    """The acts of list messages once each is placed in a chain (:func:`~kohesi.text.signup.follow_lists`): a
    later version of a list does not call the activity again (``first``: it opened the chain); it
    signs its poster up when it adds an item (``signed``), and no one otherwise. Element-wise, on
    arrays or single values."""
    masks = np.where(first, masks, masks & ~_CALL)
    return np.where(signed, masks | _SIGNUP, masks & ~_SIGNUP)


@dataclass(frozen=True)
class TextActs:
    """The acts read from a column of texts, by row: each row's bitmask
    (:data:`~kohesi.text.acts.ACT_BIT`), and the rows whose poster signed up to a numbered list
    with, for each, the row of the list's first version (the chain)."""

    masks: np.ndarray
    signed: np.ndarray
    chain: np.ndarray

    def take(self, rows: np.ndarray, at: np.ndarray) -> TextActs:
        """The same acts for a table whose row ``r`` holds text row ``rows[r]``, where text row
        ``i``'s own (first) row is ``at[i]``: a reader that reads acts before it builds its
        events (a system line's several events share its null text)."""
        return TextActs(self.masks[rows], at[self.signed], at[self.chain])


def _follow_lists(text: pl.Series, distinct: pl.Series, inverse: np.ndarray | None, ts_us: np.ndarray,
                  group: pl.Series | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The list messages among the texts, in time order per group (ties in row order), as placed
    in their chains (:func:`~kohesi.text.signup.follow_lists`): their rows, the row of each one's
    chain (its first version), whether each signed its poster up, and whether each opened its
    chain. ``distinct`` holds the texts of ``text`` once each, ``inverse`` each row's index among
    them (``None``: ``distinct`` is ``text``); ``group``: each row's group (``None``: one group)."""
    candidate = distinct.str.contains(LIST_PREFILTER).fill_null(False).to_numpy()
    rows, runs = _chat_order(np.flatnonzero(candidate if inverse is None else candidate[inverse]), ts_us, group)
    chain, signed, first = follow_lists(text.gather(rows), runs, np.asarray(ts_us)[rows] / _US_PER_DAY)
    placed = np.flatnonzero(chain >= 0)
    return rows[placed], rows[chain[placed]], signed[placed], first[placed]


def previous_rows(text: pl.Series, ts_us: np.ndarray, group: pl.Series | None = None) -> np.ndarray:
    """Per row, the row of the message before it in its group, in time order (``ts_us``; ties in
    row order), rows without text skipped (a photo, a member joining); -1 for the first message of
    a group and for a row without text. An export already in time order (each group's rows together)
    is not sorted again."""
    out = np.full(len(text), -1, dtype=np.int64)
    order, same = _chat_order(np.flatnonzero(text.is_not_null().to_numpy()), ts_us, group)
    if len(order) >= 2:
        out[order[1:]] = np.where(same[1:] == same[:-1], order[:-1], -1)
    return out


def _chat_order(rows: np.ndarray, ts_us: np.ndarray, group: pl.Series | None) -> tuple[np.ndarray, np.ndarray]:
    """``rows`` (ascending) in chat order: by group, each group in time order (``ts_us``, per row of
    the table), ties in row order; and each one's group as an integer (equal within a group, each
    group's rows together; ``group`` ``None``: one group). Rows already in that order (each group's
    rows together and in time order, as an export is) are not sorted."""
    ts = np.asarray(ts_us)[rows]
    if group is None:
        order = rows if (np.diff(ts) >= 0).all() else rows[np.argsort(ts, kind="stable")]
        return order, np.zeros(len(rows), dtype=np.int64)
    groups = group.gather(rows)
    runs = groups.rle_id().to_numpy()
    if len(rows) == 0 or (runs[-1] + 1 == groups.n_unique() and ((np.diff(ts) >= 0) | (np.diff(runs) != 0)).all()):
        return rows, runs
    sub = pl.DataFrame({"row": rows, "ts": ts, "group": groups}).sort("group", "ts", "row")
    return sub["row"].to_numpy(), sub["group"].rle_id().to_numpy()


def read_acts(text: pl.Series, ts_us: np.ndarray, group: pl.Series | None = None) -> TextActs:
    """The acts of each text of ``text`` (null: none), each message read after the one before it in
    its group (:func:`previous_rows`), its numbered lists followed per group in time order
    (``ts_us``: each row's time in microseconds; ``group``: each row's group, ``None`` for one
    group).

    Each distinct text is tagged, and looked at for a list, once. Lists are followed in a thread
    while the texts are tagged (the tagger's polars passes and n-gram scorer release the GIL and
    take it back quickly: :func:`~kohesi._gil.quick_handoff`). A list message's acts are then
    those of :func:`list_acts`."""
    distinct, inverse = distinct_texts(text) or (text, None)  # chats repeat themselves: "ok", "aamiin"
    with quick_handoff(), ThreadPoolExecutor(1) as pool:
        lists = pool.submit(_follow_lists, text, distinct, inverse, ts_us, group)
        masks = tag_distinct(distinct, inverse, previous_rows(text, ts_us, group))
        rows, chain, signed, first = lists.result()
    masks[rows] = list_acts(masks[rows], signed, first)
    return TextActs(masks, rows[signed], chain[signed])


def attach(events: pa.Table, acts: TextActs) -> pa.Table:
    """``events`` with the ``acts`` column of ``acts`` (one text row per event), plus one
    ``activity`` event (subtype ``signup``) per sign-up to a numbered list by a known member, in
    the list's thread ``signup:<event id of its first version>``."""
    column = masks_to_arrow(acts.masks)
    out = events.append_column("acts", column) if "acts" not in events.column_names else \
        events.set_column(events.column_names.index("acts"), "acts", column)
    known = events["actor"].take(pa.array(acts.signed)).is_valid().to_numpy(zero_copy_only=False)
    signed, chain = acts.signed[known], acts.chain[known]
    if len(signed) == 0:
        return out
    first_ids = events["event_id"].take(pa.array(chain))
    # the columns kept from each signer's message: a table's take copies every chunk of every column
    # it takes from, so the text and the acts, replaced below, are left out of it
    replaced = {"kind", "subtype", "thread", "reply_to", "target", "reply_inferred", "mentions", "text", "acts",
                "n_chars", "n_media"}
    rows = out.select([c for c in out.column_names if c not in replaced]).take(pa.array(signed))
    n = rows.num_rows
    cols = {name: rows[name] for name in rows.column_names}
    cols["event_id"] = pc.binary_join_element_wise(rows["event_id"], pa.array([":signup"] * n), "")
    cols["kind"] = pa.array(["activity"] * n)
    cols["subtype"] = pa.array(["signup"] * n)
    cols["thread"] = pc.binary_join_element_wise(pa.array(["signup:"] * n), first_ids, "")
    present = set(out.column_names)
    for name in ("reply_to", "target"):
        if name in present:
            cols[name] = pa.nulls(n, out.schema.field(name).type)
    if "reply_inferred" in present:
        cols["reply_inferred"] = pa.nulls(n, pa.bool_())
    if "mentions" in present:  # a list, never null: a sign-up mentions no one
        cols["mentions"] = pa.array([[]] * n, type=out.schema.field("mentions").type)
    if "text" in present:
        cols["text"] = pa.nulls(n, out.schema.field("text").type)
    cols["acts"] = pa.array([[]] * n, type=pa.list_(pa.string()))
    cols["n_chars"] = pa.array(np.zeros(n, dtype=np.int32))  # the message's own row counts its text
    cols["n_media"] = pa.array(np.zeros(n, dtype=np.int16))
    added = pa.table([pc.cast(cols[c], out.schema.field(c).type) for c in out.column_names], schema=out.schema)
    return pa.concat_tables([out, added])


def annotate(events: pa.Table, text: pa.Array | pa.ChunkedArray) -> pa.Table:
    """``events`` with an ``acts`` column from ``text`` (aligned with the rows; null where the
    event has no text), plus one ``activity`` event per sign-up to a numbered list
    (:func:`read_acts` in the events' groups and times, then :func:`attach`)."""
    ts = pl.Series(events["ts"]).dt.epoch("us").to_numpy()
    group = pl.Series(events["group_id"], dtype=pl.String)
    return attach(events, read_acts(pl.Series("t", text, dtype=pl.String), ts, group))
