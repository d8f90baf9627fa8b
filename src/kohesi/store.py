"""The embedded store: one DuckDB file holding every imported group's events and members.

Imports are idempotent and atomic: an event is identified by ``(group_id, event_id)``, so importing
the same export twice, or a later export that overlaps an earlier one, adds exactly the events not
yet stored; each import runs in one transaction, so an interrupted import leaves the store as it
was. The store keeps its own secret salt, so pseudonyms are stable across imports into it.

Each group remembers the settings it was read with (timezone, date order, reply rule: those of its
latest import, :mod:`kohesi.store_settings`): an import read with other ones is refused (its events
would be stored twice, or hours off the stored ones), unless it replaces the group
(``add(log, replace=True)``).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from kohesi.errors import StoreError
from kohesi.events import EVENT_SCHEMA, MEMBER_SCHEMA, SourceInfo, conform, with_source_info
from kohesi.ingest import EventLog
from kohesi.privacy import (
    PRIVATE_GROUP,
    Pseudonymizer,
    mask_phones,
    private_group_id,
    private_source,
)
from kohesi.store_settings import Settings, differences, refusal

__all__ = ["Store", "AddResult", "DEFAULT_STORE", "DEFAULT_WAIT", "WAIT_ENV", "to_arrow"]

DEFAULT_STORE = "kohesi.duckdb"

DEFAULT_WAIT = 600.0
"""Seconds to wait for a store another process holds, unless ``wait=`` or :data:`WAIT_ENV` says."""

WAIT_ENV = "KOHESI_STORE_WAIT"
"""Environment variable: seconds to wait for a store another process holds (``0``: fail at once)."""

PRIVATE_IDS = "private/1"
"""Meta ``group_ids``: the store's group ids and recorded sources name no person (a store written
before has them renamed when opened, :meth:`Store._private_group_ids`)."""

SCHEMA = EVENT_SCHEMA.metadata[b"kohesi.schema"].decode()
"""The event schema version this kohesi writes (``events/2``)."""

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS events (
    group_id VARCHAR NOT NULL, event_id VARCHAR NOT NULL, ts TIMESTAMPTZ NOT NULL, actor VARCHAR,
    kind VARCHAR NOT NULL, subtype VARCHAR, reply_to VARCHAR, reply_inferred BOOLEAN, target VARCHAR,
    mentions VARCHAR[], thread VARCHAR, text VARCHAR, n_chars INTEGER, n_media SMALLINT, line BIGINT,
    acts VARCHAR[]
);
CREATE TABLE IF NOT EXISTS members (
    group_id VARCHAR NOT NULL, actor VARCHAR NOT NULL, name VARCHAR, is_phone BOOLEAN
);
CREATE TABLE IF NOT EXISTS imports (
    import_id INTEGER, group_id VARCHAR, source VARCHAR, sha256 VARCHAR, imported_at TIMESTAMPTZ,
    n_read BIGINT, n_added BIGINT, report JSON, first_ts TIMESTAMPTZ, last_ts TIMESTAMPTZ
);
"""


