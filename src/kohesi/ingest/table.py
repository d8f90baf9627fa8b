"""Generic tables (CSV, Parquet, JSON lines) → canonical events.

A *mapping* names, for each canonical column, the source column it comes from::

    {"actor": "sender", "ts": "time", "reply_to": "parent"}

``actor`` and ``ts`` are required; ``event_id`` (default: a keyed hash of the row), ``kind``
(default ``message``), ``subtype``, ``group_id``, ``reply_to``, ``target``, ``thread`` and ``text``
are optional. A value starting with ``=`` is a constant: an attendance list with columns
``event,member,date`` is read with ``{"thread": "event", "actor": "member", "ts": "date",
"kind": "=activity"}``. Without a mapping, columns already named like canonical ones are used.

Timestamps: datetime columns as they are (naive ones in ``tz``), strings parsed by polars (ISO
with or without offset, or a bare date; strings without offset are in ``tz``).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import polars as pl
import pyarrow as pa

from kohesi.errors import InputError
from kohesi.events import KINDS
from kohesi.ingest.bounds import check_json, check_lines
from kohesi.ingest.common import MemberBook, canon_key, finish_events
from kohesi.ingest.files import SourceFile
from kohesi.ingest.ids import content_ids
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.ingest.text import check_utf8, decode_check
from kohesi.privacy import Pseudonymizer, private_group_id

__all__ = ["read_table", "table_capabilities", "MAPPABLE", "TABLE_SUFFIXES"]

MAPPABLE = ("event_id", "group_id", "ts", "actor", "kind", "subtype", "reply_to", "target", "thread", "text")
"""Canonical columns a table mapping may fill."""

TABLE_SUFFIXES = (".csv", ".parquet", ".jsonl", ".ndjson")


_FAILURES = (Exception, pl.exceptions.PanicException)
"""What polars raises on a damaged or strange file: its own errors, and Rust panics (which derive
from ``BaseException``: a Parquet timestamp with a zone such as ``+05:45``, a date out of range)."""


def _frame(src: SourceFile) -> pl.DataFrame:
    suffix = PurePosixPath(src.name).suffix.lower()
    try:
        if suffix == ".parquet":
            return pl.read_parquet(src.data)
        data = check_utf8(decode_check(src.data, src.path), src.path)
        if b"\r" in data:  # CR-only or CRLF line ends, as a spreadsheet may write them
            data = re.sub(rb"\r\n?", b"\n", data)
        check_lines(data, src.path)
        if suffix in (".jsonl", ".ndjson"):
            check_json(data, src.path, lines=True)
            return pl.read_ndjson(data, infer_schema_length=None)
        return pl.read_csv(data, infer_schema=False, raise_if_empty=True)
    except InputError:
        raise
    except _FAILURES as exc:  # polars raises several error types for damaged files
        kind = {".parquet": "Parquet", ".jsonl": "JSON lines", ".ndjson": "JSON lines"}.get(suffix, "CSV")
        raise InputError(src.path, f"cannot read as {kind} ({_first_line(exc)})") from None


def _first_line(exc: BaseException) -> str:
    """The first line of an exception's message (polars' run to many), or its type's name."""
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _text(s: pl.Series, column: str, path: str) -> pl.Series:
    """``s`` as strings, or an InputError naming the column: lists and records are not a value
    kohesi can map, and bytes must be UTF-8 text."""
    if s.dtype.is_nested() or s.dtype == pl.Object:
        raise InputError(path, f"column {column!r} holds {s.dtype} values; map a column of text, numbers or times")
    try:
        return s.cast(pl.String)
    except _FAILURES as exc:
        raise InputError(path, f"column {column!r} is not text ({_first_line(exc)})") from None


def _check_mapping(mapping: dict[str, str] | None, columns: list[str], path: str) -> dict[str, str]:
    if mapping is None:
        mapping = {c: c for c in MAPPABLE if c in columns}
        if "actor" not in mapping or "ts" not in mapping:
            raise InputError(path, "a table needs a column mapping such as "
                                   "{'actor': 'sender', 'ts': 'time'} (columns found: "
                                   f"{', '.join(columns[:20])})")
    unknown = sorted(set(mapping) - set(MAPPABLE))
    if unknown:
        raise InputError(path, f"mapping names unknown canonical columns {unknown}; allowed: {', '.join(MAPPABLE)}")
    for need in ("actor", "ts"):
        if need not in mapping:
            raise InputError(path, f"mapping lacks the required column {need!r}")
    missing = [f"{k} → {v!r}" for k, v in mapping.items() if not str(v).startswith("=") and v not in columns]
    if missing:
        raise InputError(path, f"mapped columns not in the table: {', '.join(missing)} "
                               f"(columns found: {', '.join(columns[:20])})")
    return dict(mapping)


