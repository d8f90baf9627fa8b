"""The streamed Telegram reader against the reference: the whole-file reader it replaced.

The reference below is the previous reader, kept verbatim: it ``json.load``-s the export and
builds a dict per event. Every export here (hand-made edge cases, and hypothesis-generated ones
written pretty-printed like Telegram Desktop or compact with ``\\u`` escapes) must read the
same through the stream, whatever the block size, including blocks of a few bytes that cut
messages, strings and escapes anywhere.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kohesi
import kohesi.ingest.json_stream as json_stream
from kohesi.errors import InputError
from kohesi.ingest import read_all
from kohesi.ingest.common import MemberBook, finish_events, to_utc
from kohesi.ingest.files import SourceFile
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.readers import tag_chat
from kohesi.ingest.report import ReadReport
from kohesi.ingest.telegram.decode import _MEDIA_TYPES, _SERVICE, _text, chat_name
from kohesi.privacy import Pseudonymizer, canonical

SALT = b"stream"

# ---------------------------------------------------------------------------------------------
# The reference: the previous whole-file reader, verbatim except the mapping tables and the
# text and chat-name helpers, which it shares with the streaming reader


def _is_telegram(obj: Any) -> bool:
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


def _telegram_chats(obj: dict) -> list[dict]:
    """The chats of an export: the export itself, or every chat of a full-account export."""
    if isinstance(obj.get("chats"), dict):
        out = list(obj["chats"].get("list") or [])
        left = obj.get("left_chats")
        if isinstance(left, dict):
            out += list(left.get("list") or [])
        return [c for c in out if isinstance(c, dict) and isinstance(c.get("messages"), list)]
    return [obj]


def _entities(m: dict) -> list[dict]:
    ents = m.get("text_entities")
    if isinstance(ents, list):
        return [e for e in ents if isinstance(e, dict)]
    text = m.get("text")
    if isinstance(text, list):
        return [e for e in text if isinstance(e, dict)]
    return []


class _Reader:
    def __init__(self, chat: dict, src: SourceFile, where: str, pseudo: Pseudonymizer, opts: ReadOptions,
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


def _reference_chat(chat: dict, src: SourceFile, group: str | None, pseudo: Pseudonymizer, opts: ReadOptions,
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
    return tag_chat((events, members, report), opts)


# ---------------------------------------------------------------------------------------------
# Reading a file both ways


def _reference(path: Path, *, every: bool, group: str | None, tz: str, keep_text: bool) -> list:
    data = path.read_bytes()
    obj = json.loads(data)
    assert _is_telegram(obj), "the generated export must be a Telegram one"
    chats = _telegram_chats(obj)
    multi = isinstance(obj.get("chats"), dict)
    names = [chat_name(c, k) for k, c in enumerate(chats)]
    pseudo = Pseudonymizer(SALT)
    opts = ReadOptions(tz=tz, keep_text=keep_text, keep_names=True)
    src = SourceFile(str(path), path.name, data)
    if every:
        return [_reference_chat(c, src, None, pseudo, opts, k if multi else None) for k, c in enumerate(chats)]
    if multi:
        k = next(k for k, c in enumerate(chats) if group in (names[k], str(c.get("id"))))
        return [_reference_chat(chats[k], src, names[k], pseudo, opts, k)]
    return [_reference_chat(chats[0], src, group, pseudo, opts, None)]


def _streamed(path: Path, *, every: bool, group: str | None, tz: str, keep_text: bool) -> list:
    kw = {"tz": tz, "keep_text": keep_text, "keep_names": True, "salt": SALT}
    logs = read_all(path, **kw) if every else [kohesi.read(path, group=group, **kw)]
    return [(log.events, log.members, log.report) for log in logs]


def _outcome(read, path: Path, **kw) -> Any:
    try:
        return [(ev.to_pylist(), mem.to_pylist(), rep.to_dict()) for ev, mem, rep in read(path, **kw)]
    except InputError as exc:
        return f"InputError: {exc}"


@contextlib.contextmanager
def block(size: int):
    """Stream in blocks of ``size`` bytes."""
    old, json_stream.BLOCK = json_stream.BLOCK, size
    try:
        yield
    finally:
        json_stream.BLOCK = old


def same_both_ways(path: Path, *, sizes=(1, 3, 64, 1 << 20), every: bool = False, group: str | None = None,
                   tz: str = "UTC", keep_text: bool = True) -> Any:
    """Read ``path`` with the reference and streamed in blocks of each size; all must agree."""
    kw = {"every": every, "group": group, "tz": tz, "keep_text": keep_text}
    want = _outcome(_reference, path, **kw)
    for size in sizes:
        with block(size):
            got = _outcome(_streamed, path, **kw)
        if isinstance(want, str) or isinstance(got, str):
            assert got == want, f"block {size}"
            continue
        assert len(got) == len(want)
        for k, (g, w) in enumerate(zip(got, want, strict=True)):
            for what, a, b in zip(("events", "members", "report"), g, w, strict=True):
                if a != b and what == "events":
                    bad = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y) \
                        if len(a) == len(b) else "count"
                    raise AssertionError(f"block {size}, chat {k}: event {bad} differs:\n{a[bad] if bad != 'count' else len(a)}\n"
                                         f"{b[bad] if bad != 'count' else len(b)}")
                assert a == b, f"block {size}, chat {k}: {what} differ"
    return want


def write(tmp_path: Path, obj: Any, style: str = "pretty", name: str = "result.json") -> Path:
    """The export as Telegram Desktop writes it (``pretty``), compact, or compact ASCII with escapes."""
    p = tmp_path / name
    if style == "pretty":
        p.write_text(json.dumps(obj, indent=1, ensure_ascii=False), encoding="utf-8")
    elif style == "compact":
        p.write_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    else:
        p.write_text(json.dumps(obj), encoding="ascii")
    return p


# ---------------------------------------------------------------------------------------------
# Hand-made exports


def msg(mid: int, t: int, frm: str | None, from_id: str | None, text: Any = "hai", **extra) -> dict:
    d = datetime(2024, 3, 1, 9, 0, tzinfo=UTC) + dt.timedelta(minutes=t)
    out = {"id": mid, "type": "message", "date": d.replace(tzinfo=None).isoformat(),
           "date_unixtime": str(int(d.timestamp())), "from": frm, "from_id": from_id, "text": text}
    if isinstance(text, list):
        out["text_entities"] = [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in text]
    return {**out, **extra}


TRICKY = ['a "quoted" } ] { [ word', "back\\slash \\\" and \\\\", "}", "]", "{\"", "\\u0041 not an escape",
          "line\nbreak\ttab", "emoji 👍🏽 and ünïcödé", "mention", '"mention"', "\u2028\u2029"]


def tricky_chat() -> dict:
    messages = [
        {"id": 1, "type": "service", "date": "2024-03-01T09:00:00", "date_unixtime": "1709283600",
         "actor": "Budi {admin}", "actor_id": "user1", "action": "create_group", "title": "RT ] 05",
         "members": ["Siti \"S\""]},
        {"id": 2, "type": "service", "date": "2024-03-01T09:01:00", "actor": "Budi {admin}", "actor_id": "user1",
         "action": "invite_members", "members": ['Siti "S"', "Andi [A]", "Nobody }"]},
    ]
    for k, text in enumerate(TRICKY):
        messages.append(msg(10 + k, k, 'Siti "S"' if k % 2 else "Andi [A]", "user2" if k % 2 else "user3", text,
                            reply_to_message_id=10 + k - 1 if k else None))
    messages.append(msg(40, 50, "Andi [A]", "user3",
                        ["hi ", {"type": "mention", "text": "@andi"}, " ", {"type": "mention_name", "text": 'Siti "S"',
                                                                           "user_id": 2}, " }]"],
                        reactions=[{"type": "emoji", "count": 4, "emoji": "{",
                                    "recent": [{"from": 'Siti "S"', "from_id": "user2", "date": "2024-03-01T10:00:00"},
                                               {"from": "Budi {admin}", "from_id": "user1"}]}]))
    messages.append({"id": 41, "type": "service", "date": "2024-03-01T11:00:00", "actor": "Andi [A]",
                     "actor_id": "user3", "action": "remove_members", "members": ["Andi [A]"]})
    return {"name": "Warga {RT} \"05\" [x]", "type": "private_group", "id": 77, "messages": messages}


@pytest.mark.parametrize("style", ["pretty", "compact", "ascii"])
def test_strings_with_braces_brackets_and_escaped_quotes(tmp_path, style):
    want = same_both_ways(write(tmp_path, tricky_chat(), style), sizes=(1, 2, 5, 17, 4096))
    events = want[0][0]
    assert [e["text"] for e in events if e["event_id"] in {str(10 + k) for k in range(len(TRICKY))}] == TRICKY
    assert events[0]["group_id"] == 'Warga {RT} "05" [x]'


def test_message_split_exactly_across_a_block_boundary(tmp_path):
    p = write(tmp_path, tricky_chat())
    data = p.read_bytes()
    cuts = set()
    for needle in (b'\n  {\n   "id": 12', b'"id": 40', b"\\\\\\\"", b'}]"', b'"recent"'):
        at = data.index(needle)
        cuts |= {at - 1, at, at + 1, at + len(needle) // 2}
    end = data.index(b"\n  },", data.index(b'"id": 12'))  # the end of a message, then its comma
    cuts |= {end + 3, end + 4, end + 5}
    for cut in sorted(cuts):
        same_both_ways(p, sizes=(cut,))


def test_header_after_the_messages_and_the_first_message_odd(tmp_path):
    chat = tricky_chat()
    moved = {"messages": chat["messages"], "id": chat["id"], "type": chat["type"], "name": chat["name"]}
    want = same_both_ways(write(tmp_path, moved), sizes=(4, 1 << 20))
    assert want[0][2]["group_hint"] == chat["name"]


def test_truncated_stream_is_one_clear_error(tmp_path):
    p = write(tmp_path, tricky_chat())
    data = p.read_bytes()
    for cut in (1, 20, len(data) // 3, len(data) // 2, len(data) - 2, len(data) - 1):
        t = tmp_path / f"cut{cut}.json"
        t.write_bytes(data[:cut])
        for size in (3, 64, 1 << 20):
            with block(size), pytest.raises(InputError) as e:
                kohesi.read(t, tz="UTC", salt=SALT)
            msg = str(e.value)
            assert e.value.file == str(t) and "\n" not in msg, msg
            assert "invalid JSON at byte" in msg and "truncated" in msg, msg
            assert e.value.line == data[:cut].count(b"\n") + 1 or e.value.line <= data[:cut].count(b"\n") + 1


def test_malformed_json_inside_a_message_names_byte_and_line(tmp_path):
    p = write(tmp_path, tricky_chat())
    data = p.read_bytes()
    at = data.index(b'"id": 12')
    bad = data[:at] + b'"id": 12 "oops": 1,' + data[at + len(b'"id": 12,'):]
    p.write_bytes(bad)
    for size in (5, 1 << 20):
        with block(size), pytest.raises(InputError) as e:
            kohesi.read(p, tz="UTC", salt=SALT)
        assert "invalid JSON at byte" in str(e.value) and e.value.line == bad[:at].count(b"\n") + 1
        assert "truncated" not in str(e.value)


@pytest.mark.parametrize(("field", "reason"), [("id", "lacks 'id'"), ("type", "lacks 'type'"),
                                               ("date", "message lacks 'date'"),
                                               ("from_id", "message lacks 'from_id'")])
def test_errors_name_the_message_whatever_the_block(tmp_path, field, reason):
    chat = tricky_chat()
    chat["messages"][7].pop(field)
    chat["messages"][7].pop("date_unixtime", None)
    want = same_both_ways(write(tmp_path, chat), sizes=(3, 1 << 20))
    assert want == f"InputError: {tmp_path / 'result.json'}: messages[7]: {reason}"


@pytest.mark.parametrize("order", [[3, 1, 3], [1, 2, 2]])
def test_duplicate_ids_are_refused(tmp_path, order):
    chat = {"name": "G", "type": "private_group", "id": 1,
            "messages": [msg(mid, k, "Budi", "user1") for k, mid in enumerate(order)]}
    want = same_both_ways(write(tmp_path, chat), sizes=(1 << 20,))
    assert want.endswith("event_id is not unique within its group")


def test_bom_empty_and_binary_files(tmp_path):
    p = tmp_path / "result.json"
    p.write_bytes(b"\xef\xbb\xbf" + json.dumps(tricky_chat()).encode())
    same_both_ways(p, sizes=(2, 1 << 20))
    p.write_bytes(b"  \n\t ")
    with pytest.raises(InputError, match="file is empty"):
        kohesi.read(p, tz="UTC", salt=SALT)
    p.write_bytes(json.dumps(tricky_chat()).encode().replace(b"Budi", b"Bu\x00di"))
    with pytest.raises(InputError, match="binary file"):
        kohesi.read(p, tz="UTC", salt=SALT)


def test_utf16_export_and_a_plain_file_is_never_loaded_whole(tmp_path, monkeypatch):
    p = tmp_path / "result.json"
    p.write_bytes(json.dumps(tricky_chat(), ensure_ascii=False).encode("utf-16"))
    same_both_ways(p, sizes=(3, 1 << 20))  # converted in memory, then streamed
    import kohesi.ingest.readers as readers

    def refuse(*args, **kwargs):
        raise AssertionError("the whole file was read")

    p = write(tmp_path, tricky_chat(), name="other.json")
    monkeypatch.setattr(readers, "_export_file", refuse)
    assert kohesi.read(p, tz="UTC", salt=SALT).report.n_lines == len(tricky_chat()["messages"])


def full_export() -> dict:
    a = tricky_chat()
    b = {"name": "Remaja ]Masjid[", "type": "private_supergroup", "id": 42, "messages": [
        msg(5, 0, "Rudi", "user10", "Assalamualaikum"),
        msg(3, 1, "Budi", "user1", "Waalaikumsalam", reply_to_message_id=5),  # ids need not increase
        msg(9, 2, "Rudi", "user10", "}{", reply_to_message_id=3, reply_to_peer_id=77),
        {"id": 11, "type": "unsupported", "date": "2024-03-01T09:03:00"},
    ]}
    left = {"name": "", "type": "private_group", "id": 99, "messages": [msg(1, 0, "Eko", "user5", "bye")]}
    return {"about": "Here is the data you requested.", "personal_information": {"user_id": 1, "first_name": "B}"},
            "contacts": {"about": "x", "list": [{"first_name": "A", "phone_number": "+62", "date": "2024"}] * 50},
            "chats": {"about": "This page lists all chats from this export.",
                      "list": [a, "not a chat", {"name": "no messages"}, b]},
            "left_chats": {"about": "", "list": [left]},
            "messages": [{"id": 1}]}


@pytest.mark.parametrize("style", ["pretty", "ascii"])
def test_full_export_streamed_chat_by_chat(tmp_path, style):
    p = write(tmp_path, full_export(), style)
    want = same_both_ways(p, every=True, sizes=(1, 7, 1 << 20))
    assert [w[2]["group_hint"] for w in want] == ['Warga {RT} "05" [x]', "Remaja ]Masjid[", "private_group 99"]
    for group in ("Remaja ]Masjid[", "77", "private_group 99"):
        same_both_ways(p, group=group, sizes=(5, 1 << 20))
    with pytest.raises(InputError, match="holds 3 chats"):
        kohesi.read(p, tz="UTC", salt=SALT)


def test_a_generated_export_reads_the_same(tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        from gen_telegram import generate
    finally:
        sys.path.pop(0)
    p = tmp_path / "result.json"
    truth = generate(p, messages=3000, seed=3)
    want = same_both_ways(p, sizes=(4096, 1 << 20), keep_text=False)
    report = want[0][2]
    assert report["n_lines"] == truth.records and report["kinds"]["reaction"] == truth.reactors
    full = tmp_path / "full.json"
    generate(full, messages=400, chats=3, seed=4)
    same_both_ways(full, every=True, sizes=(1000, 1 << 20), tz="Asia/Jakarta")


# ---------------------------------------------------------------------------------------------
# Generated exports (hypothesis)

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PEOPLE = [("user1", "Budi"), ("user2", "Siti"), ("user2", "Siti Rahma"), ("user3", "Andi [A]"),
          ("user4", "siti"), ("user5", None), ("user6", "+62 812-3456-7890"), ("channel7", 'Kanal "7"'),
          ("user8", "Dewi {x}"), (None, "Eko")]
WORDS = st.sampled_from(["hai", "}", "]", "{[", '"', "\\", "\\u", "mention", "👍", "ü", "\n", "@siti", " ", ""])
TEXT = st.lists(WORDS, max_size=4).map("".join)
BASES = [datetime(2024, 3, 10, 1, 0), datetime(2024, 3, 31, 1, 0), datetime(2024, 10, 27, 1, 0),
         datetime(2024, 11, 3, 0, 30), datetime(2024, 6, 1, 12, 0)]


@st.composite
def stamp(draw) -> dict:
    base = draw(st.sampled_from(BASES)) + dt.timedelta(seconds=draw(st.integers(0, 4 * 3600)))
    local = base.isoformat()
    style = draw(st.sampled_from(["both"] * 6 + ["local", "local", "unix", "unix_empty", "odd_local",
                                                   "odd_unix", "bad_date", "none"]))
    unix = str(int(base.replace(tzinfo=UTC).timestamp()))
    if style == "both":
        return {"date": local, "date_unixtime": unix}
    if style == "local":
        return {"date": local}
    if style == "unix":
        return {"date_unixtime": unix}
    if style == "unix_empty":
        return {"date": local, "date_unixtime": ""}
    if style == "odd_local":
        return {"date": draw(st.sampled_from([local + ".250000", local.replace("T", " "), local + "+07:00",
                                              local[:16]]))}
    if style == "odd_unix":
        return {"date": local, "date_unixtime": draw(st.sampled_from([int(unix), " " + unix, "+" + unix]))}
    if style == "bad_date":
        return {"date": draw(st.sampled_from(["2024-13-01T00:00:00", "yesterday", ""]))}
    return {}


@st.composite
def entity_text(draw) -> tuple[Any, Any]:
    """``text`` and ``text_entities``."""
    if draw(st.booleans()):
        t = draw(TEXT)
        return t, [{"type": "plain", "text": t}] if t else []
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["str", "bold", "mention", "mention_name", "text_link"]))
        if kind == "str":
            parts.append(draw(TEXT))
        elif kind == "mention":
            parts.append({"type": "mention", "text": "@" + draw(st.sampled_from(["siti", "budi", "andi", "x", "Siti_Rahma",
                                                                                 "sitirahma", "user3"]))})
        elif kind == "mention_name":
            key, name = draw(st.sampled_from(PEOPLE[:-1]))
            parts.append({"type": "mention_name", "text": name or "", "user_id": int(key.removeprefix("user").removeprefix("channel"))})
        else:
            parts.append({"type": kind, "text": draw(TEXT), **({"href": "https://x.org/}"} if kind == "text_link" else {})})
    ents = [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in parts]
    return parts, draw(st.sampled_from([ents, ents, None, []]))


@st.composite
def reactions(draw) -> list:
    out: list = []
    for _ in range(draw(st.integers(1, 3))):
        recent = []
        for _ in range(draw(st.integers(0, 3))):
            key, name = draw(st.sampled_from(PEOPLE))
            recent.append({"from": name, "from_id": key, **draw(stamp())})
        r = {"type": "emoji", "count": draw(st.sampled_from([1, 3, 5, None, "2"])), "emoji": draw(st.sampled_from(["👍", "{", None])),
             "recent": recent}
        out.append(draw(st.sampled_from([r, r, r, 5, {"type": "custom_emoji", "count": 2, "document_id": "d"}])))
    return out


@st.composite
def message(draw, mid: int, earlier: list[int]) -> dict:
    kind = draw(st.sampled_from(["message"] * 8 + ["service"] * 2 + ["unsupported"]))
    m: dict = {"id": mid, "type": kind, **draw(stamp())}
    key, name = draw(st.sampled_from(PEOPLE))
    if kind == "service":
        m.update(actor=name, actor_id=key)
        action = draw(st.sampled_from(["invite_members", "remove_members", "join_group_by_link", "pin_message",
                                       "edit_group_title", "topic_created", "something_new", None]))
        if action is not None:
            m["action"] = action
        if action in ("invite_members", "remove_members") or draw(st.booleans()):
            m["members"] = draw(st.lists(st.sampled_from([n for _, n in PEOPLE] + ["Nobody }", "Siti"]), max_size=3))
        return m
    if kind == "unsupported":
        return m
    m.update({"from": name, "from_id": key})
    m["text"], ents = draw(entity_text())
    if ents is not None:
        m["text_entities"] = ents
    extra = draw(st.sampled_from(["", "", "", "photo", "sticker", "voice", "file", "poll", "location", "contact",
                                  "forwarded", "edited"]))
    if extra == "photo":
        m.update(photo="photos/p.jpg", width=1, height=1)
    elif extra in ("sticker", "voice"):
        m.update(file="(File not included.)", media_type={"sticker": "sticker", "voice": "voice_message"}[extra])
    elif extra == "file":
        m.update(file="files/a}.pdf")
    elif extra in ("poll", "location", "contact"):
        m[{"poll": "poll", "location": "location_information", "contact": "contact_information"}[extra]] = {"q": "["}
    elif extra == "forwarded":
        m["forwarded_from"] = draw(st.sampled_from(["Kelurahan", None]))
    elif extra == "edited":
        m.update(edited="2024-03-01T10:00:00", edited_unixtime="1709287200")
    if earlier and draw(st.integers(0, 3)) == 0:
        m["reply_to_message_id"] = draw(st.sampled_from(earlier + [10_000]))
        if draw(st.integers(0, 4)) == 0:
            m["reply_to_peer_id"] = draw(st.sampled_from([77, 5, ""]))
    if draw(st.integers(0, 3)) == 0:
        m["reactions"] = draw(reactions())
    return m


@st.composite
def chat(draw, chat_id: int = 77) -> dict:
    n = draw(st.integers(0, 25))
    ids = list(range(1, n + 1))
    if draw(st.integers(0, 3)) == 0:
        ids = draw(st.permutations(ids))
    messages = []
    for k, mid in enumerate(ids):
        messages.append(draw(message(mid, ids[:k])))
    if messages:
        messages[0].setdefault("date", "2024-03-01T09:00:00")  # what tells a Telegram export
    header = {"name": draw(st.sampled_from(["Warga }RT{", "", 'G "1"'])), "type": "private_group", "id": chat_id}
    if draw(st.booleans()):
        return {**header, "messages": messages}
    return {"messages": messages, **header}


@SETTINGS
@given(chat(), st.sampled_from(["pretty", "compact", "ascii"]), st.sampled_from([1, 2, 7, 64, 1 << 20]),
       st.sampled_from(["UTC", "Asia/Jakarta", "Europe/Berlin", "America/New_York"]), st.booleans())
def test_streamed_equals_whole_file_reading(tmp_path_factory, obj, style, size, tz, keep_text):
    p = write(tmp_path_factory.mktemp("h"), obj, style)
    same_both_ways(p, sizes=(size,), tz=tz, keep_text=keep_text)


@SETTINGS
@given(st.lists(chat(), min_size=1, max_size=3), st.sampled_from(["pretty", "ascii"]),
       st.sampled_from([3, 64, 1 << 20]))
def test_streamed_full_export_equals_whole_file_reading(tmp_path_factory, chats, style, size):
    for k, c in enumerate(chats):
        c["id"] = 100 + k
    obj = {"about": "x", "chats": {"about": "", "list": chats[:-1]}, "left_chats": {"list": chats[-1:]}}
    p = write(tmp_path_factory.mktemp("h"), obj, style)
    same_both_ways(p, sizes=(size,), every=True)
