"""One group's events from whatever the user points at: an export, a store or an events file.

Every command that measures or reports (``kohesi measure``, ``kohesi report``, the web page)
loads through :func:`load_group`, so they accept the same inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from kohesi.errors import InputError, KohesiError
from kohesi.events import validate_events

__all__ = ["Loaded", "load_group"]


@dataclass
class Loaded:
    events: pa.Table
    members: pa.Table | None
    reading: dict[str, Any] = field(default_factory=dict)


def _one_group(events: pa.Table, group: str | None, where: str) -> pa.Table:
    import pyarrow.compute as pc

    groups = sorted(set(events.column("group_id").to_pylist()))
    if group is None:
        if len(groups) != 1:
            raise KohesiError(f"{where}: holds {len(groups)} groups ({', '.join(groups[:10])}); choose one with --group")
        return events
    if group not in groups:
        raise KohesiError(f"{where}: no group {group!r}; groups: {', '.join(groups[:10])}")
    return events.filter(pc.equal(events.column("group_id"), group))


def load_group(source: str | Path, *, group: str | None = None, tz: str | None = None,
               keep_names: bool = False, date_order: str | None = None) -> Loaded:
    """Events of one group from an export (read in memory, nothing stored), a ``.duckdb`` store,
    or a ``.parquet`` events file (``kohesi parse -o``, ``kohesi simulate -o``)."""
    path = Path(source)
    if path.suffix == ".duckdb":
        from kohesi.store import Store

        with Store(path, read_only=True) as st:
            groups = st.group_ids()
            if group is None and len(groups) == 1:
                group = groups[0]
            if group is None or group not in groups:
                raise KohesiError(f"{path}: choose a group with --group; groups: {', '.join(groups) or 'none'}")
            return Loaded(st.events(group), st.members(group))
    if path.suffix == ".parquet":
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowInvalid) as exc:
            raise InputError(path, f"not a readable Parquet file ({exc})") from None
        events = validate_events(_one_group(table, group, str(path)), source=str(path))
        members_path = path.with_name(path.name.replace(".parquet", ".members.parquet"))
        members = pq.read_table(members_path) if members_path.exists() else None
        return Loaded(events, members)
    import kohesi
    from kohesi.ingest import ReplyRule

    log = kohesi.read(path, group=group, tz=tz, keep_names=keep_names, date_order=date_order)
    reading = {k: v for k, v in log.report.to_dict().items()
               if k in ("format", "date_order", "date_order_basis", "tz", "n_lines", "skipped", "warnings")}
    reading["reply_gap_min"] = ReplyRule().gap.total_seconds() / 60
    return Loaded(log.events, log.members, reading)
