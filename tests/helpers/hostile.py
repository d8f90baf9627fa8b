"""The hostile and broken inputs of the hostile-input probe, each as (file name, bytes) and the
words its one-line error must contain (None: the file must be read).

Invented data only. Each builder is small (a few KB, but the one-line CSV) so the same cases
run through ``kohesi.read``, the command line and the web page.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["HOSTILE", "Hostile", "zipped"]

_CHAT = "01/02/2024, 10:00 - Budi: halo semua\n01/02/2024, 10:01 - Ani: halo pak\n" * 30
_TG = {"name": "Warga", "type": "private_group", "id": 1, "messages": [
    {"id": 1, "type": "message", "date": "2024-02-01T10:00:00", "date_unixtime": "1706781600",
     "from": "Budi", "from_id": "user1", "text": "halo"},
    {"id": 2, "type": "message", "date": "2024-02-01T10:01:00", "date_unixtime": "1706781660",
     "from": "Ani", "from_id": "user2", "text": "halo pak"}]}
_DC = {"guild": {"id": "1", "name": "Warga"}, "channel": {"id": "2", "name": "umum", "type": "GuildTextChat"},
       "messages": [{"id": "10", "type": "Default", "timestamp": "2024-02-01T10:00:00+00:00", "content": "halo",
                     "author": {"id": "9", "name": "budi", "isBot": False}}]}
_DC_CSV = ("AuthorID,Author,Date,Content,Attachments,Reactions\n"
           "1,Andr\u00e9,2024-02-01T10:00:00.0000000+00:00,caf\u00e9 pagi,,\n"
           "2,Ani,2024-02-01T10:01:00.0000000+00:00,halo,,\n")
_MAIL = ("From: Budi <budi@example.org>\nSubject: Rapat\nDate: Thu, 1 Feb 2024 10:00:00 +0000\n"
         "Message-ID: <{n}@example.org>\n")


def _nest(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def zipped(name: str, data: bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """``data`` as the one member ``name`` of a zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


def _slack(messages: list) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("channels.json", json.dumps([{"id": "C1", "name": "umum"}]))
        zf.writestr("users.json", json.dumps([{"id": "U1", "name": "budi"}, {"id": "U2", "name": "ani"}]))
        zf.writestr("umum/2024-02-01.json", json.dumps(messages))
    return buf.getvalue()


def _telegram(pair: tuple[str, str]) -> bytes:
    """The Telegram export with the first ``pair[0]`` replaced by ``pair[1]``."""
    text = json.dumps(_TG)
    assert pair[0] in text
    return text.replace(*pair, 1).encode()


def _corrupt_zip() -> bytes:
    data = bytearray(zipped("WhatsApp Chat with Warga.txt", _CHAT.encode()))
    at = data.index(b"WhatsApp Chat with Warga.txt") + len("WhatsApp Chat with Warga.txt")
    for k in range(at + 2, at + 22):  # the deflate stream, just after the local header's name
        data[k] ^= 0xFF
    return bytes(data)


def _encrypted_zip() -> bytes:
    data = bytearray(zipped("WhatsApp Chat with Warga.txt", _CHAT.encode()))
    data[6] |= 1  # the local header's general-purpose flag: encrypted
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 1  # and the central directory's
    return bytes(data)


def _nested_mime(levels: int) -> bytes:
    head = ("From budi@example.org Thu Feb  1 10:00:00 2024\n" + _MAIL.format(n=1) + "MIME-Version: 1.0\n")
    parts = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(levels))
    ok = "\nFrom ani@example.org Thu Feb  1 10:05:00 2024\n" + _MAIL.format(n=2).replace("Budi <budi", "Ani <ani")
    return (head + parts + "\nisi\n" + ok + "\nhalo\n").encode()


@dataclass(frozen=True)
class Hostile:
    """One bad input: its file name, how to make its bytes, and the words of its error (None:
    it must be read, with at least ``events`` events)."""

    name: str
    make: Callable[[], bytes]
    error: str | None
    events: int = 1

    @property
    def id(self) -> str:
        return self.name.rsplit(".", 1)[0]


HOSTILE: list[Hostile] = [
    Hostile("nest700.jsonl", lambda: _nest(700).encode(), "nested deeper than 64 levels"),
    Hostile("nest700_in_zip.zip", lambda: zipped("d.jsonl", _nest(700).encode()), "nested deeper than 64 levels"),
    Hostile("tg_nested_text.json", lambda: _telegram(pair=('"halo"', _nest(5000))), "nested deeper than 64 levels"),
    Hostile("tg_nested_entities.json",
            lambda: _telegram(pair=('"text": "halo"', '"text": "halo", "text_entities": ' + "[" * 5000 + "]" * 5000)),
            "nested deeper than 64 levels"),
    Hostile("tg_nested_wrapper.json", lambda: ('{"x":' * 5000 + json.dumps(_TG) + "}" * 5000).encode(),
            "nested deeper than 64 levels"),
    Hostile("tg_long_integer.json", lambda: _telegram(pair=('"id": 1,', '"id": ' + "9" * 100_000 + ",")),
            "number longer than 40 characters"),
    Hostile("tg_unixtime_integer.json",
            lambda: _telegram(pair=('"date_unixtime": "1706781600"', '"date_unixtime": ' + "9" * 100_000)),
            "number longer than 40 characters"),
    Hostile("discord_nested.json", lambda: json.dumps(_DC).replace('"halo"', _nest(5000)).encode(),
            "nested deeper than 64 levels"),
    Hostile("from_line_latin1.mbox",
            lambda: (b"From budi@example.org Thu Feb  1 10:00:00 2024\n" + _MAIL.format(n=1).encode() + b"\nhalo\n\n"
                     b"From b\xe9b@example.org Thu Feb  1 10:05:00 2024\n"
                     + _MAIL.format(n=2).replace("Budi <budi", "Ani <ani").encode() + b"\nhai\n"),
            None, events=2),
    Hostile("mime_nested_5000.mbox", lambda: _nested_mime(5000), None, events=1),
    Hostile("corrupt_deflate.zip", _corrupt_zip, "damaged zip member"),
    Hostile("encrypted.zip", _encrypted_zip, "encrypted"),
    Hostile("empty.zip", lambda: _empty_zip(), "the zip archive is empty"),
    Hostile("slack_ts_far_future.zip",
            lambda: _slack([{"type": "message", "user": "U1", "text": "halo", "ts": "999999999999.999999"}]),
            "unreadable ts '999999999999.999999'"),
    Hostile("slack_subtype_list.zip",
            lambda: _slack([{"type": "message", "user": "U1", "text": "halo", "ts": "1706781600.000100",
                             "subtype": ["a"]}]),
            "field 'subtype' is a list"),
    Hostile("discord_utf16.csv", lambda: _DC_CSV.encode("utf-16"), None, events=2),
    Hostile("discord_latin1.csv", lambda: _DC_CSV.encode("latin-1"), "line 2: not UTF-8 text"),
    Hostile("one_line_5mb.csv", lambda: ("actor,ts,text\nBudi,2024-02-01T10:00:00," + "x" * 5_000_000 + "\n").encode(),
            "line 2: line is 5,000,025 bytes long"),
]
"""Every case of the hostile-input probe that a reader met wrongly (crash, internal error,
misleading error), and what it must do now."""


def _empty_zip() -> bytes:
    buf = io.BytesIO()
    zipfile.ZipFile(buf, "w").close()
    return buf.getvalue()
