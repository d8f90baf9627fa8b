"""Fuzzing kohesi's readers: small valid fixtures of every format, seeded mutations of them, and
a worker process that reads each input under a memory and time bound.

Used by ``tests/ingest/test_fuzz_readers.py``. The pieces:

- **Fixtures** (:func:`base_inputs`): one or two small, valid, invented inputs per reader format, in the
  real schema of each export (the same shapes as the hand-written reader tests).
- **Mutations** (:func:`mutation_cases`): for each format, a fixed list of inputs made from its
  fixture by seeded byte-level mutations (bit flips, inserted/deleted/duplicated spans,
  truncation, NUL bytes, invalid UTF-8, huge numbers, deep nesting, CR line ends…) and
  structure-level ones (a JSON field given the wrong type, a huge or out-of-range value, null,
  deep nesting; a zip member with a corrupt deflate stream or the encryption flag; a CSV cell or
  Parquet column of another type…). ``random.Random(seed)`` with fixed seeds: the same inputs on
  every run and machine.
- **The oracle** (:func:`_judge`, run in the worker): ``kohesi.ingest.read(path, tz="UTC", …)``
  either returns an events table with every column of :data:`kohesi.events.EVENT_SCHEMA` (same
  type, valid Arrow data), or raises :class:`~kohesi.errors.InputError` whose one-line message
  names the file. Anything else — another exception, a crash of the process, a read past the
  time limit, memory past the bound (a ``MemoryError`` under ``RLIMIT_AS``) — is a failure.
- **The worker** (:class:`Worker`): a child Python process that reads one input per request,
  its address space bounded (``RLIMIT_AS``: its size once kohesi is imported and warmed up, plus
  2 GiB; no core dumps); a crash or a timeout (reported with the stacks faulthandler dumps) is
  recorded, the worker is replaced, and the run goes on. :class:`Pool` runs a list of cases on
  two workers at once.
- **Counts** (:data:`TALLY`): inputs tried, read, refused with a clean ``InputError`` and failed,
  per format; :func:`tally_table` prints them.

Environment: ``KOHESI_FUZZ_SCALE`` multiplies the number of inputs (``4`` for a longer campaign);
``KOHESI_FUZZ_SRC`` puts another source tree first on the workers' path (to fuzz an older or
newer ``src/`` without installing it).
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import json
import os
import random
import re
import selectors
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parents[1]

MEMORY_LIMIT = 2 * 1024**3
"""Address space a read may add to a worker's (RLIMIT_AS = the worker's size after importing
kohesi, polars and pyarrow, plus this): a read that needs more fails with MemoryError."""

TIMEOUT = 15.0
"""Seconds one read may take (the inputs are a few KB; a healthy read takes milliseconds)."""

START_TIMEOUT = 600.0
"""Seconds a new worker may take to import kohesi and read each valid fixture once (which
compiles the readers' Numba kernels when their cache is cold: minutes on a loaded machine)."""

SALT = b"fuzz-salt"

SCALE = float(os.environ.get("KOHESI_FUZZ_SCALE", "1"))
"""Multiplies the number of inputs (mutations per format and hypothesis examples): ``4`` for a
longer campaign, ``0.25`` for a quick look. The seeds of the first inputs do not change."""

# =============================================================================== fixtures
# Every name, number and message below is invented.

WHATSAPP_ANDROID = (
    "01/03/2024, 09:00 - Messages and calls are end-to-end encrypted. No one outside of this chat, "
    "not even WhatsApp, can read or listen to them. Tap to learn more.\n"
    '01/03/2024, 09:01 - Budi created group "Warga RT 05"\n'
    "01/03/2024, 09:02 - Budi added Siti\n"
    "01/03/2024, 09:05 - Budi: Selamat pagi semua, besok kerja bakti ya\n"
    "01/03/2024, 09:06 - Siti: Siap @Budi, terima kasih\n"
    "saya bawa sapu\n"
    "01/03/2024, 09:07 - Siti: <Media omitted>\n"
    "01/03/2024, 09:08 - +62 812-3456-7890: This message was deleted\n"
    "01/03/2024, 09:09 - Budi: Rapat jam 8 <This message was edited>\n"
    "01/03/2024, 09:10 - Andi joined using this group's invite link\n"
    "01/03/2024, 09:11 - Andi: Ikut ya \U0001f64f\n"
    "01/03/2024, 09:12 - Budi removed Andi\n"
    "01/03/2024, 09:13 - Siti left\n"
)

WHATSAPP_IOS = (
    "[01/03/24, 09.00.00] Warga RT 05: \u200ePesan dan panggilan terenkripsi secara end-to-end.\r\n"
    "[01/03/24, 09.01.10] Warga RT 05: \u200eBudi menambahkan Siti\r\n"
    "[01/03/24, 09.05.12] Budi: Kajian nanti malam:\r\n"
    "Tempat: Balai RW\r\n"
    "\u200e[01/03/24, 09.06.00] Siti: \u200egambar tidak disertakan\r\n"
    "[01/03/24, 09.07.00] \u202a+62\u00a0812-3456-7890\u202c: Insya Allah hadir\r\n"
    "[01/03/24, 09.08.00] Budi: \u200ePesan ini dihapus.\r\n"
    "[01/03/24, 09.09.00] Warga RT 05: \u200eSiti keluar\r\n"
)

T0 = 1709283600  # 2024-03-01 09:00:00 UTC


def _tg_stamp(minutes: int) -> dict:
    t = T0 + 60 * minutes
    return {"date": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)), "date_unixtime": str(t)}


def _tg_msg(mid: int, minutes: int, frm: str | None, from_id: str, text: Any, **extra) -> dict:
    ents = extra.pop("entities", [] if isinstance(text, list) else ([{"type": "plain", "text": text}] if text else []))
    return {"id": mid, "type": "message", **_tg_stamp(minutes), "from": frm, "from_id": from_id, "text": text,
            "text_entities": ents, **extra}


def _tg_service(mid: int, minutes: int, actor: str, actor_id: str, action: str, **extra) -> dict:
    return {"id": mid, "type": "service", **_tg_stamp(minutes), "actor": actor, "actor_id": actor_id,
            "action": action, "text": "", "text_entities": [], **extra}


TELEGRAM = {
    "name": "Warga RT 05", "type": "private_supergroup", "id": 1234567,
    "messages": [
        _tg_service(1, 0, "Budi", "user1", "create_group", title="Warga RT 05", members=["Siti"]),
        _tg_service(2, 1, "Budi", "user1", "invite_members", members=["Siti", "Andi"]),
        {"id": 3, "type": "message", "date": "2024-03-01T09:05:00", "from": "Siti", "from_id": "user2",
         "text": "Selamat pagi", "text_entities": [{"type": "plain", "text": "Selamat pagi"}]},
        _tg_msg(4, 6, "Andi", "user3", ["Halo ", {"type": "mention", "text": "@siti"}, " dan ",
                                        {"type": "mention_name", "text": "Budi", "user_id": 1}],
                entities=[{"type": "plain", "text": "Halo "}, {"type": "mention", "text": "@siti"},
                          {"type": "plain", "text": " dan "},
                          {"type": "mention_name", "text": "Budi", "user_id": 1}],
                reply_to_message_id=3,
                reactions=[{"type": "emoji", "count": 3, "emoji": "\U0001f44d",
                            "recent": [{"from": "Siti", "from_id": "user2", "date": "2024-03-01T09:07:00"}]},
                           {"type": "emoji", "count": 2, "emoji": "\u2764"}]),
        _tg_msg(5, 10, "Budi", "user1", "", photo="photos/photo_1.jpg", width=1280, height=960),
        _tg_msg(6, 11, "Siti", "user2", "", file="voice.ogg", media_type="voice_message", mime_type="audio/ogg",
                duration_seconds=7),
        _tg_msg(7, 16, "Siti", "user2", "Pengumuman", forwarded_from="Kelurahan Sukamaju"),
        _tg_msg(8, 17, None, "user99", "hai semua"),
        _tg_msg(9, 18, "Andi", "user3", "Rapat jam 8", edited="2024-03-01T09:30:00", edited_unixtime="1709285400"),
        _tg_service(10, 19, "Dewi", "user4", "join_group_by_link", inviter="Budi"),
        _tg_service(11, 21, "Budi", "user1", "pin_message", message_id=9),
        _tg_service(12, 23, "Budi", "user1", "remove_members", members=["Andi"]),
        _tg_msg(13, 26, "+62 812-3456-7890", "user6", "ok siap"),
        {"id": 14, "type": "unsupported", **_tg_stamp(27)},
    ],
}

TELEGRAM_ACCOUNT = {
    "about": "export", "personal_information": {"user_id": 42, "first_name": "Budi"},
    "chats": {"about": "chats", "list": [dict(copy.deepcopy(TELEGRAM), id=1234567),
                                         {"name": "Remaja Masjid", "type": "private_group", "id": 7654321,
                                          "messages": copy.deepcopy(TELEGRAM["messages"][2:6])}]},
    "left_chats": {"about": "left", "list": []},
}


def _dc_user(uid: str, name: str, nickname: str | None = None, bot: bool = False) -> dict:
    return {"id": uid, "name": name, "discriminator": "0000", "nickname": nickname or name, "color": None,
            "isBot": bot, "roles": [], "avatarUrl": "https://cdn.example/0.png"}


_ANA, _BEN, _CIT, _BOT = _dc_user("111", "ana", "Ana"), _dc_user("222", "ben_k", "Ben"), _dc_user("333", "citra"), \
    _dc_user("999", "MEE6", bot=True)


def _dc_msg(mid: str, ts: str, author: dict, content: str = "", *, type_: str = "Default", **extra) -> dict:
    return {"id": mid, "type": type_, "timestamp": ts, "timestampEdited": extra.pop("edited", None),
            "callEndedTimestamp": None, "isPinned": False, "content": content, "author": author,
            "attachments": extra.pop("attachments", []), "embeds": [], "stickers": extra.pop("stickers", []),
            "reactions": extra.pop("reactions", []), "mentions": extra.pop("mentions", []), "inlineEmojis": [],
            **extra}


