"""Telegram Desktop JSON exports (``result.json``) → canonical events, streamed.

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

The file is streamed in blocks of a few MB (:mod:`kohesi.ingest.json_stream`), in two passes, so
that memory is bounded by the events table rather than by the file:

1. The outer structure is walked to find each chat's header and ``messages`` array. A compiled
   scanner cuts the array into runs of whole messages, each decoded by one msgspec call into
   structs of six fields: the members (by ``from_id``/``actor_id``, so that names in
   ``invite_members`` find members met later in the file), each message's id and author, where
   each run lies, and which messages may hold a mention.
2. The chats to read are read again run by run, decoded into typed structs (unknown fields are
   skipped, rare ones kept raw until needed), and turned into Arrow record batches column by
   column. Replies find their target's author by a sorted search of pass 1's (id, author)
   arrays, not a dict. Only the rare parts (mentions, reactions, service lines) are handled one
   message at a time, in file order, as the previous whole-file reader did (the tests keep it as
   the reference). Texts are held only with ``keep_text``; the group id and the all-null columns
   share one buffer across batches.

Malformed input is an :class:`~kohesi.errors.InputError` naming the byte (and line) of a syntax
error, or the message (``messages[12]: lacks 'id'``) at fault.
"""

from __future__ import annotations

import codecs
import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

import msgspec
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from kohesi.errors import InputError
from kohesi.events import EVENT_SCHEMA, KINDS
from kohesi.ingest import json_stream
from kohesi.ingest.arrow import take_codes
from kohesi.ingest.json_stream import (
    Batch,
    JsonReader,
    JsonSyntaxError,
    decode_checked,
    element_batches,
)
from kohesi.ingest.report import ReadReport
from kohesi.ingest.table import MemberBook, ReadOptions, to_utc
from kohesi.privacy import Pseudonymizer, canonical

__all__ = ["read_telegram", "chat_name"]

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

_KIND = {k: i for i, k in enumerate(KINDS)}
_KINDS = pa.array(KINDS, pa.string())
_MIN_S, _MAX_S = -62_135_596_800, 253_402_300_799  # what datetime.fromtimestamp accepts
_ISO = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-5][0-9]$"
_AT = re.compile(r"`\$\[(\d+)\]([^`]*)`")
_EXTRA = 1 << 20  # order key: message index * _EXTRA + rank of the event within the message
_REACTION = _KIND["reaction"]
_MISS = -2
_POOL = pa.system_memory_pool()
"""For the events table: malloc packs its many mid-size buffers tighter than the default pool
(about 7 % less peak memory on a 2 GB export)."""
_WIDTH = 6  # values per extra event: message, label (the k of <id>:k or <id>:r<k>), actor, kind, subtype, target


class _Recent(msgspec.Struct, gc=False):
    """A reactor listed in a reaction's ``recent``."""

    from_: Any = msgspec.field(default=None, name="from")
    from_id: Any = None
    date: Any = None
    date_unixtime: Any = None


class _Reaction(msgspec.Struct, gc=False):
    type: Any = None
    count: Any = None
    emoji: Any = None
    recent: list[_Recent] | None = None


class _Head(msgspec.Struct, gc=False):
    """Pass 1: what a message says about its author."""

    id: int
    type: msgspec.Raw
    from_: Any = msgspec.field(default=None, name="from")
    from_id: Any = None
    actor: Any = None
    actor_id: Any = None


class _Msg(msgspec.Struct, gc=False):
    """Pass 2: the fields events are made of (unknown fields are skipped)."""

    type: Any
    date: msgspec.Raw = msgspec.Raw()
    """Decoded only for the messages without ``date_unixtime``."""
    date_unixtime: Any = None
    text: Any = None
    photo: Any = None
    file: Any = None
    media_type: Any = None
    poll: Any = None
    location_information: Any = None
    contact_information: Any = None
    forwarded_from: Any = None
    edited: Any = None
    edited_unixtime: Any = None
    reply_to_message_id: Any = None
    reply_to_peer_id: Any = None
    reactions: msgspec.Raw = msgspec.Raw()
    action: Any = None
    members: Any = None


class _Entities(msgspec.Struct, gc=False):
    """What mentions are read from, decoded for the messages that may have some."""

    text: Any = None
    text_entities: Any = None


_HEADS = msgspec.json.Decoder(list[_Head])
_MSGS = msgspec.json.Decoder(list[_Msg])
_ENTITIES = msgspec.json.Decoder(_Entities)
_REACTIONS = msgspec.json.Decoder(list[_Reaction] | None)
_REACTIONS_MANY = msgspec.json.Decoder(list[list[_Reaction] | None])


