"""DiscordChatExporter JSON and CSV exports → canonical events (``docs/formats.md`` §5).

JSON: one channel per file. ``group_id`` defaults to the guild's name (the channel's name for
direct messages), ``thread`` is the channel's name. Replies are recorded (``reference.messageId``),
reactions list their users (one ``reaction`` event each, at the message's time: Discord exports
no reaction times), ``mentions`` are users. Members are keyed by the Discord user id. Messages of
bot accounts are excluded unless asked for; the report counts them.

CSV (``AuthorID,Author,Date,Content,Attachments,Reactions``) records neither message ids nor
replies: ids are keyed hashes of the row, and replies are inferred with the same adjacency rule as
for WhatsApp (:mod:`kohesi.ingest.replies`). Its reactions are counts only, kept in the report.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

import polars as pl
import pyarrow as pa

from kohesi.errors import InputError
from kohesi.ingest.bounds import check_lines
from kohesi.ingest.common import MemberBook, check_fields, finish_events, to_utc
from kohesi.ingest.files import SourceFile
from kohesi.ingest.ids import content_ids
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.replies import infer_replies
from kohesi.ingest.report import ReadReport
from kohesi.ingest.text import check_utf8, decode_check
from kohesi.privacy import Pseudonymizer, private_group_id

__all__ = ["is_discord", "is_discord_csv", "read_discord_json", "read_discord_csv", "CSV_HEADER"]

CSV_HEADER = ("AuthorID", "Author", "Date", "Content", "Attachments", "Reactions")

_POST_TYPES = {"Default", "Reply", "ChatInputCommand", "ContextMenuCommand", "ThreadStarterMessage"}
_TYPES = {
    "GuildMemberJoin": ("join", "join"),
    "RecipientAdd": ("add", "add"),
    "RecipientRemove": ("remove", "remove"),
    "ChannelPinnedMessage": ("system", "pinned"),
    "ChannelNameChange": ("system", "subject"),
    "ChannelIconChange": ("system", "icon"),
    "ThreadCreated": ("system", "thread_created"),
    "Call": ("system", "call"),
}
_EXT = {
    "image": {"png", "jpg", "jpeg", "webp", "bmp", "heic", "tif", "tiff"},
    "gif": {"gif"},
    "video": {"mp4", "mov", "webm", "mkv", "avi", "m4v"},
    "audio": {"mp3", "ogg", "oga", "opus", "wav", "m4a", "flac", "aac"},
}


def is_discord(obj: Any) -> bool:
    return isinstance(obj, dict) and isinstance(obj.get("guild"), dict) and isinstance(obj.get("channel"), dict) \
        and isinstance(obj.get("messages"), list)


def is_discord_csv(data: bytes) -> bool:
    """Whether ``data`` starts with DiscordChatExporter's CSV header (in UTF-8 or UTF-16)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = data[:400].decode("utf-16", "replace")
    else:
        head = data[:200].lstrip(codecs.BOM_UTF8).decode("utf-8", "replace")
    head = (head.lstrip("\ufeff").splitlines() or [""])[0].strip()
    return tuple(c.strip().strip('"') for c in head.split(",")) == CSV_HEADER


def _media_subtype(file_name: str) -> str:
    ext = PurePosixPath(file_name.split("?", 1)[0]).suffix.lower().lstrip(".")
    return next((sub for sub, exts in _EXT.items() if ext in exts), "document")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() or "other"


