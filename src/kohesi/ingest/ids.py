"""Stable event ids for sources without message ids (WhatsApp): a keyed hash of the message.

``event_id`` = first 16 hex digits of MD5(salt ‖ local time ‖ author ‖ text) plus ``~k`` for the
k-th repeat of an identical message. It does not depend on line numbers, so a later export of the
same group that overlaps an earlier one gives the overlapping messages the same ids, and importing
it adds only what is new. The salt keeps short texts from being guessed from their hash.
"""

from __future__ import annotations

import duckdb
import polars as pl

from kohesi.duck import to_arrow

__all__ = ["content_ids"]


def content_ids(frame: pl.DataFrame, key_cols: list[str], salt: bytes) -> pl.Series:
    """One id per row of ``frame`` from the string columns ``key_cols`` (vectorised in DuckDB)."""
    keyed = frame.select([pl.col(c).cast(pl.String).fill_null("\x00") for c in key_cols])
    concat = " || chr(31) || ".join(f'"{c}"' for c in key_cols)
    con = duckdb.connect()
    try:
        con.register("keyed", keyed.to_arrow())
        hashed = pl.from_arrow(to_arrow(con.sql(
            f"SELECT substr(md5($salt || chr(30) || {concat}), 1, 16) AS h FROM keyed",
            params={"salt": salt.hex()},
        )))["h"]
    finally:
        con.close()
    rank = pl.int_range(pl.len()).over("h")
    return (
        pl.DataFrame({"h": hashed})
        .with_columns(rank.alias("k"))
        .select(pl.when(pl.col("k") == 0).then(pl.col("h")).otherwise(pl.col("h") + "~" + pl.col("k").cast(pl.String)))
        .to_series()
        .alias("event_id")
    )
