"""Reply inference for sources that record no reply links (WhatsApp text exports).

Rule (conversational adjacency, parameters shown in every report):
the first post of a run of consecutive posts by one member answers the last post of the previous
run — by a different member — when it comes within ``gap`` after it (not before it: a message
that arrived late, or a chat appended to another, answers nobody). Later posts of the same run
continue the member's own turn and answer nobody. Explicit links (a platform's reply field) are
never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import polars as pl

__all__ = ["ReplyRule", "infer_replies"]


@dataclass(frozen=True)
class ReplyRule:
    """Parameters of the adjacency rule."""

    gap: timedelta = timedelta(minutes=10)
    """Longest pause after which a post is still taken as an answer to the previous speaker."""

    def describe(self) -> str:
        minutes = self.gap.total_seconds() / 60
        return (f"adjacency: the first post of a member's turn answers the previous speaker's "
                f"last post if it comes within {minutes:g} min")


def infer_replies(posts: pl.DataFrame, rule: ReplyRule = ReplyRule()) -> pl.DataFrame:
    """Add ``reply_to``, ``target`` and ``reply_inferred`` to ``posts``.

    ``posts`` has ``event_id``, ``actor`` and ``ts`` in file order, posts only;
    other columns are passed through.
    """
    gap_us = int(rule.gap.total_seconds() * 1_000_000)
    prev_actor = pl.col("actor").shift(1)
    turn_start = (pl.col("actor") != prev_actor).fill_null(False)
    gap = (pl.col("ts") - pl.col("ts").shift(1)).dt.total_microseconds()
    answers = turn_start & (gap >= 0) & (gap <= gap_us)
    return posts.with_columns(
        pl.when(answers).then(pl.col("event_id").shift(1)).otherwise(None).alias("reply_to"),
        pl.when(answers).then(prev_actor).otherwise(None).alias("target"),
        answers.alias("reply_inferred"),
    )