def _parse_time(value: Any, tz: str) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    try:
        return to_utc(datetime.fromisoformat(value), tz)
    except ValueError:
        pass
    for fmt in ("%m/%d/%Y %I:%M %p", "%d-%b-%y %I:%M %p", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return to_utc(datetime.strptime(value, fmt), tz)
        except ValueError:
            continue
    return None


_STRINGS = ("type", "timestamp", "timestampEdited", "content")
_LISTS = ("mentions", "attachments", "stickers", "reactions", "embeds")


def read_discord_json(obj: dict, src: SourceFile, group: str | None, pseudo: Pseudonymizer,
                      opts: ReadOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    guild, channel = obj["guild"], obj["channel"]
    gname = guild.get("name") if isinstance(guild.get("name"), str) else None
    cname = channel.get("name") if isinstance(channel.get("name"), str) else None
    direct = gname == "Direct Messages" or str(channel.get("type") or "").startswith("Direct")
    if direct:
        gname = None  # a direct-message channel is named after the people in it
    group_id = group or private_group_id(gname or cname or PurePosixPath(src.name).stem, pseudo, person=direct)
    msgs = obj["messages"]
    report = ReadReport(source=src.path, format="discord-json", platform="discord", tz=opts.tz,
                        n_lines=len(msgs), group_hint=None if direct else gname or cname,
                        reply_rule="recorded by Discord (reference.messageId); none inferred")
    members = MemberBook(pseudo, prefix="discord:")

    def fail(i: int, reason: str):
        raise InputError(src.path, f"messages[{i}]: {reason}")

    def user(u: Any) -> str | None:
        if not isinstance(u, dict) or u.get("id") in (None, ""):
            return None
        if u.get("isBot") and not opts.include_bots:
            return None
        names = [n for n in (u.get("nickname"), u.get("name")) if isinstance(n, str) and n]
        return members.add(str(u["id"]), names[0] if names else None)

    author: dict[str, str | None] = {}
    bots = 0
    kept: list[tuple[int, dict]] = []
    for i, m in enumerate(msgs):
        if not isinstance(m, dict):
            fail(i, "is not an object")
        for need in ("id", "timestamp", "author"):
            if m.get(need) in (None, ""):
                fail(i, f"lacks {need!r}")
        if not isinstance(m["author"], dict) or m["author"].get("id") in (None, ""):
            fail(i, "author lacks 'id'")
        check_fields(m, src.path, f"messages[{i}]", strings=_STRINGS, lists=_LISTS, ids=("id",))
        check_fields(m["author"], src.path, f"messages[{i}].author", strings=("name", "nickname"), ids=("id",))
        if m["author"].get("isBot") and not opts.include_bots:
            bots += 1
            continue
        author[str(m["id"])] = user(m["author"])
        kept.append((i, m))

    rows: list[dict] = []
    count_only = 0
    for i, m in kept:
        ts = _parse_time(m["timestamp"], opts.tz)
        if ts is None:
            fail(i, f"unreadable timestamp {m['timestamp']!r}")
        mid = str(m["id"])
        actor = author[mid]
        typ = m.get("type") or "Default"
        mentions = [x for x in (user(u) for u in (m.get("mentions") or [])) if x]
        base = {"event_id": mid, "ts": ts, "line": i + 1, "actor": actor, "thread": cname}
        if typ in _TYPES or typ not in _POST_TYPES:
            kind, subtype = _TYPES.get(typ, ("system", _snake(typ)))
            ev = dict(base, kind=kind, subtype=subtype)
            others = [x for x in mentions if x != actor]
            if kind in ("add", "remove"):
                ev["target"] = others[0] if others else None
                if kind == "remove" and not others:
                    ev.update(kind="leave", subtype="leave")
            rows.append(ev)
            continue
        attachments = [a for a in (m.get("attachments") or []) if isinstance(a, dict)]
        stickers = m.get("stickers") or []
        ref = m.get("reference") if isinstance(m.get("reference"), dict) else {}
        forwarded = m.get("forwardedMessage") is not None or ref.get("type") == "Forward"
        kind, subtype, n_media = "message", None, 0
        if attachments:
            kind, subtype, n_media = "media", _media_subtype(str(attachments[0].get("fileName") or attachments[0].get("url") or "")), len(attachments) + len(stickers)
        elif stickers:
            kind, subtype, n_media = "media", "sticker", len(stickers)
        elif forwarded:
            subtype = "forwarded"
        if kind == "message" and m.get("timestampEdited"):
            kind = "edited"
        ev = dict(base, kind=kind, subtype=subtype, text=m.get("content") or "", n_media=n_media, mentions=mentions)
        if ref.get("messageId") and not forwarded:
            rid = str(ref["messageId"])
            ev.update(reply_to=rid, reply_inferred=False, target=author.get(rid))
        rows.append(ev)
        k = 0
        for r in m.get("reactions") or []:
            if not isinstance(r, dict):
                continue
            emoji = r.get("emoji") or {}
            names = [emoji.get(k) for k in ("name", "code")] if isinstance(emoji, dict) else []
            name = next((n for n in names if isinstance(n, str) and n), None)
            users = [u for u in (r.get("users") or []) if isinstance(u, dict)] if isinstance(r.get("users"), list) else []
            count = r.get("count") if isinstance(r.get("count"), int) else len(users)
            count_only += max(0, count - len(users))
            for u in users:
                reactor = user(u)
                if reactor is None:
                    continue
                rows.append({"event_id": f"{mid}:r{k}", "ts": ts, "line": i + 1, "actor": reactor,
                             "kind": "reaction", "subtype": name, "reply_to": mid, "reply_inferred": False,
                             "target": actor, "thread": cname})
                k += 1
    if bots:
        report.warnings.append(f"{bots} messages by bot accounts excluded (pass include_bots=True to keep them)")
    if count_only:
        report.warnings.append(f"{count_only} reactions counted without their users; not recorded as events")
    if any(r["kind"] == "reaction" for r in rows):
        report.warnings.append("reaction times are not exported: reactions are dated at their message")
    events, members_t = finish_events(rows, group_id, members, opts, report, src.path)
    return events, members_t, report


def read_discord_csv(src: SourceFile, group: str | None, pseudo: Pseudonymizer,
                     opts: ReadOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    data = check_utf8(decode_check(src.data, src.path), src.path)
    if b"\r" in data:  # CR-only or CRLF line ends
        data = re.sub(rb"\r\n?", b"\n", data)
    check_lines(data, src.path)
    try:
        df = pl.read_csv(data, infer_schema=False)
    except Exception as exc:
        raise InputError(src.path, f"cannot read as CSV ({str(exc).strip().splitlines()[0][:200]})") from None
    report = ReadReport(source=src.path, format="discord-csv", platform="discord", tz=opts.tz,
                        n_lines=df.height, reply_rule=opts.reply_rule.describe()
                        + " (DiscordChatExporter CSV records no replies; inferred as for WhatsApp)")
    group_id = group or private_group_id(PurePosixPath(src.name).stem, pseudo)
    members = MemberBook(pseudo, prefix="discord:")
    rows: list[dict] = []
    count_only = 0
    for i, r in enumerate(df.iter_rows(named=True)):
        line = i + 1  # record number (a quoted field may span lines)
        if not r["AuthorID"]:
            raise InputError(src.path, f"row {i}: AuthorID is empty")
        ts = _parse_time(r["Date"], opts.tz)
        if ts is None:
            raise InputError(src.path, f"row {i}: unreadable date {r['Date']!r}")
        files = [f.strip() for f in (r["Attachments"] or "").split(",") if f.strip()]
        kind, subtype = ("media", _media_subtype(files[0])) if files else ("message", None)
        for part in re.findall(r"\((\d+)\)", r["Reactions"] or ""):
            count_only += int(part)
        rows.append({"ts": ts, "line": line, "actor": members.add(r["AuthorID"], r["Author"]), "kind": kind,
                     "subtype": subtype, "text": r["Content"] or "", "n_media": len(files),
                     "_key": (r["AuthorID"], r["Content"] or "", r["Attachments"] or "")})
    if not rows:
        raise InputError(src.path, "CSV export holds no messages")
    frame = pl.DataFrame({
        "t": [int(x["ts"].timestamp()) for x in rows],
        "a": [x["_key"][0] for x in rows],
        "c": [x["_key"][1] for x in rows],
        "f": [x["_key"][2] for x in rows],
    })
    ids = content_ids(frame, pseudo.salt).to_list()
    posts = pl.DataFrame({"event_id": ids, "actor": [x["actor"] for x in rows],
                          "ts": pl.Series([x["ts"] for x in rows], dtype=pl.Datetime("us", "UTC"))})
    replies = infer_replies(posts, opts.reply_rule)
    for x, eid, rt, tg, inf in zip(rows, ids, replies["reply_to"], replies["target"], replies["reply_inferred"],
                                   strict=True):
        del x["_key"]
        x.update(event_id=eid, reply_to=rt, target=tg, reply_inferred=inf)
    if count_only:
        report.warnings.append(f"{count_only} reactions in the CSV's Reactions column (counts only, no users); "
                               "not recorded as events")
    events, members_t = finish_events(rows, group_id, members, opts, report, src.path)
    return events, members_t, report