DISCORD = {
    "guild": {"id": "100", "name": "Komunitas Sukamaju", "iconUrl": "x.png"},
    "channel": {"id": "200", "type": "GuildTextChat", "categoryId": "300", "category": "Umum", "name": "obrolan",
                "topic": None},
    "dateRange": {"after": None, "before": None},
    "exportedAt": "2024-05-21T00:00:00+00:00",
    "messages": [
        _dc_msg("1001", "2024-05-20T16:00:00.000+00:00", _CIT, type_="GuildMemberJoin"),
        _dc_msg("1002", "2024-05-20T16:01:00.000+00:00", _ANA, "Halo @Ben, rapat besok?", mentions=[_BEN],
                reactions=[{"emoji": {"id": None, "name": "\U0001f44d", "code": "thumbsup", "isAnimated": False,
                                      "imageUrl": "x.svg"}, "count": 3, "users": [_BEN, _CIT, _BOT]},
                           {"emoji": {"id": None, "name": "\U0001f389", "code": "tada", "isAnimated": False,
                                      "imageUrl": "y.svg"}, "count": 2}]),
        _dc_msg("1003", "2024-05-20T23:02:30.500+07:00", _BEN, "Bisa, jam 8", type_="Reply",
                reference={"messageId": "1002", "channelId": "200", "guildId": "100"}),
        _dc_msg("1004", "2024-05-20T16:03:00.000+00:00", _BOT, "Level up!"),
        _dc_msg("1005", "2024-05-20T16:04:00.000+00:00", _CIT, "",
                attachments=[{"id": "5", "url": "https://cdn.example/a/foto.jpg", "fileName": "foto.jpg",
                              "fileSizeBytes": 1234}]),
        _dc_msg("1006", "2024-05-20T16:06:00.000+00:00", _BEN, "",
                stickers=[{"id": "7", "name": "wave", "format": "Apng", "sourceUrl": "s.png"}]),
        _dc_msg("1007", "2024-05-20T16:07:00.000+00:00", _ANA, "rapat jam 9", edited="2024-05-20T16:08:00+00:00"),
        _dc_msg("1008", "2024-05-20T16:09:00.000+00:00", _BEN, "", type_="RecipientAdd", mentions=[_CIT]),
        _dc_msg("1009", "2024-05-20T16:11:00.000+00:00", _CIT, "@MEE6 rank", mentions=[_BOT],
                reference={"messageId": "1004", "channelId": "200", "guildId": "100"}),
    ],
    "messageCount": 9,
}

DISCORD_CSV = (
    "AuthorID,Author,Date,Content,Attachments,Reactions\n"
    '111,ana,2024-05-20T16:00:00.000+00:00,"Halo semua, rapat besok?",,"\U0001f44d (2),\U0001f389 (1)"\n'
    "222,ben_k,2024-05-20T16:03:00.000+00:00,Bisa,,\n"
    "222,ben_k,2024-05-20T16:04:00.000+00:00,jam 8 ya,,\n"
    "333,citra,2024-05-20T16:30:00.000+00:00,,https://cdn.example/attachments/1/2/foto.png,\n"
    '111,ana,2024-05-20T16:31:00.000+00:00,"baris\nkedua",,\n'
)


def _sl_ts(minutes: int, micro: int = 200) -> str:
    return f"{T0 + 60 * minutes}.{micro:06d}"


def _sl_user(uid, name, real_name, display_name, **extra):
    return {"id": uid, "team_id": "T1", "name": name, "deleted": False, "real_name": real_name, "tz": "Asia/Jakarta",
            "is_bot": False, "profile": {"real_name": real_name, "display_name": display_name}, **extra}


def _sl_channel(cid, name, members):
    return {"id": cid, "name": name, "created": T0 - 86400, "creator": "U1", "is_archived": False,
            "is_general": name == "general", "members": members,
            "topic": {"value": "", "creator": "", "last_set": 0}, "purpose": {"value": "", "creator": "", "last_set": 0}}


def _sl_m(minutes, uid, text, **extra):
    return {"type": "message", "user": uid, "text": text, "ts": _sl_ts(minutes), **extra}


_PARENT = _sl_ts(5)

SLACK = {
    "users.json": [_sl_user("U1", "budi", "Budi Santoso", "Budi"), _sl_user("U2", "siti", "Siti Aminah", ""),
                   _sl_user("U3", "andi", "Andi Wijaya", "Andi"),
                   _sl_user("U5", "pengingat", "Pengingat", "Pengingat", is_bot=True)],
    "channels.json": [_sl_channel("C1", "general", ["U1", "U2", "U3"]), _sl_channel("C2", "random", ["U1", "U2"])],
    "groups.json": [_sl_channel("G1", "pengurus", ["U1", "U3"])],
    "general/2024-03-01.json": [
        _sl_m(0, "U1", "<@U1> has joined the channel", subtype="channel_join"),
        _sl_m(1, "U1", "set the channel topic: Kerja bakti", subtype="channel_topic", topic="Kerja bakti"),
        _sl_m(5, "U2", "Selamat pagi <@U1>!", client_msg_id="a1", thread_ts=_PARENT, reply_count=2,
              reply_users=["U3", "U1"], reactions=[{"name": "thumbsup", "users": ["U1", "U3"], "count": 3}]),
        _sl_m(6, "U3", "Pagi!", thread_ts=_PARENT, parent_user_id="U2", edited={"user": "U3", "ts": _sl_ts(8)}),
        _sl_m(7, "U1", "Jangan lupa <@U3|andi> <#C2|random>", subtype="thread_broadcast", thread_ts=_PARENT,
              parent_user_id="U2", root={"text": "Selamat pagi", "user": "U2", "ts": _PARENT}),
        {"type": "message", "subtype": "bot_message", "bot_id": "B1", "username": "Pengingat", "text": "Rapat",
         "ts": _sl_ts(8)},
        _sl_m(9, "U2", "", files=[{"id": "F1", "name": "foto.jpg", "mimetype": "image/jpeg", "filetype": "jpg"}]),
        _sl_m(10, "U3", "sedang jalan", subtype="me_message"),
    ],
    "general/2024-03-02.json": [
        {"type": "message", "subtype": "tombstone", "user": "USLACKBOT", "text": "This message was deleted.",
         "ts": _sl_ts(1440), "thread_ts": _sl_ts(1440), "reply_count": 1, "hidden": True},
        _sl_m(1441, "U2", "Setuju <@U1> <https://rt05.example|situs>", thread_ts=_sl_ts(1440), parent_user_id="U1"),
        _sl_m(1445, "U3", "<@U3> has left the channel", subtype="channel_leave"),
    ],
    "random/2024-03-01.json": [_sl_m(20, "U1", "halo random"),
                               _sl_m(21, "U2", "siapa <@U9>?", reactions=[{"name": "eyes", "users": ["U1"], "count": 1}])],
    "pengurus/2024-03-01.json": [_sl_m(30, "U1", "rapat pengurus")],
}

MBOX = (
    "From budi@example.org Fri Mar  1 09:00:00 2024\n"
    "From: Budi Santoso <Budi@Example.ORG>\n"
    "To: warga@lists.example.org\n"
    "Subject: [warga] Kerja bakti Minggu\n"
    "Date: Fri, 01 Mar 2024 16:00:00 +0700\n"
    "Message-ID: <m1@example.org>\n"
    "List-Id: Warga RT 05 <warga.lists.example.org>\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "Ayo kerja bakti hari Minggu.\n"
    ">From the committee: bawa cangkul.\n"
    "\n"
    "From siti at example.org Fri Mar  1 10:30:00 2024\n"
    "From: siti at example.org (=?utf-8?q?Siti_Aminah?=)\n"
    "Subject: Re: [warga] Kerja bakti Minggu\n"
    "Date: Fri, 1 Mar 2024 10:30:00 +0000\n"
    "Message-ID: <m2@example.org>\n"
    "In-Reply-To: <m1@example.org>\n"
    "References: <m1@example.org>\n"
    "\n"
    "Siap, saya ikut.\n"
    "\n"
    "From dewi@example.org Fri Mar  1 12:00:00 2024\n"
    "From: =?ISO-8859-1?Q?Dewi_Lestar=ED?= <dewi (at) example.org>\n"
    "Subject: Balas: Kerja bakti Minggu\n"
    "Date: Fri, 01 Mar 2024 19:00:00 +0700\n"
    "\n"
    "Saya juga.\n"
    "\n"
    "From budi@example.org Sat Mar  2 08:00:00 2024\n"
    "From: budi@example.org\n"
    "Subject: [warga] Rapat RW\n"
    "Date: Sat, 02 Mar 2024 08:00:00 -0000\n"
    "MIME-Version: 1.0\n"
    'Content-Type: multipart/mixed; boundary="XYZ"\n'
    "\n"
    "--XYZ\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Notulen terlampir =E2=9C=93\n"
    "--XYZ\n"
    'Content-Type: application/pdf; name="notulen.pdf"\n'
    'Content-Disposition: attachment; filename="notulen.pdf"\n'
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "JVBERi0xLjQK\n"
    "--XYZ--\n"
    "\n"
)

TABLE_CSV = (
    "id,sender,time,parent,body,topic,type,to\n"
    "m1,Budi,2024-03-05T19:30:00+07:00,,Rapat malam ini,rapat,message,\n"
    "m2,Siti,2024-03-05 12:35:00,m1,Saya datang,rapat,message,\n"
    "m3,+62 812-3456-7890,2024-03-05T12:40:00Z,m1,ok,rapat,,\n"
    "m4,Budi,2024-03-05T12:41:00Z,,,,add,Andi\n"
    "m5,Andi,2024-03-05T12:42:00.250Z,,foto,,media,\n"
)
TABLE_CSV_MAPPING = {"event_id": "id", "actor": "sender", "ts": "time", "reply_to": "parent", "text": "body",
                     "thread": "topic", "kind": "type", "target": "to"}

TABLE_JSONL_ROWS = [
    {"id": "p1", "who": "Budi", "when": "2024-03-05T10:00:00", "grp": "RT 05", "msg": "Rapat malam ini"},
    {"id": "p2", "who": "Siti", "when": "2024-03-05T10:01:00+07:00", "grp": "RT 05", "msg": "Saya datang",
     "re": "p1"},
    {"id": "p3", "who": "Andi", "when": "2024-03-05", "grp": "RT 06", "msg": "halo", "re": None},
]
TABLE_JSONL_MAPPING = {"event_id": "id", "actor": "who", "ts": "when", "group_id": "grp", "text": "msg",
                       "reply_to": "re"}
PARQUET_MAPPING = {"event_id": "event_id", "actor": "actor", "ts": "ts", "reply_to": "reply_to", "text": "text"}


def parquet_table_columns() -> dict[str, Any]:
    """Columns of the Parquet fixture (canonical names, so it needs no mapping), as pyarrow arrays."""
    import pyarrow as pa

    return {
        "event_id": pa.array(["a", "b", "c"]),
        "actor": pa.array(["Budi", "Siti", "Andi"]),
        "ts": pa.array([1709640000_000000, 1709640300_000000, 1709640600_000000], pa.timestamp("us", "Asia/Jakarta")),
        "reply_to": pa.array([None, "a", "a"], pa.string()),
        "text": pa.array(["halo", "hai", "ikut"]),
    }


def parquet_bytes(columns: dict[str, Any]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.table(columns), buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------- containers

ZIP_TIME = (2024, 3, 1, 9, 0, 0)


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``members`` (deterministic: fixed dates, given order)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=ZIP_TIME), data, compress_type=method)
    return buf.getvalue()


def dumps(obj: Any) -> bytes:
    """JSON bytes of ``obj`` (UTF-8, like the exports); :class:`Raw` values are written verbatim."""
    raws: list[str] = []

    def swap(x):
        if isinstance(x, Raw):
            raws.append(x.text)
            return f"\x00RAW{len(raws) - 1}\x00"
        if isinstance(x, dict):
            return {(swap(k) if isinstance(k, Raw) else k): swap(v) for k, v in x.items()}
        if isinstance(x, list):
            return [swap(v) for v in x]
        return x

    text = json.dumps(swap(obj), ensure_ascii=False, indent=None)
    if raws:
        text = re.sub(r'"\\u0000RAW(\d+)\\u0000"', lambda m: raws[int(m.group(1))], text)
    return text.encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Raw:
    """A JSON value written as this text (a 100,000-digit number, deep nesting, ``NaN``…)."""

    text: str


