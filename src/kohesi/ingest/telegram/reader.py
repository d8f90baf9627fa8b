"""Reading a Telegram export: the two passes over one file, chat by chat."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from typing import BinaryIO

import msgspec
import pyarrow as pa

from kohesi._gc import no_gc
from kohesi.errors import InputError
from kohesi.ingest import json_stream
from kohesi.ingest.json_stream import (
    JsonReader,
    JsonSyntaxError,
    decode_checked,
    element_batches,
)
from kohesi.ingest.options import ReadOptions
from kohesi.ingest.report import ReadReport
from kohesi.ingest.telegram.decode import _MSGS, _reason, chat_name
from kohesi.ingest.telegram.events import _Events
from kohesi.ingest.telegram.members import _Chat
from kohesi.ingest.telegram.scan import _NotTelegram, _Scan
from kohesi.privacy import Pseudonymizer, private_group_id


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
    """The one-line error of a malformed document, as :func:`~kohesi.ingest.common.load_json` words it."""
    if exc.msg == "not UTF-8 text":
        return InputError(path, f"not UTF-8 text (byte offset {exc.pos})")
    line, col = _line_col(fh, exc.pos)
    if exc.bound:
        return InputError(path, exc.msg, line=line)
    size = fh.seek(0, 2)
    fh.seek(max(0, size - 4096))
    end = fh.read().rstrip()
    truncated = exc.eof or exc.pos >= size or end[-1:] not in (b"}", b"]")
    hint = f"; the file looks truncated (ends at byte {size})" if truncated else ""
    return InputError(path, f"invalid JSON at byte {exc.pos} (line {line}, column {col}): {exc.msg}{hint}",
                      line=line)


_ONE_TO_ONE = ("personal_chat", "bot_chat", "saved_messages")
"""Telegram chat types named after a person (the group id is then a pseudonym)."""


def _read_chat(fh: BinaryIO, path: str, chat: _Chat, group: str | None, pseudo: Pseudonymizer,
               opts: ReadOptions) -> tuple[pa.Table, pa.Table, ReadReport]:
    """Pass 2 over one chat → events, members and the read report."""
    if chat.error is not None:
        raise chat.fail(path, *chat.error)
    name = chat_name(chat.header, chat.index or 0)
    report = ReadReport(source=path, format="telegram-json", platform="telegram", tz=opts.tz,
                        n_lines=chat.n, group_hint=name,
                        reply_rule="recorded by Telegram (reply_to_message_id); none inferred")
    person = chat.header.get("type") in _ONE_TO_ONE
    events = _Events(chat, path, group or private_group_id(name, pseudo, person=person), opts, report)
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
    except msgspec.DecodeError as exc:  # a part decoded on its own (entities, reactions)
        raise InputError(path, f"{chat.where}messages[{first}…]: {exc}") from None
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
        with no_gc():
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
        picks = [(chats[hits[0]], None)]  # group chose the chat; its id is derived as for every chat
    elif len(chats) > 1:
        raise InputError(path, f"this Telegram export holds {len(chats)} chats; pass group= one of: "
                               f"{', '.join(names)} (or use read_all)")
    else:
        picks = [(chats[0], group)]
    with no_gc():
        return [_read_chat(fh, path, c, g, pseudo, opts) for c, g in picks]