def to_arrow(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """A relation (``con.sql(...)``) as an Arrow table (DuckDB 1.x and 2.x spell it differently)."""
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
    return fetch()


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Store.add` did; ``replaced``: events of the group it removed first (``replace=True``)."""

    group_id: str
    n_read: int
    n_added: int
    n_members_added: int
    replaced: int = 0

    @property
    def n_duplicates(self) -> int:
        return self.n_read - self.n_added


def _wait_seconds(wait: float | None) -> float:
    """The wait for a held store: ``wait`` if given, else :data:`WAIT_ENV`, else :data:`DEFAULT_WAIT`."""
    if wait is not None:
        if math.isnan(wait) or wait < 0:
            raise ValueError(f"wait must be a number of seconds >= 0, not {wait!r}")
        return float(wait)
    raw = os.environ.get(WAIT_ENV, "").strip()
    if not raw:
        return DEFAULT_WAIT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if math.isnan(seconds) or seconds < 0:
        raise StoreError(f"{WAIT_ENV} must be a number of seconds (0 = do not wait), not {raw!r}")
    return seconds


def _lock_conflict(exc: duckdb.Error) -> bool:
    """Whether ``exc`` says another process holds the file's lock (and not, say, that the file
    system has no locks: that never clears, so it is not worth waiting for)."""
    if not isinstance(exc, duckdb.IOException):
        return False
    msg = str(exc).lower()
    return "could not set lock" in msg and ("conflicting lock" in msg or "another process" in msg)


def _holder(exc: duckdb.Error) -> str:
    """``"another process (pid N)"``, the pid when DuckDB's message names it."""
    m = re.search(r"\(PID (\d+)\)", str(exc))
    return f"another process (pid {m.group(1)})" if m else "another process"


def _secs(seconds: float) -> str:
    return f"{seconds:g} s"


def _say_on_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _connect(path: Path, read_only: bool, wait: float,
             on_wait: Callable[[str], None]) -> duckdb.DuckDBPyConnection:
    """``duckdb.connect``, waiting with backoff while another process holds the file's lock.

    DuckDB lets one process write a file (or several read it); a failed open holds nothing, so
    each retry starts afresh. ``on_wait`` is told once, at the first conflict, when there is a
    wait at all; after ``wait`` seconds a one-line :class:`StoreError` names the file."""
    deadline = time.monotonic() + wait
    delay, told = 0.05, False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            if not _lock_conflict(exc):
                raise StoreError(f"{path}: cannot open as a kohesi store ({exc})") from None
            holder = _holder(exc)
        left = deadline - time.monotonic()
        if left <= 0:
            if wait == 0:
                raise StoreError(f"{path}: in use by {holder}; try again when it has finished, "
                                 f"or set {WAIT_ENV}=SECONDS to wait for it") from None
            raise StoreError(f"{path}: in use by {holder}; gave up after waiting {_secs(wait)} "
                             f"(set {WAIT_ENV}=SECONDS to wait longer)") from None
        if not told:
            told = True
            until = "until it is free" if math.isinf(wait) else f"up to {_secs(wait)}"
            on_wait(f"store {path} is in use by {holder}; waiting {until}...")
        time.sleep(min(delay, left))
        delay = min(delay * 2, 1.0)


def _private_hint(hint: str | None, group: str) -> str | None:
    """The chat name a read found in the data, as a store records it: none for a one-to-one chat,
    phone numbers masked in any other."""
    if hint is None or PRIVATE_GROUP.fullmatch(group):
        return None
    return mask_phones(hint)


def _recorded(log: EventLog, group: str) -> tuple[str, str]:
    """The source and the read report (JSON) an import records: no folder, no person's name or
    number (:func:`kohesi.privacy.private_source`)."""
    rep = log.report.to_dict()
    rep["source"] = private_source(log.report.source, group)
    rep["group_hint"] = _private_hint(rep.get("group_hint"), group)
    return rep["source"], json.dumps(rep, default=str)


class Store:
    """A DuckDB file of events. Use as a context manager, or call :meth:`close`.

    DuckDB lets one process write a store at a time. When another process holds it (a second
    ``kohesi add`` while one runs), opening waits for it, up to ``wait`` seconds (default: the
    :data:`WAIT_ENV` environment variable, else :data:`DEFAULT_WAIT`; ``0``: fail at once),
    telling ``on_wait`` once (default: one line on stderr), then raises :class:`StoreError`.
    """

    def __init__(self, path: str | Path = DEFAULT_STORE, *, read_only: bool = False,
                 wait: float | None = None, on_wait: Callable[[str], None] | None = None):
        self.path = Path(path)
        seconds = _wait_seconds(wait)
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no such store; create it with `kohesi add EXPORT`")
        self.con = _connect(self.path, read_only, seconds, on_wait or _say_on_stderr)
        try:
            if not read_only:
                self.con.execute(_DDL)
                if self._meta("salt") is None:
                    self.con.execute("INSERT INTO meta VALUES ('salt', ?), ('schema', ?), ('group_ids', ?)",
                                     [secrets.token_bytes(16).hex(), SCHEMA, PRIVATE_IDS])
                self._migrate()
                self._migrate_imports()
                self._private_group_ids()
            elif self._meta("salt") is None:
                raise StoreError(f"{self.path}: not a kohesi store")
            elif self._meta("group_ids") != PRIVATE_IDS:
                self._migrate_then_read(seconds, on_wait)
        except BaseException:
            self.con.close()  # a store that failed to open holds nothing
            raise

    def _migrate_then_read(self, wait: float, on_wait: Callable[[str], None] | None) -> None:
        """A store written before group ids were made private, opened to read: migrated first
        (briefly opened to write), so that no report of it names a person; left as it is when it
        cannot be written (a read-only file), and read."""
        self.con.close()
        try:
            Store(self.path, wait=wait, on_wait=on_wait).close()
        except (StoreError, OSError):
            pass
        self.con = _connect(self.path, True, wait, on_wait or _say_on_stderr)

    def _private_group_ids(self) -> None:
        """Rename, in one transaction, the group ids an earlier kohesi took from chat names as they
        were: a phone number in one is masked, a one-to-one chat (named after a phone number or a
        member) gets ``chat-`` and that member's pseudonym (:func:`kohesi.privacy.private_group_id`);
        the recorded source of each import is reduced to what :func:`kohesi.privacy.private_source`
        keeps. Runs once per store."""
        if self._meta("group_ids") == PRIVATE_IDS:
            return
        con = self.con
        pseudo = Pseudonymizer(self.salt)
        con.execute("BEGIN TRANSACTION")
        try:
            groups = [r[0] for r in con.execute("SELECT group_id FROM events UNION SELECT group_id FROM imports "
                                                "UNION SELECT group_id FROM members ORDER BY 1").fetchall()]
            taken = set(groups)
            for old in groups:
                actors = {r[0] for r in con.execute("SELECT actor FROM members WHERE group_id = ?", [old]).fetchall()}
                new = private_group_id(old, pseudo, actors)
                if new != old and new not in taken:
                    for table in ("events", "members", "imports"):
                        con.execute(f"UPDATE {table} SET group_id = ? WHERE group_id = ?", [new, old])
                    taken.add(new)
            for import_id, group, source, report in con.execute(
                    "SELECT import_id, group_id, source, report FROM imports").fetchall():
                rep = json.loads(report) if report else None
                kept = private_source(source, group) if source else source
                if rep is not None:
                    rep["source"] = kept
                    rep["group_hint"] = _private_hint(rep.get("group_hint"), group)
                con.execute("UPDATE imports SET source = ?, report = ? WHERE import_id = ?",
                            [kept, json.dumps(rep, default=str) if rep is not None else None, import_id])
            con.execute("INSERT OR REPLACE INTO meta VALUES ('group_ids', ?)", [PRIVATE_IDS])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _migrate(self) -> None:
        """Bring a store of an earlier schema to :data:`SCHEMA`, in one transaction.

        ``events/1`` → ``events/2``: the ``acts`` column is added, null for the events already
        stored (their text was not kept, so it cannot be read again; re-import the export to tag
        it)."""
        version = self._meta("schema")
        if version == SCHEMA:
            return
        if version != "events/1":
            raise StoreError(f"{self.path}: unknown store schema {version!r} (this kohesi writes {SCHEMA})")
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            columns = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                                 "WHERE table_name = 'events'").fetchall()}
            if "acts" not in columns:
                con.execute("ALTER TABLE events ADD COLUMN acts VARCHAR[]")
            con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", [SCHEMA])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _imports_have_spans(self) -> bool:
        return {"first_ts", "last_ts"} <= {r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'imports'").fetchall()}

    def _inferred_spans(self) -> dict[int, tuple[datetime, datetime]]:
        """First and last event of imports made before kohesi recorded them, where the store
        still tells: an import whose export held every event stored by then (``n_read`` equals
        the events its group had after it: the nested exports of one phone) spanned exactly the
        group's events stored up to it, found in insertion order (DuckDB's ``rowid``, which
        deletes and vacuums leave in order). Other old imports stay unknown (None)."""
        out: dict[int, tuple[datetime, datetime]] = {}
        rows = self.con.execute("SELECT group_id, import_id, n_read, n_added FROM imports "
                                "ORDER BY group_id, import_id").fetchall()
        total: dict[str, int] = {}
        for group, import_id, n_read, n_added in rows:
            total[group] = total.get(group, 0) + int(n_added or 0)
            if n_read is None or int(n_read) != total[group] or total[group] == 0:
                continue
            span = self.con.execute(
                "SELECT min(ts), max(ts) FROM (SELECT ts FROM events WHERE group_id = ? ORDER BY rowid LIMIT ?)",
                [group, total[group]]).fetchall()[0]
            if span[0] is not None:
                out[import_id] = span
        return out

    def _migrate_imports(self) -> None:
        """Give the ``imports`` table of a store written before kohesi recorded each import's
        first and last event the columns ``first_ts`` and ``last_ts``, filled where the store
        still tells (:meth:`_inferred_spans`), in one transaction."""
        if self._imports_have_spans():
            return
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute("ALTER TABLE imports ADD COLUMN first_ts TIMESTAMPTZ")
            con.execute("ALTER TABLE imports ADD COLUMN last_ts TIMESTAMPTZ")
            for import_id, (first, last) in self._inferred_spans().items():
                con.execute("UPDATE imports SET first_ts = ?, last_ts = ? WHERE import_id = ?", [first, last, import_id])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def export_spans(self, group: str) -> list[tuple[datetime | None, datetime | None]]:
        """First and last event of each import of ``group``, in import order (None where an old
        import did not record them and the store cannot tell, :meth:`_inferred_spans`)."""
        if self._imports_have_spans():
            return [(a, b) for a, b in self.con.execute(
                "SELECT first_ts, last_ts FROM imports WHERE group_id = ? ORDER BY import_id", [group]).fetchall()]
        inferred = self._inferred_spans()  # a store of an earlier kohesi, opened to read
        ids = [r[0] for r in self.con.execute("SELECT import_id FROM imports WHERE group_id = ? ORDER BY import_id",
                                              [group]).fetchall()]
        return [inferred.get(i, (None, None)) for i in ids]

    def earlier_end(self, group: str, before: datetime | None = None) -> datetime | None:
        """The last event of ``group``'s most recent earlier export: the latest import end before
        ``before`` (default: the latest import end). None when the store holds no earlier period
        (one export, re-imports of the same one, or ends it cannot tell)."""
        ends = sorted({b for _, b in self.export_spans(group) if b is not None})
        if before is None:
            ends = ends[:-1]
        else:
            ends = [e for e in ends if e < before]
        return ends[-1] if ends else None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def _meta(self, key: str) -> str | None:
        try:
            rows = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        except duckdb.CatalogException:
            return None
        return rows[0][0] if rows else None

    def _scalar(self, sql: str, params: list | None = None):
        return self.con.execute(sql, params or []).fetchall()[0][0]

    @property
    def salt(self) -> bytes:
        """The store's secret: pseudonyms and ids of everything imported into it use it."""
        return bytes.fromhex(self._meta("salt"))

    @staticmethod
    def group_of(log: EventLog) -> str:
        """The group ``log`` is stored under (an empty log's: its file's name, phone numbers masked)."""
        return log.group_id or private_source(log.report.source, "")

    def _latest_report(self, group: str) -> dict | None:
        """The read report of ``group``'s latest import: None if it has no import, ``{}`` if that
        import recorded none."""
        rows = self.con.execute(
            "SELECT report FROM imports WHERE group_id = ? ORDER BY import_id DESC LIMIT 1", [group]).fetchall()
        if not rows:
            return None
        return json.loads(rows[0][0]) if rows[0][0] is not None else {}

    def settings(self, group: str) -> Settings | None:
        """The settings ``group`` was read with (its latest import's), None if it has no import."""
        rep = self._latest_report(group)
        return Settings.of(rep) if rep is not None else None

    def check(self, log: EventLog) -> None:
        """Raise :class:`StoreError` (one line: what differs, what to do) if ``log`` was read with
        other settings than its group is stored with; settings either side did not record are not
        compared."""
        group = self.group_of(log)
        stored = self.settings(group)
        diff = differences(stored, Settings.of(log.report)) if stored is not None else {}
        if diff:
            raise StoreError(refusal(group, diff))

    def _remove(self, group: str) -> int:
        """Delete ``group``'s events, members and imports (inside the caller's transaction);
        returns the number of events removed."""
        removed = self._scalar("SELECT count(*) FROM events WHERE group_id = ?", [group])
        for table in ("events", "members", "imports"):
            self.con.execute(f"DELETE FROM {table} WHERE group_id = ?", [group])
        return removed

    def add(self, log: EventLog, *, source_bytes: bytes | None = None, replace: bool = False) -> AddResult:
        """Append ``log`` idempotently, in one transaction.

        Refused (:class:`StoreError`) if its group is stored with other settings (:meth:`check`),
        unless ``replace``: then the group's events, members and imports are deleted first, in the
        same transaction, so a failed import leaves the old group as it was."""
        events = log.events.cast(EVENT_SCHEMA)
        members = log.members.cast(MEMBER_SCHEMA)
        group_id = self.group_of(log)
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.register("new_events", events)
            con.register("new_members", members)
            if replace:
                replaced = self._remove(group_id)
            else:
                replaced = 0
                self.check(log)
            before = self._scalar("SELECT count(*) FROM events WHERE group_id = ?", [group_id])
            con.execute("""
                INSERT INTO events SELECT n.* FROM new_events n
                WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.group_id = n.group_id AND e.event_id = n.event_id)
            """)
            after = self._scalar("SELECT count(*) FROM events WHERE group_id = ?", [group_id])
            m_before = self._scalar("SELECT count(*) FROM members")
            con.execute("""
                UPDATE members SET name = n.name FROM new_members n
                WHERE members.group_id = n.group_id AND members.actor = n.actor AND n.name IS NOT NULL
            """)
            con.execute("""
                INSERT INTO members SELECT n.* FROM new_members n
                WHERE NOT EXISTS (SELECT 1 FROM members m WHERE m.group_id = n.group_id AND m.actor = n.actor)
            """)
            m_added = self._scalar("SELECT count(*) FROM members") - m_before
            import_id = self._scalar("SELECT coalesce(max(import_id), 0) + 1 FROM imports")
            digest = hashlib.sha256(source_bytes).hexdigest() if source_bytes is not None else None
            span = pc.min_max(events.column("ts")) if events.num_rows else None
            con.execute(
                "INSERT INTO imports (import_id, group_id, source, report, sha256, imported_at, n_read, n_added, "
                "first_ts, last_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [import_id, group_id, *_recorded(log, group_id), digest, datetime.now(UTC),
                 events.num_rows, after - before, *((span["min"].as_py(), span["max"].as_py()) if span else (None, None))],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        finally:
            con.unregister("new_events")
            con.unregister("new_members")
        return AddResult(group_id, events.num_rows, after - before, m_added, replaced)

    def groups(self) -> pa.Table:
        """One row per group: events, posts, members, first and last event, imports. ``active_members``
        are the members who wrote at least once (a post: the report's definition), not those with
        only a join, a reaction or an attendance."""
        return to_arrow(self.con.sql("""
            SELECT e.group_id,
                   count(*) AS events,
                   count(*) FILTER (WHERE kind IN ('message','media','edited','deleted')) AS posts,
                   count(DISTINCT actor) FILTER (WHERE kind IN ('message','media','edited','deleted')) AS active_members,
                   (SELECT count(*) FROM members m WHERE m.group_id = e.group_id) AS members,
                   min(ts) AS first, max(ts) AS last,
                   (SELECT count(*) FROM imports i WHERE i.group_id = e.group_id) AS imports
            FROM events e GROUP BY e.group_id ORDER BY e.group_id
        """))

    def source(self, group: str) -> SourceInfo:
        """The format, capabilities and timezone of a group, as its latest import recorded them."""
        rep = self._latest_report(group)
        if not rep:
            return SourceInfo()
        caps = rep.get("capabilities")
        return SourceInfo(rep.get("format") or None, frozenset(caps) if caps is not None else None, rep.get("tz"))

    def events(self, group: str | None = None, *, since: datetime | None = None,
               until: datetime | None = None) -> pa.Table:
        """Events (canonical schema), optionally of one group and a time range ``[since, until)``;
        one group's events carry its source and timezone (:func:`kohesi.events.source_info`)."""
        where, params = ["TRUE"], []
        if group is not None:
            where.append("group_id = ?")
            params.append(group)
        if since is not None:
            where.append("ts >= ?")
            params.append(since)
        if until is not None:
            where.append("ts < ?")
            params.append(until)
        rel = self.con.sql(f"SELECT * FROM events WHERE {' AND '.join(where)} ORDER BY group_id, ts, line, event_id",
                           params=params)
        table = conform(to_arrow(rel))  # a store of events/1 opened read-only has no acts: null
        return with_source_info(table, self.source(group)) if group is not None else table

    def members(self, group: str | None = None) -> pa.Table:
        rel = self.con.sql("SELECT * FROM members WHERE (? IS NULL OR group_id = ?) ORDER BY group_id, actor",
                           params=[group, group])
        return to_arrow(rel).cast(MEMBER_SCHEMA)

    def group_ids(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT DISTINCT group_id FROM events ORDER BY 1").fetchall()]
