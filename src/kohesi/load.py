"""One group's events from whatever the user points at: an export, a store or an events file.

Every command that measures or reports (``kohesi measure``, ``kohesi report``, the web page)
loads through :func:`load_group`, so they accept the same inputs: the same ``--since`` and
``--until`` dates (in the group's own calendar) and the same members file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kohesi.errors import InputError, KohesiError
from kohesi.events import SourceInfo, source_info, validate_events, with_source_info

__all__ = ["Loaded", "load_group", "read_members_file", "local_bounds"]


@dataclass
class Loaded:
    events: pa.Table
    members: pa.Table | None
    reading: dict[str, Any] = field(default_factory=dict)
    roster: pa.Table | None = None
    """The members file, if one was given: every listed member, with attribute columns."""


def _one_group(events: pa.Table, group: str | None, where: str) -> pa.Table:
    groups = sorted(set(events.column("group_id").to_pylist()))
    if group is None:
        if len(groups) != 1:
            raise KohesiError(f"{where}: holds {len(groups)} groups ({', '.join(groups[:10])}); choose one with --group")
        return events
    if group not in groups:
        raise KohesiError(f"{where}: no group {group!r}; groups: {', '.join(groups[:10])}")
    return events.filter(pc.equal(events.column("group_id"), group))


def _day(text: str | date | None, option: str) -> date | None:
    if text is None or isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise InputError(None, f"{option} {text!r} is not a date (use YYYY-MM-DD)") from None


def local_bounds(since: str | date | None, until: str | date | None, tz: str) -> tuple[datetime | None, datetime | None]:
    """``since`` and ``until`` dates as instants: local midnight of each day in timezone ``tz``
    (``until`` is exclusive)."""
    zone = ZoneInfo(tz)
    lo, hi = _day(since, "--since"), _day(until, "--until")
    if lo and hi and hi <= lo:
        raise InputError(None, f"--until {hi} is not after --since {lo}")
    return (datetime.combine(lo, time(), zone) if lo else None, datetime.combine(hi, time(), zone) if hi else None)


def _between(events: pa.Table, lo: datetime | None, hi: datetime | None) -> pa.Table:
    mask = None
    for bound, op in ((lo, pc.greater_equal), (hi, pc.less)):
        if bound is not None:
            m = op(events.column("ts"), pa.scalar(bound, pa.timestamp("us", tz="UTC")))
            mask = m if mask is None else pc.and_(mask, m)
    return events if mask is None else events.filter(mask)


def read_members_file(path: str | Path, salt: bytes | None = None) -> pa.Table:
    """A members file (CSV or Parquet): every member of the group, silent ones too.

    It needs an ``actor`` column (kohesi's pseudonymous ids, as in ``kohesi parse`` output) or a
    ``name`` column (names as the chat shows them; they are pseudonymised with the same secret as
    the chat, and not kept). Other columns (``role``, ``rt``, ``neighbourhood``…) are member
    attributes.
    """
    import polars as pl

    from kohesi.privacy import Pseudonymizer, default_salt

    p = Path(path)
    if not p.is_file():
        raise InputError(p, "no such members file")
    try:
        frame = pl.read_parquet(p) if p.suffix.lower() == ".parquet" else pl.read_csv(p, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(p, f"not a readable CSV or Parquet table ({str(exc).splitlines()[0]})") from None
    if "actor" not in frame.columns and "name" not in frame.columns:
        raise InputError(p, f"a members file needs an 'actor' or a 'name' column; it has {', '.join(frame.columns[:12])}")
    if "actor" not in frame.columns:
        pseudo = Pseudonymizer(salt if salt is not None else default_salt())
        empty = frame.get_column("name").cast(pl.String).fill_null("").str.strip_chars() == ""
        if empty.any():
            raise InputError(p, f"line {int(empty.arg_true()[0]) + 2}: empty name")
        frame = frame.with_columns(actor=pl.col("name").cast(pl.String).map_elements(pseudo.member_id, return_dtype=pl.String))
    frame = frame.drop([c for c in ("name", "phone") if c in frame.columns])
    return frame.with_columns(pl.col("actor").cast(pl.String)).unique("actor", keep="first", maintain_order=True).to_arrow()


def load_group(source: str | Path, *, group: str | None = None, tz: str | None = None,
               keep_names: bool = False, date_order: str | None = None, since: str | date | None = None,
               until: str | date | None = None, members_file: str | Path | None = None) -> Loaded:
    """Events of one group from an export (read in memory, nothing stored), a ``.duckdb`` store,
    or a ``.parquet`` events file (``kohesi parse -o``, ``kohesi simulate -o``), limited to the
    local dates [``since``, ``until``), with the members file if one is given."""
    path = Path(source)
    salt = None
    if path.suffix == ".duckdb":
        from kohesi.store import Store

        with Store(path, read_only=True) as st:
            groups = st.group_ids()
            if group is None and len(groups) == 1:
                group = groups[0]
            if group is None or group not in groups:
                raise KohesiError(f"{path}: choose a group with --group; groups: {', '.join(groups) or 'none'}")
            zone = tz or st.source(group).tz or "UTC"
            lo, hi = local_bounds(since, until, zone)
            events, members, salt = st.events(group, since=lo, until=hi), st.members(group), st.salt
            if tz:
                info = source_info(events)
                events = with_source_info(events, SourceInfo(info.source, info.capabilities, tz))
            loaded = Loaded(events, members)
    elif path.suffix == ".parquet":
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowInvalid) as exc:
            raise InputError(path, f"not a readable Parquet file ({exc})") from None
        info = source_info(table)
        events = validate_events(_one_group(table, group, str(path)), source=str(path))
        zone = tz or info.tz or "UTC"
        events = with_source_info(events, SourceInfo(info.source, info.capabilities, zone))
        lo, hi = local_bounds(since, until, zone)
        members_path = path.with_name(path.name.replace(".parquet", ".members.parquet"))
        members = pq.read_table(members_path) if members_path.exists() else None
        loaded = Loaded(_between(events, lo, hi), members)
    else:
        import kohesi
        from kohesi.ingest import ReplyRule

        log = kohesi.read(path, group=group, tz=tz, keep_names=keep_names, date_order=date_order)
        reading = {k: v for k, v in log.report.to_dict().items()
                   if k in ("format", "date_order", "date_order_basis", "tz", "n_lines", "skipped", "warnings")}
        reading["reply_gap_min"] = ReplyRule().gap.total_seconds() / 60
        lo, hi = local_bounds(since, until, log.report.tz)
        loaded = Loaded(_between(log.events, lo, hi), log.members, reading)
    if loaded.events.num_rows == 0:
        raise KohesiError(f"{path}: no events in the chosen period")
    if members_file is not None:
        loaded.roster = read_members_file(members_file, salt)
    return loaded