def slack_zip(files: dict[str, Any], prefix: str = "") -> bytes:
    return make_zip({prefix + k: (v if isinstance(v, bytes) else dumps(v)) for k, v in files.items()})


# ================================================================================= the cases


@dataclass
class Case:
    """One input: the file to write (``name``: its bytes) and the options to read it with."""

    fmt: str
    label: str
    name: str
    data: bytes
    kwargs: dict[str, Any] = field(default_factory=dict)
    test_hook: str | None = None
    """Only for the harness's own tests: the worker runs this instead of ``kohesi.read``."""


FORMATS = ("whatsapp-txt", "whatsapp-zip", "telegram-json", "discord-json", "discord-csv", "slack-zip", "mbox",
           "table-csv", "table-jsonl", "table-parquet")

FILE_NAMES = {
    "whatsapp-txt": "WhatsApp Chat with Warga RT 05.txt",
    "whatsapp-zip": "WhatsApp Chat with Warga RT 05.zip",
    "telegram-json": "result.json",
    "discord-json": "Komunitas Sukamaju - obrolan [200].json",
    "discord-csv": "obrolan.csv",
    "slack-zip": "RT05 Slack export.zip",
    "mbox": "warga.mbox",
    "table-csv": "forum.csv",
    "table-jsonl": "posts.jsonl",
    "table-parquet": "events.parquet",
}

OPTIONS = {
    "slack-zip": {"slack_channels": "threads"},
    "table-csv": {"mapping": TABLE_CSV_MAPPING},
    "table-jsonl": {"mapping": TABLE_JSONL_MAPPING},
}


def read_options(fmt: str, **extra) -> dict[str, Any]:
    """Keyword arguments of ``kohesi.ingest.read`` for an input of ``fmt``."""
    return {"tz": "UTC", "keep_text": True, "keep_names": True, **OPTIONS.get(fmt, {}), **extra}


def jsonl_bytes(rows: list[Any]) -> bytes:
    return b"".join(dumps(r) + b"\n" for r in rows)


def base_inputs(fmt: str) -> list[tuple[str, bytes]]:
    """The valid fixture(s) of ``fmt``: (label, bytes)."""
    if fmt == "whatsapp-txt":
        return [("android", WHATSAPP_ANDROID.encode()), ("ios", WHATSAPP_IOS.encode())]
    if fmt == "whatsapp-zip":
        return [("ios-zip", make_zip({"_chat.txt": WHATSAPP_IOS.encode(), "00000035-PHOTO.jpg": b"\xff\xd8\xff\xd9"})),
                ("android-zip", make_zip({"WhatsApp Chat with Warga RT 05.txt": WHATSAPP_ANDROID.encode()}))]
    if fmt == "telegram-json":
        return [("chat", dumps(TELEGRAM)), ("account", dumps(TELEGRAM_ACCOUNT))]
    if fmt == "discord-json":
        return [("export", dumps(DISCORD))]
    if fmt == "discord-csv":
        return [("export", DISCORD_CSV.encode())]
    if fmt == "slack-zip":
        return [("workspace", slack_zip(SLACK))]
    if fmt == "mbox":
        return [("archive", MBOX.encode())]
    if fmt == "table-csv":
        return [("forum", TABLE_CSV.encode())]
    if fmt == "table-jsonl":
        return [("posts", jsonl_bytes(TABLE_JSONL_ROWS))]
    if fmt == "table-parquet":
        return [("events", parquet_bytes(parquet_table_columns()))]
    raise ValueError(fmt)


def base_options(fmt: str, label: str) -> dict[str, Any]:
    if fmt == "telegram-json" and label == "account":
        return read_options(fmt, group="Warga RT 05")
    return read_options(fmt)


def valid_cases() -> list[Case]:
    """The unmutated fixtures: each must read."""
    return [Case(fmt, f"valid {label}", FILE_NAMES[fmt], data, base_options(fmt, label))
            for fmt in FORMATS for label, data in base_inputs(fmt)]


# ------------------------------------------------------------------------------- byte mutations

BAD_UTF8 = (b"\xff", b"\xfe\xff", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xc0\xaf", b"\xf8\x88\x80\x80\x80",
            b"\x80\x80", b"\xf4\x90\x80\x80")
HUGE_DIGITS = (12, 20, 41, 400, 5000, 100_000)


def _pos(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def _huge(rng: random.Random, k: int | None = None) -> str:
    k = k or rng.choice(HUGE_DIGITS)
    return rng.choice(["9" * k, "1" + "0" * k, "-" + "9" * k, "9" * k + ".5", "1e" + "9" * min(k, 40)])


def byte_flip(rng, data):
    b = bytearray(data)
    n = rng.choice((1, 1, 2, 4, 16))
    for _ in range(n):
        if b:
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
    return bytes(b), f"flip {n} bits"


def byte_insert(rng, data):
    i = _pos(rng, data)
    chunk = rng.randbytes(rng.randint(1, 16))
    return data[:i] + chunk + data[i:], f"insert {len(chunk)} random bytes at {i}"


def byte_delete(rng, data):
    i = rng.randrange(max(1, len(data)))
    n = rng.randint(1, 64)
    return data[:i] + data[i + n:], f"delete {n} bytes at {i}"


def byte_truncate(rng, data):
    i = rng.randrange(max(1, len(data)))
    return data[:i], f"truncate at {i}"


def byte_duplicate(rng, data):
    i = rng.randrange(max(1, len(data)))
    n = rng.randint(1, 200)
    j = _pos(rng, data)
    return data[:j] + data[i:i + n] + data[j:], f"duplicate {n} bytes from {i} at {j}"


def byte_nul(rng, data):
    i = _pos(rng, data)
    n = rng.choice((1, 1, 3, 64))
    return data[:i] + b"\x00" * n + data[i:], f"insert {n} NUL at {i}"


def byte_bad_utf8(rng, data):
    i = _pos(rng, data)
    bad = rng.choice(BAD_UTF8)
    if rng.random() < 0.5:
        return data[:i] + bad + data[i:], f"insert invalid UTF-8 {bad!r} at {i}"
    return data[:i] + bad + data[i + len(bad):], f"overwrite with invalid UTF-8 {bad!r} at {i}"


def byte_huge_number(rng, data):
    runs = list(re.finditer(rb"\d+", data))
    if not runs:
        return byte_insert(rng, data)
    m = rng.choice(runs)
    huge = _huge(rng).encode()
    return data[:m.start()] + huge + data[m.end():], f"digits at {m.start()} → {huge[:12]!r}… ({len(huge)} chars)"


def byte_deep_nesting(rng, data):
    d = rng.choice((100, 1000, 10_000, 100_000))
    i = _pos(rng, data)
    if rng.random() < 0.5:
        s = rng.choice((b"[" * d + b"]" * d, b'{"a":' * d + b"1" + b"}" * d))
        return data[:i] + s + data[i:], f"insert balanced nesting depth {d} at {i}"
    return data[:i] + rng.choice((b"[", b"{")) * d + data[i:], f"insert unbalanced nesting depth {d} at {i}"


def byte_line_ends(rng, data):
    mode = rng.choice(("cr", "crlf", "lfcr", "mixed"))
    if mode == "cr":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r"), "line ends → CR"
    if mode == "crlf":
        return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), "line ends → CRLF"
    if mode == "lfcr":
        return data.replace(b"\n", b"\n\r"), "line ends → LF CR"
    return re.sub(rb"\n", lambda m: rng.choice((b"\n", b"\r\n", b"\r")), data), "mixed line ends"


def byte_encoding(rng, data):
    mode = rng.choice(("utf16", "utf16-odd", "bom", "latin1", "utf16-bom-only"))
    text = data.decode("utf-8", "replace")
    if mode == "utf16":
        return text.encode("utf-16"), "re-encoded UTF-16 with BOM"
    if mode == "utf16-odd":
        return text.encode("utf-16")[:-1], "UTF-16 with an odd byte count"
    if mode == "bom":
        return b"\xef\xbb\xbf" + data, "UTF-8 BOM prefixed"
    if mode == "utf16-bom-only":
        return b"\xff\xfe" + data, "UTF-16 BOM before UTF-8 bytes"
    return text.encode("latin-1", "replace"), "re-encoded Latin-1"


def byte_whole(rng, data):
    mode = rng.choice(("empty", "space", "twice", "nul", "one-byte", "long-line"))
    if mode == "empty":
        return b"", "empty file"
    if mode == "space":
        return b" \n\t\r\n", "whitespace only"
    if mode == "twice":
        return data + data, "content repeated twice"
    if mode == "nul":
        return b"\x00" * 1024, "1 KiB of NUL"
    if mode == "one-byte":
        return data[:1], "first byte only"
    i = _pos(rng, data)
    return data[:i] + b"x" * 300_000 + data[i:], f"300 KB run without a line end at {i}"


BYTE_MUTATIONS = (byte_flip, byte_insert, byte_delete, byte_truncate, byte_duplicate, byte_nul, byte_bad_utf8,
                  byte_huge_number, byte_deep_nesting, byte_line_ends, byte_encoding, byte_whole)


def mutate_bytes(rng: random.Random, data: bytes, ops=BYTE_MUTATIONS) -> tuple[bytes, str]:
    """One or two byte-level mutations of ``data``."""
    notes = []
    for _ in range(1 if rng.random() < 0.8 else 2):
        data, note = rng.choice(ops)(rng, data)
        notes.append(note)
    return data, "; ".join(notes)


# ------------------------------------------------------------------------------- line mutations


def mutate_lines(rng: random.Random, data: bytes, line_values: list[bytes]) -> tuple[bytes, str]:
    """A line-level mutation of a text file: lines swapped, duplicated, dropped, or one replaced by
    a hostile value (``line_values``, or a mutated copy of a line)."""
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    op = rng.choice(("dup", "drop", "swap", "replace", "replace", "mutate", "insert"))
    if op == "dup":
        lines.insert(i, lines[i])
    elif op == "drop":
        del lines[i]
    elif op == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "replace":
        value = rng.choice(line_values)
        lines[i] = value
        return b"\n".join(lines), f"line {i + 1} → {value[:60]!r}"
    elif op == "insert":
        value = rng.choice(line_values)
        lines.insert(i, value)
        return b"\n".join(lines), f"insert line {value[:60]!r} before line {i + 1}"
    else:
        lines[i], note = mutate_bytes(rng, lines[i])
        return b"\n".join(lines), f"line {i + 1}: {note}"
    return b"\n".join(lines), f"{op} line {i + 1}"


# ------------------------------------------------------------------------------- JSON mutations