def chat_name(chat: dict, index: int) -> str:
    name = chat.get("name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    return f"{chat.get('type', 'chat')} {chat.get('id', index)}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(v if isinstance(v, str) else str(v.get("text", "")) if isinstance(v, dict) else ""
                       for v in value)
    return str(value)


def _value(raw: msgspec.Raw) -> Any:
    """A field decoded on demand (None when absent)."""
    return msgspec.json.decode(raw) if raw else None


def _entities(m: _Entities) -> list[dict]:
    if isinstance(m.text_entities, list):
        return [e for e in m.text_entities if isinstance(e, dict)]
    if isinstance(m.text, list):
        return [e for e in m.text if isinstance(e, dict)]
    return []


def _reactions(raws: list[msgspec.Raw]) -> list[list[_Reaction]]:
    """Messages' reactions as the reference reader saw them (skipping what is not an object):
    typed in one call, or one message at a time when some are odd."""
    if not raws:
        return []
    try:
        return [r or [] for r in _REACTIONS_MANY.decode(b"[" + b",".join(raws) + b"]")]
    except msgspec.ValidationError:
        pass
    out = []
    for raw in raws:
        try:
            out.append(_REACTIONS.decode(raw) or [])
            continue
        except msgspec.ValidationError:
            pass
        reactions = []
        for r in _iterable(msgspec.json.decode(raw) or []):
            if isinstance(r, dict):
                recent = [_Recent(x.get("from"), x.get("from_id"), x.get("date"), x.get("date_unixtime"))
                          for x in _iterable(r.get("recent") or []) if isinstance(x, dict)]
                reactions.append(_Reaction(r.get("type"), r.get("count"), r.get("emoji"), recent))
        out.append(reactions)
    return out


def _has_mention(entities: list[dict]) -> bool:
    return any(e.get("type") in ("mention", "mention_name") for e in entities)


def _shape(m: _Msg) -> tuple[str, str | None, int]:
    """Kind, subtype and media count of a user message."""
    kind, subtype, n_media = "message", None, 0
    if m.photo is not None:
        kind, subtype, n_media = "media", "image", 1
    elif m.file is not None or m.media_type:
        media = m.media_type if isinstance(m.media_type, str) else None
        kind, subtype, n_media = "media", _MEDIA_TYPES.get(media, "document"), 1
    elif m.poll is not None:
        subtype = "poll"
    elif m.location_information is not None:
        subtype = "location"
    elif m.contact_information is not None:
        subtype = "contact"
    if kind == "message" and m.forwarded_from is not None:
        subtype = "forwarded"
    if kind == "message" and (m.edited or m.edited_unixtime):
        kind = "edited"
    return kind, subtype, n_media


def _reason(exc: msgspec.ValidationError) -> tuple[int, str]:
    """Message index and reason of a decoding error of a run of messages."""
    msg = str(exc)
    at = _AT.search(msg)
    index, path = (int(at.group(1)), at.group(2).lstrip(".")) if at else (0, "")
    if msg.startswith("Object missing required field"):
        field = msg.split("`")[1]
        return index, f"lacks {field!r}"
    if msg.startswith("Expected `object`") and not path:
        return index, "is not an object"
    if path == "id":
        return index, f"'id' is not an integer ({msg.split(' - at ')[0]})"
    return index, f"{path or 'message'}: {msg.split(' - at ')[0]}"


def _local_us(dates: list[str], tz: str) -> np.ndarray:
    """µs since the epoch of local times ``YYYY-MM-DDTHH:MM:SS`` in ``tz``; -1 where this fast path
    cannot say (other forms, times a clock change skipped): the caller reads those one by one."""
    d = pl.col("d")
    return (pl.DataFrame({"d": dates}, schema={"d": pl.String})
            .select(pl.when(d.str.contains(_ISO)).then(d).otherwise(None)
                    .str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False)
                    .dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
                    .dt.epoch("us").fill_null(-1))
            .to_series().to_numpy().astype(np.int64))


