"""Decoding Telegram messages: msgspec structs, field helpers, and the constants of the format."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from kohesi.events import KINDS

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
