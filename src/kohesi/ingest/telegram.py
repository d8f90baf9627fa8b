"""Telegram Desktop JSON exports (``result.json``) → canonical events.

Two layouts (``shared/formats.md`` §4): a single-chat export ``{name, type, id, messages[]}`` and a
full-account export whose ``chats.list[]`` (and ``left_chats.list[]``) hold one chat each.

- Members are keyed by ``from_id`` / ``actor_id`` (``user123``), never by display name, so a renamed
  or deleted account (``from: null``) keeps one stable pseudonym. Members known only by name
  (``invite_members.members[]`` lists names) are matched to a unique member of that name, else
  keyed by the name.
- Times: ``date_unixtime`` when present, else ``date`` (local time of the exporting machine,
  without offset) in ``tz``.
- ``reply_to_message_id`` is a recorded reply (``reply_inferred`` false), ``target`` its author.
- Reactions: one ``reaction`` event per reactor listed in ``recent``; reactions known only by
  ``count`` are not invented: their number is in the report's warnings.
- Event ids are the message ids; an ``invite_members`` line naming several members gives
  ``<id>``, ``<id>:1``, …; reactions are ``<id>:r<k>``.

The file is parsed with the standard ``json`` module (whole file in memory); streaming very large
exports is left for later.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from kohesi.errors import InputError
from kohesi.ingest.report import ReadReport
from kohesi.ingest.source import Source
from kohesi.ingest.table import MemberBook, ReadOptions, finish_events, to_utc
from kohesi.privacy import Pseudonymizer, canonical

__all__ = ["is_telegram", "telegram_chats", "read_telegram_chat", "chat_name"]

_MEDIA_TYPES = {
    "sticker": "sticker",
    "animation": "gif",
    "video_file": "video",
    "video_message": "video",
    "voice_message": "audio",
    "audio_file": "audio",
}

_SERVICE = {
    "create_group": ("system", "created"),
    "create_channel": ("system", "created"),
    "join_group_by_link": ("join", "join_link"),
    "join_group_by_request": ("join", "join_request"),
    "pin_message": ("system", "pinned"),
    "edit_group_title": ("system", "subject"),
    "edit_group_photo": ("system", "icon"),
    "delete_group_photo": ("system", "icon"),
    "migrate_to_supergroup": ("system", "migrated"),
    "migrate_from_group": ("system", "migrated"),
    "phone_call": ("system", "call"),
    "group_call": ("system", "call"),
    "topic_created": ("system", "topic_created"),
}


def is_telegram(obj: Any) -> bool:
    """Whether parsed JSON is a Telegram Desktop export (single chat or full account)."""
    if not isinstance(obj, dict):
        return False
    chats = obj.get("chats")
    if isinstance(chats, dict) and isinstance(chats.get("list"), list):
        return True
    msgs = obj.get("messages")
    if not isinstance(msgs, list) or "guild" in obj:
        return False
    if not msgs:
        return "type" in obj and "name" in obj
    first = msgs[0]
    return isinstance(first, dict) and "date" in first and "type" in first


def chat_name(chat: dict, index: int) -> str:
    name = chat.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    return f"{chat.get('type', 'chat')} {chat.get('id', index)}"


def telegram_chats(obj: dict) -> list[dict]:
    """The chats of an export: the export itself, or every chat of a full-account export."""
    if isinstance(obj.get("chats"), dict):
        out = list(obj["chats"].get("list") or [])
        left = obj.get("left_chats")
        if isinstance(left, dict):
            out += list(left.get("list") or [])
        return [c for c in out if isinstance(c, dict) and isinstance(c.get("messages"), list)]
    return [obj]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(v if isinstance(v, str) else str(v.get("text", "")) if isinstance(v, dict) else ""
                       for v in value)
    return str(value)


def _entities(m: dict) -> list[dict]:
    ents = m.get("text_entities")
    if isinstance(ents, list):
        return [e for e in ents if isinstance(e, dict)]
    text = m.get("text")
    if isinstance(text, list):
        return [e for e in text if isinstance(e, dict)]
    return []


class _Reader:
    def __init__(self, chat: dict, src: Source, where: str, pseudo: Pseudonymizer, opts: ReadOptions,
                 report: ReadReport):
        self.chat, self.src, self.where, self.opts, self.report = chat, src, where, opts, report
        self.members = MemberBook(pseudo, prefix="telegram:")
        self.by_name: dict[str, set[str]] = {}
        self.author: dict[int, str | None] = {}

    def fail(self, i: int, reason: str):
        raise InputError(self.src.path, f"{self.where}messages[{i}]: {reason}")

    def ts(self, m: dict, i: int, what: str = "message") -> datetime:
        unix = m.get("date_unixtime")
        if unix not in (None, ""):
            try:
                return datetime.fromtimestamp(int(unix), UTC)
            except (TypeError, ValueError, OverflowError):
                self.fail(i, f"{what} has an unreadable date_unixtime {unix!r}")
        date = m.get("date")
        if not isinstance(date, str) or not date:
            self.fail(i, f"{what} lacks 'date'")
        try:
            return to_utc(datetime.fromisoformat(date), self.opts.tz)
        except ValueError:
            self.fail(i, f"{what} has an unreadable date {date!r}")

    def member(self, key: Any, name: Any) -> str | None:
        if key in (None, ""):
            return self.by_name_id(name) if isinstance(name, str) and name else None
        key = str(key)
        seen = self.members.ids.get(key)
        if seen is not None and (not name or self.members.names.get(key) == name):
            return seen
        mid = self.members.add(key, name if isinstance(name, str) else None)
        if isinstance(name, str) and name:
            self.by_name.setdefault(canonical(name), set()).add(key)
        return mid

    def by_name_id(self, name: str) -> str:
        keys = self.by_name.get(canonical(name), set())
        if len(keys) == 1:
            return self.members.add(next(iter(keys)))
        return self.members.add("name:" + canonical(name), name)

    def collect(self, msgs: list) -> None:
        """First pass: members by id (so later lookups by name work) and message authors."""
        for i, m in enumerate(msgs):
            if not isinstance(m, dict):
                self.fail(i, "is not an object")
            if "id" not in m:
                self.fail(i, "lacks 'id'")
            if "type" not in m:
                self.fail(i, "lacks 'type'")
            if m.get("from_id") is not None:
                self.author[m["id"]] = self.member(m["from_id"], m.get("from"))
            elif m.get("actor_id") is not None:
                self.author[m["id"]] = self.member(m["actor_id"], m.get("actor"))

    def mentions(self, m: dict) -> list[str]:
        out: list[str] = []
        for e in _entities(m):
            mid = None
            if e.get("type") == "mention_name" and e.get("user_id") is not None:
                mid = self.member(f"user{e['user_id']}", e.get("text"))
            elif e.get("type") == "mention":
                handle = str(e.get("text", "")).lstrip("@")
                mid = self.resolve_handle(handle)
                if mid is None:
                    self.unresolved += 1
            if mid and mid not in out:
                out.append(mid)
        return out

    def resolve_handle(self, handle: str) -> str | None:
        """``@username`` → the member whose name matches it (exports carry no usernames)."""
        h = canonical(handle)
        hits = set()
        for key, name in self.members.names.items():
            if not name:
                continue
            c = canonical(name)
            if h in (c, c.replace(" ", ""), c.replace(" ", "_")) or (h and h == key.casefold()):
                hits.add(self.members.ids[key])
        if len(hits) == 1:
            return hits.pop()
        firsts = {self.members.ids[k] for k, n in self.members.names.items() if n and canonical(n).split(" ")[0] == h}
        return firsts.pop() if len(firsts) == 1 else None

    def events(self, msgs: list) -> list[dict]:
        self.unresolved = 0
        rows: list[dict] = []
        count_only = 0
        unsupported = 0
        for i, m in enumerate(msgs):
            line = i + 1
            mid = m["id"]
            base = {"event_id": str(mid), "ts": self.ts(m, i), "line": line}
            typ = m["type"]
            if typ == "service":
                rows.extend(self.service(m, base))
                continue
            if typ != "message":
                unsupported += 1
                self.report.skipped.append((line, f"message type {typ!r} not read"))
                continue
            actor = self.author.get(mid)
            if actor is None:
                self.fail(i, "message lacks 'from_id'")
            text = _text(m.get("text"))
            kind, subtype, n_media = "message", None, 0
            if m.get("photo") is not None:
                kind, subtype, n_media = "media", "image", 1
            elif m.get("file") is not None or m.get("media_type"):
                kind, subtype, n_media = "media", _MEDIA_TYPES.get(m.get("media_type"), "document"), 1
            elif m.get("poll") is not None:
                subtype = "poll"
            elif m.get("location_information") is not None:
                subtype = "location"
            elif m.get("contact_information") is not None:
                subtype = "contact"
            if kind == "media" and not text:
                text = None  # no caption
            if kind == "message" and m.get("forwarded_from") is not None:
                subtype = "forwarded"
            if kind == "message" and (m.get("edited") or m.get("edited_unixtime")):
                kind = "edited"
            reply = m.get("reply_to_message_id")
            same_chat = m.get("reply_to_peer_id") in (None, "", self.chat.get("id"))
            ev = dict(base, actor=actor, kind=kind, subtype=subtype, text=text, n_media=n_media,
                      mentions=self.mentions(m))
            if reply is not None and same_chat:
                ev.update(reply_to=str(reply), reply_inferred=False, target=self.author.get(reply))
            rows.append(ev)
            k = 0
            for r in m.get("reactions") or []:
                if not isinstance(r, dict):
                    continue
                recent = [x for x in (r.get("recent") or []) if isinstance(x, dict) and x.get("from_id") is not None]
                count = r.get("count") or 0
                count_only += max(0, int(count) - len(recent)) if isinstance(count, int) else 0
                emoji = r.get("emoji") or r.get("type")
                for x in recent:
                    ts = self.ts(x, i, "reaction") if (x.get("date") or x.get("date_unixtime")) else base["ts"]
                    rows.append({"event_id": f"{mid}:r{k}", "ts": ts, "line": line,
                                 "actor": self.member(x["from_id"], x.get("from")), "kind": "reaction",
                                 "subtype": emoji, "reply_to": str(mid), "reply_inferred": False,
                                 "target": actor})
                    k += 1
        if count_only:
            self.report.warnings.append(
                f"{count_only} reactions counted by Telegram without their reactors (only 'count' "
                "is exported for them); not recorded as events")
        if unsupported:
            self.report.warnings.append(f"{unsupported} messages of an unsupported type skipped")
        if self.unresolved:
            self.report.warnings.append(f"{self.unresolved} @mentions matched no member (exports carry no usernames)")
        return rows

    def service(self, m: dict, base: dict) -> list[dict]:
        action = m.get("action") or "other"
        actor = self.author.get(m["id"])
        if action in ("invite_members", "remove_members"):
            names = [n for n in (m.get("members") or []) if isinstance(n, str)]
            kind = "add" if action == "invite_members" else "remove"
            out = []
            for k, name in enumerate(names or [None]):
                target = self.by_name_id(name) if name else None
                ev = dict(base, actor=actor, kind=kind, subtype=kind, target=target)
                if kind == "remove" and target is not None and target == actor:
                    ev.update(kind="leave", subtype="leave", target=None)
                if k:
                    ev["event_id"] = f"{base['event_id']}:{k}"
                out.append(ev)
            return out
        kind, subtype = _SERVICE.get(action, ("system", str(action)))
        return [dict(base, actor=actor, kind=kind, subtype=subtype)]


def read_telegram_chat(chat: dict, src: Source, group: str | None, pseudo: Pseudonymizer, opts: ReadOptions,
                       index: int | None = None) -> tuple[pa.Table, pa.Table, ReadReport]:
    """One chat of a Telegram export → events, members and the read report."""
    where = f"chats.list[{index}]." if index is not None else ""
    msgs = chat.get("messages")
    if not isinstance(msgs, list):
        raise InputError(src.path, f"{where}messages is missing or not a list")
    name = chat_name(chat, index or 0)
    report = ReadReport(source=src.path, format="telegram-json", platform="telegram", tz=opts.tz,
                        n_lines=len(msgs), group_hint=name,
                        reply_rule="recorded by Telegram (reply_to_message_id); none inferred")
    reader = _Reader(chat, src, where, pseudo, opts, report)
    reader.collect(msgs)
    rows = reader.events(msgs)
    group_id = group or name
    events, members = finish_events(rows, group_id, reader.members, opts, report, src.path)
    return events, members, report
