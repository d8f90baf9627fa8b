"""Slack workspace exports (zip or unzipped folder) → canonical events (``docs/formats.md`` §6).

Layout: ``users.json``, ``channels.json`` (and ``groups.json`` / ``mpims.json`` when the plan
exports private channels), then one folder per channel holding ``YYYY-MM-DD.json`` arrays of
messages. Folders that no listing names are read too, under the folder's name (with a warning);
direct messages (folders named in ``dms.json``) are not read (counted in the warnings).

- ``event_id`` is ``<channel>:<ts>`` (``ts`` is Slack's message id); reactions are
  ``<channel>:<ts>:r<k>``. Times come from ``ts`` (never from the day file's name).
- Threads: a reply (``thread_ts != ts``) gets ``reply_to`` = ``<channel>:<thread_ts>``,
  ``reply_inferred`` false and ``target`` the parent's author (``parent_user_id`` when the parent
  is not in the export or was deleted). ``thread`` is the channel's name.
- Reactions ``[{name, users[], count}]``: one ``reaction`` event per listed user, dated at the
  message (Slack exports no reaction times), ``target`` the message's author. When ``count``
  exceeds the users listed, the missing number is in the report's warnings, never invented.
- ``<@U123>`` mentions → ``mentions`` (member ids).
- Subtypes: ``channel_join`` → join, ``channel_leave`` → leave, ``bot_message`` (and messages of
  ``is_bot`` users) excluded unless ``include_bots`` (counted in the warnings),
  ``thread_broadcast`` → message, ``channel_topic`` / ``channel_purpose`` → system ``subject`` /
  ``description``, ``tombstone`` → deleted (actor null when written by Slackbot),
  ``me_message`` → message ``me``; ``edited`` → kind edited; ``files`` → media. Other subtypes
  become system events with the Slack subtype.
- Members are keyed by the Slack user id; names (only with ``keep_names``) are
  ``profile.display_name``, else ``real_name``.

Channels are read as separate groups (``slack_channels="groups"``, the default: one
:class:`EventLog` per channel from ``read_all``, and ``read`` needs ``group=`` naming the channel
when there are several), or as threads of one group (``slack_channels="threads"``: group id =
the workspace's zip or folder name).
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa

from kohesi.errors import InputError
from kohesi.ingest.common import MemberBook, check_fields, finish_events, load_json
from kohesi.ingest.files import MAX_BYTES, SourceFile, open_zip, read_bytes
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.privacy import Pseudonymizer, private_group_id

__all__ = ["is_slack", "read_slack", "SLACK_MODES"]

SLACK_MODES = ("groups", "threads")
_LISTINGS = ("channels.json", "groups.json", "mpims.json")
_EXTRA = (*_LISTINGS, "users.json", "dms.json")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_SUBTYPES = {
    "channel_join": ("join", "join"),
    "group_join": ("join", "join"),
    "channel_leave": ("leave", "leave"),
    "group_leave": ("leave", "leave"),
    "channel_topic": ("system", "subject"),
    "group_topic": ("system", "subject"),
    "channel_purpose": ("system", "description"),
    "group_purpose": ("system", "description"),
    "tombstone": ("deleted", "tombstone"),
}
_POSTS = {None: None, "thread_broadcast": "thread_broadcast", "me_message": "me", "file_share": None,
          "bot_message": "bot"}
_MIME = {"image": "image", "video": "video", "audio": "audio"}


def _root_of(names: list[str]) -> str | None:
    """Folder (``""`` or ``"x/"``) holding both ``channels.json`` and ``users.json``, if any."""
    names = set(names)
    roots = sorted((n[: -len("channels.json")] for n in names if PurePosixPath(n).name == "channels.json"),
                   key=lambda r: (r.count("/"), r))
    return next((r for r in roots if r + "users.json" in names), None)


def is_slack(path: str | Path) -> bool:
    """Whether ``path`` is a Slack workspace export: a folder or zip with ``channels.json`` and ``users.json``."""
    p = Path(path)
    if p.is_dir():
        return (p / "channels.json").is_file() and (p / "users.json").is_file()
    if p.is_file() and zipfile.is_zipfile(p):
        try:
            with zipfile.ZipFile(p) as zf:
                return _root_of(zf.namelist()) is not None
        except (zipfile.BadZipFile, OSError):
            return False
    return False


def _files(path: Path, max_bytes: int) -> tuple[dict[str, SourceFile], str]:
    """JSON files of the export keyed by their path relative to its root, and the workspace name."""
    if path.is_dir():
        out = {}
        for f in sorted(path.rglob("*.json")):
            rel = f.relative_to(path).as_posix()
            if rel in _EXTRA or (rel.count("/") == 1 and _DAY.match(f.name)):
                out[rel] = SourceFile(str(f), f.name, read_bytes(f, max_bytes))
        return out, path.name
    root = ""

    def pick(names: list[str]) -> list[str]:
        nonlocal root
        root = _root_of(names) or ""
        keep = []
        for n in names:
            if not n.startswith(root):
                continue
            rel = n[len(root):]
            if rel in _EXTRA or (rel.count("/") == 1 and _DAY.match(PurePosixPath(n).name)):
                keep.append(n)
        return keep

    sources = open_zip(path, pick, max_bytes)
    workspace = root.rstrip("/").rsplit("/", 1)[-1] if root else path.stem
    return {s.path.split("!", 1)[1][len(root):]: s for s in sources}, workspace


def _ts(value: Any) -> datetime | None:
    """UTC time of a Slack ``ts`` string (``"1573142413.000200"``), exact to the microsecond."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,12}(\.\d{1,6})?", value.strip()):
        return None
    secs, _, frac = value.strip().partition(".")
    try:
        return datetime.fromtimestamp(int(secs), UTC) + timedelta(microseconds=int(frac.ljust(6, "0")) if frac else 0)
    except (ValueError, OverflowError, OSError):  # past year 9999
        return None


