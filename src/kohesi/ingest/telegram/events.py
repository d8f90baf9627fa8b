"""Pass 2 over a Telegram chat: messages into Arrow record batches of canonical events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kohesi.errors import InputError
from kohesi.events import EVENT_SCHEMA, KINDS
from kohesi.ingest.arrow import take_codes
from kohesi.ingest.common import to_utc
from kohesi.ingest.json_stream import (
    Batch,
)
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.ingest.telegram.decode import (
    _ENTITIES,
    _EPOCH,
    _EXTRA,
    _KIND,
    _KINDS,
    _MAX_S,
    _MICRO,
    _MIN_S,
    _NO_ID,
    _POOL,
    _REACTION,
    _SERVICE,
    _WIDTH,
    _as_id,
    _concat,
    _entities,
    _equals,
    _has_mention,
    _iterable,
    _local_us,
    _Msg,
    _Reaction,
    _reactions,
    _Recent,
    _shape,
    _text,
    _unix_fast,
    _value,
)
from kohesi.ingest.telegram.members import _Chat


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
        if self.opts.hold_text:
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
            self.constant("acts", total),
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
