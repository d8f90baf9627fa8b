"""Opening groups from whatever the user points at: an export, a store, an events file, or many.

Everything that measures or reports loads through here, so the command line, the batch runner
and the web page accept the same inputs:

- :func:`open_group`: one group's events from an export (read in memory, nothing stored), a
  ``.duckdb`` store or a ``.parquet`` events file, limited to local dates, with a members file;
- :func:`open_groups`: many groups for :mod:`kohesi.batch` — a store, a Hive-partitioned Parquet
  dataset, one Parquet file with a group column, or a folder of exports — as a picklable
  :class:`GroupSource` whose :meth:`~GroupSource.load` opens one group on a worker.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from kohesi.errors import InputError, KohesiError
from kohesi.events import SourceInfo, source_info, validate_events, with_source_info

__all__ = ["GroupData", "open_group", "read_members_file", "local_bounds", "GroupSource", "open_groups"]

_EXPORT_SUFFIXES = {".txt", ".zip", ".json", ".csv", ".jsonl"}


@dataclass
class GroupData:
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


ROLE_COLUMNS = ("role", "peran", "jabatan")
"""Members-file columns read as roles (organic solidarity) when ``--role`` is not given."""
ATTRIBUTE_COLUMNS = ("rt", "rw", "blok", "block", "gang", "dusun")
"""Members-file columns read as the attribute members are compared by (similarity, group gaps)
when ``--attribute`` is not given: where in the neighbourhood a member lives."""


def member_columns(roster: pa.Table | None, role: str | None = None,
                   attribute: str | None = None) -> tuple[str | None, str | None]:
    """The members file's role and attribute columns: the ones asked for (``--role``,
    ``--attribute``; refused when the file lacks them), else the first of :data:`ROLE_COLUMNS`
    and :data:`ATTRIBUTE_COLUMNS` the file has (case-insensitive), else None.

    >>> t = pa.table({"actor": ["a"], "Peran": ["ketua"], "RT": ["01"]})
    >>> member_columns(t)
    ('Peran', 'RT')
    >>> member_columns(None)
    (None, None)
    """
    if roster is None:
        for flag, name in (("--role", role), ("--attribute", attribute)):
            if name is not None:
                raise KohesiError(f"{flag} {name}: needs a members file (--members) with that column")
        return None, None
    columns = [c for c in roster.column_names if c != "actor"]
    lower = {c.lower(): c for c in reversed(columns)}

    def pick(flag: str, asked: str | None, defaults: tuple[str, ...]) -> str | None:
        if asked is not None:
            if asked in columns:
                return asked
            if asked.lower() in lower:
                return lower[asked.lower()]
            raise KohesiError(f"{flag}: the members file has no column {asked!r}; its columns: "
                              f"{', '.join(columns) or 'none'}")
        return next((lower[d] for d in defaults if d in lower), None)

    return pick("--role", role, ROLE_COLUMNS), pick("--attribute", attribute, ATTRIBUTE_COLUMNS)


def simulation_reading(metadata: dict[bytes, bytes] | None) -> dict:
    """What a simulated events file says about itself (``kohesi simulate -o``): its interventions
    with the time (UTC) each begins, for the report's timeline; {} for other files."""
    from kohesi.simulate.run import START

    raw = (metadata or {}).get(b"kohesi.simulate.interventions")
    if raw is None:
        return {}
    out = []
    for spec in filter(None, raw.decode("utf-8", "replace").split(",")):
        m = re.fullmatch(r"([\w-]+)@(\d+):(\d+)\*([\d.eE+-]+)", spec)
        if m:
            out.append({"kind": m[1], "start": START + timedelta(days=int(m[2])), "period_days": int(m[3])})
    return {"format": "simulation", "interventions": out}


def open_group(source: str | Path, *, group: str | None = None, tz: str | None = None,
               keep_names: bool = False, date_order: str | None = None, since: str | date | None = None,
               until: str | date | None = None, members_file: str | Path | None = None,
               salt: bytes | None = None, max_bytes: int | None = None) -> GroupData:
    """Events of one group from an export (read in memory, nothing stored), a ``.duckdb`` store,
    or a ``.parquet`` events file (``kohesi parse -o``, ``kohesi simulate -o``), limited to the
    local dates [``since``, ``until``), with the members file if one is given.

    ``salt`` pseudonymises an export (default: the per-user secret); ``max_bytes`` caps what an
    export (or a zip member) may expand to."""
    path = Path(source)
    salt = None
    if path.suffix == ".duckdb":
        from kohesi.store import Store

        with Store(path, read_only=True) as st:
            groups = st.group_ids()
            if group is None and len(groups) == 1:
                group = groups[0]
            if group is not None and group not in groups:
                raise KohesiError(f"{path}: no group {group!r} (--group); groups: {', '.join(groups) or 'none'}")
            if group is None:
                raise KohesiError(f"{path}: choose a group with --group; groups: {', '.join(groups) or 'none'}")
            zone = tz or st.source(group).tz or "UTC"
            lo, hi = local_bounds(since, until, zone)
            events, members, salt = st.events(group, since=lo, until=hi), st.members(group), st.salt
            if tz:
                info = source_info(events)
                events = with_source_info(events, SourceInfo(info.source, info.capabilities, tz))
            loaded = GroupData(events, members)
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
        loaded = GroupData(_between(events, lo, hi), members, simulation_reading(table.schema.metadata))
    else:
        import kohesi
        from kohesi.ingest import ReplyRule

        extra = {"max_bytes": max_bytes} if max_bytes is not None else {}
        log = kohesi.read(path, group=group, tz=tz, keep_names=keep_names, date_order=date_order, salt=salt, **extra)
        reading = {k: v for k, v in log.report.to_dict().items()
                   if k in ("format", "date_order", "date_order_basis", "tz", "n_lines", "skipped", "warnings")}
        reading["reply_gap_min"] = ReplyRule().gap.total_seconds() / 60
        lo, hi = local_bounds(since, until, log.report.tz)
        loaded = GroupData(_between(log.events, lo, hi), log.members, reading)
    if loaded.events.num_rows == 0:
        raise KohesiError(f"{path}: no events in the chosen period")
    if members_file is not None:
        loaded.roster = read_members_file(members_file, salt)
    return loaded