_STRINGS = ("ts", "subtype", "user", "bot_id", "thread_ts", "parent_user_id", "text")
_LISTS = ("files", "reactions")


def _check_message(m: Any, path: str, i: int) -> None:
    """InputError naming message ``i`` of ``path`` when it is not an object, lacks a readable
    ``ts``, or holds a field of the wrong JSON type."""
    if not isinstance(m, dict):
        raise InputError(path, f"[{i}]: message is not an object")
    check_fields(m, path, f"[{i}]: message", strings=_STRINGS, lists=_LISTS)
    for r in m.get("reactions") or []:
        if isinstance(r, dict):
            check_fields(r, path, f"[{i}]: reaction", strings=("name",), lists=("users",))
    if _ts(m.get("ts")) is None:
        what = "lacks 'ts'" if m.get("ts") in (None, "") else f"has an unreadable ts {m.get('ts')!r}"
        raise InputError(path, f"[{i}]: message {what}")


def _array(src: SourceFile, what: str) -> list:
    obj = load_json(src)
    if not isinstance(obj, list):
        raise InputError(src.path, f"{what} is not a JSON array (found {type(obj).__name__})")
    return obj


class _Workspace:
    """Users and channels of an export, and the day files of each channel."""

    def __init__(self, files: dict[str, SourceFile], workspace: str):
        self.files, self.name = files, workspace
        self.users: dict[str, dict] = {}
        for i, u in enumerate(_array(files["users.json"], "users.json")):
            if not isinstance(u, dict) or not u.get("id"):
                raise InputError(files["users.json"].path, f"[{i}]: user is not an object with an 'id'")
            self.users[str(u["id"])] = u
        self.channels: list[tuple[str, str]] = []  # (name, id)
        listed: set[str] = set()
        for listing in _LISTINGS:
            if listing not in files:
                continue
            for i, c in enumerate(_array(files[listing], listing)):
                if not isinstance(c, dict) or not (c.get("name") or c.get("id")):
                    raise InputError(files[listing].path, f"[{i}]: channel is not an object with a 'name'")
                name = str(c.get("name") or c.get("id"))
                if name not in listed:
                    listed.add(name)
                    self.channels.append((name, str(c.get("id") or name)))
        self.dms: list[str] = []
        if "dms.json" in files:
            dm_ids = {str(d.get("id")) for d in _array(files["dms.json"], "dms.json") if isinstance(d, dict)}
            self.dms = sorted({k.split("/", 1)[0] for k in files if "/" in k} & dm_ids)
        folders = sorted({k.split("/", 1)[0] for k in files if "/" in k} - set(self.dms))
        self.unlisted = [f for f in folders if f not in listed]
        self.channels += [(f, f) for f in self.unlisted]

    def days(self, channel: str) -> list[SourceFile]:
        return [self.files[k] for k in sorted(self.files) if k.startswith(channel + "/")]

    def find(self, group: str) -> str | None:
        return next((n for n, cid in self.channels if group in (n, cid, "#" + n)), None)

    def user_name(self, uid: str, m: dict | None = None) -> str | None:
        u = self.users.get(uid) or {}
        prof = u.get("profile") if isinstance(u.get("profile"), dict) else {}
        if not u and m is not None and isinstance(m.get("user_profile"), dict):
            prof = m["user_profile"]
        for name in (prof.get("display_name"), u.get("real_name"), prof.get("real_name")):
            if isinstance(name, str) and name.strip():
                return name.strip()
        return None

    def is_bot(self, uid: Any) -> bool:
        return bool((self.users.get(str(uid)) or {}).get("is_bot"))