def _unix_fast(values: list) -> tuple[np.ndarray, np.ndarray] | None:
    """µs of ``date_unixtime`` strings and which are missing; None when some need the slow path."""
    try:
        arr = pa.array(values, type=pa.string())
        missing = pc.fill_null(pc.equal(arr, ""), True)
        secs = pc.cast(pc.if_else(missing, "0", arr), pa.int64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    if len(secs) and (secs.min() < _MIN_S or secs.max() > _MAX_S):
        return None
    return secs * 1_000_000, missing.to_numpy(zero_copy_only=False)


class _Members:
    """One chat's members and the lookups of the reference reader: by key, by name, by @handle."""

    def __init__(self, pseudo: Pseudonymizer):
        self.book = MemberBook(pseudo, prefix="telegram:")
        self.by_name: dict[str, set[str]] = {}
        self.mids: list[str] = []
        self.codes: dict[str, int] = {}
        self.version = 0
        self.pairs: dict[tuple[str, str | None], int] = {}
        self._handles: dict[str, int] = {}
        self._handles_at = 0
        self._canon: dict[str, str] = {}

    def code(self, mid: str | None) -> int:
        """Small integer standing for member id ``mid`` (-1 for None)."""
        if mid is None:
            return -1
        c = self.codes.get(mid)
        if c is None:
            c = self.codes[mid] = len(self.mids)
            self.mids.append(mid)
        return c

    def _add(self, key: str, name: str | None = None) -> str:
        before = (len(self.book.ids), self.book.names.get(key))
        mid = self.book.add(key, name)
        if (len(self.book.ids), self.book.names.get(key)) != before:
            self.version += 1
        return mid

    def member(self, key: Any, name: Any) -> int:
        """Code of the member keyed ``key`` (a ``from_id``), seen with display name ``name``."""
        try:
            hit = self.pairs.get((key, name))  # only str keys and str/None names are cached
        except TypeError:
            hit = None
        if hit is not None:
            return hit  # a repeated (key, name) changes nothing
        c = self.code(self._member(key, name))
        if key.__class__ is str and key and (name is None or name.__class__ is str):
            self.pairs[(key, name)] = c
        return c

    def authors(self, heads: list[_Head]) -> np.ndarray:
        """Code of each message's author: :meth:`member` of its ``from_id`` (else ``actor_id``),
        -1 for neither; the cached ones are looked up without a call."""
        get = self.pairs.get
        try:
            codes = np.array([get((h.from_id, h.from_), _MISS) if h.from_id is not None else
                              get((h.actor_id, h.actor), _MISS) if h.actor_id is not None else -1
                              for h in heads], dtype=np.int32)
        except TypeError:  # an unhashable name
            codes = np.full(len(heads), _MISS, np.int32)
        for j in np.flatnonzero(codes == _MISS).tolist():
            h = heads[j]
            codes[j] = (self.member(h.from_id, h.from_) if h.from_id is not None else
                        self.member(h.actor_id, h.actor) if h.actor_id is not None else -1)
        return codes

    def _member(self, key: Any, name: Any) -> str | None:
        if key in (None, ""):
            return self.by_name_id(name) if isinstance(name, str) and name else None
        key = str(key)
        seen = self.book.ids.get(key)
        if seen is not None and (not name or self.book.names.get(key) == name):
            return seen
        mid = self._add(key, name if isinstance(name, str) else None)
        if isinstance(name, str) and name:
            self.by_name.setdefault(canonical(name), set()).add(key)
        return mid

    def by_name_id(self, name: str) -> str:
        """A member known only by name: the unique member of that name, else one keyed by it."""
        keys = self.by_name.get(canonical(name), set())
        if len(keys) == 1:
            return self._add(next(iter(keys)))
        return self._add("name:" + canonical(name), name)

    def handle(self, handle: str) -> int:
        """``@username`` → code of the member whose name matches it (exports carry no usernames)."""
        if self._handles_at != self.version:
            self._handles, self._handles_at = {}, self.version
        if handle not in self._handles:
            self._handles[handle] = self.code(self._resolve(handle))
        return self._handles[handle]

    def _canonical(self, name: str) -> str:
        if name not in self._canon:
            self._canon[name] = canonical(name)
        return self._canon[name]

    def _resolve(self, handle: str) -> str | None:
        h = canonical(handle)
        names, ids = self.book.names, self.book.ids
        hits = set()
        for key, name in names.items():
            if not name:
                continue
            c = self._canonical(name)
            if h in (c, c.replace(" ", ""), c.replace(" ", "_")) or (h and h == key.casefold()):
                hits.add(ids[key])
        if len(hits) == 1:
            return hits.pop()
        firsts = {ids[k] for k, n in names.items() if n and self._canonical(n).split(" ")[0] == h}
        return firsts.pop() if len(firsts) == 1 else None


class _Chat:
    """One chat as pass 1 found it: header, where its messages are, members and authors.

    ``mention_candidates`` lists the messages that may hold a mention entity (``mention_spans``
    where they are in the file): the others hold no string starting with ``mention``, nor a
    ``\\u`` escape that could spell one.
    """

    def __init__(self, pseudo: Pseudonymizer):
        self.header: dict[str, Any] = {}
        self.index: int | None = None
        self.members = _Members(pseudo)
        self.runs: list[tuple[int, int, int]] = []
        self.n = 0
        self.error: tuple[int, str] | None = None
        self._ids: list[np.ndarray] = []
        self._authors: list[np.ndarray] = []
        self._mentions: list[np.ndarray] = []

    @property
    def where(self) -> str:
        return f"chats.list[{self.index}]." if self.index is not None else ""

    def fail(self, path: str, i: int, reason: str) -> InputError:
        return InputError(path, f"{self.where}messages[{i}]: {reason}")

    def collect(self, batch: Batch) -> None:
        """Pass 1 over a run of messages: members by id, authors and ids."""
        first = self.n
        self.n += batch.count
        if self.error is not None:
            decode_checked(batch, None, raw=True)
            return
        try:
            heads = decode_checked(batch, _HEADS)
        except msgspec.ValidationError as exc:
            k, reason = _reason(exc)
            self.error = (first + k, reason)
            return
        authors = self.members.authors(heads)
        try:
            ids = np.array([h.id for h in heads], dtype=np.int64)
        except OverflowError:
            k = next(k for k, h in enumerate(heads) if not -(2**63) <= h.id < 2**63)
            self.error = (first + k, f"'id' {heads[k].id} is out of range")
            return
        self.runs.append((batch.start, batch.end, batch.count))
        marked = np.flatnonzero(batch.marks)
        self._mentions.append(np.stack([marked + first, batch.starts[marked], batch.ends[marked]], axis=1))
        self._ids.append(ids)
        self._authors.append(authors)

    def finish(self) -> None:
        """Concatenate pass 1's arrays; sort (id, author) for reply lookups unless ids increase."""
        self.ids, self.authors = _narrow(_concat(self._ids, np.int64)), _narrow(_concat(self._authors, np.int32))
        spans = np.concatenate(self._mentions) if self._mentions else np.zeros((0, 3), np.int64)
        self.mention_candidates, self.mention_spans = spans[:, 0].copy(), spans[:, 1:].copy()
        self._ids, self._authors, self._mentions = [], [], []
        self.increasing = len(self.ids) < 2 or bool((self.ids[1:] > self.ids[:-1]).all())
        if self.increasing:
            self.sorted_ids, self.sorted_authors = self.ids, self.authors
            return
        known = np.flatnonzero(self.authors >= 0)
        order = np.argsort(self.ids[known], kind="stable")
        self.sorted_ids, self.sorted_authors = self.ids[known][order], self.authors[known][order]

    def author_of(self, ids: np.ndarray) -> np.ndarray:
        """Author code of the (last) message with each id, -1 when none has an author."""
        info = np.iinfo(self.sorted_ids.dtype)
        inside = (ids >= info.min) & (ids <= info.max)
        ids = np.where(inside, ids, 0).astype(self.sorted_ids.dtype)  # no copy of the sorted ids
        pos = np.searchsorted(self.sorted_ids, ids, side="right") - 1
        ok = inside & (pos >= 0)
        ok[ok] = self.sorted_ids[pos[ok]] == ids[ok]
        out = np.full(len(ids), -1, np.int32)
        out[ok] = self.sorted_authors[pos[ok]]
        return out


class _NotTelegram(Exception):
    """The JSON document is not a Telegram Desktop export."""


class _Scan:
    """Pass 1: the outer structure of the document, and every chat's messages collected."""

    def __init__(self, reader: JsonReader, pseudo: Pseudonymizer):
        self.reader, self.pseudo = reader, pseudo

    def run(self) -> tuple[list[_Chat], bool]:
        """The chats (as the reference reader listed them) and whether it is a full export."""
        r = self.reader
        if r.peek() != 0x7B:
            raise _NotTelegram
        top: dict[str, Any] = {}
        single: _Chat | None = None
        first_ok = False
        lists: dict[str, list[_Chat] | None] = {}
        for key in r.keys():
            top[key] = None
            if key == "guild":
                raise _NotTelegram
            if key == "messages" and r.peek() == 0x5B:
                single = _Chat(self.pseudo)
                first_ok = self.messages(single, check_first=True)
            elif key in ("chats", "left_chats") and r.peek() == 0x7B:
                lists[key] = self.chat_list()
            elif key in ("name", "type", "id"):
                top[key] = r.value()
            else:
                lists.pop(key, None)
                single = None if key == "messages" else single
                r.skip()
        r.end()
        if lists.get("chats") is not None:
            chats = lists["chats"] + (lists.get("left_chats") or [])
            for k, c in enumerate(chats):
                c.index = k
            return chats, True
        if single is None or (single.n == 0 and not ("type" in top and "name" in top)) or (single.n and not first_ok):
            raise _NotTelegram
        single.header = {k: top[k] for k in ("name", "type", "id") if k in top}
        return [single], False

    def messages(self, chat: _Chat, check_first: bool = False) -> bool:
        """Pass 1 over a ``messages`` array; with ``check_first``, whether its first element looks
        like a Telegram message (an object with ``date`` and ``type``)."""
        ok = not check_first
        for batch in self.reader.batches(mark=b"mention"):
            head = check_first and chat.n == 0
            chat.collect(batch)
            if head:
                first = decode_checked(Batch(b"[" + bytes(batch.data[1: 1 + int(batch.ends[0]) - batch.start])
                                             + b"]", batch.start, 1), None)[0]
                ok = isinstance(first, dict) and "date" in first and "type" in first
                chat.error = chat.error if ok else (0, "not a Telegram message")
        chat.finish()
        return ok

    def chat_list(self) -> list[_Chat] | None:
        """Chats in the ``list`` array of a ``chats``/``left_chats`` object (None: no such array)."""
        r = self.reader
        out: list[_Chat] | None = None
        for key in r.keys():
            if key == "list" and r.peek() == 0x5B:
                out = []
                for _ in r.items():
                    if r.peek() != 0x7B:
                        r.skip()
                    elif (chat := self.chat()) is not None:
                        out.append(chat)
            else:
                out = None if key == "list" else out
                r.skip()
        return out

    def chat(self) -> _Chat | None:
        """One chat object of a full export (None when its ``messages`` is not an array)."""
        r = self.reader
        chat: _Chat | None = None
        header: dict[str, Any] = {}
        for key in r.keys():
            if key == "messages" and r.peek() == 0x5B:
                chat = _Chat(self.pseudo)
                self.messages(chat)
            elif key in ("name", "type", "id"):
                header[key] = r.value()
            else:
                chat = None if key == "messages" else chat
                r.skip()
        if chat is not None:
            chat.header = header
        return chat


class _Events:
    """Pass 2 over one chat: runs of messages → Arrow record batches of events."""

    def __init__(self, chat: _Chat, path: str, group_id: str, opts: ReadOptions, report: ReadReport):
        self.chat, self.path, self.group_id, self.opts, self.report = chat, path, group_id, opts, report
        self.members = chat.members
        self.chat_id = chat.header.get("id")
        self.subtypes: list[str] = []
        self._subtype_codes: dict[str, int] = {}
        self.shapes: list[tuple[int, int, int]] = [(_KIND["message"], -1, 0)]
        self._shape_codes: dict[tuple[str, str | None, int], int] = {("message", None, 0): 0}
        self.batches: list[pa.RecordBatch] = []
        self.kinds = np.zeros(len(KINDS), np.int64)
        self.event_msgs: list[np.ndarray] = []
        self.count_only = self.unsupported = self.unresolved = 0
        self.errors: list[tuple[int, int, int, str]] = []
        """(message, stage, rank within the stage, reason): the first is what the reference met first."""
        self._constants: dict[str, pa.Array] = {}

    def subtype(self, value: Any) -> int:
        """Code of a subtype (-1 for None)."""
        if value is None:
            return -1
        value = value if isinstance(value, str) else str(value)
        c = self._subtype_codes.get(value)
        if c is None:
            c = self._subtype_codes[value] = len(self.subtypes)
            self.subtypes.append(value)
        return c

    def times(self, unix: list, dates: Callable[[list[int]], list], at: np.ndarray, what: str,
              stage: int) -> np.ndarray:
        """µs since the epoch from ``date_unixtime`` values, else from ``dates(indices)`` (local
        times in ``tz``); errors are recorded against message ``at[k]`` at ``stage``."""
        fast = _unix_fast(unix)
        if fast is not None:
            us, missing = fast
            need = np.flatnonzero(missing).tolist()
        else:
            us = np.zeros(len(unix), np.int64)
            need = []
            for k, u in enumerate(unix):
                if u in (None, ""):
                    need.append(k)
                    continue
                try:
                    s = int(u)
                except (TypeError, ValueError, OverflowError):
                    s = None
                if s is None or not _MIN_S <= s <= _MAX_S:
                    self.errors.append((int(at[k]), stage, k, f"{what} has an unreadable date_unixtime {u!r}"))
                else:
                    us[k] = s * 1_000_000
        if need:
            self.local_times(us, need, dates(need), at, what, stage)
        return us

    def local_times(self, us: np.ndarray, need: list[int], dates: list, at: np.ndarray, what: str,
                    stage: int) -> None:
        """Fill ``us[need]`` from local ``dates`` (the reference reader's rules, vectorised)."""
        fast = _local_us([d if isinstance(d, str) else "" for d in dates], self.opts.tz)
        done = fast != -1
        us[np.asarray(need)[done]] = fast[done]
        for j in np.flatnonzero(~done).tolist():
            k, d = need[j], dates[j]
            if not isinstance(d, str) or not d:
                self.errors.append((int(at[k]), stage, k, f"{what} lacks 'date'"))
                continue
            try:
                t = to_utc(datetime.fromisoformat(d), self.opts.tz)
            except ValueError:
                self.errors.append((int(at[k]), stage, k, f"{what} has an unreadable date {d!r}"))
            else:
                us[k] = (t - _EPOCH) // _MICRO

    def add(self, ms: list[_Msg], batch: Batch, first: int) -> None:
        """Events of messages ``first`` … ``first + len(ms) - 1`` (decoded from ``batch``), as one
        record batch."""
        typ = [m.type for m in ms]
        is_msg, is_svc = _equals(typ, "message", "service")
        main = self.columns(ms, is_msg, first)
        mentions, extras, extra_ts = self.rare(ms, batch, typ, is_msg, main, first)
        if self.errors:
            i, _, _, reason = min(self.errors)
            raise self.chat.fail(self.path, i, reason)
        keep = is_msg | is_svc
        if not self.chat.increasing:
            self.event_msgs.append(main["ids"][keep])
        self.batches.append(self.batch(np.flatnonzero(keep), main, mentions, extras, extra_ts, first))

    def columns(self, ms: list[_Msg], is_msg: np.ndarray, first: int) -> dict[str, Any]:
        """One value per message of the run: what a message's own event is made of."""
        n, chat = len(ms), self.chat
        index = np.arange(first, first + n)
        main: dict[str, Any] = {"ids": chat.ids[first:first + n], "actor": chat.authors[first:first + n],
                                "line": index + 1}
        main["ts"] = self.times([m.date_unixtime for m in ms], lambda idx: [_value(ms[i].date) for i in idx],
                                index, "message", 0)
        for i in np.flatnonzero(is_msg & (main["actor"] < 0)).tolist():
            self.errors.append((first + i, 1, 0, "message lacks 'from_id'"))
        text = [t if (t := m.text).__class__ is str else _text(t) for m in ms]
        main["n_chars"] = np.fromiter(map(len, text), np.int32, n) * is_msg
        shape = np.array([0 if (m.photo is None and m.file is None and not m.media_type and m.poll is None
                                and m.location_information is None and m.contact_information is None
                                and m.forwarded_from is None and not m.edited and not m.edited_unixtime)
                          else self.shape(m) for m in ms], dtype=np.int32) * is_msg
        table = np.array(self.shapes, dtype=np.int32)
        main.update(kind=table[shape, 0].astype(np.int8), subtype=table[shape, 1], n_media=table[shape, 2])
        main["reply_to"], main["target"] = self.replies(ms, is_msg)
        if self.opts.keep_text:
            captioned = is_msg & ~((main["n_media"] > 0) & (main["n_chars"] == 0))
            main["text"] = pc.if_else(pa.array(captioned), pa.array(text, pa.string()), pa.scalar(None, pa.string()))
        return main

    def rare(self, ms: list[_Msg], batch: Batch, typ: list, is_msg: np.ndarray, main: dict[str, Any],
             first: int) -> tuple[dict[int, list[int]], list, np.ndarray]:
        """Mentions, reactions, service lines and skipped messages, one message at a time in file
        order (they may change the members): the mentions by message, the extra events and
        their times. Service lines set their own event's kind, subtype and target in ``main``."""
        chat, actor = self.chat, main["actor"]
        lo, hi = np.searchsorted(chat.mention_candidates, [first, first + len(ms)])
        entities = {i - first: _ENTITIES.decode(batch.element(s, e)) for i, (s, e) in
                    zip(chat.mention_candidates[lo:hi].tolist(), chat.mention_spans[lo:hi].tolist(), strict=True)}
        raws = [m.reactions for m in ms]
        reacting = [i for i, (r, t) in enumerate(zip(raws, typ, strict=True)) if r and t == "message"]
        reactions = dict(zip(reacting, _reactions([raws[i] for i in reacting]), strict=True))
        rare = ~is_msg
        rare[list(entities)] = True
        rare[reacting] = True
        mentions: dict[int, list[int]] = {}
        extras: list = []
        stamps: list[tuple[int, _Recent]] = []
        for i in np.flatnonzero(rare).tolist():
            t = typ[i]
            if t == "message":
                if i in entities and (ents := _entities(entities[i])) and _has_mention(ents):
                    mentions[i] = self.mentions(ents)
                if i in reactions:
                    self.reactions(reactions[i], i, int(actor[i]), extras, stamps)
            elif t == "service":
                main["kind"][i], main["subtype"][i], main["target"][i] = self.service(ms[i], i, int(actor[i]), extras)
            else:
                self.unsupported += 1
                self.report.skipped.append((first + i + 1, f"message type {t!r} not read"))
        extra_msg = np.array(extras[0::_WIDTH], dtype=np.int64)
        extra_ts = main["ts"][extra_msg]
        if stamps:
            rows = np.array([s[0] for s in stamps])
            extra_ts[rows] = self.times([s[1].date_unixtime for s in stamps],
                                        lambda idx: [stamps[k][1].date for k in idx], extra_msg[rows] + first,
                                        "reaction", 2)
        return mentions, extras, extra_ts

    def shape(self, m: _Msg) -> int:
        """Index in :attr:`shapes` of a message's (kind, subtype, media count), added if new."""
        key = _shape(m)
        if key not in self._shape_codes:
            self._shape_codes[key] = len(self.shapes)
            self.shapes.append((_KIND[key[0]], self.subtype(key[1]), key[2]))
        return self._shape_codes[key]

    def replies(self, ms: list[_Msg], is_msg: np.ndarray) -> tuple[pa.Array, np.ndarray]:
        """``reply_to`` strings and target codes of the messages' recorded replies."""
        raw = [m.reply_to_message_id for m in ms]
        try:
            ints = pa.array(raw, type=pa.int64())
            values = ints.fill_null(0).to_numpy(zero_copy_only=False)
            strings = pc.cast(ints, pa.string())
            valid = is_msg & ints.is_valid().to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
            values = np.array([_as_id(r) for r in raw], dtype=np.int64)
            strings = pa.array([None if r is None else str(r) for r in raw], pa.string())
            valid = is_msg & np.array([r is not None for r in raw], dtype=bool)
        for i in [i for i, m in enumerate(ms) if m.reply_to_peer_id is not None]:
            valid[i] &= ms[i].reply_to_peer_id in ("", self.chat_id)
        target = np.full(len(ms), -1, np.int32)
        idx = np.flatnonzero(valid & (values != _NO_ID))
        target[idx] = self.chat.author_of(values[idx])
        return pc.if_else(pa.array(valid), strings, pa.scalar(None, pa.string())), target

    def mentions(self, entities: list[dict]) -> list[int]:
        """Codes of the members a message's entities mention, in order, once each."""
        out: list[int] = []
        for e in entities:
            c = -1
            if e.get("type") == "mention_name" and e.get("user_id") is not None:
                c = self.members.member(f"user{e['user_id']}", e.get("text"))
            elif e.get("type") == "mention":
                c = self.members.handle(str(e.get("text", "")).lstrip("@"))
                if c < 0:
                    self.unresolved += 1
            if c >= 0 and c not in out:
                out.append(c)
        return out

    def reactions(self, reactions: list[_Reaction], i: int, actor: int, extras: list, stamps: list) -> None:
        """One event per reactor listed in ``recent``; the others are only counted."""
        k, member = 0, self.members.member
        for r in reactions:
            recent = [x for x in r.recent if x.from_id is not None] if r.recent else ()
            count = r.count or 0
            if isinstance(count, int):
                self.count_only += max(0, int(count) - len(recent))
            emoji = self.subtype(r.emoji or r.type)
            for x in recent:
                if x.date or x.date_unixtime:
                    stamps.append((len(extras) // _WIDTH, x))
                extras += (i, k, member(x.from_id, x.from_), _REACTION, emoji, actor)
                k += 1

    def service(self, m: _Msg, i: int, actor: int, extras: list) -> tuple[int, int, int]:
        """Kind, subtype and target codes of a service message's event; more events to ``extras``."""
        action = m.action or "other"
        if action not in ("invite_members", "remove_members"):
            kind, subtype = _SERVICE.get(action, ("system", str(action))) if isinstance(action, str) \
                else ("system", str(action))
            return _KIND[kind], self.subtype(subtype), -1
        names = [x for x in _iterable(m.members or []) if isinstance(x, str)]
        kind = "add" if action == "invite_members" else "remove"
        out = (0, 0, 0)
        for k, name in enumerate(names or [None]):
            target = self.members.code(self.members.by_name_id(name)) if name else -1
            ev = (kind, target)
            if kind == "remove" and target >= 0 and target == actor:
                ev = ("leave", -1)
            code = (_KIND[ev[0]], self.subtype(ev[0]), ev[1])
            if k:
                extras += (i, k, actor, code[0], code[1], code[2])
            else:
                out = code
        return out

    def batch(self, rows: np.ndarray, main: dict, mentions: dict[int, list[int]], extras: list,
              extra_ts: np.ndarray, first: int) -> pa.RecordBatch:
        """The events of the kept messages ``rows`` and the extra events, in file order.

        Main columns have one value per message of the run, extra ones one per extra event; the
        output takes ``rows`` of the first and all of the second, interleaved by message."""
        n, m = len(main["ids"]), len(extras) // _WIDTH
        e_msg, e_label, e_actor, e_kind, e_sub, e_target = (np.array(extras[k::_WIDTH], dtype=np.int64)
                                                            for k in range(_WIDTH))
        reaction = e_kind == _REACTION
        index = rows
        if m:
            order = np.argsort(np.concatenate([rows * _EXTRA, e_msg * _EXTRA + e_label + reaction]), kind="stable")
            index = np.concatenate([rows, n + np.arange(m)])[order]
        taking = pa.array(index)

        def num(name: str, extra: Any, dtype: type) -> np.ndarray:
            values = main[name].astype(dtype, copy=False)
            return (np.concatenate([values, np.asarray(extra, dtype=dtype)]) if m else values)[index]

        def strings(values: pa.Array, extra: pa.Array) -> pa.Array:
            return pc.take(pa.concat_arrays([values, extra]) if m else values, taking, memory_pool=_POOL)

        mids = pa.array(self.members.mids, pa.string())
        ids = pc.cast(pa.array(main["ids"]), pa.string())
        e_ids = ids.take(pa.array(e_msg))
        e_event_id = pc.binary_join_element_wise(e_ids, pa.array(np.where(reaction, ":r", ":"), pa.string()),
                                                 pc.cast(pa.array(e_label), pa.string()), "")
        kinds = num("kind", e_kind, np.int8)
        total = len(kinds)
        self.kinds += np.bincount(kinds, minlength=len(KINDS))
        main["n_mentions"] = np.zeros(n, np.int32)
        main["n_mentions"][list(mentions)] = [len(v) for v in mentions.values()]
        flat = np.array([c for i in sorted(mentions) for c in mentions[i]], dtype=np.int32)
        offsets = np.zeros(total + 1, np.int32)
        np.cumsum(num("n_mentions", np.zeros(m), np.int32), out=offsets[1:])
        none = pa.nulls(m, pa.string())
        arrays = [
            self.constant("group_id", total),
            strings(ids, e_event_id),
            pa.array(num("ts", extra_ts, np.int64), type=EVENT_SCHEMA.field("ts").type),
            take_codes(mids, num("actor", e_actor, np.int32), _POOL),
            take_codes(_KINDS, kinds, _POOL),
            take_codes(pa.array(self.subtypes, pa.string()), num("subtype", e_sub, np.int32), _POOL),
            strings(main["reply_to"], pc.if_else(pa.array(reaction), e_ids, none)),
            self.constant("reply_inferred", total),
            take_codes(mids, num("target", e_target, np.int32), _POOL),
            pa.ListArray.from_arrays(pa.array(offsets), take_codes(mids, flat, _POOL), pool=_POOL),
            self.constant("thread", total),
            strings(main["text"], none) if "text" in main else self.constant("text", total),
            pa.array(num("n_chars", np.zeros(m), np.int32)),
            pa.array(num("n_media", np.zeros(m), np.int16)),
            pa.array(num("line", e_msg + first + 1, np.int64)),
        ]
        return pa.RecordBatch.from_arrays(arrays, schema=EVENT_SCHEMA)

    def constant(self, name: str, n: int) -> pa.Array:
        """``n`` values of a column that is the same in every row (the group, or null), as a slice
        of one array that every batch shares, so that it takes its memory once."""
        have = self._constants.get(name)
        if have is None or len(have) < n:
            size = max(n, 2 * len(have) if have is not None else 1 << 16)
            if name == "group_id":
                have = pa.array([self.group_id], pa.string()).take(pa.array(np.zeros(size, np.int32)))
            elif name == "reply_inferred":
                have = pa.array(np.zeros(size, bool))
            else:
                have = pa.nulls(size, EVENT_SCHEMA.field(name).type)
            self._constants[name] = have
        return have.slice(0, n)

    def finish(self) -> tuple[pa.Table, pa.Table]:
        """The events and members tables; the report's counts and warnings."""
        ids = _concat(self.event_msgs, np.int64)
        if len(np.unique(ids)) != len(ids):
            raise InputError(self.path, "event_id is not unique within its group")
        events = pa.Table.from_batches(self.batches, schema=EVENT_SCHEMA)
        report = self.report
        report.n_events = events.num_rows
        report.kinds = dict(sorted((KINDS[k], int(c)) for k, c in enumerate(self.kinds) if c))
        if self.count_only:
            report.warnings.append(
                f"{self.count_only} reactions counted by Telegram without their reactors (only 'count' "
                "is exported for them); not recorded as events")
        if self.unsupported:
            report.warnings.append(f"{self.unsupported} messages of an unsupported type skipped")
        if self.unresolved:
            report.warnings.append(f"{self.unresolved} @mentions matched no member (exports carry no usernames)")
        return events, self.members.book.table(self.group_id, self.opts.keep_names)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)
_NO_ID = np.iinfo(np.int64).min


def _equals(values: list, *what: str) -> list[np.ndarray]:
    """``values == w`` element-wise, for each ``w`` in ``what``."""
    try:
        arr = pa.array(values, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return [np.array([v == w for v in values], dtype=bool) for w in what]
    return [pc.equal(arr, w).fill_null(False).to_numpy(zero_copy_only=False) for w in what]


@contextmanager
def _no_gc() -> Iterator[None]:
    """Without the cyclic garbage collector, which would otherwise walk the millions of objects a
    run decodes (none of them in a cycle) over and over."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _narrow(values: np.ndarray) -> np.ndarray:
    """``values`` as the smallest signed integers that hold them (pass 1 keeps two per message)."""
    for dtype in (np.int16, np.int32):
        info = np.iinfo(dtype)
        if not len(values) or (values.min() >= info.min and values.max() <= info.max):
            return values.astype(dtype) if values.dtype != dtype else values
    return values


def _concat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype)


def _iterable(value: Any) -> Any:
    """``value`` when the reference reader could iterate it (a list, object or string), else ``[]``."""
    return value if isinstance(value, list | dict | str) else []


def _as_id(value: Any) -> int:
    """A reply id to look up (the reference reader's dict matched ``5.0`` and ``True`` too)."""
    if isinstance(value, int | float) and -(2**63) < value < 2**63 and float(value).is_integer():
        return int(value)
    return _NO_ID


def _nul_check(path: str) -> Callable[[bytearray, int, int], None]:
    def check(buf: bytearray, start: int, end: int) -> None:
        if buf.find(b"\x00", start, end) >= 0:
            raise InputError(path, "binary file (contains NUL bytes), not a chat export")
    return check


def _line_col(fh: BinaryIO, pos: int) -> tuple[int, int]:
    """1-based line and column of byte ``pos``."""
    fh.seek(0)
    line, done, last = 1, 0, -1
    while done < pos and (chunk := fh.read(min(1 << 24, pos - done))):
        if (c := chunk.count(b"\n")):
            line += c
            last = done + chunk.rindex(b"\n")
        done += len(chunk)
    return line, pos - last


def _syntax_error(fh: BinaryIO, path: str, exc: JsonSyntaxError) -> InputError:
    """The one-line error of a malformed document, as :func:`~kohesi.ingest.table.load_json` words it."""
    if exc.msg == "not UTF-8 text":
        return InputError(path, f"not UTF-8 text (byte offset {exc.pos})")
    line, col = _line_col(fh, exc.pos)
    size = fh.seek(0, 2)
    fh.seek(max(0, size - 4096))
    end = fh.read().rstrip()
    truncated = exc.eof or exc.pos >= size or end[-1:] not in (b"}", b"]")
    hint = f"; the file looks truncated (ends at byte {size})" if truncated else ""
    return InputError(path, f"invalid JSON at byte {exc.pos} (line {line}, column {col}): {exc.msg}{hint}",
                      line=line)


def _read_chat(fh: BinaryIO, path: str, chat: _Chat, group: str | None,
               opts: ReadOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    """Pass 2 over one chat → events, members and the read report."""
    if chat.error is not None:
        raise chat.fail(path, *chat.error)
    name = chat_name(chat.header, chat.index or 0)
    report = ReadReport(source=path, format="telegram-json", platform="telegram", tz=opts.tz,
                        n_lines=chat.n, group_hint=name,
                        reply_rule="recorded by Telegram (reply_to_message_id); none inferred")
    events = _Events(chat, path, group or name, opts, report)
    first = 0
    try:
        for batch in element_batches(fh, chat.runs):
            events.add(decode_checked(batch, _MSGS), batch, first)
            first += batch.count
    except JsonSyntaxError as exc:
        raise _syntax_error(fh, path, exc) from None
    except msgspec.ValidationError as exc:
        k, reason = _reason(exc)
        raise chat.fail(path, first + k, reason) from None
    except UnicodeDecodeError:
        raise InputError(path, f"{chat.where}messages[{first}…]: not UTF-8 text") from None
    table, members = events.finish()
    return table, members, report


def read_telegram(fh: BinaryIO, path: str, group: str | None, pseudo: Pseudonymizer, opts: ReadOptions,
                  every_chat: bool = False, block: int | None = None,
                  ) -> list[tuple[pa.Table, pa.Table, ReadReport]] | None:
    """Events, members and read report of each chat to read from the Telegram export in ``fh``;
    None when the JSON document is not a Telegram Desktop export (or is UTF-16, for the caller to
    convert).

    ``group`` names the chat to read in a full-account export (its name or id); ``every_chat``
    reads them all. ``block``: bytes read at a time (default :data:`json_stream.BLOCK`).
    """
    block = block or json_stream.BLOCK
    fh.seek(0)
    head = fh.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    reader = JsonReader(fh, block, 3 if head.startswith(codecs.BOM_UTF8) else 0, on_block=_nul_check(path))
    try:
        if reader.peek() < 0:
            raise InputError(path, "file is empty")
        with _no_gc():
            chats, multi = _Scan(reader, pseudo).run()
        reader.release()
    except _NotTelegram:
        return None
    except JsonSyntaxError as exc:
        raise _syntax_error(fh, path, exc) from None
    if not chats:
        raise InputError(path, "Telegram export holds no chats")
    names = [chat_name(c.header, k) for k, c in enumerate(chats)]
    picks: list[tuple[_Chat, str | None]]
    if every_chat:
        picks = [(c, None) for c in chats]
    elif multi and group is not None:
        hits = [k for k, c in enumerate(chats) if group in (names[k], str(c.header.get("id")))]
        if not hits:
            raise InputError(path, f"no chat named {group!r} in this Telegram export; chats: {', '.join(names)}")
        picks = [(chats[hits[0]], names[hits[0]])]
    elif len(chats) > 1:
        raise InputError(path, f"this Telegram export holds {len(chats)} chats; pass group= one of: "
                               f"{', '.join(names)} (or use read_all)")
    else:
        picks = [(chats[0], group)]
    with _no_gc():
        return [_read_chat(fh, path, c, g, opts) for c, g in picks]