TIME_STRINGS = ("9999-12-31T23:59:59", "10000-01-01T00:00:00", "0001-01-01T00:00:00", "0000-00-00T00:00:00",
                "-000001-01-01T00:00:00", "2024-02-30T09:00:00", "2024-03-01T25:61:61", "2024-13-01T00:00:00",
                "2024-03-01T09:00:00+99:00", "2024-03-01T09:00:00+23:59", "2024-03-01T09:00:00.9999999999Z",
                "1e20", "99999999999", "-99999999999", "253402300800", "-62135596801", "999999999999.999999",
                "18446744073709551616", "9" * 40, "1709283600.", ".5", "1709283600.-5", " 1709283600 ", "NaN",
                "inf", "", " ", "\u0661\u0667\u0660\u0669", "2024-03-01T09:00:00\x00", "\ud800")


def _wrong_values(rng: random.Random) -> list[Any]:
    """Values of the wrong type, huge, out of range, or hostile."""
    d = rng.choice((100, 1000, 5000, 100_000))
    return [
        None, True, False, 0, -1, 1.5, -0.0, 2**63, -(2**63) - 1, 2**64, 10**30, "", "x", " ", [], {}, ["a"],
        [None], [1, 2], {"a": 1}, {"id": None}, [[]], [{}],
        Raw(_huge(rng)), Raw("1e309"), Raw("-1e309"), Raw("NaN"), Raw("Infinity"), Raw("-Infinity"),
        Raw("5e-324"), Raw("1.7976931348623157e308"),
        Raw("[" * d + "]" * d), Raw('{"a":' * d + "1" + "}" * d), Raw('"\\ud800"'), Raw('"\\udfff\\ud800"'),
        Raw('"a\\u0000b"'), "x" * 200_000, "\u202e\u200f\ufeff", "<@U1>" * 1000, "@" * 5000,
        *TIME_STRINGS,
    ]


def json_paths(obj: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (tuple of keys and indices) into ``obj``."""
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out += json_paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out += json_paths(v, (*prefix, i))
    return out


def _get(obj, path):
    for p in path:
        obj = obj[p]
    return obj


def put(obj: Any, path: tuple, value: Any) -> None:
    """Set ``value`` at ``path`` in ``obj``, as deep as the path exists (an index wraps around
    the list; a missing or non-container step puts the value at the last container reached)."""
    cur = obj
    for p in path[:-1]:
        nxt = None
        if isinstance(cur, dict):
            nxt = cur.get(p)
        elif isinstance(cur, list) and cur and isinstance(p, int):
            nxt = cur[p % len(cur)]
        if not isinstance(nxt, (dict, list)):
            break
        cur = nxt
    last = path[-1]
    if isinstance(cur, dict):
        cur[last if isinstance(last, str) else str(last)] = value
    elif isinstance(cur, list):
        if cur:
            cur[(last if isinstance(last, int) else 0) % len(cur)] = value
        else:
            cur.append(value)


def mutate_json(rng: random.Random, obj: Any, hot: tuple[str, ...] = ()) -> tuple[Any, str]:
    """A structure-level mutation of a JSON document: a value (preferably one under a key named in
    ``hot``) replaced by a wrong-typed, huge, out-of-range or deeply nested one, deleted, or an
    array element duplicated."""
    obj = copy.deepcopy(obj)
    paths = json_paths(obj)
    hot_paths = [p for p in paths if p and isinstance(p[-1], str) and p[-1] in hot]
    path = rng.choice(hot_paths) if hot_paths and rng.random() < 0.75 else rng.choice(paths)
    where = "".join(f"[{p!r}]" for p in path) or "document"
    if not path:
        value = rng.choice(_wrong_values(rng))
        return value, f"document → {_show(value)}"
    parent = _get(obj, path[:-1])
    key = path[-1]
    op = rng.random()
    if op < 0.12 and isinstance(parent, dict):
        del parent[key]
        return obj, f"delete {where}"
    if op < 0.20 and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
        return obj, f"duplicate {where}"
    if op < 0.26:
        parent[key] = [parent[key]] if rng.random() < 0.5 else {"value": parent[key]}
        return obj, f"wrap {where} in a {type(parent[key]).__name__}"
    if op < 0.32 and isinstance(parent, dict):
        parent[Raw('"\\ud800"') if rng.random() < 0.3 else rng.choice(("", "\x00", "k" * 1000))] = parent[key]
        return obj, f"extra key beside {where}"
    value = rng.choice(_wrong_values(rng))
    parent[key] = value
    return obj, f"{where} → {_show(value)}"


def _show(value: Any) -> str:
    text = value.text if isinstance(value, Raw) else repr(value)
    return text if len(text) <= 40 else f"{text[:30]}…({len(text)} chars)"


TELEGRAM_HOT = ("id", "type", "date", "date_unixtime", "from", "from_id", "text", "text_entities",
                "reply_to_message_id", "reactions", "recent", "count", "emoji", "edited", "edited_unixtime", "actor",
                "actor_id", "action", "members", "photo", "file", "media_type", "mime_type", "forwarded_from",
                "title", "inviter", "message_id", "user_id", "messages", "name", "chats", "list")
DISCORD_HOT = ("id", "type", "timestamp", "timestampEdited", "content", "author", "isBot", "nickname", "name",
               "attachments", "fileName", "url", "reactions", "emoji", "count", "users", "mentions", "reference",
               "messageId", "stickers", "messages", "guild", "channel", "forwardedMessage")
SLACK_HOT = ("ts", "user", "text", "subtype", "thread_ts", "parent_user_id", "reactions", "users", "count", "name",
             "files", "mimetype", "filetype", "edited", "bot_id", "type", "id", "members", "profile", "display_name",
             "real_name", "is_bot", "root", "reply_users", "user_profile")
JSONL_HOT = ("id", "who", "when", "grp", "msg", "re")


# ------------------------------------------------------------------------------- zip mutations


def _zip_entries(data: bytes) -> list[tuple[zipfile.ZipInfo, int]]:
    """Each member's info and the offset of its central directory record (found from the end
    record, not by searching: a member's bytes may hold the signature)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    eocd = data.rindex(b"PK\x05\x06")
    at = struct.unpack("<I", data[eocd + 16:eocd + 20])[0]
    out = []
    for info in infos:
        assert data[at:at + 4] == b"PK\x01\x02", "central directory record expected"
        out.append((info, at))
        n, m, k = struct.unpack("<HHH", data[at + 28:at + 34])
        at += 46 + n + m + k
    return out


def _data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    h = info.header_offset
    n, m = struct.unpack("<HH", data[h + 26:h + 30])
    return h + 30 + n + m


def mutate_zip(rng: random.Random, data: bytes, prefer: str | None = None) -> tuple[bytes, str]:
    """A zip-level mutation: a member's compressed stream damaged, its encryption flag or
    compression method set, its sizes or name falsified, or the archive cut short."""
    entries = _zip_entries(data)
    pick = [e for e in entries if prefer and e[0].filename.endswith(prefer)] or entries
    info, cd = rng.choice(pick)
    b = bytearray(data)
    name = info.filename
    op = rng.choice(("deflate", "deflate", "encrypt", "method", "method", "size", "crc", "name", "name",
                     "cut-cd", "stored-garbage"))
    start = _data_offset(data, info)
    if op == "deflate" and info.compress_size:
        n = rng.choice((1, 2, 8))
        for _ in range(n):
            i = start + rng.randrange(info.compress_size)
            b[i] ^= 1 << rng.randrange(8)
        if rng.random() < 0.5:
            k = start + rng.randrange(info.compress_size)
            b[k:k + 4] = b"\xff\xff\xff\xff"
        return bytes(b), f"corrupt deflate stream of {name!r} ({n} bit flips)"
    if op == "encrypt":
        b[cd + 8] |= 1
        b[info.header_offset + 6] |= 1
        return bytes(b), f"encryption flag set on {name!r}"
    if op == "method":
        method = rng.choice((1, 6, 9, 12, 14, 93, 98, 99, 0xFFFF))
        struct.pack_into("<H", b, cd + 10, method)
        struct.pack_into("<H", b, info.header_offset + 8, method)
        return bytes(b), f"compression method of {name!r} → {method}"
    if op == "size":
        size = rng.choice((0, 1, info.file_size + 1, info.file_size * 3, 2**31 - 1, 2**32 - 1))
        which = rng.choice(("uncompressed", "compressed"))
        off = 24 if which == "uncompressed" else 20
        struct.pack_into("<I", b, cd + off, size)
        return bytes(b), f"{which} size of {name!r} → {size}"
    if op == "crc":
        struct.pack_into("<I", b, cd + 16, rng.getrandbits(32))
        return bytes(b), f"wrong CRC for {name!r}"
    if op == "name":
        n = struct.unpack("<H", data[cd + 28:cd + 30])[0]
        new = rng.choice((b"../../etc/" + name.encode(), b"/" + name.encode()[1:], b"\xff" * n,
                          b"C:" + name.encode()[2:], name.encode()[:-1] + b"\x00"))[:n].ljust(n, b"_")
        b[cd + 46:cd + 46 + n] = new
        b[info.header_offset + 30:info.header_offset + 30 + n] = new
        return bytes(b), f"member name {name!r} → {new!r}"
    if op == "cut-cd":
        i = rng.randrange(cd, len(data))
        return data[:i], f"zip cut inside its central directory at {i}"
    # a member whose stored bytes are garbage
    members = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for inf in zf.infolist():
            members[inf.filename] = zf.read(inf)
    members[name] = rng.randbytes(rng.randint(0, 64))
    return make_zip(members), f"member {name!r} replaced by random bytes"


@functools.lru_cache(maxsize=8)
def zip_bomb(member: str, expanded: int, lie: bool) -> bytes:
    """A zip whose ``member`` inflates to ``expanded`` bytes of zeros; with ``lie``, its header
    claims 1,000 bytes (so only reading can find the real size)."""
    chunk = b"\x00" * (1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)  # byte-aligned, no back-references
    body = block * (expanded >> 20) + b"\x03\x00"  # then an empty final block
    crc = 0
    for _ in range(expanded >> 20):
        crc = zlib.crc32(chunk, crc)
    size = 1000 if lie else expanded
    nm = member.encode()
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(body), size, len(nm), 0) + nm
    central = struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(body), size, len(nm),
                          0, 0, 0, 0, 0, 0) + nm
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(body), 0)
    return local + body + central + end


# ------------------------------------------------------------------------------- CSV mutations


def _csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


CELL_VALUES = ("", " ", '"', '""', "a,b", "x\ny", "x\r\ny", "\x00", "\ud800", "x" * 100_000, "=activity", "message",
               "system", "reaction", "NaN", "null", "None", "-1", "0", *TIME_STRINGS[:24])