# ------------------------------------------------------------------------------ many groups


@dataclass(frozen=True)
class GroupSource:
    """Where the groups' events are: picklable, so it travels to workers.

    ``kind`` is ``store`` (a ``.duckdb`` file), ``hive`` (a folder of ``<by>=<value>/``
    sub-folders of Parquet files), ``parquet`` (one Parquet file with a ``<by>`` column) or
    ``exports`` (one export file per group; the key is the file name). Paths must be readable
    by the workers (a shared file system on a real cluster).
    """

    kind: str
    path: str
    by: str = "group_id"
    files: tuple[tuple[str, str], ...] = ()  # exports: (key, path)
    salt: bytes | None = field(default=None, repr=False)
    tz: str | None = None

    def keys(self) -> list[str]:
        """The unit keys (group ids, or file names for exports), sorted."""
        if self.kind == "store":
            from kohesi.store import Store

            with Store(self.path, read_only=True) as st:
                return sorted(st.group_ids())
        if self.kind == "hive":
            prefix = f"{self.by}="
            return sorted(unquote(p.name[len(prefix):]) for p in Path(self.path).iterdir()
                          if p.is_dir() and p.name.startswith(prefix))
        if self.kind == "parquet":
            col = pq.read_table(self.path, columns=[self.by]).column(self.by)
            return sorted(str(v) for v in col.unique().to_pylist() if v is not None)
        return sorted(k for k, _ in self.files)

    def unit(self, key: str) -> GroupSource:
        """The part of this source a worker needs for one unit (one export file, not the list)."""
        if self.kind != "exports":
            return self
        return dataclasses.replace(self, files=tuple((k, p) for k, p in self.files if k == key))

    def load(self, key: str) -> tuple[pa.Table, pa.Table | None]:
        """Events (validated, canonical schema) and members (or None) of one unit."""
        members = None
        if self.kind in ("store", "exports"):
            path = self.path if self.kind == "store" else dict(self.files)[key]
            group = open_group(path, group=key, tz=self.tz, salt=self.salt)
            events, members = group.events, group.members
            if members is not None and members.num_rows == 0:
                members = None
        elif self.kind == "hive":
            folder = Path(self.path) / f"{self.by}={key}"
            if not folder.is_dir():
                folder = next((p for p in Path(self.path).iterdir() if p.is_dir() and p.name.startswith(f"{self.by}=")
                           and unquote(p.name[len(self.by) + 1:]) == key), folder)
            files = sorted(str(p) for p in folder.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))
            if not files:
                raise KohesiError(f"{folder}: no data files")
            events = pa.concat_tables([pq.read_table(f) for f in files], promote_options="default")
            if "group_id" not in events.column_names:
                events = events.append_column("group_id", pa.array([key] * events.num_rows, pa.string()))
        else:
            events = pq.read_table(self.path, filters=[(self.by, "=", key)])
        events = validate_events(events, source=f"{self.path} [{self.by}={key}]")
        if events.num_rows == 0:
            raise KohesiError(f"{self.path} [{self.by}={key}]: no events")
        return events, members


def open_groups(data: str | Path | Sequence[str | Path] | GroupSource, by: str = "group_id", *,
                tz: str | None = None, salt: bytes | None = None) -> GroupSource:
    """Recognise what ``data`` is: a store, a Hive-partitioned dataset, a Parquet file or exports.

    ``data`` is a ``.duckdb`` store, a folder of ``<by>=<value>/`` sub-folders, one ``.parquet``
    file with a ``<by>`` column, a folder of export files, or a list of export files.
    """
    if isinstance(data, GroupSource):
        return data
    paths = [Path(p) for p in data] if isinstance(data, (list, tuple)) else [Path(data)]
    if len(paths) == 1:
        path = paths[0]
        if not path.exists():
            raise KohesiError(f"{path}: no such file or folder")
        if path.suffix == ".duckdb":
            if by != "group_id":
                raise KohesiError(f"{path}: a store is split by group_id only, not {by!r}")
            return GroupSource("store", str(path), by)
        if path.is_dir() and any(p.is_dir() and p.name.startswith(f"{by}=") for p in path.iterdir()):
            return GroupSource("hive", str(path), by)
        if path.suffix == ".parquet" and path.is_file():
            names = pq.read_schema(path).names
            if by not in names:
                raise KohesiError(f"{path}: no column {by!r} to split by (columns: {', '.join(names)})")
            return GroupSource("parquet", str(path), by)
        if path.is_dir():
            paths = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in _EXPORT_SUFFIXES)
            if not paths:
                raise KohesiError(f"{path}: neither {by}=… partitions nor export files "
                                  f"({', '.join(sorted(_EXPORT_SUFFIXES))})")
    names = [p.name for p in paths]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise KohesiError(f"export files must have distinct names (the name is the group key): {', '.join(dup)}")
    if salt is None:
        from kohesi.privacy import default_salt

        salt = default_salt()  # resolved here, so pseudonyms match on every worker
    return GroupSource("exports", str(paths[0].parent), by,
                  tuple((p.name, str(p.resolve())) for p in paths), salt, tz)
