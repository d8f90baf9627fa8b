"""What changed since the earlier export: the ``change`` content of a report, as data.

An organiser exports the group's chat every few months; each export holds the whole history the
phone has. Given the earlier export's last message ``split`` (from the store's imports, or from
a second export file), :func:`build_change` puts side by side

- the index and the five aspects in the **new period** (since ``split``) and in the **earlier
  period** of the same length before it, each with its 95% interval, and their difference with
  its interval, from the paired bootstrap of :func:`kohesi.measure.periods.compare_periods`;
- a plain call per number: ``rose``, ``fell``, ``no_change`` (the interval of the difference
  contains 0) or ``not_enough`` (a period is too thin by the report's evidence rule);
- who joined (a join or add in the new period, or a first post ever) and who went quiet (wrote
  in the earlier period, not in the new one; ``left`` when they also left the group), by their
  report labels.

Values a person reads are on the 0–100 scale. Dates are the group's local calendar.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pyarrow as pa

from kohesi.events import POST_KINDS
from kohesi.measure.periods import Period, PeriodComparison

__all__ = ["build_change", "member_changes"]


def _pct(x: Any) -> float | None:
    if x is None:
        return None
    x = float(x)
    return round(100.0 * x, 4) if math.isfinite(x) else None


def _local(when: datetime, zone: ZoneInfo) -> datetime:
    return when.astimezone(zone).replace(tzinfo=None)


def _period(p: Period, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "start": _local(p.start, zone).date() if p.start else None,
        # windows end at an exclusive local midnight: the last day measured is the one before
        "end": (_local(p.end, zone) - timedelta(microseconds=1)).date() if p.end else None,
        "windows": p.windows, "posts": p.posts, "members": p.members, "active": p.active,
        "given": bool(p.verdict.get("given")), "checks": p.verdict.get("checks", []),
        "reasons": p.verdict.get("reasons", []),
    }


def member_changes(events: pa.Table, split: datetime, labels: dict[str, str], tz: str = "UTC"
                   ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Who joined and who went quiet between the earlier period and the new one.

    The new period is every event after ``split``; the earlier period the same length of time
    before it (from the first event, when the history is shorter). *Joined*: a join or an add in
    the new period (``how = "joined"``), or a first post ever there (``"first_post"``).
    *Went quiet*: wrote in the earlier period and not in the new one; ``left`` when a leave or
    removal after their last post says they are no longer in the group. Members are shown by
    ``labels`` (the report's codes or names). Returns ``(joined, quiet)``, each sorted by date.
    """
    zone = ZoneInfo(tz)
    df = pl.from_arrow(events.select(["ts", "actor", "kind", "target"]))
    assert isinstance(df, pl.DataFrame)
    cut = pl.lit(split.astimezone(ZoneInfo("UTC")))
    last = df.get_column("ts").max()
    first = df.get_column("ts").min()
    start = max(first, split.astimezone(ZoneInfo("UTC")) - (last - split.astimezone(ZoneInfo("UTC"))))  # type: ignore[operator]
    posts = df.filter(pl.col("kind").is_in(POST_KINDS) & pl.col("actor").is_not_null())
    arrivals = pl.concat([
        df.filter(pl.col("kind") == "join").select(member="actor", ts="ts"),
        df.filter(pl.col("kind") == "add").select(member="target", ts="ts"),
    ]).drop_nulls("member")
    exits = pl.concat([
        df.filter(pl.col("kind") == "leave").select(member="actor", ts="ts"),
        df.filter(pl.col("kind") == "remove").select(member="target", ts="ts"),
    ]).drop_nulls("member")
    first_post = posts.group_by("actor").agg(first=pl.col("ts").min())
    new_posts = posts.filter(pl.col("ts") > cut).group_by("actor").agg(n=pl.len())

    def label(m: str) -> str:
        return labels.get(m) or f"#{m[:6]}"

    joined: dict[str, tuple[datetime, str]] = {}
    for m, ts in arrivals.filter(pl.col("ts") > cut).sort("ts", "member").iter_rows():
        joined.setdefault(m, (ts, "joined"))
    for m, ts in first_post.filter(pl.col("first") > cut).sort("first", "actor").iter_rows():
        if m not in joined:
            joined[m] = (ts, "first_post")
    n_new = dict(new_posts.iter_rows())
    joined_rows = [{"label": label(m), "how": how, "date": _local(ts, zone).date(), "posts": int(n_new.get(m, 0))}
                   for m, (ts, how) in sorted(joined.items(), key=lambda kv: (kv[1][0], label(kv[0])))]

    before = (posts.filter((pl.col("ts") >= pl.lit(start)) & (pl.col("ts") <= cut))
              .group_by("actor").agg(n=pl.len(), last=pl.col("ts").max()))
    quiet = before.filter(~pl.col("actor").is_in(new_posts.get_column("actor").implode()))
    gone = exits.group_by("member").agg(t=pl.col("ts").max())
    gone_at = dict(gone.iter_rows())
    quiet_rows = []
    for m, n, ts in quiet.sort(["last", "actor"]).iter_rows():
        out = gone_at.get(m)
        quiet_rows.append({"label": label(m), "posts_before": int(n), "last_post": _local(ts, zone).date(),
                           "left": out is not None and out >= ts})
    return joined_rows, quiet_rows


def build_change(cmp: PeriodComparison, events: pa.Table, labels: dict[str, str], *, source: str) -> dict[str, Any]:
    """The ``change`` content of :class:`~kohesi.report.content.ReportData` from a comparison of
    periods (:func:`kohesi.measure.periods.compare_periods`) and the group's events.

    ``source`` says where the earlier period came from: ``"store"`` (an earlier import) or
    ``"export"`` (an earlier export file given with the report)."""
    zone = ZoneInfo(cmp.meta.get("tz") or "UTC")
    rows = []
    for r in cmp.rows.iter_rows(named=True):
        rows.append({"key": r["name"], "kind": r["kind"], **{k: _pct(r[k]) for k in (
            "earlier", "earlier_lo", "earlier_hi", "new", "new_lo", "new_hi", "delta", "lo", "hi")}, "call": r["call"]})
    joined, quiet = member_changes(events, cmp.split, labels, cmp.meta.get("tz") or "UTC")
    return {
        "source": source,
        "split": _local(cmp.split, zone),
        "given": cmp.given,
        "same_length": bool(cmp.meta.get("same_length")),
        "scale": "0-100",
        "earlier": _period(cmp.earlier, zone),
        "new": _period(cmp.new, zone),
        "rows": rows,
        "joined": joined,
        "quiet": quiet,
        "method": {k: cmp.meta.get(k) for k in ("method", "bootstrap", "seed", "level", "block_length", "window")},
    }