def mutate_csv(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """A CSV cell replaced by a hostile value, a row made ragged, the header changed."""
    rows = _csv_rows(data)
    op = rng.random()
    if op < 0.6:
        r = rng.randrange(1, len(rows))
        c = rng.randrange(len(rows[r]))
        value = rng.choice(CELL_VALUES + (_huge(rng),))
        rows[r][c] = value
        return _csv_bytes(rows), f"row {r} column {rows[0][c] if c < len(rows[0]) else c!r} → {_show(value)}"
    if op < 0.7:
        r = rng.randrange(len(rows))
        if rng.random() < 0.5 and rows[r]:
            rows[r].pop()
            return _csv_bytes(rows), f"row {r} one cell short"
        rows[r] += ["extra"] * rng.choice((1, 5, 1000))
        return _csv_bytes(rows), f"row {r} with extra cells"
    if op < 0.8:
        c = rng.randrange(len(rows[0]))
        new = rng.choice(("", rows[0][(c + 1) % len(rows[0])], "x" * 1000, "\ufeff" + rows[0][c], rows[0][c].upper()))
        old, rows[0][c] = rows[0][c], new
        return _csv_bytes(rows), f"header {old!r} → {_show(new)}"
    if op < 0.87:
        return _csv_bytes(rows[:1]), "header only"
    if op < 0.94:
        r = rng.randrange(1, len(rows))
        return _csv_bytes(rows + [rows[r]] * rng.choice((1, 2000))), f"row {r} repeated"
    delim = rng.choice((";", "\t", "|"))
    return data.replace(b",", delim.encode()), f"delimiter → {delim!r}"


# ------------------------------------------------------------------------------- mbox mutations

MBOX_LINES = (
    b"From \xe9t\xe9@example.org Fri Mar  1 09:00:00 2024", b"From \xff\xfe Fri Mar  1 09:00:00 2024",
    b"From budi@example.org Fri Mar  1 09:00:00 99999", b"From ", b"From", b"From \x00",
    b"Date: Fri, 01 Mar 99999 16:00:00 +0700", b"Date: Fri, 31 Feb 2024 16:00:00 +0700",
    b"Date: Fri, 01 Mar 2024 16:00:00 +9999", b"Date: Fri, 01 Mar 2024 16:00:00 -2400",
    b"Date: Fri, 01 Mar 2024 99:99:99 +0000", b"Date: Thu, 01 Jan 0000 00:00:00 +0000",
    b"Date: Fri, 01 Mar " + b"9" * 5000 + b" 16:00:00 +0700", b"Date: " + b"9" * 100_000, b"Date:",
    b"Date: \xff\xfe", b"Date: 1709283600", b"Date: Fri, 01 Mar 2024 16:00:00 +0700 (\xe9)",
    b"Date: Fri, 01 Mar 1 16:00:00 +0700", b"Date: Fri, 01 Mar 24 16:00:00 +0700",
    b"From: =?utf-8?b?////?= <x@example.org>", b"From: =?x-unknown?q?abc?= <x@example.org>",
    b"From: =?utf-8?q?=FF=FE?= <x@example.org>", b"From: \xff\xfe <x@example.org>", b"From: <>", b"From: @",
    b"From: " + b"a" * 100_000, b"From: a at b at c dot d dot", b"From: " + b"(" * 5000,
    b"Subject: =?utf-8?b?" + b"A" * 10_001 + b"?=", b"Subject: " + b"Re: " * 10_000, b"Subject: \xc3",
    b"Subject: =?utf-16?b?2D3eAA==?=",
    b"Content-Type: text/plain; charset=x-no-such-charset", b"Content-Type: text/plain; charset=utf-7",
    b"Content-Type: text/plain; charset=\"\xff\"", b"Content-Type: multipart/mixed",
    b"Content-Type: multipart/mixed; boundary=\"\"", b"Content-Type: message/rfc822",
    b"Content-Type: " + b"multipart/mixed; boundary=B\n\n--B\nContent-Type: " * 300 + b"text/plain",
    b"Content-Transfer-Encoding: base64", b"Content-Transfer-Encoding: x-uuencode",
    b"Content-Transfer-Encoding: quoted-printable", b"Message-ID: " + b"<" * 10_000, b"Message-ID: <>",
    b"Message-ID: <m1@example.org>", b"In-Reply-To: <m1@example.org> <m2@example.org>",
    b"In-Reply-To: " + b"<a@b> " * 20_000, b"References: " + b"<x@y>" * 20_000, b"List-Id: \xff",
    b"X-Header-Without-Space:x", b"No colon header", b": empty name", b"\tfolded continuation",
    b"=?utf-8?q?" + b"=00" * 1000 + b"?=", b"--XYZ", b"--XYZ--", b"JVBERi0xLjQK===", b"\x00\x00",
)


def mutate_mbox(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    return mutate_lines(rng, data, list(MBOX_LINES))


WHATSAPP_LINES = (
    b"31/02/2024, 09:00 - Budi: tanggal salah", b"00/00/0000, 00:00 - Budi: nol", b"99/99/99, 99:99 - Budi: x",
    b"01/13/2024, 25:61 - Budi: x", b"01/03/99999, 09:00 - Budi: x", b"01/03/" + b"9" * 5000 + b", 09:00 - Budi: x",
    b"01/03/2024, " + b"9" * 100_000 + b":00 - Budi: x", b"29/02/2023, 09:00 - Budi: bukan kabisat",
    b"01/03/2024, 09:00 - : no name", b"01/03/2024, 09:00 - Budi:", b"01/03/2024, 09:00 -", b"01/03/2024, 09:00",
    b"01/03/2024, 12:00\xe2\x80\xafPM - Budi: am/pm on a 24h clock", b"[01/03/24, 09.00.00] Budi: iOS line",
    b"[01/03/24, 09.00.00 Budi: no bracket", b"\xe2\x80\x8e[99/99/99, 99.99.99] x: y", b"01/03/2024, 09:00 - " +
    b"Budi " * 20_000 + b": long name", b"01/03/2024, 09:00 - Budi: " + b"@Siti " * 20_000,
    b"01/03/2024, 09:00 - Budi: \x00\x00\x00", b"01/03/2024, 09:00 - Budi: \xff\xfe\xfd", b"\xef\xbb\xbf",
    b"\xe2\x80\x8f\xe2\x80\x8e", b"01/03/2024, 09:00 - Budi added " + b"Siti, " * 5000 + b"Andi",
    b"01/03/2024, 09:00 - Budi changed the subject from \"" + b"x" * 10_000 + b"\" to \"y\"",
    b"\xd9\xa0\xd9\xa1/\xd9\xa0\xd9\xa3/\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa4\xd8\x8c \xd9\xa0\xd9\xa9:\xd9\xa0\xd9\xa0 - "
    b"Budi: arabic digits", b"2024-03-01 09:00:00 - Budi: ymd", b"1/3/2024, 9:00 - Budi: short",
    b"01.03.24, 09:00 - Budi: dots", b"01/03/2024 09:00 - Budi: no comma",
)


def mutate_whatsapp(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    return mutate_lines(rng, data, list(WHATSAPP_LINES))


# ------------------------------------------------------------------------------- Parquet mutations


def parquet_variants() -> list[tuple[str, str, Any]]:
    """(column, description, array) replacements for the Parquet fixture's columns: other types,
    extreme values, hostile strings."""
    import datetime as dt

    import pyarrow as pa

    big = 2**63 - 1
    out = [
        ("ts", "int64 seconds", pa.array([1709640000, 1709640300, 1709640600])),
        ("ts", "int64 max", pa.array([big, 0, -big])),
        ("ts", "float with NaN and inf", pa.array([float("nan"), float("inf"), 1.5])),
        ("ts", "bool", pa.array([True, False, True])),
        ("ts", "all null", pa.nulls(3)),
        ("ts", "null strings", pa.array([None, None, None], pa.string())),
        ("ts", "timestamp[s] far future", pa.array([10**15, 0, 1], pa.timestamp("s"))),
        ("ts", "timestamp[ms] extreme", pa.array([big, -big, 0], pa.timestamp("ms", "UTC"))),
        ("ts", "timestamp[ns] naive", pa.array([1, 2, 3], pa.timestamp("ns"))),
        ("ts", "timestamp[s] year 9999+", pa.array([253402300800 * 100, 0, 1], pa.timestamp("s", "UTC"))),
        ("ts", "timestamp with odd tz", pa.array([1, 2, 3], pa.timestamp("us", "+05:45"))),
        ("ts", "date32 extremes", pa.array([2**31 - 1, -(2**31), 0], pa.date32())),
        ("ts", "date64", pa.array([dt.date(2024, 3, 1)] * 3, pa.date64())),
        ("ts", "time64", pa.array([1, 2, 3], pa.time64("us"))),
        ("ts", "duration", pa.array([1, 2, 3], pa.duration("s"))),
        ("ts", "decimal", pa.array([1, 2, 3], pa.decimal128(38, 0))),
        ("ts", "strings out of range", pa.array(["99999-01-01", "0000-01-01T00:00:00", "2024-02-30"])),
        ("ts", "strings huge digits", pa.array(["9" * 5000, "1e309", "-1"])),
        ("ts", "list of timestamps", pa.array([[1], [2], None], pa.list_(pa.timestamp("us")))),
        ("ts", "struct", pa.array([{"a": 1}, {"a": 2}, None])),
        ("ts", "binary", pa.array([b"\xff", b"\x00", b"2024-03-01"])),
        ("ts", "dictionary strings", pa.array(["2024-03-05T10:00:00Z"] * 3).dictionary_encode()),
        ("actor", "int64", pa.array([1, 2, 3])),
        ("actor", "float NaN", pa.array([float("nan"), 1.0, None])),
        ("actor", "binary invalid UTF-8", pa.array([b"\xff\xfe", b"\xc3", b"ok"])),
        ("actor", "list", pa.array([["a"], [], None])),
        ("actor", "struct", pa.array([{"n": "a"}, {"n": None}, None])),
        ("actor", "nulls", pa.nulls(3)),
        ("actor", "empty strings", pa.array(["", " ", "\u200e"])),
        ("actor", "large_string", pa.array(["Budi", "Siti", "Andi"], pa.large_string())),
        ("actor", "huge string", pa.array(["x" * 200_000, "b", "c"])),
        ("actor", "NUL and lone-surrogate-like", pa.array(["a\x00b", "\ufffd", "\u202e"])),
        ("event_id", "duplicates", pa.array(["a", "a", "a"])),
        ("event_id", "nulls", pa.array([None, "b", None], pa.string())),
        ("event_id", "int64", pa.array([1, 2, 3])),
        ("event_id", "binary", pa.array([b"\xff", b"\xfe", b"\xfd"])),
        ("reply_to", "int64", pa.array([1, 2, 3])),
        ("reply_to", "list", pa.array([["a"], None, []])),
        ("reply_to", "self and unknown", pa.array(["a", "zzz", "c"])),
        ("text", "int64", pa.array([1, 2, 3])),
        ("text", "binary", pa.array([b"\xff", b"\x00", b"x"])),
        ("text", "huge", pa.array(["kerja bakti " * 20_000, "", None])),
        ("text", "nested list", pa.array([[["a"]], None, [[]]])),
        ("text", "map", pa.array([[("k", 1)], None, []], pa.map_(pa.string(), pa.int64()))),
    ]
    return out


def parquet_case_bytes(rng: random.Random) -> tuple[bytes, str, dict[str, Any]]:
    """A Parquet file with one or two columns of the fixture replaced (or dropped, or renamed);
    the read options say whether a mapping is passed."""
    import pyarrow as pa

    cols = parquet_table_columns()
    notes = []
    variants = parquet_variants()
    for _ in range(rng.choice((1, 1, 2))):
        col, note, arr = rng.choice(variants)
        cols[col] = arr
        notes.append(f"{col} → {note}")
    op = rng.random()
    if op < 0.1:
        victim = rng.choice(list(cols))
        del cols[victim]
        notes.append(f"no {victim} column")
    elif op < 0.15:
        cols = {k: v.slice(0, 0) for k, v in cols.items()}
        notes.append("zero rows")
    elif op < 0.2:
        cols = {k: pa.concat_arrays([v] * 500) if not pa.types.is_null(v.type) else pa.nulls(1500)
                for k, v in cols.items()}
        notes.append("rows repeated 500 times")
    opts = read_options("table-parquet", **({"mapping": PARQUET_MAPPING} if rng.random() < 0.3 else {}))
    if "mapping" in opts:
        opts["mapping"] = {k: v for k, v in opts["mapping"].items() if v in cols or k in ("actor", "ts")}
        notes.append("with mapping")
    return parquet_bytes(cols), "; ".join(notes), opts


# ------------------------------------------------------------------------------- case lists

COUNTS = {
    "whatsapp-txt": 60, "whatsapp-zip": 80, "telegram-json": 100, "discord-json": 90, "discord-csv": 110,
    "slack-zip": 110, "mbox": 100, "table-csv": 110, "table-jsonl": 110, "table-parquet": 120,
}
"""Mutated inputs per format (fixed: the budget of the test run)."""


def mutation_cases(fmt: str, n: int | None = None, special: bool = True) -> list[Case]:
    """The mutated inputs of ``fmt``: ``n`` (default :data:`COUNTS`) cases, each from its own
    seeded ``random.Random(f"{fmt}:{k}")``, so a case is the same on every run."""
    n = max(1, round(COUNTS[fmt] * SCALE)) if n is None else n
    bases = base_inputs(fmt)
    out = []
    for k in range(n):
        rng = random.Random(f"{fmt}:{k}")
        label, base = bases[k % len(bases)]
        opts = base_options(fmt, label)
        name = FILE_NAMES[fmt]
        data, note = _MUTATORS[fmt](rng, base, label, opts)
        if isinstance(data, tuple):  # (bytes, name) or (bytes, name, opts)
            data, name, *rest = data
            if rest:
                opts = rest[0]
        out.append(Case(fmt, f"{fmt}#{k} [{label}] {note}", name, data, opts))
    return out + (_special_cases(fmt) if special else [])


def _bytes_or(share: float, structured):
    """A mutator: byte-level with probability ``share``, else ``structured(rng, base)``."""
    def mutate(rng, base, label, opts):
        return mutate_bytes(rng, base) if rng.random() < share else structured(rng, base)
    return mutate


_m_whatsapp_txt = _bytes_or(0.55, lambda rng, base: mutate_whatsapp(rng, base))


def _m_whatsapp_zip(rng, base, label, opts):
    chat = "_chat.txt" if label == "ios-zip" else "WhatsApp Chat with Warga RT 05.txt"
    r = rng.random()
    if r < 0.45:
        return mutate_zip(rng, base, prefer=".txt")
    if r < 0.6:
        return mutate_bytes(rng, base)
    with zipfile.ZipFile(io.BytesIO(base)) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    if r < 0.68:
        extra = rng.choice((
            ({"nested.zip": base}, "a nested zip beside the chat"),
            ({"../evil.txt": b"x"}, "a member named ../evil.txt"),
            ({"/abs.txt": b"x"}, "a member with an absolute path"),
            ({"dir/": b""}, "a directory entry"),
            ({f"doc{i}.txt": b"x" for i in range(300)}, "300 other .txt members"),
            ({"._chat.txt": b"\x00\x05\x16\x07"}, "a macOS resource fork ._chat.txt"),
            ({"WhatsApp Chat with Other.txt": rng.randbytes(200)}, "a second chat of random bytes"),
        ))
        members.update(extra[0])
        return make_zip(members), f"zip with {extra[1]}"
    if r < 0.72:
        return make_zip({}), "empty zip"
    chat_bytes, note = (mutate_bytes(rng, members[chat]) if rng.random() < 0.6
                        else mutate_whatsapp(rng, members[chat]))
    members[chat] = chat_bytes
    return make_zip(members, method=rng.choice((zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED))), f"chat member: {note}"


def _m_json(hot):
    def mutate(rng, base, label, opts):
        r = rng.random()
        if r < 0.35:
            return mutate_bytes(rng, base)
        obj = json.loads(base)
        obj, note = mutate_json(rng, obj, hot)
        if rng.random() < 0.25:
            obj, note2 = mutate_json(rng, obj, hot)
            note = f"{note}; {note2}"
        return dumps(obj), note
    return mutate


def _m_telegram(rng, base, label, opts):
    data, note = _m_json(TELEGRAM_HOT)(rng, base, label, opts)
    if rng.random() < 0.08:  # the same, inside a zip (read whole, not streamed)
        return (make_zip({"DataExport/result.json": data}), "telegram.zip"), f"in a zip: {note}"
    return data, note


def _m_slack(rng, base, label, opts):
    r = rng.random()
    if r < 0.2:
        return mutate_zip(rng, base, prefer=rng.choice((".json", "users.json", "channels.json")))
    if r < 0.3:
        return mutate_bytes(rng, base)
    files = copy.deepcopy(SLACK)
    name = rng.choice(list(files))
    if r < 0.45:
        raw, note = mutate_bytes(rng, dumps(files[name]))
        files[name] = raw
        note = f"{name}: {note}"
    elif r < 0.9:
        files[name], note = mutate_json(rng, files[name], SLACK_HOT)
        note = f"{name}: {note}"
    else:
        op = rng.choice(("drop", "rename", "dms", "empty-day", "mode"))
        if op == "drop" and name not in ("users.json", "channels.json"):
            del files[name]
            note = f"without {name}"
        elif op == "rename":
            day = files.pop("random/2024-03-01.json")
            new = rng.choice(("random/9999-99-99.json", "random/sub/2024-03-01.json", "new/2024-03-01.json",
                              "random/2024-03-01.json.json", "../2024-03-01.json"))
            files[new] = day
            note = f"day file renamed {new!r}"
        elif op == "dms":
            files["dms.json"] = rng.choice(([{"id": "D1", "members": ["U1", "U2"]}], {"x": 1}, [None, 1], []))
            files["D1/2024-03-01.json"] = [_sl_m(3, "U1", "dm")]
            note = f"dms.json {files['dms.json']!r}"
        elif op == "empty-day":
            files["general/2024-03-03.json"] = rng.choice(([], {}, "", None, [[]]))
            note = f"day file {files['general/2024-03-03.json']!r}"
        else:
            opts = read_options("slack-zip", slack_channels="groups", group=rng.choice(("general", "nope", "")))
            note = f"slack_channels='groups', group={opts['group']!r}"
            return (slack_zip(files), FILE_NAMES["slack-zip"], opts), note
    prefix = "RT05 Export/" if rng.random() < 0.2 else ""
    return slack_zip(files, prefix), note + (" (under a top folder)" if prefix else "")


_m_discord_csv = _bytes_or(0.45, lambda rng, base: mutate_csv(rng, base))


def _m_mbox(rng, base, label, opts):
    r = rng.random()
    if r < 0.4:
        return mutate_bytes(rng, base)
    data, note = mutate_mbox(rng, base)
    if rng.random() < 0.2:
        data, note2 = mutate_mbox(rng, data)
        note = f"{note}; {note2}"
    return data, note


def _m_table_csv(rng, base, label, opts):
    r = rng.random()
    if r < 0.4:
        return mutate_bytes(rng, base)
    if r < 0.92:
        return mutate_csv(rng, base)
    mapping = dict(TABLE_CSV_MAPPING)
    key = rng.choice(list(mapping))
    mapping[key] = rng.choice(("=", "=x", "=" + "9" * 5000, "=activity", "=2024-03-01", "time", "id"))
    return (base, FILE_NAMES["table-csv"], read_options("table-csv", mapping=mapping)), f"mapping {key} → " \
        f"{_show(mapping[key])}"


def _m_table_jsonl(rng, base, label, opts):
    r = rng.random()
    if r < 0.35:
        return mutate_bytes(rng, base)
    rows = copy.deepcopy(TABLE_JSONL_ROWS)
    if r < 0.85:
        i = rng.randrange(len(rows))
        rows[i], note = mutate_json(rng, rows[i], JSONL_HOT)
        return jsonl_bytes(rows), f"row {i}: {note}"
    op = rng.choice(("array-line", "blank", "not-json", "scalar", "mixed"))
    if op == "array-line":
        rows.append([1, 2, 3])
    elif op == "blank":
        return jsonl_bytes(rows).replace(b"\n", b"\n\n"), "blank lines between rows"
    elif op == "not-json":
        return jsonl_bytes(rows) + b"{not json}\n", "a line that is not JSON"
    elif op == "scalar":
        rows.insert(1, rng.choice((1, "x", None, True)))
    else:
        rows[1]["when"] = 1709640000
    return jsonl_bytes(rows), f"rows {op}"


def _m_parquet(rng, base, label, opts):
    if rng.random() < 0.35:
        data, note = mutate_bytes(rng, base, (byte_flip, byte_insert, byte_delete, byte_truncate, byte_duplicate,
                                              byte_nul, byte_whole))
        return data, note
    data, note, opts = parquet_case_bytes(rng)
    return (data, FILE_NAMES["table-parquet"], opts), note


_MUTATORS = {
    "whatsapp-txt": _m_whatsapp_txt, "whatsapp-zip": _m_whatsapp_zip, "telegram-json": _m_telegram,
    "discord-json": _m_json(DISCORD_HOT), "discord-csv": _m_discord_csv, "slack-zip": _m_slack, "mbox": _m_mbox,
    "table-csv": _m_table_csv, "table-jsonl": _m_table_jsonl, "table-parquet": _m_parquet,
}


WRONG_TYPES = (None, 7, 1.5, True, "x", ["x"], {"a": 1})
"""The type sweep's values: null, a number where a string is expected, a string where a number
is, a list, an object."""

SWEEP = {
    "discord-json": [(1, "id"), (1, "type"), (1, "timestamp"), (1, "timestampEdited"), (1, "content"),
                     (1, "reactions"), (1, "mentions"), (1, "author", "nickname"), (2, "reference"),
                     (2, "reference", "messageId"), (4, "attachments"), (5, "stickers")],
    "telegram-json": [(3, "id"), (3, "type"), (3, "date_unixtime"), (3, "from"), (3, "from_id"), (3, "text"),
                      (3, "text_entities"), (3, "reactions"), (3, "reply_to_message_id"), (8, "edited"),
                      (1, "members"), (1, "action"), (4, "photo"), (5, "media_type")],
    "slack-zip": [("general/2024-03-01.json", 2, "ts"), ("general/2024-03-01.json", 2, "user"),
                  ("general/2024-03-01.json", 2, "text"), ("general/2024-03-01.json", 2, "subtype"),
                  ("general/2024-03-01.json", 2, "type"), ("general/2024-03-01.json", 2, "reactions"),
                  ("general/2024-03-01.json", 3, "thread_ts"), ("general/2024-03-01.json", 3, "parent_user_id"),
                  ("general/2024-03-01.json", 3, "edited"), ("general/2024-03-01.json", 6, "files"),
                  ("users.json", 0, "profile"), ("users.json", 0, "real_name"), ("channels.json", 0, "name"),
                  ("channels.json", 0, "members")],
    "table-jsonl": [(1, "id"), (1, "who"), (1, "when"), (1, "grp"), (1, "msg"), (1, "re")],
}
"""The fields (message index, then the path) given each of :data:`WRONG_TYPES` in turn."""


def _type_sweep(fmt: str) -> list[tuple[str, bytes]]:
    """Every field of :data:`SWEEP` with every value of :data:`WRONG_TYPES`: (label, bytes)."""
    out = []
    for spec in SWEEP.get(fmt, []):
        for value in WRONG_TYPES:
            if fmt == "slack-zip":
                files = copy.deepcopy(SLACK)
                put(files[spec[0]][spec[1]], spec[2:], value)
                data = slack_zip(files)
            elif fmt == "table-jsonl":
                rows = copy.deepcopy(TABLE_JSONL_ROWS)
                put(rows[spec[0]], spec[1:], value)
                data = jsonl_bytes(rows)
            else:
                doc = copy.deepcopy(TELEGRAM if fmt == "telegram-json" else DISCORD)
                put(doc["messages"][spec[0]], spec[1:], value)
                data = dumps(doc)
            out.append((f"{'.'.join(map(str, spec))} → {value!r}", data))
    return out


def _special_cases(fmt: str) -> list[Case]:
    """Hand-picked inputs of each format: each known field of the JSON formats given each wrong
    type, the zip bombs, the encryption flag and the corrupt deflate stream on every member of
    each zip format, deep nesting and huge numbers in each JSON format, CR-only line ends."""
    out: list[Case] = []
    name, opts = FILE_NAMES[fmt], read_options(fmt)

    def add(label, data, **kw):
        out.append(Case(fmt, f"{fmt} special: {label}", kw.pop("name", name), data, {**opts, **kw}))

    for label, data in _type_sweep(fmt):
        add(f"type sweep: {label}", data)

    if fmt in ("whatsapp-zip", "slack-zip"):
        base = base_inputs(fmt)[0][1]
        for info, cd in _zip_entries(base):
            b = bytearray(base)
            b[cd + 8] |= 1
            b[info.header_offset + 6] |= 1
            add(f"encryption flag on {info.filename!r}", bytes(b))
            if info.compress_size:
                b = bytearray(base)
                start = _data_offset(base, info)
                b[start:start + 2] = b"\xff\xff"
                add(f"corrupt deflate stream of {info.filename!r}", bytes(b))
        member = "_chat.txt" if fmt == "whatsapp-zip" else "users.json"
        add("zip bomb, honest header (64 MiB from 64 KB)", zip_bomb(member, 64 << 20, lie=False), max_bytes=8 << 20)
        add("zip bomb, honest header, default max_bytes", zip_bomb(member, 64 << 20, lie=False))
        add("zip bomb, header claims 1,000 bytes (64 MiB)", zip_bomb(member, 64 << 20, lie=True), max_bytes=8 << 20)
    if fmt in ("telegram-json", "discord-json"):
        obj = copy.deepcopy(TELEGRAM if fmt == "telegram-json" else DISCORD)
        for d in (700, 100_000):
            o = copy.deepcopy(obj)
            o["messages"][2]["text" if fmt == "telegram-json" else "content"] = Raw("[" * d + "]" * d)
            add(f"a message's text nested {d} deep", dumps(o))
        o = copy.deepcopy(obj)
        o["messages"][2]["id"] = Raw("9" * 100_000)
        add("a message id of 100,000 digits", dumps(o))
    if fmt == "telegram-json":
        o = copy.deepcopy(TELEGRAM)
        o["id"] = Raw("9" * 100_000)
        add("the chat's id of 100,000 digits", dumps(o))
        o = copy.deepcopy(TELEGRAM_ACCOUNT)
        o["personal_information"]["user_id"] = Raw("9" * 100_000)
        add("an account export's user_id of 100,000 digits", dumps(o), group="Warga RT 05")
        o = copy.deepcopy(TELEGRAM)
        o["id"] = Raw("[" * 100_000 + "]" * 100_000)
        add("the chat's id nested 100,000 deep", dumps(o))
        # invalid UTF-8 in the parts of a later message that are decoded one at a time
        base = dumps(TELEGRAM)
        for old, new, where in ((b'"Halo "}, {"type": "mention"', b'"Halo "}, {"type\x80": "mention"',
                                 "a key of a mention in text_entities"),
                                (b'"date": "2024-03-01T09:07:00"', b'"date": "2024-03-01T09\xed\xa0\x80:07:00"',
                                 "a reaction's date")):
            assert old in base, old
            add(f"invalid UTF-8 in {where} (message 4)", base.replace(old, new, 1))
    if fmt == "table-jsonl":
        for d in (700, 100_000):
            rows = copy.deepcopy(TABLE_JSONL_ROWS)
            rows[1]["msg"] = Raw("[" * d + "]" * d)
            add(f"one cell nested {d} deep", jsonl_bytes(rows))
        for d in (50, 700):  # the same nesting in every row: polars infers a column type that deep
            for opener, closer, leaf in (("[", "]", "1"), ('{"a":', "}", "1")):
                rows = copy.deepcopy(TABLE_JSONL_ROWS)
                for r in rows:
                    r["msg"] = Raw(opener * d + leaf + closer * d)
                add(f"every row's cell nested {d} deep in {opener!r} (700: the polars read_ndjson crash)",
                    jsonl_bytes(rows))
    if fmt == "slack-zip":
        files = copy.deepcopy(SLACK)
        files["general/2024-03-01.json"][2]["ts"] = "999999999999.999999"
        add("ts '999999999999.999999' (year out of range)", slack_zip(files))
        files = copy.deepcopy(SLACK)
        files["general/2024-03-01.json"][6]["subtype"] = ["file_share"]
        add("subtype a list", slack_zip(files))
    if fmt in ("discord-csv", "table-csv"):
        add("CR-only line ends (old Mac)", base_inputs(fmt)[0][1].replace(b"\n", b"\r"))
    if fmt == "mbox":
        add("From line with a non-ASCII byte", MBOX.encode().replace(b"From siti at", b"From s\xefti at", 1))
    return out


# =============================================================================== the worker


def _frame_list(tb) -> list[tuple[str, int, str]]:
    import traceback

    return [(f.filename, f.lineno or 0, f.name) for f in traceback.extract_tb(tb)]


def _judge(path: str, kwargs: dict[str, Any], test_hook: str | None = None) -> dict[str, Any]:
    """Read ``path`` and judge the outcome (in the worker process)."""
    from kohesi.errors import InputError
    from kohesi.events import EVENT_SCHEMA
    from kohesi.ingest import read

    base = os.path.basename(path)
    try:
        if test_hook is not None:
            log = _run_hook(test_hook, path)
        else:
            log = read(path, salt=SALT, **kwargs)
    except InputError as exc:
        msg = str(exc)
        if base not in msg:
            return {"outcome": "failed", "why": "InputError message does not name the file", "type": "InputError",
                    "message": msg[:500], "frames": _frame_list(exc.__traceback__)}
        if "\n" in msg or "\r" in msg:
            return {"outcome": "failed", "why": "InputError message is not one line", "type": "InputError",
                    "message": msg[:500], "frames": _frame_list(exc.__traceback__)}
        return {"outcome": "input_error", "message": msg[:300]}
    except BaseException as exc:  # noqa: BLE001 - the point: anything else is a failure
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        tp = type(exc)
        return {"outcome": "failed", "why": "exception", "type": f"{tp.__module__}.{tp.__qualname__}",
                "message": str(exc)[:500], "frames": _frame_list(exc.__traceback__)}
    problems = _check_events(log, EVENT_SCHEMA)
    if problems:
        return {"outcome": "failed", "why": "events table does not conform: " + "; ".join(problems)[:500],
                "type": "schema", "message": "", "frames": []}
    return {"outcome": "read", "rows": log.events.num_rows}


def _check_events(log: Any, schema: Any) -> list[str]:
    import pyarrow as pa

    problems = []
    events = getattr(log, "events", None)
    if not isinstance(events, pa.Table):
        return [f"events is {type(events).__name__}, not a pyarrow Table"]
    for f in schema:
        if f.name not in events.column_names:
            problems.append(f"column {f.name!r} missing")
        elif events.schema.field(f.name).type != f.type:
            problems.append(f"column {f.name!r} is {events.schema.field(f.name).type}, not {f.type}")
    try:
        events.validate(full=True)
        if isinstance(getattr(log, "members", None), pa.Table):
            log.members.validate(full=True)
    except Exception as exc:  # noqa: BLE001
        problems.append(f"invalid Arrow data ({exc})")
    return problems


def _run_hook(hook: str, path: str):
    """Deliberately broken 'readers' for the harness's own tests."""
    import ctypes

    import pyarrow as pa

    from kohesi.errors import InputError
    from kohesi.ingest import read

    if hook == "value-error":
        raise ValueError("year 99999 is out of range")
    if hook == "recursion":
        def deep(n):
            return deep(n + 1)
        return deep(0)
    if hook == "input-error-without-file":
        raise InputError(None, "something is wrong")
    if hook == "input-error-two-lines":  # InputError keeps its reason on one line: break it after
        err = InputError(path, "first line")
        err.args = (f"{err.args[0]}\nsecond line",)
        raise err
    if hook == "segfault":
        ctypes.string_at(0)
    if hook == "abort":
        os.abort()
    if hook == "hang":
        time.sleep(3600)
    if hook == "memory":
        return bytearray(3 * 1024**3)
    if hook == "bad-schema":
        log = read(path, salt=SALT, tz="UTC")
        log.events = log.events.drop_columns(["acts"])
        return log
    if hook == "bad-type":
        log = read(path, salt=SALT, tz="UTC")
        log.events = log.events.set_column(log.events.column_names.index("line"), "line",
                                           pa.array([str(x) for x in range(log.events.num_rows)]))
        return log
    if hook == "ok":
        return read(path, salt=SALT, tz="UTC")
    raise AssertionError(hook)


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _warm_up() -> None:
    """Read each valid fixture once, so that compiling the readers' Numba kernels (seconds, or
    minutes on a loaded machine when their cache is cold) is not counted against a case's time
    limit. The outcomes are not judged here: ``test_valid_fixture_reads`` does that."""
    from kohesi.ingest import read

    with tempfile.TemporaryDirectory(prefix="kohesi-fuzz-warm-") as d:
        for k, case in enumerate(valid_cases()):
            p = Path(d) / str(k) / case.name
            p.parent.mkdir()
            p.write_bytes(case.data)
            try:
                read(p, salt=SALT, **case.kwargs)
            except Exception:  # noqa: BLE001 - judged by the tests, not here
                pass


def serve() -> None:
    """The worker's loop: one JSON request per line on stdin, one JSON answer per line."""
    import resource

    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # a stray print of a reader must not garble the protocol
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    import polars  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    import kohesi.ingest  # noqa: F401 - imported before the first request is timed
    import kohesi.ingest.readers  # noqa: F401

    _warm_up()
    # The address space after the imports and a first read of each format (polars and numba
    # reserve much of it untouched), plus the bound on what one read may allocate.
    limit = _vm_size() + MEMORY_LIMIT
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    proto.write(json.dumps({"ready": True, "limit": limit}) + "\n")
    for line in sys.stdin:
        req = json.loads(line)
        t = time.perf_counter()
        out = _judge(req["path"], req["kwargs"], req.get("hook"))
        out["seconds"] = time.perf_counter() - t
        proto.write(json.dumps(out, default=str) + "\n")


@dataclass
class Result:
    case: Case
    outcome: str  # "read", "input_error" or "failed"
    why: str = ""
    type: str = ""
    message: str = ""
    frames: list = field(default_factory=list)
    seconds: float = 0.0
    path: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    def where(self) -> str:
        """Where the exception was raised: the deepest frame, and the last frame in kohesi."""
        if not self.frames:
            return ""
        deep = self.frames[-1]
        ours = [f for f in self.frames if "/kohesi/" in f[0] and "/tests/" not in f[0]]
        text = f"{_short(deep[0])}:{deep[1]} in {deep[2]}"
        if ours and ours[-1] != deep:
            text += f" (from {_short(ours[-1][0])}:{ours[-1][1]} in {ours[-1][2]})"
        return text

    def kohesi_frame(self) -> str:
        ours = [f for f in self.frames if "/kohesi/" in f[0] and "/tests/" not in f[0]]
        return f"{_short(ours[-1][0])}:{ours[-1][1]} in {ours[-1][2]}" if ours else (
            _short(self.frames[-1][0]) if self.frames else "")

    def klass(self) -> tuple[str, str, str]:
        """The failure's class: (format, kind of failure, place in kohesi)."""
        kind = self.type if self.why == "exception" else (self.why.split(" (")[0] if self.why else self.type)
        if self.why.startswith("events table"):
            kind = "schema: " + re.sub(r"\(.*", "", self.why.split(": ", 1)[1])[:80]
        return self.case.fmt, kind, self.kohesi_frame()


def _short(path: str) -> str:
    for marker in ("/src/kohesi/", "/site-packages/", "/lib/python"):
        if marker in path:
            return path.split(marker, 1)[1] if marker != "/lib/python" else path.split(marker, 1)[1].split("/", 1)[-1]
    return path


class Worker:
    """A child process that reads inputs; replaced after a crash or a timeout."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.proc: subprocess.Popen | None = None
        self.stderr_path: Path | None = None
        self.n = 0

    def start(self) -> None:
        self.n += 1
        self.stderr_path = self.log_dir / f"worker-{id(self)}-{self.n}.stderr"
        env = dict(os.environ, PYTHONFAULTHANDLER="1", MALLOC_ARENA_MAX="2", POLARS_MAX_THREADS="2",
                   RAYON_NUM_THREADS="2", NUMBA_NUM_THREADS="2", OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
        src = os.environ.get("KOHESI_FUZZ_SRC")
        path = [str(TESTS)] + ([src] if src else [])
        code = f"import sys; sys.path[:0] = {path!r}; from helpers.fuzz import serve; serve()"
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=err, env=env, start_new_session=True, cwd=str(self.log_dir))
        ready = self._answer(START_TIMEOUT)
        if not (isinstance(ready, dict) and ready.get("ready")):
            raise RuntimeError(f"fuzz worker did not start: {ready!r}; stderr: {self._stderr_tail()}")

    def _answer(self, timeout: float) -> dict[str, Any] | str:
        """The next answer line, or ``"timeout"`` / ``"eof"``."""
        assert self.proc is not None and self.proc.stdout is not None
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        try:
            if not sel.select(timeout):
                return "timeout"
        finally:
            sel.close()
        line = self.proc.stdout.readline()
        if not line:
            return "eof"
        return json.loads(line)

    def _stderr_tail(self) -> str:
        """The end of the worker's stderr: the Rust panic or allocation failure, and the Python
        stacks that faulthandler prints on a fatal signal (without its list of extension
        modules)."""
        try:
            text = self.stderr_path.read_bytes()[-6000:].decode("utf-8", "replace") if self.stderr_path else ""
        except OSError:
            return ""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("Extension modules:")]
        return " | ".join(lines[-16:])

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self.proc.wait()
            for s in (self.proc.stdin, self.proc.stdout):
                if s is not None:
                    s.close()
            self.proc = None

    def run(self, case: Case, path: Path, timeout: float = TIMEOUT) -> Result:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        assert self.proc is not None and self.proc.stdin is not None
        req = {"path": str(path), "kwargs": case.kwargs, "hook": case.test_hook}
        t = time.perf_counter()
        try:
            self.proc.stdin.write((json.dumps(req) + "\n").encode())
            self.proc.stdin.flush()
            ans = self._answer(timeout)
        except BrokenPipeError:
            ans = "eof"
        if isinstance(ans, dict):
            return Result(case, ans["outcome"], ans.get("why", ""), ans.get("type", ""), ans.get("message", ""),
                          [tuple(f) for f in ans.get("frames", [])], ans.get("seconds", 0.0), str(path))
        seconds = time.perf_counter() - t
        if ans == "timeout":  # SIGABRT first: faulthandler writes where each thread is
            try:
                self.proc.send_signal(signal.SIGABRT)
                self.proc.wait(5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
            tail = self._stderr_tail()
            self.stop()
            return Result(case, "failed", f"no answer within {timeout:.0f} s (killed)", "timeout",
                          f"no answer within {timeout:.0f} s; stderr: {tail[-1500:]}", _dumped_frames(tail),
                          seconds, str(path))
        self.proc.wait()
        rc = self.proc.returncode
        how = f"killed by {signal.Signals(-rc).name}" if rc < 0 else f"exited with status {rc}"
        tail = self._stderr_tail()
        self.stop()
        return Result(case, "failed", f"worker process {how}", "crash", f"{how}; stderr: {tail[-1500:]}",
                      _dumped_frames(tail), seconds, str(path))


def _dumped_frames(tail: str) -> list[tuple[str, int, str]]:
    """The frames (oldest first) of the thread in a faulthandler dump that was in kohesi."""
    for block in re.split(r"(?:Current thread|Thread) 0x[0-9a-f]+", tail):
        frames = [(f, int(n), fn) for f, n, fn in re.findall(r'File "([^"]+)", line (\d+) in (\S+)', block)]
        if any("/kohesi/" in f for f, _, _ in frames):
            return frames[::-1]
    return []


TALLY: dict[str, Counter] = defaultdict(Counter)
"""Inputs per format: ``tried``, ``read``, ``input_error``, ``failed``."""
_TALLY_LOCK = threading.Lock()


FAILURES: list[Result] = []
"""Every failed input of the run (for the summary of a module-level run)."""


def count(fmt: str, result: Result) -> None:
    with _TALLY_LOCK:
        TALLY[fmt]["tried"] += 1
        TALLY[fmt][result.outcome] += 1
        if result.failed:
            FAILURES.append(result)


class Pool:
    """A few workers sharing a list of cases (each input in a folder of its own)."""

    def __init__(self, root: Path, size: int | None = None):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.size = size or max(1, min(2, os.cpu_count() or 1))
        self.workers = [Worker(root) for _ in range(self.size)]
        self._k = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start every worker at once (each imports kohesi and reads the fixtures: seconds)."""
        errors: list[BaseException] = []

        def go(w: Worker) -> None:
            try:
                w.start()
            except BaseException as exc:  # noqa: BLE001 - raised below, in the caller's thread
                errors.append(exc)

        threads = [threading.Thread(target=go, args=(w,)) for w in self.workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]

    def write(self, case: Case) -> Path:
        with self._lock:
            self._k += 1
            d = self.root / f"case{self._k:06d}"
        d.mkdir()
        p = d / case.name
        p.write_bytes(case.data)
        return p

    def run_one(self, case: Case, tally: str | None = None, timeout: float = TIMEOUT, worker: int = 0) -> Result:
        return self._run(self.workers[worker % len(self.workers)], case, tally, timeout, False)

    def _run(self, worker: Worker, case: Case, tally: str | None, timeout: float, keep: bool) -> Result:
        path = self.write(case)
        result = worker.run(case, path, timeout)
        if tally:
            count(tally, result)
        if not result.failed and not keep:
            _remove(path.parent)
        return result

    def run(self, cases: list[Case], tally: str | None = None, timeout: float = TIMEOUT) -> list[Result]:
        """Results of ``cases``, in order (failed inputs are kept on disk for reproduction)."""
        results: list[Result | None] = [None] * len(cases)
        nxt = iter(range(len(cases)))
        lock = threading.Lock()

        def loop(worker: Worker):
            while True:
                with lock:
                    i = next(nxt, None)
                if i is None:
                    return
                results[i] = self._run(worker, cases[i], tally, timeout, False)

        threads = [threading.Thread(target=loop, args=(w,)) for w in self.workers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return [r for r in results if r is not None]

    def close(self) -> None:
        for w in self.workers:
            w.stop()


def _remove(d: Path) -> None:
    for p in d.iterdir():
        p.unlink()
    d.rmdir()


# =============================================================================== reporting


def describe(failures: list[Result], limit: int = 40) -> str:
    """Failures grouped by class (format, kind, place in kohesi): count, message, where, and the
    first inputs of each class (their files are kept for reproduction)."""
    groups: dict[tuple, list[Result]] = {}
    for r in failures:
        groups.setdefault(r.klass(), []).append(r)
    out = [f"{len(failures)} inputs failed, in {len(groups)} classes:"]
    for (fmt, kind, place), rs in sorted(groups.items(), key=lambda kv: -len(kv[1]))[:limit]:
        r = rs[0]
        out.append(f"- [{fmt}] {kind} at {place or '?'}: {len(rs)} inputs")
        out.append(f"    {r.why}: {r.message[:300]!r}")
        if r.frames:
            out.append(f"    raised at {r.where()}")
        for x in rs[:3]:
            out.append(f"    e.g. {x.case.label[:200]}  ->  {x.path}")
    return "\n".join(out)


def tally_table(tally: dict[str, Counter] | None = None) -> str:
    tally = TALLY if tally is None else tally
    rows = [("format", "tried", "read", "InputError", "failed")]
    total = Counter()
    for fmt in sorted(tally):
        c = tally[fmt]
        rows.append((fmt, str(c["tried"]), str(c["read"]), str(c["input_error"]), str(c["failed"])))
        total.update(c)
    rows.append(("total", str(total["tried"]), str(total["read"]), str(total["input_error"]), str(total["failed"])))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.insert(-1, "-" * len(lines[0]))
    return "\n".join(lines)


def new_root() -> Path:
    return Path(tempfile.mkdtemp(prefix="kohesi-fuzz-"))