def _media_subtype(f: dict) -> str:
    mime = str(f.get("mimetype") or "")
    if f.get("filetype") == "gif" or mime == "image/gif":
        return "gif"
    return _MIME.get(mime.split("/", 1)[0], "document")


class _Channel:
    """Reads one channel's day files into event rows."""

    def __init__(self, ws: _Workspace, channel: str, members: MemberBook, opts: ReadOptions, report: ReadReport):
        self.ws, self.channel, self.members, self.opts, self.report = ws, channel, members, opts, report
        self.bots = self.count_only = self.reactions = 0

    def user(self, uid: Any, m: dict | None = None) -> str | None:
        if uid in (None, "", "USLACKBOT"):
            return None
        uid = str(uid)
        return self.members.add(uid, self.ws.user_name(uid, m))

    def load(self) -> list[dict]:
        out = []
        for src in self.ws.days(self.channel):
            for i, m in enumerate(_array(src, PurePosixPath(src.name).name)):
                _check_message(m, src.path, i)
                out.append(m)
        return out

    def rows(self, line0: int) -> list[dict]:
        msgs = self.load()
        self.report.n_lines += len(msgs)
        ch = self.channel
        author: dict[str, str | None] = {}
        for m in msgs:
            author[f"{ch}:{m['ts']}"] = self.author(m)
        rows: list[dict] = []
        for n, m in enumerate(msgs):
            if self._bot(m) and not self.opts.include_bots:
                self.bots += 1
                continue
            eid = f"{ch}:{m['ts']}"
            ts = _ts(m["ts"])
            sub = m.get("subtype")
            actor = self.author(m)
            base = {"event_id": eid, "ts": ts, "line": line0 + n + 1, "actor": actor, "thread": ch}
            if sub in _SUBTYPES:
                kind, subtype = _SUBTYPES[sub]
                ev = dict(base, kind=kind, subtype=subtype)
                if kind == "deleted":
                    ev["text"] = None
                    self._reply(ev, m, author)
                rows.append(ev)
                continue
            if sub not in _POSTS:
                rows.append(dict(base, kind="system", subtype=str(sub)))
                continue
            files = [f for f in (m.get("files") or []) if isinstance(f, dict)]
            text = m.get("text") if isinstance(m.get("text"), str) else ""
            kind, subtype, n_media = "message", _POSTS[sub], 0
            if files:
                kind, subtype, n_media = "media", _media_subtype(files[0]), len(files)
                text = text or None
            elif m.get("edited"):
                kind = "edited"
            mentions: list[str] = []
            for uid in _MENTION.findall(text or ""):
                mid = self.user(uid)
                if mid and mid not in mentions:
                    mentions.append(mid)
            ev = dict(base, kind=kind, subtype=subtype, text=text, n_media=n_media, mentions=mentions)
            self._reply(ev, m, author)
            rows.append(ev)
            rows.extend(self._reactions(m, base, actor))
        return rows

    def author(self, m: dict) -> str | None:
        if self._bot(m):
            return self.user(m.get("user") or m.get("bot_id"), m) if self.opts.include_bots else None
        return self.user(m.get("user"), m)

    def _bot(self, m: dict) -> bool:
        return m.get("subtype") == "bot_message" or (m.get("user") is not None and self.ws.is_bot(m["user"]))

    def _reply(self, ev: dict, m: dict, author: dict) -> None:
        parent = m.get("thread_ts")
        if not isinstance(parent, str) or parent == m["ts"]:
            return
        pid = f"{self.channel}:{parent}"
        target = author.get(pid) or self.user(m.get("parent_user_id"))
        ev.update(reply_to=pid, reply_inferred=False, target=target)

    def _reactions(self, m: dict, base: dict, actor: str | None) -> list[dict]:
        out = []
        k = 0
        for r in m.get("reactions") or []:
            if not isinstance(r, dict):
                continue
            users = [u for u in (r.get("users") or []) if isinstance(u, str) and u]
            count = r.get("count") if isinstance(r.get("count"), int) else len(users)
            self.count_only += max(0, count - len(users))
            for u in users:
                if self.ws.is_bot(u) and not self.opts.include_bots:
                    continue
                out.append(dict(base, event_id=f"{base['event_id']}:r{k}", actor=self.user(u), kind="reaction",
                                subtype=r.get("name"), reply_to=base["event_id"], reply_inferred=False,
                                target=actor))
                k += 1
        self.reactions += k
        return out