def _col(df: pl.DataFrame, spec: str | None, name: str) -> pl.Series | None:
    if spec is None:
        return None
    if spec.startswith("="):
        return pl.Series(name, [spec[1:]] * df.height, dtype=pl.String)
    return df[spec].alias(name)


def _timestamps(s: pl.Series, tz: str, path: str) -> pl.Series:
    """UTC timestamps of ``s``: datetimes, dates or ISO strings (naive ones in ``tz``)."""
    if s.dtype == pl.Date:
        s = s.cast(pl.Datetime("us"))
    if s.dtype == pl.String:
        text = s.str.strip_chars()
        has_offset = text.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$").fill_null(False)
        out = pl.Series("ts", [None] * len(s), dtype=pl.Datetime("us", "UTC"))
        for mask, aware in ((has_offset, True), (~has_offset, False)):
            idx = mask.arg_true()
            if len(idx) == 0:
                continue
            sub = text.gather(idx)
            try:
                parsed = (sub.str.to_datetime(time_unit="us", time_zone="UTC", strict=False) if aware
                          else sub.str.to_datetime(time_unit="us", strict=False))
            except Exception:
                parsed = pl.Series([None] * len(sub), dtype=pl.Datetime("us", "UTC" if aware else None))
            if not aware:
                parsed = parsed.dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
            out = out.scatter(idx, parsed.dt.convert_time_zone("UTC"))
        bad = (out.is_null() & s.is_not_null()).arg_true()
        if len(bad):
            i = int(bad[0])
            raise InputError(path, f"row {i}: cannot read time {s[i]!r} (use ISO 8601, e.g. 2024-03-05T19:30:00+07:00)")
        return out
    if isinstance(s.dtype, pl.Datetime):
        s = s.cast(pl.Datetime("us", s.dtype.time_zone))
        if s.dtype.time_zone is None:
            s = s.dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
        return s.dt.convert_time_zone("UTC").alias("ts")
    raise InputError(path, f"time column has type {s.dtype}; expected datetimes or ISO strings")


