"""What the readers share: members met in a source, JSON loading, local times, finishing events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa

from kohesi.errors import InputError
from kohesi.events import EVENT_SCHEMA, MEMBER_SCHEMA, POST_KINDS, validate_events
from kohesi.ingest.bounds import check_json
from kohesi.ingest.files import SourceFile
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.ingest.text import decode_check
from kohesi.privacy import Pseudonymizer, clean_name, is_phone

__all__ = ["MemberBook", "load_json", "check_fields", "to_utc", "finish_events", "canon_key"]


class MemberBook:
    """Members met in a source, keyed by the source's own stable key (user id, or name)."""

    def __init__(self, pseudo: Pseudonymizer, prefix: str = ""):
        self.pseudo = pseudo
        self.prefix = prefix
        self.names: dict[str, str | None] = {}  # key → display name (raw)
        self.ids: dict[str, str] = {}

    def add(self, key: str, name: str | None = None) -> str:
        """Member id of ``key``; records ``name`` the first time one is seen."""
        key = str(key)
        if key not in self.ids:
            self.ids[key] = self.pseudo.member_id(self.prefix + key)
            self.names[key] = name
        elif name and not self.names.get(key):
            self.names[key] = name
        return self.ids[key]

    def table(self, group_id: str, keep_names: bool) -> pa.Table:
        rows = {}
        for key, mid in self.ids.items():
            raw = self.names.get(key)
            name = clean_name(raw) if raw else None
            rows.setdefault(mid, {
                "group_id": group_id,
                "actor": mid,
                "name": self.pseudo.display(name, keep_names) if name else None,
                "is_phone": is_phone(name) if name else False,
            })
        return pa.Table.from_pylist([rows[k] for k in sorted(rows)], schema=MEMBER_SCHEMA)


def load_json(src: SourceFile) -> Any:
    """Parsed JSON of ``src``, or an InputError naming the byte, line and column where it breaks."""
    data = decode_check(src.data, src.path)
    check_json(data, src.path)
    try:
        return json.loads(data)
    except UnicodeDecodeError as exc:
        raise InputError(src.path, f"not UTF-8 text (byte offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        end = data.rstrip()
        truncated = exc.pos >= len(end) or end[-1:] not in (b"}", b"]")
        hint = f"; the file looks truncated (ends at byte {len(data)})" if truncated else ""
        raise InputError(src.path, f"invalid JSON at byte {exc.pos} (line {exc.lineno}, column {exc.colno}): "
                                   f"{exc.msg}{hint}", line=exc.lineno) from None
    except ValueError as exc:  # a number Python will not convert (the bounds make it rare)
        raise InputError(src.path, f"invalid JSON ({exc})") from None


def check_fields(obj: dict, path: str, where: str, *, strings: tuple[str, ...] = (),
                 lists: tuple[str, ...] = (), ids: tuple[str, ...] = ()) -> None:
    """InputError naming ``path`` and ``where`` (e.g. ``messages[3]``) when a field of a JSON
    object has the wrong type: each of ``strings`` must be a string, each of ``lists`` a list,
    each of ``ids`` a string or an integer (absent or null fields pass)."""
    for keys, types, what in ((strings, (str,), "a string"), (lists, (list,), "a list"),
                              (ids, (str, int), "a string or an integer")):
        for key in keys:
            value = obj.get(key)
            if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
                raise InputError(path, f"{where}: field {key!r} is a {type(value).__name__}, not {what}")


def to_utc(value: datetime, tz: str) -> datetime:
    """Aware UTC datetime; a naive ``value`` is local time in ``tz``."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz))
    return value.astimezone(UTC)


def finish_events(rows: list[dict], group_id: str, members: MemberBook, opts: ReadOptions,
                  report: ReadReport, source: str) -> tuple[pa.Table, pa.Table]:
    """Canonical events and members from event dicts (keys of EVENT_SCHEMA; missing ones null).

    Sets ``group_id``, ``n_chars`` (posts only), keeps ``text`` only to keep or tag it, and fills the
    report's event counts. Raises InputError on duplicate ids or unknown kinds.
    """
    out = []
    for r in rows:
        text = r.get("text")
        post = r["kind"] in POST_KINDS
        out.append({
            "group_id": group_id,
            "event_id": r["event_id"],
            "ts": r["ts"],
            "actor": r.get("actor"),
            "kind": r["kind"],
            "subtype": r.get("subtype"),
            "reply_to": r.get("reply_to"),
            "reply_inferred": bool(r.get("reply_inferred", False)),
            "target": r.get("target"),
            "mentions": r.get("mentions") or [],
            "thread": r.get("thread"),
            "text": text if (opts.hold_text and post) else None,
            "n_chars": len(text) if (post and text) else 0,
            "n_media": r.get("n_media", 0),
            "line": r.get("line"),
        })
    events = validate_events(pa.Table.from_pylist(out, schema=EVENT_SCHEMA), source=source)
    report.n_events = events.num_rows
    kinds: dict[str, int] = {}
    for r in out:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    report.kinds = dict(sorted(kinds.items()))
    return events, members.table(group_id, opts.keep_names)


# -- generic tables ------------------------------------------------------------------------------


def canon_key(name: str) -> str:
    """Key of a member known only by name (the same as WhatsApp's, so names match across sources)."""
    return name.strip()