def _report(src: str, opts: ReadOptions, hint: str) -> ReadReport:
    return ReadReport(source=src, format="slack-json", platform="slack", tz=opts.tz, group_hint=hint,
                      reply_rule="recorded by Slack (thread_ts); none inferred")


def _warn(report: ReadReport, chans: list[_Channel], ws: _Workspace) -> None:
    bots = sum(c.bots for c in chans)
    count_only = sum(c.count_only for c in chans)
    if bots:
        report.warnings.append(f"{bots} messages by bots excluded (pass include_bots=True to keep them)")
    if count_only:
        report.warnings.append(f"{count_only} reactions counted by Slack without their users (users[] is "
                               "truncated); not recorded as events")
    if any(c.reactions for c in chans):
        report.warnings.append("reaction times are not exported: reactions are dated at their message")
    if ws.dms:
        report.warnings.append(f"{len(ws.dms)} direct-message conversations (dms.json) not read: they are "
                               "private to two people, not part of a group")
    unlisted = [f for f in ws.unlisted if f in {c.channel for c in chans}]
    if unlisted:
        report.warnings.append(f"folders not named in channels.json read as channels: {', '.join(unlisted)}")


def read_slack(path: str | Path, group: str | None, pseudo: Pseudonymizer, opts: ReadOptions, *,
               mode: str = "groups", every_chat: bool = False, max_bytes: int = MAX_BYTES,
               ) -> list[tuple[pa.Table, pa.Table, ReadReport]]:
    """Read a Slack export: one (events, members, report) per channel, or one for the workspace."""
    if mode not in SLACK_MODES:
        raise InputError(path, f"unknown slack_channels {mode!r}; use 'groups' or 'threads'")
    files, workspace = _files(Path(path), max_bytes)
    ws = _Workspace(files, workspace)
    names = [n for n, _ in ws.channels]
    if not names:
        raise InputError(path, "Slack export holds no channels")
    if mode == "threads":
        gid = group or private_group_id(workspace, pseudo)
        report = _report(str(path), opts, workspace)
        members = MemberBook(pseudo, prefix="slack:")
        chans, rows = [], []
        for name in names:
            ch = _Channel(ws, name, members, opts, report)
            rows += ch.rows(report.n_lines)
            chans.append(ch)
        _warn(report, chans, ws)
        events, members_t = finish_events(rows, gid, members, opts, report, str(path))
        return [(events, members_t, report)]
    if every_chat:
        chosen = names
    elif group is not None:
        hit = ws.find(group)
        if hit is None:
            raise InputError(path, f"no channel named {group!r} in this Slack export; channels: {', '.join(names)}")
        chosen = [hit]
    elif len(names) == 1:
        chosen = names
    else:
        raise InputError(path, f"this Slack export holds {len(names)} channels; pass group= one of: "
                               f"{', '.join(names)} (or use read_all, or slack_channels='threads')")
    out = []
    for name in chosen:
        report = _report(str(path), opts, name)
        members = MemberBook(pseudo, prefix="slack:")
        ch = _Channel(ws, name, members, opts, report)
        rows = ch.rows(0)
        _warn(report, [ch], ws)
        events, members_t = finish_events(rows, private_group_id(name, pseudo), members, opts, report, str(path))
        out.append((events, members_t, report))
    return out