def read_table(src: SourceFile, mapping: dict[str, str] | None, group: str | None, pseudo: Pseudonymizer,
               opts: ReadOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    """Read a CSV, Parquet or JSON-lines table through ``mapping`` (see the module docstring)."""
    df = _frame(src)
    suffix = PurePosixPath(src.name).suffix.lower().lstrip(".")
    report = ReadReport(source=src.path, format=f"table-{'jsonl' if suffix == 'ndjson' else suffix}",
                        platform="table", tz=opts.tz, n_lines=df.height)
    mapping = _check_mapping(mapping, df.columns, src.path)
    if df.height == 0:
        raise InputError(src.path, "table has no rows")
    get = {k: _col(df, mapping.get(k), k) for k in MAPPABLE}
    try:
        ts = _timestamps(get["ts"], opts.tz, src.path)
    except _FAILURES as exc:  # a date or time past what a timestamp holds
        raise InputError(src.path, f"{mapping['ts']!r} (ts): times out of range ({_first_line(exc)})") from None
    get = {k: (_text(v, mapping[k], src.path) if v is not None and k != "ts" else v) for k, v in get.items()}
    if ts.null_count():
        i = int(ts.is_null().arg_true()[0])
        raise InputError(src.path, f"row {i}: {mapping['ts']!r} (ts) is empty or not a valid local time in {opts.tz}")
    actor_raw = get["actor"].cast(pl.String)
    kind = get["kind"].cast(pl.String).fill_null("message") if get["kind"] is not None else None
    kinds = kind.to_list() if kind is not None else ["message"] * df.height
    bad = [i for i, k in enumerate(kinds) if k not in KINDS]
    if bad:
        raise InputError(src.path, f"row {bad[0]}: unknown kind {kinds[bad[0]]!r}; allowed: {', '.join(KINDS)}")
    actors = actor_raw.to_list()
    for i, a in enumerate(actors):
        if (a is None or not a.strip()) and kinds[i] != "system":
            raise InputError(src.path, f"row {i}: {mapping['actor']!r} (actor) is empty")

    if get["event_id"] is not None:
        ids = get["event_id"].cast(pl.String)
        if ids.null_count():
            i = int(ids.is_null().arg_true()[0])
            raise InputError(src.path, f"row {i}: {mapping['event_id']!r} (event_id) is empty")
        ids = ids.to_list()
    else:
        cols = [c for c in df.columns if c in set(mapping.values())]
        frame = pl.DataFrame([_text(df[c], c, src.path) for c in cols])
        ids = content_ids(frame, pseudo.salt).to_list()

    members = MemberBook(pseudo)
    by_event: dict[str, str | None] = {}
    actor_ids = []
    for i, a in enumerate(actors):
        mid = members.add(canon_key(a), a.strip()) if a and a.strip() else None
        actor_ids.append(mid)
        by_event[ids[i]] = mid
    col = {k: (v.cast(pl.String).to_list() if v is not None else [None] * df.height)
           for k, v in get.items() if k in ("group_id", "subtype", "reply_to", "target", "thread", "text")}
    stem = private_group_id(PurePosixPath(src.name).stem, pseudo)
    group_ids = [g or group or stem for g in col["group_id"]] if get["group_id"] is not None \
        else [group or stem] * df.height
    if group is not None:
        group_ids = [group] * df.height

    rows: dict[str, list[dict]] = {}
    ts_list = ts.to_list()
    for i in range(df.height):
        tgt_raw = col["target"][i]
        target = members.add(canon_key(tgt_raw), tgt_raw.strip()) if tgt_raw and tgt_raw.strip() else None
        reply_to = col["reply_to"][i] or None
        if reply_to is not None and target is None:
            target = by_event.get(reply_to)
        rows.setdefault(group_ids[i], []).append({
            "event_id": ids[i], "ts": ts_list[i], "actor": actor_ids[i], "kind": kinds[i],
            "subtype": col["subtype"][i], "reply_to": reply_to, "reply_inferred": False,
            "target": target, "thread": col["thread"][i], "text": col["text"][i],
            "n_media": 1 if kinds[i] == "media" else 0, "line": i + 1,
        })
    report.reply_rule = ("recorded in the table's reply column" if get["reply_to"] is not None
                         else "none: the table has no reply column and none were inferred")
    report.capabilities = table_capabilities(mapping, kinds)
    tables = []
    for gid, grp in rows.items():
        ev, _ = finish_events(grp, gid, members, opts, report, src.path)
        tables.append(ev)
    events = pa.concat_tables(tables) if len(tables) > 1 else tables[0]
    report.n_events = events.num_rows
    counts: dict[str, int] = {}
    for k in kinds:
        counts[k] = counts.get(k, 0) + 1
    report.kinds = dict(sorted(counts.items()))
    if len(rows) > 1:
        report.warnings.append(f"the table holds {len(rows)} groups: {', '.join(list(rows)[:10])}")
    member_tables = []
    for gid, grp in rows.items():
        used = {x for r in grp for x in (r["actor"], r["target"]) if x is not None}
        mt = members.table(gid, opts.keep_names)
        member_tables.append(mt.filter(pa.array([a in used for a in mt.column("actor").to_pylist()],
                                                type=pa.bool_())))
    return events, pa.concat_tables(member_tables), report


def table_capabilities(mapping: dict[str, str], kinds: list[str]) -> list[str]:
    """What a table can record: replies when a reply or target column is mapped, text when a
    text column is, and each kind of event it holds (a table's vocabulary is its own: a kind
    that never occurs cannot be told from one the table cannot record)."""
    caps = set()
    if "reply_to" in mapping or "target" in mapping:
        caps.add("reply")
    if "text" in mapping:
        caps.add("text")
    seen = set(kinds)
    for cap, kk in (("reaction", {"reaction"}), ("membership", {"join", "leave", "add", "remove"}),
                    ("deletion", {"deleted"}), ("activity", {"activity"})):
        if seen & kk:
            caps.add(cap)
    return sorted(caps)


