"""Pass 1 over a Telegram export: find each chat, its members, and where its messages lie."""

from __future__ import annotations

from typing import Any

from kohesi.ingest.json_stream import (
    Batch,
    JsonReader,
    decode_checked,
)
from kohesi.ingest.telegram.members import _Chat
from kohesi.privacy import Pseudonymizer


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
