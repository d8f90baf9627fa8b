"""Hand-written WhatsApp export fixtures and the exact events the reader must produce.

Every chat here is invented (Indonesian neighbourhood, mosque-youth and school-parent groups).
The expectations come from the specification (``docs/formats.md`` §1, §2, §8, §9 and the lead's
brief), not from the reader's output. Fixtures are kept as Python string literals with explicit
escapes so invisible characters stay visible in review:

- ``\\u200e`` LRM (iOS media/system lines), ``\\u202f`` NNBSP (before AM/PM, after ``~``),
  ``\\u00a0`` NBSP (inside iOS phone numbers), ``\\u202a``/``\\u202c`` (around phone numbers),
  ``\\u2068``/``\\u2069`` (isolates around names), ``\\u200d`` ZWJ (inside emoji; must be kept).

iOS fixtures are written with CRLF line endings, Android ones with LF. The tests write them into a
temporary directory and read them back with ``kohesi.read``.

Where the specification leaves a value open, the expectation is :data:`ANY` (the ``text`` of
system and membership lines, the ``subtype`` of plain messages, the ``target`` of posts, which
reply inference sets, and the actor of security-code, missed-call, admin, timer and number-change
lines) or :class:`OneOf`. The last section holds tests that go beyond the letter of the brief
(reasonable expectations for a cohesion tool); each says why in its docstring.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
import struct
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest

from helpers.whatsapp_locale import ANY, parse_ts

UTC = dt.UTC



class OneOf:
    """Matches any of a few values (a choice the specification leaves open between named options)."""

    def __init__(self, *values: object):
        self.values = values

    def __eq__(self, other: object) -> bool:
        return any(other == v for v in self.values)

    def __repr__(self) -> str:
        return f"OneOf{self.values!r}"

    def __hash__(self) -> int:
        return hash(self.values)


@dataclass
class Ev:
    """One expected event, seen through member names instead of pseudonyms."""

    ts: str
    actor: Any  # display name (masked for phone numbers), None for no actor, or ANY
    kind: str
    subtype: Any = ANY
    text: Any = ANY
    target: Any = ANY  # display name of the target member
    mentions: Any = ()  # display names, compared as a sorted list
    line: Any = ANY

    def fields(self) -> dict[str, Any]:
        m = self.mentions
        if not isinstance(m, (type(ANY), OneOf)):
            m = sorted(m)
        return {
            "ts": parse_ts(self.ts),
            "actor": self.actor,
            "kind": self.kind,
            "subtype": self.subtype,
            "text": self.text,
            "target": self.target,
            "mentions": m,
            "line": self.line,
        }


# Short constructors: the kinds and their fixed expectations from the brief.
def M(ts, actor, text, *, mentions=(), line=ANY):
    """A plain message; subtype not asserted; target left to reply inference."""
    return Ev(ts, actor, "message", ANY, text, ANY, mentions, line)


def MEDIA(ts, actor, subtype, text=None, *, line=ANY):
    return Ev(ts, actor, "media", subtype, text, ANY, (), line)


def DEL(ts, actor, *, line=ANY):
    return Ev(ts, actor, "deleted", ANY, None, ANY, (), line)


def ED(ts, actor, text, *, mentions=(), line=ANY):
    return Ev(ts, actor, "edited", ANY, text, ANY, mentions, line)


def SYS(ts, actor, subtype, *, line=ANY):
    return Ev(ts, actor, "system", subtype, ANY, ANY, (), line)


def JOIN(ts, actor, subtype="link", *, line=ANY):
    return Ev(ts, actor, "join", subtype, ANY, ANY, (), line)


def ADD(ts, actor, target, *, line=ANY):
    return Ev(ts, actor, "add", ANY, ANY, target, (), line)


def LEAVE(ts, actor, *, line=ANY):
    return Ev(ts, actor, "leave", ANY, ANY, ANY, (), line)


def REMOVE(ts, actor, target, *, line=ANY):
    return Ev(ts, actor, "remove", ANY, ANY, target, (), line)


# ---------------------------------------------------------------------------------------------
# The fixtures
# ---------------------------------------------------------------------------------------------


@dataclass
class Fixture:
    name: str
    content: str  # with "\n" line ends; CRLF is applied when ``crlf``
    filename: str
    crlf: bool
    platform: str
    date_order: str
    expected: list[Ev]
    members: set[tuple[str, bool]]  # (display name, is_phone)


FIXTURES: dict[str, Fixture] = {}


def _fx(*args, **kw) -> Fixture:
    f = Fixture(*args, **kw)
    assert f.name not in FIXTURES
    FIXTURES[f.name] = f
    return f


# 1. Android, en-GB: "22/11/2026, 05:53 - ". Two adds on one line, multi-line message with a blank
#    line, media, deleted, edited, join by link, location, "You", a "Key:" line inside a message,
#    leave, remove, and an emoji with ZWJ (must be kept).
ANDROID_EN_GB = _fx(
    "android_en_gb",
    "22/11/2026, 05:50 - Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them. Tap to learn more.\n"
    '22/11/2026, 05:50 - Pak RT created group "Warga RT 05"\n'
    "22/11/2026, 05:51 - Pak RT added Budi Santoso and Siti Rahayu\n"
    "22/11/2026, 05:53 - Pak RT: Assalamualaikum warga RT 05.\n"
    "Besok kerja bakti jam 7 pagi.\n"
    "\n"
    "Bawa cangkul dan karung ya.\n"
    "22/11/2026, 05:55 - Budi Santoso: Siap Pak RT \U0001f44d sekeluarga ikut \U0001f468\u200d\U0001f469\u200d\U0001f467\n"
    "22/11/2026, 05:56 - Siti Rahayu: <Media omitted>\n"
    "22/11/2026, 05:58 - Siti Rahayu: This message was deleted\n"
    "22/11/2026, 06:01 - Budi Santoso: Saya bawa cangkul <This message was edited>\n"
    "22/11/2026, 06:02 - Bu Ani joined using this group's invite link\n"
    "22/11/2026, 06:03 - Bu Ani: Ikut ya, saya bawa gorengan\n"
    "22/11/2026, 06:10 - Budi Santoso: location: https://maps.google.com/?q=-6.200000,106.816666\n"
    "22/11/2026, 06:12 - You changed this group's icon\n"
    "22/11/2026, 06:15 - Pak RT: Catatan:\n"
    "Kumpul di pos ronda\n"
    "22/11/2026, 06:40 - Siti Rahayu left\n"
    "22/11/2026, 06:41 - Pak RT removed Bu Ani\n",
    "WhatsApp Chat with Warga RT 05.txt",
    False,
    "android",
    "dmy",
    [
        SYS("2026-11-22 05:50", None, "e2e", line=1),
        SYS("2026-11-22 05:50", "Pak RT", "created", line=2),
        ADD("2026-11-22 05:51", "Pak RT", "Budi Santoso", line=3),
        ADD("2026-11-22 05:51", "Pak RT", "Siti Rahayu", line=3),
        M(
            "2026-11-22 05:53",
            "Pak RT",
            "Assalamualaikum warga RT 05.\nBesok kerja bakti jam 7 pagi.\n\nBawa cangkul dan karung ya.",
            line=4,
        ),
        M(
            "2026-11-22 05:55",
            "Budi Santoso",
            "Siap Pak RT \U0001f44d sekeluarga ikut \U0001f468\u200d\U0001f469\u200d\U0001f467",
            line=8,
        ),
        MEDIA("2026-11-22 05:56", "Siti Rahayu", "other", line=9),
        DEL("2026-11-22 05:58", "Siti Rahayu", line=10),
        ED("2026-11-22 06:01", "Budi Santoso", "Saya bawa cangkul", line=11),
        JOIN("2026-11-22 06:02", "Bu Ani", "link", line=12),
        M("2026-11-22 06:03", "Bu Ani", "Ikut ya, saya bawa gorengan", line=13),
        MEDIA("2026-11-22 06:10", "Budi Santoso", "location", line=14),
        SYS("2026-11-22 06:12", "You", "icon", line=15),
        M("2026-11-22 06:15", "Pak RT", "Catatan:\nKumpul di pos ronda", line=16),
        LEAVE("2026-11-22 06:40", "Siti Rahayu", line=18),
        REMOVE("2026-11-22 06:41", "Pak RT", "Bu Ani", line=19),
    ],
    {
        ("Pak RT", False),
        ("Budi Santoso", False),
        ("Siti Rahayu", False),
        ("Bu Ani", False),
        ("You", False),
    },
)

# 2. Android, en-US 12-hour with NNBSP before AM/PM: "11/22/26, 5:53\u202fAM - ". 12:05 AM is
#    00:05, 12:30 PM is 12:30. A subject change whose new subject contains ": " (pitfall 1), a
#    "1. Senin: Tafsir" continuation, and a plain @mention of a one-word member.
ANDROID_EN_US_12H = _fx(
    "android_en_us_12h",
    '11/21/26, 11:58\u202fPM - Ahmad Fauzi created group "Remaja Masjid Al-Ikhlas"\n'
    "11/21/26, 11:59\u202fPM - Ahmad Fauzi added Rizky\n"
    "11/22/26, 12:05\u202fAM - Ahmad Fauzi: Assalamualaikum, besok subuh berjamaah ya\n"
    "11/22/26, 5:53\u202fAM - Rizky: Waalaikumsalam, insya Allah\n"
    "11/22/26, 5:54\u202fAM - Rizky: <Media omitted>\n"
    "11/22/26, 12:30\u202fPM - Ahmad Fauzi: Jadwal kajian pekan ini:\n"
    "1. Senin: Tafsir\n"
    "2. Kamis: Fiqih\n"
    '11/22/26, 1:15\u202fPM - Ahmad Fauzi changed the subject from "Remaja Masjid Al-Ikhlas" to "Remaja Masjid: Kajian Rutin"\n'
    "11/22/26, 1:16\u202fPM - Rizky: This message was deleted\n"
    "11/22/26, 1:20\u202fPM - Dewi Lestari: @Rizky jangan lupa bawa Al-Qur'an ya\n"
    "11/22/26, 11:45\u202fPM - Rizky: Siap kak Dewi\n",
    "WhatsApp Chat with Remaja Masjid Al-Ikhlas.txt",
    False,
    "android",
    "mdy",
    [
        SYS("2026-11-21 23:58", "Ahmad Fauzi", "created"),
        ADD("2026-11-21 23:59", "Ahmad Fauzi", "Rizky"),
        M("2026-11-22 00:05", "Ahmad Fauzi", "Assalamualaikum, besok subuh berjamaah ya"),
        M("2026-11-22 05:53", "Rizky", "Waalaikumsalam, insya Allah"),
        MEDIA("2026-11-22 05:54", "Rizky", "other"),
        M(
            "2026-11-22 12:30",
            "Ahmad Fauzi",
            "Jadwal kajian pekan ini:\n1. Senin: Tafsir\n2. Kamis: Fiqih",
        ),
        SYS("2026-11-22 13:15", "Ahmad Fauzi", "subject"),
        DEL("2026-11-22 13:16", "Rizky"),
        M(
            "2026-11-22 13:20",
            "Dewi Lestari",
            "@Rizky jangan lupa bawa Al-Qur'an ya",
            mentions=["Rizky"],
        ),
        M("2026-11-22 23:45", "Rizky", "Siap kak Dewi"),
    ],
    {("Ahmad Fauzi", False), ("Rizky", False), ("Dewi Lestari", False)},
)

# 3. Android, Indonesian: "22/11/26 05.53 - " (no comma, '.' in the time). Indonesian E2E notice,
#    created, added, media, deleted, edited (<Pesan ini diedit>), join by link, "Anda" (= You),
#    remove, leave. "Bu Ani menambahkan Pak Joko" is a colon-free system line directly followed by a
#    header (whatstk's failure in docs/formats.md §2).
ANDROID_ID = _fx(
    "android_id",
    "22/11/26 05.50 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya. Ketuk untuk info selengkapnya.\n"
    '22/11/26 05.50 - Bu Ani telah membuat grup "Orang Tua Murid 4B"\n'
    "22/11/26 05.51 - Bu Ani menambahkan Pak Joko\n"
    "22/11/26 05.53 - Bu Ani: Selamat pagi Bapak/Ibu,\n"
    "besok anak-anak pakai seragam batik.\n"
    "Terima kasih.\n"
    "22/11/26 05.55 - Pak Joko: Baik Bu, terima kasih \U0001f64f\n"
    "22/11/26 05.56 - Pak Joko: <Media tidak disertakan>\n"
    "22/11/26 05.57 - Bu Ani: Pesan ini telah dihapus\n"
    "22/11/26 05.58 - Bu Ani: Rapat komite hari Sabtu jam 9 <Pesan ini diedit>\n"
    "22/11/26 06.02 - Wati bergabung menggunakan tautan undangan grup ini\n"
    "22/11/26 06.05 - Wati: Ikut gabung ya Bu, saya ibunya Raka\n"
    "22/11/26 06.07 - Anda menambahkan Rina\n"
    "22/11/26 06.10 - Bu Ani mengeluarkan Pak Joko\n"
    "22/11/26 06.11 - Wati keluar\n",
    "WhatsApp Chat dengan Orang Tua Murid 4B.txt",
    False,
    "android",
    "dmy",
    [
        SYS("2026-11-22 05:50", None, "e2e", line=1),
        SYS("2026-11-22 05:50", "Bu Ani", "created", line=2),
        ADD("2026-11-22 05:51", "Bu Ani", "Pak Joko", line=3),
        M(
            "2026-11-22 05:53",
            "Bu Ani",
            "Selamat pagi Bapak/Ibu,\nbesok anak-anak pakai seragam batik.\nTerima kasih.",
            line=4,
        ),
        M("2026-11-22 05:55", "Pak Joko", "Baik Bu, terima kasih \U0001f64f", line=7),
        MEDIA("2026-11-22 05:56", "Pak Joko", "other", line=8),
        DEL("2026-11-22 05:57", "Bu Ani", line=9),
        ED("2026-11-22 05:58", "Bu Ani", "Rapat komite hari Sabtu jam 9", line=10),
        JOIN("2026-11-22 06:02", "Wati", "link", line=11),
        M("2026-11-22 06:05", "Wati", "Ikut gabung ya Bu, saya ibunya Raka", line=12),
        ADD("2026-11-22 06:07", "You", "Rina", line=13),
        REMOVE("2026-11-22 06:10", "Bu Ani", "Pak Joko", line=14),
        LEAVE("2026-11-22 06:11", "Wati", line=15),
    ],
    {("Bu Ani", False), ("Pak Joko", False), ("Wati", False), ("You", False), ("Rina", False)},
)

# 4. iOS, en-US: "[11/22/26, 5:53:12\u202fAM] ", CRLF. System lines attributed to the group name
#    with a leading LRM; curly quotes in "created group"; every iOS media placeholder; a document
#    with a file name and page count; the security-code line attributed to the contact (pitfall 3);
#    a phone author wrapped in U+202A/U+202C with an NBSP after the country code; a missed call.
IOS_EN_US = _fx(
    "ios_en_us",
    "[11/22/26, 5:50:01\u202fAM] Karang Taruna RW 03: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n"
    "[11/22/26, 5:50:01\u202fAM] Karang Taruna RW 03: \u200eDimas created group \u201cKarang Taruna RW 03\u201d\n"
    "[11/22/26, 5:50:30\u202fAM] Karang Taruna RW 03: \u200eDimas added Putri\n"
    "[11/22/26, 5:53:12\u202fAM] Dimas: Rapat persiapan lomba 17-an\n"
    "Tempat: Balai RW\n"
    "Jam: 19.30 WIB\n"
    "\u200e[11/22/26, 5:54:40\u202fAM] Putri: \u200eimage omitted\n"
    "[11/22/26, 5:54:41\u202fAM] Putri: \u200evideo omitted\n"
    "[11/22/26, 5:55:02\u202fAM] Putri: Oke siap, aku bawa sound system\n"
    "[11/22/26, 5:56:10\u202fAM] Dimas: \u200eThis message was deleted.\n"
    "[11/22/26, 5:57:00\u202fAM] Putri: \u200eYour security code with Putri changed. Tap to learn more.\n"
    "[11/22/26, 6:01:15\u202fAM] \u202a+62\u00a0812-3456-7890\u202c: \u200eaudio omitted\n"
    "[11/22/26, 6:02:00\u202fAM] \u202a+62\u00a0812-3456-7890\u202c: Maaf telat, saya ikut\n"
    "[11/22/26, 6:03:00\u202fAM] Dimas: \u200eProposal 17an.pdf \u2022 2 pages \u200edocument omitted\n"
    "[11/22/26, 6:04:00\u202fAM] Putri: \u200esticker omitted\n"
    "[11/22/26, 6:04:30\u202fAM] Putri: \u200eGIF omitted\n"
    "[11/22/26, 6:05:00\u202fAM] Dimas: \u200eContact card omitted\n"
    "[11/22/26, 6:06:00\u202fAM] Dimas: \u200eMissed voice call\n"
    "[11/22/26, 6:10:00\u202fAM] Karang Taruna RW 03: \u200eYou added Rudi\n"
    "[11/22/26, 6:12:30\u202fPM] Karang Taruna RW 03: \u200ePutri left\n",
    "_chat.txt",
    True,
    "ios",
    "mdy",
    [
        SYS("2026-11-22 05:50:01", None, "e2e", line=1),
        SYS("2026-11-22 05:50:01", "Dimas", "created", line=2),
        ADD("2026-11-22 05:50:30", "Dimas", "Putri", line=3),
        M(
            "2026-11-22 05:53:12",
            "Dimas",
            "Rapat persiapan lomba 17-an\nTempat: Balai RW\nJam: 19.30 WIB",
            line=4,
        ),
        MEDIA("2026-11-22 05:54:40", "Putri", "image", line=7),
        MEDIA("2026-11-22 05:54:41", "Putri", "video", line=8),
        M("2026-11-22 05:55:02", "Putri", "Oke siap, aku bawa sound system", line=9),
        DEL("2026-11-22 05:56:10", "Dimas", line=10),
        SYS("2026-11-22 05:57:00", ANY, "security_code", line=11),
        MEDIA("2026-11-22 06:01:15", "+62\u20267890", "audio", line=12),
        M("2026-11-22 06:02:00", "+62\u20267890", "Maaf telat, saya ikut", line=13),
        MEDIA("2026-11-22 06:03:00", "Dimas", "document", line=14),
        MEDIA("2026-11-22 06:04:00", "Putri", "sticker", line=15),
        MEDIA("2026-11-22 06:04:30", "Putri", "gif", line=16),
        MEDIA("2026-11-22 06:05:00", "Dimas", "contact", line=17),
        SYS("2026-11-22 06:06:00", ANY, "missed_call", line=18),
        ADD("2026-11-22 06:10:00", "You", "Rudi", line=19),
        LEAVE("2026-11-22 18:12:30", "Putri", line=20),
    ],
    {("Dimas", False), ("Putri", False), ("+62\u20267890", True), ("You", False), ("Rudi", False)},
)

# 5. iOS, Indonesian: "[22/11/26 05.53.12] ", CRLF, system lines attributed to the group name with
#    a leading LRM; some media lines also start with an LRM before the "[" (docs/formats.md §1); Indonesian media placeholders, deleted "Pesan ini dihapus.", security code,
#    location "Lokasi: …", "menambahkan Anda" (target = You), leave "keluar".
IOS_ID = _fx(
    "ios_id",
    "[22/11/26 05.50.00] Remaja Masjid Nurul Huda: \u200ePesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya. Ketuk untuk info selengkapnya.\n"
    '[22/11/26 05.50.00] Remaja Masjid Nurul Huda: \u200eUstadz Hasan telah membuat grup "Remaja Masjid Nurul Huda"\n'
    "[22/11/26 05.51.10] Remaja Masjid Nurul Huda: \u200eUstadz Hasan menambahkan Fajar\n"
    "[22/11/26 05.51.20] Remaja Masjid Nurul Huda: \u200eUstadz Hasan menambahkan Anda\n"
    "[22/11/26 05.53.12] Ustadz Hasan: Kajian ba'da Maghrib nanti:\n"
    "Tema: Adab bertetangga\n"
    "Tempat: Serambi masjid\n"
    "\u200e[22/11/26 05.54.00] Fajar: \u200egambar tidak disertakan\n"
    "[22/11/26 05.54.30] Fajar: \u200evideo tidak disertakan\n"
    "\u200e[22/11/26 05.55.00] Nabila: \u200ePesan ini dihapus.\n"
    "[22/11/26 05.56.00] Fajar: \u200eKode keamanan Anda dengan Fajar telah berubah. Ketuk untuk info selengkapnya.\n"
    "[22/11/26 05.57.00] Nabila: Insya Allah hadir, ustadz\n"
    "[22/11/26 05.58.00] Nabila: \u200estiker tidak disertakan\n"
    "[22/11/26 05.58.30] Fajar: \u200eaudio tidak disertakan\n"
    "[22/11/26 05.59.00] Ustadz Hasan: \u200eJadwal Kajian.pdf \u2022 1 halaman \u200edokumen tidak disertakan\n"
    "[22/11/26 06.00.00] Ustadz Hasan: \u200eLokasi: https://maps.google.com/?q=-6.917464,107.619123\n"
    "\u200e[22/11/26 06.01.00] Nabila: \u200eKartu kontak tidak disertakan\n"
    "[22/11/26 06.05.00] Remaja Masjid Nurul Huda: \u200eNabila keluar\n",
    "_chat.txt",
    True,
    "ios",
    "dmy",
    [
        SYS("2026-11-22 05:50:00", None, "e2e", line=1),
        SYS("2026-11-22 05:50:00", "Ustadz Hasan", "created", line=2),
        ADD("2026-11-22 05:51:10", "Ustadz Hasan", "Fajar", line=3),
        ADD("2026-11-22 05:51:20", "Ustadz Hasan", "You", line=4),
        M(
            "2026-11-22 05:53:12",
            "Ustadz Hasan",
            "Kajian ba'da Maghrib nanti:\nTema: Adab bertetangga\nTempat: Serambi masjid",
            line=5,
        ),
        MEDIA("2026-11-22 05:54:00", "Fajar", "image", line=8),
        MEDIA("2026-11-22 05:54:30", "Fajar", "video", line=9),
        DEL("2026-11-22 05:55:00", "Nabila", line=10),
        SYS("2026-11-22 05:56:00", ANY, "security_code", line=11),
        M("2026-11-22 05:57:00", "Nabila", "Insya Allah hadir, ustadz", line=12),
        MEDIA("2026-11-22 05:58:00", "Nabila", "sticker", line=13),
        MEDIA("2026-11-22 05:58:30", "Fajar", "audio", line=14),
        MEDIA("2026-11-22 05:59:00", "Ustadz Hasan", "document", line=15),
        MEDIA("2026-11-22 06:00:00", "Ustadz Hasan", "location", line=16),
        MEDIA("2026-11-22 06:01:00", "Nabila", "contact", line=17),
        LEAVE("2026-11-22 06:05:00", "Nabila", line=18),
    ],
    {("Ustadz Hasan", False), ("Fajar", False), ("Nabila", False), ("You", False)},
)

# 6. German Android: "22.11.26, 05:53 - ". German system phrases are not in the en/id tables, so
#    the E2E notice may come out as e2e or other, but never as a message and never with an actor.
GERMAN = _fx(
    "german",
    "22.11.26, 05:50 - Nachrichten und Anrufe sind Ende-zu-Ende-verschl\u00fcsselt. Niemand au\u00dferhalb dieses Chats kann sie lesen oder anh\u00f6ren, nicht einmal WhatsApp. Tippe, um mehr zu erfahren.\n"
    "22.11.26, 05:53 - Budi Santoso: Guten Morgen! Rapat RT jam 8\n"
    "22.11.26, 05:54 - J\u00fcrgen M\u00fcller: Baik, saya datang.\n"
    "Bawa catatan iuran juga?\n"
    "22.11.26, 13:05 - Budi Santoso: Ja, bitte \U0001f642\n"
    "23.11.26, 07:00 - J\u00fcrgen M\u00fcller: Sudah saya kirim\n",
    "WhatsApp Chat mit Warga RT 05.txt",
    False,
    "android",
    "dmy",
    [
        SYS("2026-11-22 05:50", None, OneOf("e2e", "other")),
        M("2026-11-22 05:53", "Budi Santoso", "Guten Morgen! Rapat RT jam 8"),
        M(
            "2026-11-22 05:54",
            "J\u00fcrgen M\u00fcller",
            "Baik, saya datang.\nBawa catatan iuran juga?",
        ),
        M("2026-11-22 13:05", "Budi Santoso", "Ja, bitte \U0001f642"),
        M("2026-11-23 07:00", "J\u00fcrgen M\u00fcller", "Sudah saya kirim"),
    ],
    {("Budi Santoso", False), ("J\u00fcrgen M\u00fcller", False)},
)

# 7. Spanish Android: "22/11/26, 5:53 a. m. - " / "p. m."; 12:05 a. m. is 00:05, 12:10 p. m. is 12:10.
SPANISH_TEMPLATE = (
    "21/11/26, 11:58{S}p.{T}m. - Luc\u00eda Hern\u00e1ndez: Hola a todos \U0001f44b\n"
    "22/11/26, 12:05{S}a.{T}m. - Budi Santoso: Halo Luc\u00eda, selamat datang di grup RT\n"
    "22/11/26, 5:53{S}a.{T}m. - Luc\u00eda Hern\u00e1ndez: \u00a1Gracias!\n"
    "\u00bfA qu\u00e9 hora es la reuni\u00f3n?\n"
    "22/11/26, 12:10{S}p.{T}m. - Budi Santoso: Jam 7 malam\n"
    "22/11/26, 7:00{S}p.{T}m. - Luc\u00eda Hern\u00e1ndez: Perfecto\n"
)
SPANISH_EXPECTED = [
    M("2026-11-21 23:58", "Luc\u00eda Hern\u00e1ndez", "Hola a todos \U0001f44b"),
    M("2026-11-22 00:05", "Budi Santoso", "Halo Luc\u00eda, selamat datang di grup RT"),
    M(
        "2026-11-22 05:53",
        "Luc\u00eda Hern\u00e1ndez",
        "\u00a1Gracias!\n\u00bfA qu\u00e9 hora es la reuni\u00f3n?",
    ),
    M("2026-11-22 12:10", "Budi Santoso", "Jam 7 malam"),
    M("2026-11-22 19:00", "Luc\u00eda Hern\u00e1ndez", "Perfecto"),
]
SPANISH_MEMBERS = {("Luc\u00eda Hern\u00e1ndez", False), ("Budi Santoso", False)}
SPANISH = _fx(
    "spanish",
    SPANISH_TEMPLATE.format(S=" ", T=" "),
    "WhatsApp Chat con Warga RT 05.txt",
    False,
    "android",
    "dmy",
    SPANISH_EXPECTED,
    SPANISH_MEMBERS,
)
SPANISH_NBSP = _fx(
    "spanish_nnbsp",
    SPANISH_TEMPLATE.format(S="\u202f", T="\u00a0"),
    "WhatsApp Chat con Warga RT 05.txt",
    False,
    "android",
    "dmy",
    SPANISH_EXPECTED,
    SPANISH_MEMBERS,
)

# 8. ISO dates: "2026-11-22, 05:53 - " with English system lines (description, settings).
ISO = _fx(
    "iso",
    '2026-11-21, 19:00 - Bu Guru Sari created group "Kelas 2A SDN 3"\n'
    "2026-11-21, 19:01 - Bu Guru Sari added Pak Hendra\n"
    "2026-11-21, 19:05 - Bu Guru Sari: Selamat malam Bapak/Ibu wali murid kelas 2A\n"
    "2026-11-22, 05:53 - Pak Hendra: Pagi Bu, besok libur?\n"
    "2026-11-22, 06:10 - Bu Guru Sari: Tidak Pak, tetap masuk.\n"
    "Jam 07.00 seperti biasa.\n"
    "2026-11-22, 06:11 - Bu Guru Sari changed the group description\n"
    "2026-11-22, 06:12 - Bu Guru Sari changed this group's settings to allow only admins to edit this group's info\n"
    "2026-11-22, 06:30 - Pak Hendra: <Media omitted>\n",
    "WhatsApp Chat with Kelas 2A SDN 3.txt",
    False,
    "android",
    "ymd",
    [
        SYS("2026-11-21 19:00", "Bu Guru Sari", "created"),
        ADD("2026-11-21 19:01", "Bu Guru Sari", "Pak Hendra"),
        M("2026-11-21 19:05", "Bu Guru Sari", "Selamat malam Bapak/Ibu wali murid kelas 2A"),
        M("2026-11-22 05:53", "Pak Hendra", "Pagi Bu, besok libur?"),
        M("2026-11-22 06:10", "Bu Guru Sari", "Tidak Pak, tetap masuk.\nJam 07.00 seperti biasa."),
        SYS("2026-11-22 06:11", "Bu Guru Sari", "description"),
        SYS("2026-11-22 06:12", "Bu Guru Sari", "settings"),
        MEDIA("2026-11-22 06:30", "Pak Hendra", "other"),
    ],
    {("Bu Guru Sari", False), ("Pak Hendra", False)},
)

# 9. m/d/y where every day is <= 12: only chronology decides (pitfall 4). Read as d/m/y the dates go
#    1 May, 1 Sep, 1 Dec, 2 Mar, ... (four steps back in time); read as m/d/y they are monotone.
MDY_BY_CHRONOLOGY = _fx(
    "mdy_by_chronology",
    "01/05/26, 19:00 - Pak RT: Rapat awal tahun di balai warga\n"
    "01/09/26, 20:15 - Budi Santoso: Hadir\n"
    "01/12/26, 08:00 - Siti Rahayu: Iuran Januari sudah masuk\n"
    "02/03/26, 09:30 - Pak RT: Kerja bakti hari Minggu\n"
    "02/10/26, 16:45 - Budi Santoso: Siap\n"
    "03/01/26, 07:00 - Siti Rahayu: Laporan kas Februari terlampir di grup sebelah\n"
    "03/07/26, 10:00 - Pak RT: Terima kasih semua\n"
    "04/02/26, 18:20 - Budi Santoso: Ada yang lihat kucing oranye saya?\n"
    "05/11/26, 12:00 - Siti Rahayu: Arisan bulan ini di rumah saya\n"
    "06/04/26, 19:30 - Pak RT: Rapat persiapan 17-an\n",
    "WhatsApp Chat with Warga RT 05.txt",
    False,
    "android",
    "mdy",
    [
        M("2026-01-05 19:00", "Pak RT", "Rapat awal tahun di balai warga"),
        M("2026-01-09 20:15", "Budi Santoso", "Hadir"),
        M("2026-01-12 08:00", "Siti Rahayu", "Iuran Januari sudah masuk"),
        M("2026-02-03 09:30", "Pak RT", "Kerja bakti hari Minggu"),
        M("2026-02-10 16:45", "Budi Santoso", "Siap"),
        M("2026-03-01 07:00", "Siti Rahayu", "Laporan kas Februari terlampir di grup sebelah"),
        M("2026-03-07 10:00", "Pak RT", "Terima kasih semua"),
        M("2026-04-02 18:20", "Budi Santoso", "Ada yang lihat kucing oranye saya?"),
        M("2026-05-11 12:00", "Siti Rahayu", "Arisan bulan ini di rumah saya"),
        M("2026-06-04 19:30", "Pak RT", "Rapat persiapan 17-an"),
    ],
    {("Pak RT", False), ("Budi Santoso", False), ("Siti Rahayu", False)},
)

# 10. d/m/y decided by a day > 12 that appears only on the last line; the earlier lines are
#     monotone both as d/m/y and as m/d/y, so chronology alone cannot decide.
DMY_BY_DAY13 = _fx(
    "dmy_by_day13",
    "01/02/26, 19:00 - Pak RT: Rapat bulanan\n"
    "01/03/26, 19:00 - Budi Santoso: Hadir Pak\n"
    "02/03/26, 08:00 - Siti Rahayu: Iuran Maret sudah saya setor\n"
    "05/03/26, 09:30 - Pak RT: Kerja bakti Minggu depan\n"
    "06/03/26, 10:00 - Siti Rahayu: Saya bawa minum\n"
    "13/03/26, 16:45 - Budi Santoso: Siap\n",
    "WhatsApp Chat with Warga RT 05.txt",
    False,
    "android",
    "dmy",
    [
        M("2026-02-01 19:00", "Pak RT", "Rapat bulanan"),
        M("2026-03-01 19:00", "Budi Santoso", "Hadir Pak"),
        M("2026-03-02 08:00", "Siti Rahayu", "Iuran Maret sudah saya setor"),
        M("2026-03-05 09:30", "Pak RT", "Kerja bakti Minggu depan"),
        M("2026-03-06 10:00", "Siti Rahayu", "Saya bawa minum"),
        M("2026-03-13 16:45", "Budi Santoso", "Siap"),
    ],
    {("Pak RT", False), ("Budi Santoso", False), ("Siti Rahayu", False)},
)

# 11. An Indonesian group exported from a phone set to English: English headers and system lines,
#     Indonesian content, authors are +62 numbers wrapped in U+202A/U+202C. A subject change to a
#     subject containing ": ". No clear number may appear anywhere in the output.
PHONES_EN_ID = _fx(
    "phones_en_id",
    '22/11/2026, 07:00 - \u202a+62 812-3456-7890\u202c created group "Info Warga Griya Asri"\n'
    "22/11/2026, 07:01 - \u202a+62 812-3456-7890\u202c added \u202a+62 857-1111-2222\u202c\n"
    "22/11/2026, 07:02 - \u202a+62 812-3456-7890\u202c: Mohon iuran sampah bulan ini dibayar ya bapak ibu\n"
    "22/11/2026, 07:05 - \u202a+62 857-1111-2222\u202c: Siap, transfer ke bendahara?\n"
    "22/11/2026, 07:06 - \u202a+62 812-3456-7890\u202c: Iya, ke Bu Ani.\n"
    "Batas akhir tanggal 30.\n"
    "22/11/2026, 07:08 - \u202a+62 813-9999-0000\u202c joined using this group's invite link\n"
    "22/11/2026, 07:09 - \u202a+62 813-9999-0000\u202c: <Media omitted>\n"
    "22/11/2026, 07:10 - \u202a+62 857-1111-2222\u202c: This message was deleted\n"
    '22/11/2026, 07:11 - \u202a+62 812-3456-7890\u202c changed the subject from "Info Warga Griya Asri" to "Info Warga: Iuran Sampah"\n'
    "22/11/2026, 07:15 - \u202a+62 857-1111-2222\u202c left\n"
    "22/11/2026, 07:16 - \u202a+62 812-3456-7890\u202c removed \u202a+62 813-9999-0000\u202c\n",
    "WhatsApp Chat with Info Warga Griya Asri.txt",
    False,
    "android",
    "dmy",
    [
        SYS("2026-11-22 07:00", "+62\u20267890", "created"),
        ADD("2026-11-22 07:01", "+62\u20267890", "+62\u20262222"),
        M("2026-11-22 07:02", "+62\u20267890", "Mohon iuran sampah bulan ini dibayar ya bapak ibu"),
        M("2026-11-22 07:05", "+62\u20262222", "Siap, transfer ke bendahara?"),
        M("2026-11-22 07:06", "+62\u20267890", "Iya, ke Bu Ani.\nBatas akhir tanggal 30."),
        JOIN("2026-11-22 07:08", "+62\u20260000", "link"),
        MEDIA("2026-11-22 07:09", "+62\u20260000", "other"),
        DEL("2026-11-22 07:10", "+62\u20262222"),
        SYS("2026-11-22 07:11", "+62\u20267890", "subject"),
        LEAVE("2026-11-22 07:15", "+62\u20262222"),
        REMOVE("2026-11-22 07:16", "+62\u20267890", "+62\u20260000"),
    ],
    {("+62\u20267890", True), ("+62\u20262222", True), ("+62\u20260000", True)},
)
CLEAR_NUMBERS = ["81234567890", "85711112222", "81399990000", "81298765432"]

# 12. A member types an old message header inside a message (pitfall 2). "01/01/20 10.00 - Budi: …"
#     is out of order with BOTH neighbouring headers by far more than an hour, so it is message text.
#     "07.50" is out of order with its predecessor by only 15 minutes (delayed delivery) and stays a
#     header; the jump forward to 25/11 is in order and stays a header.
FORGED_HEADER = _fx(
    "forged_header",
    "22/11/26 08.00 - Budi Santoso: Dulu pernah ada pesan begini, hati-hati hoaks:\n"
    "01/01/20 10.00 - Budi: Rapat RT dibatalkan\n"
    "Jadi jangan langsung percaya ya\n"
    "22/11/26 08.05 - Siti Rahayu: Oh iya, saya ingat itu\n"
    "22/11/26 07.50 - Pak RT: Maaf baru terkirim, sinyal jelek\n"
    "22/11/26 08.10 - Budi Santoso: Baik Pak\n"
    "25/11/26 09.00 - Siti Rahayu: Sudah hari Rabu, jangan lupa ronda\n"
    "25/11/26 09.05 - Pak RT: Siap\n",
    "WhatsApp Chat dengan Warga RT 05.txt",
    False,
    "android",
    "dmy",
    [
        M(
            "2026-11-22 08:00",
            "Budi Santoso",
            "Dulu pernah ada pesan begini, hati-hati hoaks:\n"
            "01/01/20 10.00 - Budi: Rapat RT dibatalkan\n"
            "Jadi jangan langsung percaya ya",
            line=1,
        ),
        M("2026-11-22 08:05", "Siti Rahayu", "Oh iya, saya ingat itu", line=4),
        M("2026-11-22 07:50", "Pak RT", "Maaf baru terkirim, sinyal jelek", line=5),
        M("2026-11-22 08:10", "Budi Santoso", "Baik Pak", line=6),
        M("2026-11-25 09:00", "Siti Rahayu", "Sudah hari Rabu, jangan lupa ronda", line=7),
        M("2026-11-25 09:05", "Pak RT", "Siap", line=8),
    ],
    {("Budi Santoso", False), ("Siti Rahayu", False), ("Pak RT", False)},
)

# 13. Newer Android export: "~\u202fAndi" non-contact author, names wrapped in U+2068/U+2069 (in
#     system lines, authors and mentions), "<This message was edited>", plain and isolated
#     @mentions, a mention of a non-member (no mention), multi-word plain mentions.
NEWER_ANDROID = _fx(
    "newer_android",
    "22/11/2026, 09:00 - \u2068Pak RT\u2069 added \u2068Bu Ani\u2069\n"
    "22/11/2026, 09:01 - ~\u202fAndi joined using this group's invite link\n"
    "22/11/2026, 09:02 - ~\u202fAndi: Assalamualaikum, saya Andi warga baru blok C\n"
    "22/11/2026, 09:03 - Pak RT: Waalaikumsalam @\u2068Andi\u2069, selamat datang. @\u2068Bu Ani\u2069 tolong dibantu ya\n"
    "22/11/2026, 09:05 - \u2068Bu Ani\u2069: Siap Pak RT. @Andi nanti saya kirim jadwal ronda <This message was edited>\n"
    "22/11/2026, 09:06 - Bu Ani: @Joko belum masuk grup ya?\n"
    "22/11/2026, 09:07 - ~\u202fAndi: Terima kasih @Bu Ani dan @Pak RT \U0001f64f\n"
    "22/11/2026, 09:08 - \u2068~\u202fAndi\u2069 changed this group's icon\n",
    "WhatsApp Chat with Warga RT 05.txt",
    False,
    "android",
    "dmy",
    [
        ADD("2026-11-22 09:00", "Pak RT", "Bu Ani"),
        JOIN("2026-11-22 09:01", "Andi", "link"),
        M("2026-11-22 09:02", "Andi", "Assalamualaikum, saya Andi warga baru blok C"),
        M(
            "2026-11-22 09:03",
            "Pak RT",
            "Waalaikumsalam @\u2068Andi\u2069, selamat datang. @\u2068Bu Ani\u2069 tolong dibantu ya",
            mentions=["Andi", "Bu Ani"],
        ),
        ED(
            "2026-11-22 09:05",
            "Bu Ani",
            "Siap Pak RT. @Andi nanti saya kirim jadwal ronda",
            mentions=["Andi"],
        ),
        M("2026-11-22 09:06", "Bu Ani", "@Joko belum masuk grup ya?", mentions=[]),
        M(
            "2026-11-22 09:07",
            "Andi",
            "Terima kasih @Bu Ani dan @Pak RT \U0001f64f",
            mentions=["Bu Ani", "Pak RT"],
        ),
        SYS("2026-11-22 09:08", "Andi", "icon"),
    ],
    {("Pak RT", False), ("Bu Ani", False), ("Andi", False)},
)

# 14. iOS group whose name contains ": " ("RT 05: Info Warga"): every system line is attributed to
#     "RT 05: Info Warga: \u200e…". The LRM after ": " tells where the text starts.
IOS_GROUP_NAME_COLON = _fx(
    "ios_group_name_colon",
    "[22/11/26 19.00.00] RT 05: Info Warga: \u200ePesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya. Ketuk untuk info selengkapnya.\n"
    '[22/11/26 19.00.00] RT 05: Info Warga: \u200ePak RT telah membuat grup "RT 05: Info Warga"\n'
    "[22/11/26 19.01.00] Pak RT: Selamat malam warga\n"
    "[22/11/26 19.02.00] RT 05: Info Warga: \u200ePak RT menambahkan Budi Santoso\n"
    "[22/11/26 19.03.00] Budi Santoso: Malam Pak\n",
    "_chat.txt",
    True,
    "ios",
    "dmy",
    [
        SYS("2026-11-22 19:00:00", None, "e2e"),
        SYS("2026-11-22 19:00:00", "Pak RT", "created"),
        M("2026-11-22 19:01:00", "Pak RT", "Selamat malam warga"),
        ADD("2026-11-22 19:02:00", "Pak RT", "Budi Santoso"),
        M("2026-11-22 19:03:00", "Budi Santoso", "Malam Pak"),
    ],
    {("Pak RT", False), ("Budi Santoso", False)},
)

# 15. iOS system lines with no author at all ("[…] \u200e<text>", docs/formats.md §1), en-US.
IOS_NO_AUTHOR_SYSTEM = _fx(
    "ios_no_author_system",
    "[11/22/26, 8:00:00\u202fPM] \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n"
    "[11/22/26, 8:00:05\u202fPM] \u200eSiti Rahayu added Budi Santoso\n"
    "[11/22/26, 8:01:00\u202fPM] Budi Santoso: Terima kasih Bu Siti\n"
    "[11/22/26, 8:02:00\u202fPM] Siti Rahayu: Sama-sama Pak\n"
    "[11/22/26, 8:30:00\u202fPM] \u200eBudi Santoso left\n",
    "_chat.txt",
    True,
    "ios",
    "mdy",
    [
        SYS("2026-11-22 20:00:00", None, "e2e"),
        ADD("2026-11-22 20:00:05", "Siti Rahayu", "Budi Santoso"),
        M("2026-11-22 20:01:00", "Budi Santoso", "Terima kasih Bu Siti"),
        M("2026-11-22 20:02:00", "Siti Rahayu", "Sama-sama Pak"),
        LEAVE("2026-11-22 20:30:00", "Budi Santoso"),
    ],
    {("Siti Rahayu", False), ("Budi Santoso", False)},
)

# 16. Older English E2E notice, a timer and an admin line, a security code line on Android (no
#     author), "X changed to Y" number change, a system line with ": " in the old subject too.
ANDROID_MORE_SYSTEM = _fx(
    "android_more_system",
    "22/11/2026, 10:00 - Messages to this group are now secured with end-to-end encryption.\n"
    '22/11/2026, 10:01 - Budi Santoso changed the subject from "Ronda: Blok A" to "Ronda: Blok A & B"\n'
    "22/11/2026, 10:02 - You're now an admin\n"
    "22/11/2026, 10:03 - You turned off disappearing messages.\n"
    "22/11/2026, 10:04 - Your security code with Siti Rahayu changed. Tap to learn more.\n"
    "22/11/2026, 10:05 - Budi Santoso: Jadwal ronda minggu ini sudah saya tempel di pos\n"
    "22/11/2026, 10:06 - Siti Rahayu: Terima kasih Pak Budi\n",
    "WhatsApp Chat with Ronda Blok A.txt",
    False,
    "android",
    "dmy",
    [
        SYS("2026-11-22 10:00", None, "e2e"),
        SYS("2026-11-22 10:01", "Budi Santoso", "subject"),
        SYS("2026-11-22 10:02", ANY, "admin"),
        SYS("2026-11-22 10:03", ANY, "timer"),
        SYS("2026-11-22 10:04", ANY, "security_code"),
        M("2026-11-22 10:05", "Budi Santoso", "Jadwal ronda minggu ini sudah saya tempel di pos"),
        M("2026-11-22 10:06", "Siti Rahayu", "Terima kasih Pak Budi"),
    ],
    # "You" appears in system lines only as the admin/timer subject; the actor of those lines is
    # left open, so "You" may or may not be listed. Checked with a subset in the members test.
    {("Budi Santoso", False), ("Siti Rahayu", False)},
)
MEMBERS_MAY_ALSO_HAVE = {
    "android_more_system": {("You", False)},
    # the numbers of an "X changed to Y" line may or may not be listed
    "android_en_more": {("+62\u20267890", True), ("+62\u20265432", True)},
}

# Names that must never be members: group names (iOS authors of system lines), "~" prefixes etc.
NOT_MEMBERS = {
    "ios_en_us": ["Karang Taruna RW 03"],
    "ios_id": ["Remaja Masjid Nurul Huda"],
    "ios_group_name_colon": ["RT 05: Info Warga", "RT 05", "RT 05: Info Warga:"],
    "newer_android": ["~ Andi", "~\u202fAndi", "~Andi", "Joko"],
}

# 17. Colon-free system lines directly followed by headers, Indonesian Android (docs/formats.md §2:
#     whatstk swallows the next header into the author field and keeps the wrong timestamp).
COLON_FREE_SYSTEM = _fx(
    "colon_free_system",
    "20/11/26 08.05 - Pak RT menambahkan Budi Santoso\n"
    "20/11/26 08.06 - Budi Santoso: Terima kasih Pak RT\n"
    "20/11/26 08.07 - Siti Rahayu keluar\n"
    "20/11/26 08.08 - Pak RT: Sampai jumpa Bu Siti\n"
    "20/11/26 08.09 - Bu Ani bergabung menggunakan tautan undangan grup ini\n"
    "20/11/26 08.10 - Bu Ani: Permisi, saya warga baru\n",
    "WhatsApp Chat dengan Warga RT 05.txt",
    False,
    "android",
    "dmy",
    [
        ADD("2026-11-20 08:05", "Pak RT", "Budi Santoso", line=1),
        M("2026-11-20 08:06", "Budi Santoso", "Terima kasih Pak RT", line=2),
        LEAVE("2026-11-20 08:07", "Siti Rahayu", line=3),
        M("2026-11-20 08:08", "Pak RT", "Sampai jumpa Bu Siti", line=4),
        JOIN("2026-11-20 08:09", "Bu Ani", "link", line=5),
        M("2026-11-20 08:10", "Bu Ani", "Permisi, saya warga baru", line=6),
    ],
    {("Pak RT", False), ("Budi Santoso", False), ("Siti Rahayu", False), ("Bu Ani", False)},
)


# 18. More English system shapes: "added you", three adds on one line, a typed message that reads
#     like a system line, continuation lines that read like system lines, "You deleted this
#     message", number changes, and longest-match @mentions ("@Bu Anita" is not "@Bu Ani").
ANDROID_EN_MORE = _fx(
    "android_en_more",
    "22/11/2026, 07:00 - Pak RT added you\n"
    "22/11/2026, 07:01 - Pak RT added Budi Santoso, Siti Rahayu, Bu Ani and Bu Anita\n"
    "22/11/2026, 07:02 - Siti Rahayu: Pak RT added Budi tadi ya?\n"
    "22/11/2026, 07:03 - Budi Santoso: Iya Bu. Yang saya coba tadi:\n"
    "Budi Santoso left\n"
    "Siti Rahayu joined using this group's invite link\n"
    "(itu cuma contoh)\n"
    "22/11/2026, 07:04 - Budi Santoso: You deleted this message\n"
    "22/11/2026, 07:05 - \u202a+62 812-3456-7890\u202c changed to \u202a+62 812-9876-5432\u202c\n"
    "22/11/2026, 07:06 - Bu Ani changed their phone number to a new number. Tap to message or add the new number.\n"
    "22/11/2026, 07:07 - Bu Ani: @Bu Anita sudah masuk grup? @Siti Rahayu, tolong cek ya\n",
    "WhatsApp Chat with Warga RT 05.txt",
    False,
    "android",
    "dmy",
    [
        ADD("2026-11-22 07:00", "Pak RT", "You", line=1),
        ADD("2026-11-22 07:01", "Pak RT", "Budi Santoso", line=2),
        ADD("2026-11-22 07:01", "Pak RT", "Siti Rahayu", line=2),
        ADD("2026-11-22 07:01", "Pak RT", "Bu Ani", line=2),
        ADD("2026-11-22 07:01", "Pak RT", "Bu Anita", line=2),
        M("2026-11-22 07:02", "Siti Rahayu", "Pak RT added Budi tadi ya?", line=3),
        M(
            "2026-11-22 07:03",
            "Budi Santoso",
            "Iya Bu. Yang saya coba tadi:\nBudi Santoso left\n"
            "Siti Rahayu joined using this group's invite link\n(itu cuma contoh)",
            line=4,
        ),
        DEL("2026-11-22 07:04", "Budi Santoso", line=8),
        SYS("2026-11-22 07:05", ANY, "number_change", line=9),
        SYS("2026-11-22 07:06", ANY, "number_change", line=10),
        M(
            "2026-11-22 07:07",
            "Bu Ani",
            "@Bu Anita sudah masuk grup? @Siti Rahayu, tolong cek ya",
            mentions=["Bu Anita", "Siti Rahayu"],
            line=11,
        ),
    ],
    {
        ("Pak RT", False),
        ("You", False),
        ("Budi Santoso", False),
        ("Siti Rahayu", False),
        ("Bu Ani", False),
        ("Bu Anita", False),
    },
)

# 19. More Indonesian system shapes: the Android E2E variant "… mendengarkannya, bahkan WhatsApp.",
#     "Anda membuat grup", security code and number change without an author, "Anda menghapus pesan
#     ini" (deleted by the exporter, who appears under their own name), a missed call.
ANDROID_ID_MORE = _fx(
    "android_id_more",
    "22/11/26 07.00 - Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun di luar chat ini yang dapat membaca atau mendengarkannya, bahkan WhatsApp. Ketuk untuk info selengkapnya.\n"
    '22/11/26 07.00 - Anda membuat grup "Arisan Ibu-Ibu Blok D"\n'
    "22/11/26 07.01 - Anda menambahkan Bu Ani\n"
    "22/11/26 07.02 - Bu Ani: Terima kasih sudah dimasukkan grup\n"
    "22/11/26 07.03 - Kode keamanan Anda dengan Bu Ani telah berubah. Ketuk untuk info selengkapnya.\n"
    "22/11/26 07.04 - Bu Ani telah mengganti nomor teleponnya ke nomor baru. Ketuk untuk mengirim pesan atau menambahkan nomor baru.\n"
    "22/11/26 07.05 - Bu Siti: Anda menghapus pesan ini\n"
    "22/11/26 07.06 - Bu Ani: Panggilan suara tak terjawab\n"
    "22/11/26 07.07 - Bu Ani: Arisan bulan depan di rumah saya ya ibu-ibu\n",
    "WhatsApp Chat dengan Arisan Ibu-Ibu Blok D.txt",
    False,
    "android",
    "dmy",
    [
        SYS("2026-11-22 07:00", None, "e2e", line=1),
        SYS("2026-11-22 07:00", "You", "created", line=2),
        ADD("2026-11-22 07:01", "You", "Bu Ani", line=3),
        M("2026-11-22 07:02", "Bu Ani", "Terima kasih sudah dimasukkan grup", line=4),
        SYS("2026-11-22 07:03", ANY, "security_code", line=5),
        SYS("2026-11-22 07:04", ANY, "number_change", line=6),
        DEL("2026-11-22 07:05", "Bu Siti", line=7),
        SYS("2026-11-22 07:06", ANY, "missed_call", line=8),
        M("2026-11-22 07:07", "Bu Ani", "Arisan bulan depan di rumah saya ya ibu-ibu", line=9),
    ],
    {("You", False), ("Bu Ani", False), ("Bu Siti", False)},
)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

ALL = sorted(FIXTURES)


def _write(wa, fx: Fixture, *, crlf: bool | None = None, bom: bool = False, **kw):
    return wa.write(fx.content, fx.filename, crlf=fx.crlf if crlf is None else crlf, bom=bom, **kw)


def _read(wa, fx: Fixture, **kw):
    return wa.read(_write(wa, fx), **kw)


def _semantic_rows(wa, log) -> list[dict[str, Any]]:
    """Events through member names, without ids (for comparing two reads of the same chat)."""
    return [{k: v for k, v in r.items() if k != "_raw"} for r in wa.view(log).rows]


def _expect_input_error(wa, path, *, words: tuple[str, ...] = (), line: int | None = None, **kw):
    InputError = wa.input_error()
    with pytest.raises(InputError) as info:
        wa.read(path, **kw)
    msg = str(info.value)
    assert path.name in msg, f"error does not name the file: {msg!r}"
    if words:
        assert any(w in msg.lower() for w in words), f"error gives no reason among {words}: {msg!r}"
    if line is not None:
        assert info.value.line == line or f"line {line}" in msg, (
            f"error does not name line {line}: {msg!r}"
        )
    return info.value


# ---------------------------------------------------------------------------------------------
# Every fixture: events, members, report, schema, ids
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL)
def test_events_exact(wa, name):
    fx = FIXTURES[name]
    wa.check(_read(wa, fx), fx.expected)


@pytest.mark.parametrize("name", ALL)
def test_members_exact(wa, name):
    fx = FIXTURES[name]
    got = wa.member_set(_read(wa, fx))
    allowed_extra = MEMBERS_MAY_ALSO_HAVE.get(name, set())
    assert fx.members <= got <= fx.members | allowed_extra, (
        f"members: missing {fx.members - got}, unexpected {got - fx.members - allowed_extra}"
    )


@pytest.mark.parametrize("name", sorted(NOT_MEMBERS))
def test_group_names_and_raw_names_are_not_members(wa, name):
    fx = FIXTURES[name]
    names = {m["name"] for m in _read(wa, fx).members.to_pylist()}
    for bad in NOT_MEMBERS[name]:
        assert bad not in names


@pytest.mark.parametrize("name", ALL)
def test_report(wa, name):
    fx = FIXTURES[name]
    log = _read(wa, fx)
    r = log.report
    assert r.platform == fx.platform
    assert r.date_order == fx.date_order
    assert 0.0 <= r.date_order_confidence <= 1.0
    assert r.n_events == log.events.num_rows == len(fx.expected)
    assert list(r.skipped) == []


@pytest.mark.parametrize("name", ALL)
def test_schema_and_referential_integrity(wa, name):
    from kohesi.events import EVENT_SCHEMA, validate_events

    fx = FIXTURES[name]
    log = _read(wa, fx)
    assert log.events.schema.equals(EVENT_SCHEMA, check_metadata=False)
    validate_events(log.events)
    assert {"group_id", "actor", "name", "is_phone"} <= set(log.members.column_names)
    members = log.members.to_pylist()
    actors = [m["actor"] for m in members]
    assert len(actors) == len(set(actors)), "one members row per actor"
    assert None not in actors
    rows = log.events.to_pylist()
    groups = {r["group_id"] for r in rows} | {m["group_id"] for m in members}
    assert len(groups) == 1, f"one group per export, got {groups}"
    known = set(actors)
    for r in rows:
        assert r["actor"] is None or r["actor"] in known, r
        assert r["target"] is None or r["target"] in known, r
        for a in r["mentions"] or []:
            assert a in known, r
        if r["reply_to"] is not None:
            assert r["reply_inferred"] is True


@pytest.mark.parametrize("name", ALL)
def test_event_ids_unique_and_stable(wa, name):
    fx = FIXTURES[name]
    path = _write(wa, fx)
    ids1 = wa.read(path).events.column("event_id").to_pylist()
    ids2 = wa.read(path).events.column("event_id").to_pylist()
    assert ids1 == ids2
    assert len(set(ids1)) == len(ids1)
    assert all(isinstance(i, str) and i for i in ids1)


@pytest.mark.parametrize("name", ALL)
def test_mentions_are_lists_never_null(wa, name):
    log = _read(wa, FIXTURES[name])
    assert all(m is not None for m in log.events.column("mentions").to_pylist())


@pytest.mark.parametrize("name", ALL)
def test_line_endings_and_bom_do_not_matter(wa, name):
    fx = FIXTURES[name]
    base = _semantic_rows(wa, wa.read(_write(wa, fx)))
    flipped = _semantic_rows(wa, wa.read(_write(wa, fx, crlf=not fx.crlf)))
    with_bom = _semantic_rows(wa, wa.read(_write(wa, fx, bom=True)))
    assert flipped == base
    assert with_bom == base


@pytest.mark.parametrize("name", ALL)
def test_keep_text_false_drops_text_only(wa, name):
    fx = FIXTURES[name]
    path = _write(wa, fx)
    full = wa.read(path).events
    bare = wa.read(path, keep_text=False).events
    assert bare.column("text").null_count == bare.num_rows
    for col in (
        "event_id",
        "ts",
        "actor",
        "kind",
        "subtype",
        "target",
        "mentions",
        "n_chars",
        "n_media",
        "line",
    ):
        assert bare.column(col).to_pylist() == full.column(col).to_pylist(), col


@pytest.mark.parametrize("name", ALL)
def test_keep_names_false_drops_names_only(wa, name):
    fx = FIXTURES[name]
    path = _write(wa, fx)
    full = wa.read(path)
    bare = wa.read(path, keep_names=False)
    assert bare.members.column("name").null_count == bare.members.num_rows
    assert sorted(bare.members.column("actor").to_pylist()) == sorted(
        full.members.column("actor").to_pylist()
    )
    assert bare.events.column("actor").to_pylist() == full.events.column("actor").to_pylist()


@pytest.mark.parametrize("name", ALL)
def test_content_free_counts(wa, name):
    """n_chars and n_media are always filled for posts: 1 medium per media event, none per message."""
    rows = _read(wa, FIXTURES[name]).events.to_pylist()
    for r in rows:
        if r["kind"] == "media":
            assert r["n_media"] == 1, r
        if r["kind"] == "message":
            assert r["n_media"] == 0, r
            assert r["n_chars"] is not None and r["n_chars"] > 0, r
            if r["text"].isascii():
                assert r["n_chars"] == len(r["text"]), r


# ---------------------------------------------------------------------------------------------
# Dates, times and timezones
# ---------------------------------------------------------------------------------------------


def test_date_order_confidence_values_beat_chronology(wa):
    by_values = _read(wa, DMY_BY_DAY13).report
    by_values_2 = _read(wa, ANDROID_EN_GB).report
    by_chrono = _read(wa, MDY_BY_CHRONOLOGY).report
    assert by_values.date_order == "dmy" and by_chrono.date_order == "mdy"
    assert by_values.date_order_confidence >= 0.9
    assert by_values_2.date_order_confidence >= 0.9
    assert 0.5 < by_chrono.date_order_confidence <= by_values.date_order_confidence


AMBIGUOUS = (
    "03/04/26, 19:00 - Pak RT: Rapat RT malam ini\n"
    "03/04/26, 19:05 - Budi Santoso: Siap Pak\n"
    "03/04/26, 19:20 - Siti Rahayu: Saya telat sedikit\n"
)


def test_undecidable_date_order_is_low_confidence_and_can_be_forced(wa):
    path = wa.write(AMBIGUOUS)
    log = wa.read(path)
    assert log.report.date_order in ("dmy", "mdy")
    assert log.report.date_order_confidence < 0.9
    mdy = wa.read(path, date_order="mdy")
    assert mdy.report.date_order == "mdy"
    assert [r["ts"] for r in wa.view(mdy).rows] == [
        parse_ts("2026-03-04 19:00"),
        parse_ts("2026-03-04 19:05"),
        parse_ts("2026-03-04 19:20"),
    ]
    dmy = wa.read(path, date_order="dmy")
    assert dmy.report.date_order == "dmy"
    assert [r["ts"] for r in wa.view(dmy).rows] == [
        parse_ts("2026-04-03 19:00"),
        parse_ts("2026-04-03 19:05"),
        parse_ts("2026-04-03 19:20"),
    ]


def test_forced_date_order_overrides_chronology(wa):
    log = wa.read(_write(wa, MDY_BY_CHRONOLOGY), date_order="dmy")
    assert log.report.date_order == "dmy"
    assert wa.view(log).rows[0]["ts"] == parse_ts("2026-05-01 19:00")


def test_timezone_converts_wall_clock_to_utc(wa):
    log = wa.read(_write(wa, ANDROID_EN_GB), tz="Asia/Jakarta")  # UTC+7, no DST
    got = [r["ts"] for r in wa.view(log).rows]
    want = [parse_ts(e.ts) - dt.timedelta(hours=7) for e in ANDROID_EN_GB.expected]
    assert got == want
    assert (
        log.report.tz == "Asia/Jakarta"
    )  # events.py: the source's timezone is recorded in the report


# ---------------------------------------------------------------------------------------------
# Names, phone numbers, mentions
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["phones_en_id", "ios_en_us", "android_en_more"])
def test_clear_phone_numbers_never_appear(wa, name):
    log = _read(wa, FIXTURES[name])
    for s in wa.all_strings(log):
        digits = re.sub(r"\D", "", s)
        for number in CLEAR_NUMBERS:
            assert number not in digits, f"clear number in {s!r}"
        for part in ("3456-7890", "1111-2222", "9999-0000", "9876-5432"):
            assert part not in s, s


def test_phone_spellings_are_one_member(wa):
    """iOS NBSP inside the number, U+202A/U+202C wrapping, or plain spaces: one member."""
    content = (
        "[22/11/26 07.00.00] \u202a+62\u00a0812-3456-7890\u202c: Bendahara siapa ya?\n"
        "[22/11/26 07.01.00] Bu Ani: Saya Pak\n"
        "[22/11/26 07.02.00] +62 812-3456-7890: Baik Bu, terima kasih\n"
    )
    log = wa.read(wa.write(content, "_chat.txt", crlf=True))
    rows = log.events.to_pylist()
    assert rows[0]["actor"] == rows[2]["actor"]
    assert wa.member_set(log) == {("+62\u20267890", True), ("Bu Ani", False)}


def test_name_whitespace_and_invisibles_are_cleaned(wa):
    content = (
        "22/11/2026, 07:00 - Budi  Santoso: Halo\n"
        "22/11/2026, 07:01 - Budi\u00a0Santoso: Halo lagi\n"
        "22/11/2026, 07:02 - \u2068Budi Santoso\u2069: Ketiga\n"
        "22/11/2026, 07:03 - \u200eBudi Santoso\u200f: Keempat\n"
        "22/11/2026, 07:04 - ~\u202fSiti Rahayu: Halo Pak\n"
        "22/11/2026, 07:05 - ~ Siti Rahayu: Kedua\n"
    )
    log = wa.read(wa.write(content))
    actors = log.events.column("actor").to_pylist()
    assert len(set(actors[:4])) == 1
    assert len(set(actors[4:])) == 1
    assert wa.member_set(log) == {("Budi Santoso", False), ("Siti Rahayu", False)}


def test_mention_by_phone_number(wa):
    content = (
        "22/11/2026, 07:00 - \u202a+62 812-3456-7890\u202c: Bendahara siapa ya?\n"
        "22/11/2026, 07:01 - Bu Ani: @6281234567890 saya bendaharanya Pak\n"
    )
    v = wa.view(wa.read(wa.write(content)))
    assert v.rows[1]["mentions"] == ["+62\u20267890"]
    assert v.rows[1]["kind"] == "message"


def test_leading_lrm_removed_from_message_text(wa):
    content = (
        "[22/11/26 07.00.00] Putri: \u200eHalo semua\n[22/11/26 07.01.00] Dimas: \u200fHalo juga\n"
    )
    log = wa.read(wa.write(content, "_chat.txt", crlf=True))
    wa.check(
        log,
        [
            M("2026-11-22 07:00:00", "Putri", "Halo semua"),
            M("2026-11-22 07:01:00", "Dimas", "Halo juga"),
        ],
    )


def test_only_newline_splits_lines(wa):
    """U+2028, U+0085 and form feed inside a message are text, not line breaks (str.splitlines is wrong)."""
    content = (
        "22/11/2026, 07:00 - Budi Santoso: Baris satu\u2028masih baris satu\x85dan\x0cini\n"
        "lanjutan\n"
        "22/11/2026, 07:01 - Siti Rahayu: Oke\n"
    )
    log = wa.read(wa.write(content))
    wa.check(
        log,
        [
            M(
                "2026-11-22 07:00",
                "Budi Santoso",
                "Baris satu\u2028masih baris satu\x85dan\x0cini\nlanjutan",
                line=1,
            ),
            M("2026-11-22 07:01", "Siti Rahayu", "Oke", line=3),
        ],
    )


def test_ios_edited_marker_with_lrm_is_removed(wa):
    """iOS puts an LRM before its placeholders; the edited marker goes, with its LRM and space."""
    content = (
        "[22/11/26 05.53.12] Budi Santoso: Rapat jam 8 \u200e<Pesan ini diedit>\n"
        "[22/11/26 05.54.00] Siti Rahayu: Siap Pak \u200e<This message was edited>\n"
    )
    wa.check(
        wa.read(wa.write(content, "_chat.txt", crlf=True)),
        [
            ED("2026-11-22 05:53:12", "Budi Santoso", "Rapat jam 8"),
            ED("2026-11-22 05:54:00", "Siti Rahayu", "Siap Pak"),
        ],
    )


def test_indonesian_list_of_added_members(wa):
    """ "A, B, dan C" (Indonesian serial comma) and "A dan B": no member called "dan C"."""
    content = (
        "22/11/26 07.02 - Pak RT menambahkan Budi Santoso, Siti Rahayu, dan Bu Ani\n"
        "22/11/26 07.03 - Pak RT menambahkan Rina dan Wati\n"
        "22/11/26 07.05 - Pak RT: Selamat datang semua\n"
    )
    log = wa.read(wa.write(content, "WhatsApp Chat dengan Warga RT 05.txt"))
    wa.check(
        log,
        [
            ADD("2026-11-22 07:02", "Pak RT", "Budi Santoso"),
            ADD("2026-11-22 07:02", "Pak RT", "Siti Rahayu"),
            ADD("2026-11-22 07:02", "Pak RT", "Bu Ani"),
            ADD("2026-11-22 07:03", "Pak RT", "Rina"),
            ADD("2026-11-22 07:03", "Pak RT", "Wati"),
            M("2026-11-22 07:05", "Pak RT", "Selamat datang semua"),
        ],
    )
    assert {n for n, _ in wa.member_set(log)} == {
        "Pak RT",
        "Budi Santoso",
        "Siti Rahayu",
        "Bu Ani",
        "Rina",
        "Wati",
    }


def test_identical_lines_are_distinct_events(wa):
    """Three identical lines in the same minute are three events with three ids."""
    content = "22/11/2026, 07:05 - Budi Santoso: ok\n" * 3
    log = wa.read(wa.write(content))
    wa.check(log, [M("2026-11-22 07:05", "Budi Santoso", "ok", line=n) for n in (1, 2, 3)])
    ids = log.events.column("event_id").to_pylist()
    assert len(set(ids)) == 3


def test_typed_system_phrases_are_messages_on_ios(wa):
    """On iOS a system line carries an LRM before its text (docs/formats.md §1, §9.4). A member who
    *types* "Budi keluar" ("Budi is going out") or "Saya keluar" wrote a message: no leave event,
    no member called "Saya"."""
    content = (
        "[22/11/26 07.00.00] Pak RT: Ronda malam ini siapa?\n"
        "[22/11/26 07.01.00] Siti Rahayu: Budi keluar\n"
        "[22/11/26 07.02.00] Siti Rahayu: Saya keluar\n"
        "[22/11/26 07.03.00] Budi Santoso: Pak RT menambahkan Bu Ani\n"
        "[22/11/26 07.04.00] Budi Santoso: Budi Santoso left\n"
    )
    log = wa.read(wa.write(content, "_chat.txt", crlf=True))
    wa.check(
        log,
        [
            M("2026-11-22 07:00:00", "Pak RT", "Ronda malam ini siapa?"),
            M("2026-11-22 07:01:00", "Siti Rahayu", "Budi keluar"),
            M("2026-11-22 07:02:00", "Siti Rahayu", "Saya keluar"),
            M("2026-11-22 07:03:00", "Budi Santoso", "Pak RT menambahkan Bu Ani"),
            M("2026-11-22 07:04:00", "Budi Santoso", "Budi Santoso left"),
        ],
    )
    assert {n for n, _ in wa.member_set(log)} == {"Pak RT", "Siti Rahayu", "Budi Santoso"}


def test_typed_system_phrases_are_messages_on_android(wa):
    content = (
        "22/11/26 07.00 - Pak RT: Ronda malam ini siapa?\n"
        "22/11/26 07.01 - Siti Rahayu: Budi keluar\n"
        "22/11/26 07.02 - Siti Rahayu: Saya keluar\n"
        "22/11/26 07.03 - Budi Santoso: Pak RT menambahkan Bu Ani\n"
        "22/11/26 07.04 - Budi Santoso: Your security code with Siti changed. Tap to learn more.\n"
    )
    log = wa.read(wa.write(content, "WhatsApp Chat dengan Warga RT 05.txt"))
    wa.check(
        log,
        [
            M("2026-11-22 07:00", "Pak RT", "Ronda malam ini siapa?"),
            M("2026-11-22 07:01", "Siti Rahayu", "Budi keluar"),
            M("2026-11-22 07:02", "Siti Rahayu", "Saya keluar"),
            M("2026-11-22 07:03", "Budi Santoso", "Pak RT menambahkan Bu Ani"),
            M(
                "2026-11-22 07:04",
                "Budi Santoso",
                "Your security code with Siti changed. Tap to learn more.",
            ),
        ],
    )


# ---------------------------------------------------------------------------------------------
# Reply inference (adjacency within reply_gap, default 10 minutes: kohesi.ingest.replies)
# ---------------------------------------------------------------------------------------------

REPLIES = (
    "22/11/2026, 08:00 - Pak RT: Siapa yang bisa jaga pos ronda malam ini?\n"  # 0
    "22/11/2026, 08:03 - Budi Santoso: Saya bisa Pak\n"  # 1 answers 0 (3 min)
    "22/11/2026, 08:04 - Budi Santoso: Mulai jam 10 ya\n"  # 2 same run: no answer
    "22/11/2026, 08:20 - Pak RT: Terima kasih Pak Budi\n"  # 3 16 min after 2: no answer
    "22/11/2026, 08:29 - Siti Rahayu: Saya jaga besok saja ya\n"  # 4 answers 3 (9 min)
    "22/11/2026, 08:40 - Pak RT: Oke Bu\n"  # 5 11 min after 4: no answer
    "22/11/2026, 08:41 - Siti Rahayu: Makasih Pak\n"  # 6 answers 5 (1 min)
)


def test_reply_inference(wa):
    log = wa.read(wa.write(REPLIES))
    v = wa.view(log)
    ids = log.events.column("event_id").to_pylist()
    raw = [r["_raw"] for r in v.rows]
    want = {1: 0, 4: 3, 6: 5}
    for i, r in enumerate(raw):
        if i in want:
            assert r["reply_to"] == ids[want[i]], (i, r)
            assert r["reply_inferred"] is True, (i, r)
            assert v.rows[i]["target"] == v.rows[want[i]]["actor"], (i, v.rows[i])
        else:
            assert r["reply_to"] is None, (i, r)
            assert r["reply_inferred"] in (False, None), (i, r)
            assert r["target"] is None, (i, r)


# ---------------------------------------------------------------------------------------------
# Pseudonyms
# ---------------------------------------------------------------------------------------------


def test_pseudonyms_depend_on_salt_only(wa):
    path = _write(wa, ANDROID_EN_GB)
    a = wa.read(path).events.column("actor").to_pylist()
    b = wa.read(path).events.column("actor").to_pylist()
    c = wa.read(path, salt=b"another-salt").events.column("actor").to_pylist()
    assert a == b
    assert {x for x in a if x}.isdisjoint({x for x in c if x})
    names = {"Pak RT", "Budi Santoso", "Siti Rahayu", "Bu Ani", "Santoso", "Budi"}
    assert not any(n in (x or "") for x in a for n in names), "pseudonyms must not contain names"


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def test_empty_file(wa):
    _expect_input_error(wa, wa.write(b"", "chat.txt"), words=("empty",))


def test_blank_only_file(wa):
    _expect_input_error(wa, wa.write("\n  \n\n", "chat.txt"))


def test_binary_file(wa):
    data = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
    )
    _expect_input_error(
        wa, wa.write(data, "chat.txt"), words=("binary", "nul", "not a text", "not text")
    )


def test_text_that_is_not_an_export(wa):
    text = "Daftar belanja arisan:\n- beras 5 kg\n- minyak goreng\n- gula: 2 kg\n"
    _expect_input_error(wa, wa.write(text, "belanja.txt"), words=("whatsapp", "header", "export"))


def test_invalid_utf8_names_the_line(wa):
    """One stray byte costs one character (replaced, with a warning naming the line); a file
    re-saved in another encoding, where every accented letter is invalid, is refused naming the
    line of the first."""
    data = (
        b"22/11/2026, 05:53 - Budi Santoso: Halo\n"
        b"22/11/2026, 05:54 - Siti Rahayu: Halo juga\n"
        b"22/11/2026, 05:55 - Bu Ani: caf\xe9 di ujung gang buka\n"
    )
    log = wa.read(wa.write(data, "chat.txt"))
    assert log.events.column("text").to_pylist()[2] == "caf\ufffd di ujung gang buka"
    assert any("UTF-8" in w and "line 3" in w for w in log.report.warnings)
    latin1 = data + b"22/11/2026, 06:00 - Bu Ani: Jos\xe9\n"
    _expect_input_error(
        wa, wa.write(latin1, "chat.txt"), words=("utf-8", "utf8", "encoding", "decode"), line=3
    )


def test_missing_file(wa):
    path = wa.newdir() / "tidak-ada.txt"
    _expect_input_error(wa, path)


PREAMBLE = (
    "Ekspor chat grup Warga RT 05\n"  # line 1: not blank, not a header
    "\n"  # line 2: blank, not reported
    "22/11/2026, 05:53 - Budi Santoso: Halo\n"
    "22/11/2026, 05:54 - Siti Rahayu: Halo juga\n"
)


def test_lines_before_first_header_are_reported(wa):
    log = wa.read(wa.write(PREAMBLE))
    assert [n for n, _reason in log.report.skipped] == [1]
    assert all(isinstance(reason, str) and reason for _n, reason in log.report.skipped)
    wa.check(
        log,
        [
            M("2026-11-22 05:53", "Budi Santoso", "Halo", line=3),
            M("2026-11-22 05:54", "Siti Rahayu", "Halo juga", line=4),
        ],
    )


def test_lines_before_first_header_raise_when_strict(wa):
    _expect_input_error(wa, wa.write(PREAMBLE, "chat.txt"), line=1, strict=True)


def test_strict_accepts_clean_files(wa):
    for fx in (ANDROID_EN_GB, IOS_ID):
        wa.check(wa.read(_write(wa, fx), strict=True), fx.expected)


# ---------------------------------------------------------------------------------------------
# Zip exports
# ---------------------------------------------------------------------------------------------

ANDROID_ZIP_TXT = (
    "22/11/2026, 07:30 - Pak RT: Foto kerja bakti kemarin ya\n"
    "22/11/2026, 07:31 - Pak RT: IMG-20261122-WA0001.jpg (file attached)\n"
    "Warga RT 05 kompak \U0001f4aa\n"
    "22/11/2026, 07:32 - Siti Rahayu: PTT-20261122-WA0002.opus (file attached)\n"
    "22/11/2026, 07:35 - Budi Santoso: Mantap Pak RT\n"
)
ANDROID_ZIP_EXPECTED = [
    M("2026-11-22 07:30", "Pak RT", "Foto kerja bakti kemarin ya", line=1),
    MEDIA("2026-11-22 07:31", "Pak RT", "image", "Warga RT 05 kompak \U0001f4aa", line=2),
    MEDIA("2026-11-22 07:32", "Siti Rahayu", "audio", line=4),
    M("2026-11-22 07:35", "Budi Santoso", "Mantap Pak RT", line=5),
]

IOS_ZIP_TXT = (
    "[11/22/26, 7:30:00\u202fAM] Karang Taruna RW 03: \u200eMessages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\n"
    "[11/22/26, 7:31:10\u202fAM] Dimas: Dokumentasi lomba kemarin\n"
    "[11/22/26, 7:31:40\u202fAM] Dimas: \u200e<attached: 00000035-PHOTO-2026-11-22-07-31-40.jpg>\n"
    "[11/22/26, 7:33:00\u202fAM] Putri: Keren! \U0001f525\n"
)
IOS_ZIP_EXPECTED = [
    SYS("2026-11-22 07:30:00", None, "e2e", line=1),
    M("2026-11-22 07:31:10", "Dimas", "Dokumentasi lomba kemarin", line=2),
    MEDIA("2026-11-22 07:31:40", "Dimas", "image", line=3),
    M("2026-11-22 07:33:00", "Putri", "Keren! \U0001f525", line=4),
]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def _zip(path, members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as z:
        for name, data in members.items():
            z.writestr(
                zipfile.ZipInfo(name, date_time=(2026, 11, 22, 7, 40, 0)),
                data,
                compress_type=compression,
            )
    return path


def test_android_zip_equals_txt(wa):
    d = wa.newdir()
    txt = wa.write(ANDROID_ZIP_TXT, "WhatsApp Chat with Warga RT 05.txt", directory=d)
    z = _zip(
        d / "WhatsApp Chat with Warga RT 05.zip",
        {
            "WhatsApp Chat with Warga RT 05.txt": ANDROID_ZIP_TXT.encode(),
            "IMG-20261122-WA0001.jpg": JPEG,
            "PTT-20261122-WA0002.opus": b"OggS\x00\x02" + b"\x00" * 40,
        },
    )
    from_txt = wa.read(txt)
    from_zip = wa.read(z)
    wa.check(from_txt, ANDROID_ZIP_EXPECTED)
    wa.check(from_zip, ANDROID_ZIP_EXPECTED)
    assert _semantic_rows(wa, from_zip) == _semantic_rows(wa, from_txt)
    assert from_zip.report.platform == "android"


def test_ios_zip_equals_txt(wa):
    d = wa.newdir()
    txt = wa.write(IOS_ZIP_TXT, "_chat.txt", crlf=True, directory=d)
    z = _zip(
        d / "WhatsApp Chat - Karang Taruna RW 03.zip",
        {
            "_chat.txt": IOS_ZIP_TXT.replace("\n", "\r\n").encode(),
            "00000035-PHOTO-2026-11-22-07-31-40.jpg": JPEG,
        },
    )
    from_txt = wa.read(txt)
    from_zip = wa.read(z)
    wa.check(from_txt, IOS_ZIP_EXPECTED)
    wa.check(from_zip, IOS_ZIP_EXPECTED)
    assert _semantic_rows(wa, from_zip) == _semantic_rows(wa, from_txt)
    assert from_zip.report.platform == "ios"
    assert ("Karang Taruna RW 03", False) not in wa.member_set(from_zip)


@pytest.mark.parametrize(
    "chat_name",
    [
        "WhatsApp Chat with Warga RT 05.txt",
        "WhatsApp Chat dengan Warga RT 05.txt",  # the Android file name is localised (docs/formats.md §1)
    ],
)
def test_zip_with_a_shared_txt_document(wa, chat_name):
    """An Android export zipped with media can hold a .txt *document* someone shared in the chat;
    the chat is the file that is an export, whatever the localised name of the chat file."""
    chat = (
        "22/11/26 07.30 - Pak RT: Notulen rapat saya kirim ya\n"
        "22/11/26 07.31 - Pak RT: Notulen Rapat.txt (file terlampir)\n"
        "22/11/26 07.35 - Budi Santoso: Terima kasih Pak\n"
    )
    notes = "Notulen rapat RT 05\n1. Iuran sampah naik\n2. Ronda jalan terus\n"
    z = _zip(
        wa.newdir() / "WhatsApp Chat - Warga RT 05.zip",
        {
            "Notulen Rapat.txt": notes.encode(),
            chat_name: chat.encode(),
            "IMG-20261122-WA0001.jpg": JPEG,
        },
    )
    wa.check(
        wa.read(z),
        [
            M("2026-11-22 07:30", "Pak RT", "Notulen rapat saya kirim ya"),
            MEDIA("2026-11-22 07:31", "Pak RT", "document"),
            M("2026-11-22 07:35", "Budi Santoso", "Terima kasih Pak"),
        ],
    )


def test_zip_without_chat_txt(wa):
    z = _zip(wa.newdir() / "WhatsApp Chat - Warga.zip", {"IMG-20261122-WA0001.jpg": JPEG})
    _expect_input_error(wa, z, words=("txt", "chat", "no "))


def test_zip_with_parent_path_member(wa):
    z = _zip(
        wa.newdir() / "WhatsApp Chat - Warga.zip",
        {"../_chat.txt": IOS_ZIP_TXT.encode(), "IMG-20261122-WA0001.jpg": JPEG},
    )
    _expect_input_error(wa, z, words=("path", "..", "unsafe"))


def test_zip_with_absolute_member_path(wa):
    z = _zip(wa.newdir() / "WhatsApp Chat - Warga.zip", {"/tmp/_chat.txt": IOS_ZIP_TXT.encode()})
    _expect_input_error(wa, z, words=("path", "absolute", "unsafe"))


def test_truncated_zip(wa):
    good = _zip(wa.newdir() / "full.zip", {"_chat.txt": (IOS_ZIP_TXT * 20).encode()})
    data = good.read_bytes()
    bad = wa.write(data[: len(data) // 2], "WhatsApp Chat - Warga.zip")
    _expect_input_error(wa, bad)


def _lie_about_size(path, declared: int) -> None:
    """Patch the uncompressed size of the (single) member in both the local and central headers."""
    data = bytearray(path.read_bytes())
    local = data.index(b"PK\x03\x04")
    struct.pack_into("<I", data, local + 22, declared)
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)
    path.write_bytes(bytes(data))


def test_zip_member_declaring_huge_size_is_refused(wa):
    z = _zip(wa.newdir() / "WhatsApp Chat - Warga.zip", {"_chat.txt": IOS_ZIP_TXT.encode()})
    _lie_about_size(z, 0xFFFFFF00)  # declares ~4 GiB
    with zipfile.ZipFile(z) as check:
        assert check.getinfo("_chat.txt").file_size == 0xFFFFFF00
    _expect_input_error(wa, z, words=("size", "large", "limit", "big", "bomb"))


def test_zip_member_expanding_past_limit_is_refused(wa):
    read = wa.kohesi().read
    if "max_bytes" not in inspect.signature(read).parameters:
        pytest.skip("kohesi.read has no max_bytes=; only the declared-size bomb is tested")
    filler = ("a" * 999 + "\n") * 4000  # 4 MB of continuation lines, compresses to a few KB
    body = "[22/11/26 07.00.00] Budi Santoso: mulai\n" + filler
    z = _zip(wa.newdir() / "WhatsApp Chat - Warga.zip", {"_chat.txt": body.encode()})
    assert z.stat().st_size < 100_000
    _expect_input_error(wa, z, words=("size", "large", "limit", "big", "bomb"), max_bytes=1_000_000)


# ---------------------------------------------------------------------------------------------
# Beyond the letter of the brief: reasonable expectations for a cohesion tool (see the report)
# ---------------------------------------------------------------------------------------------


def test_pasted_copy_format_line_is_text_in_an_android_export(wa):
    """WhatsApp's "copy messages" format is "[date, time] Name: text". Pasted into a message of an
    Android export (whose headers are "date time - "), it is text even when its time is in order:
    one export has one header format."""
    content = (
        "22/11/26 08.00 - Budi Santoso: Ini pesan dari grup sebelah:\n"
        "[22/11/26 08.01] Pak RW: Besok kerja bakti dimulai jam 7\n"
        "22/11/26 08.05 - Siti Rahayu: Oke, terima kasih infonya\n"
    )
    wa.check(
        wa.read(wa.write(content)),
        [
            M(
                "2026-11-22 08:00",
                "Budi Santoso",
                "Ini pesan dari grup sebelah:\n[22/11/26 08.01] Pak RW: Besok kerja bakti dimulai jam 7",
            ),
            M("2026-11-22 08:05", "Siti Rahayu", "Oke, terima kasih infonya"),
        ],
    )


def test_forged_header_with_a_future_date_is_text(wa):
    """The mirror image of pitfall 2: a typed header dated years *after* both neighbours."""
    content = (
        "22/11/26 08.00 - Budi Santoso: Kalau ada pesan begini nanti, itu hoaks:\n"
        "01/01/30 10.00 - Pak RT: Iuran naik jadi 1 juta\n"
        "22/11/26 08.05 - Siti Rahayu: Siap Pak\n"
    )
    wa.check(
        wa.read(wa.write(content)),
        [
            M(
                "2026-11-22 08:00",
                "Budi Santoso",
                "Kalau ada pesan begini nanti, itu hoaks:\n01/01/30 10.00 - Pak RT: Iuran naik jadi 1 juta",
            ),
            M("2026-11-22 08:05", "Siti Rahayu", "Siap Pak"),
        ],
    )


def test_forged_run_of_two_old_headers_is_text(wa):
    """Two quoted old lines in a row are in order with each other; each is still far out of order
    with the real headers around the run, so both are text."""
    content = (
        "22/11/26 08.00 - Budi Santoso: Ini percakapan lama kita:\n"
        "01/01/20 10.00 - Budi: Rapat dibatalkan\n"
        "01/01/20 10.01 - Siti: Oke Pak\n"
        "22/11/26 08.05 - Siti Rahayu: Wah masih disimpan\n"
    )
    wa.check(
        wa.read(wa.write(content)),
        [
            M(
                "2026-11-22 08:00",
                "Budi Santoso",
                "Ini percakapan lama kita:\n01/01/20 10.00 - Budi: Rapat dibatalkan\n01/01/20 10.01 - Siti: Oke Pak",
            ),
            M("2026-11-22 08:05", "Siti Rahayu", "Wah masih disimpan"),
        ],
    )


def test_trailing_blank_lines_at_end_of_file_are_not_text(wa):
    content = "22/11/2026, 07:00 - Budi Santoso: Halo\n\nsemua\n22/11/2026, 07:01 - Siti Rahayu: Halo Pak\n\n\n"
    wa.check(
        wa.read(wa.write(content)),
        [
            M("2026-11-22 07:00", "Budi Santoso", "Halo\n\nsemua"),
            M("2026-11-22 07:01", "Siti Rahayu", "Halo Pak"),
        ],
    )


def test_zip_with_chat_in_a_subfolder(wa):
    """A re-zipped iOS export folder ("WhatsApp Chat - X/_chat.txt")."""
    z = _zip(
        wa.newdir() / "WhatsApp Chat - Karang Taruna RW 03.zip",
        {
            "WhatsApp Chat - Karang Taruna RW 03/_chat.txt": IOS_ZIP_TXT.replace(
                "\n", "\r\n"
            ).encode(),
            "WhatsApp Chat - Karang Taruna RW 03/00000035-PHOTO-2026-11-22-07-31-40.jpg": JPEG,
        },
    )
    wa.check(wa.read(z), IOS_ZIP_EXPECTED)


def test_forged_header_as_last_line_is_text(wa):
    """The last header has only one neighbour; six years before it is still far out of order."""
    content = (
        "22/11/26 08.00 - Budi Santoso: Ada yang ingat pesan ini?\n"
        "22/11/26 08.05 - Siti Rahayu: Yang ini kan:\n"
        "01/01/20 10.00 - Budi: Rapat RT dibatalkan\n"
    )
    wa.check(
        wa.read(wa.write(content)),
        [
            M("2026-11-22 08:00", "Budi Santoso", "Ada yang ingat pesan ini?"),
            M(
                "2026-11-22 08:05",
                "Siti Rahayu",
                "Yang ini kan:\n01/01/20 10.00 - Budi: Rapat RT dibatalkan",
            ),
        ],
    )


def test_one_out_of_order_pair_demotes_at_most_one_header(wa):
    """Two real headers a day out of order (a phone clock fixed in between): at most one of them
    may become text; the other keeps its own event (no more messages lost than necessary)."""
    content = (
        "20/11/26 10.00 - Budi Santoso: Satu\n"
        "20/11/26 18.00 - Siti Rahayu: Dua\n"
        "22/11/26 09.00 - Budi Santoso: Tiga\n"
        "21/11/26 09.00 - Siti Rahayu: Empat\n"
        "23/11/26 10.00 - Budi Santoso: Lima\n"
        "23/11/26 12.00 - Siti Rahayu: Enam\n"
    )
    log = wa.read(wa.write(content))
    n_events = log.events.num_rows
    assert n_events >= 5, wa.view(log).dump()


def test_event_ids_do_not_depend_on_folder_or_on_other_messages(wa):
    """The store appends exports to the store idempotently, so an event's id is a stable hash
    of its source line: the same in a copy in another folder, and the same in a later export of the
    same chat that has more messages before and after it."""
    base = "22/11/2026, 07:00 - Pak RT: Rapat jam 8\n22/11/2026, 07:02 - Bu Ani: Siap Pak\n"
    longer = (
        "22/11/2026, 06:00 - Budi Santoso: Pagi semua\n"
        + base
        + "22/11/2026, 07:05 - Pak RT: Oke\n"
    )
    name = "WhatsApp Chat with Warga RT 05.txt"
    a = wa.read(wa.write(base, name)).events
    b = wa.read(wa.write(base, name)).events
    c = wa.read(wa.write(longer, name)).events
    assert a.column("event_id").to_pylist() == b.column("event_id").to_pylist()
    assert a.column("group_id").to_pylist() == b.column("group_id").to_pylist()
    assert c.column("event_id").to_pylist()[1:3] == a.column("event_id").to_pylist()


# ---------------------------------------------------------------------------------------------
# Blocks and threads (the reader screens messages and builds the events table block by block on a
# thread pool, and tests system phrases only on lines that can be system lines)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("keep_text", [True, False])
@pytest.mark.parametrize("name", ALL)
def test_blocks_and_threads_do_not_change_the_tables(wa, name, keep_text, monkeypatch):
    from kohesi.ingest.whatsapp import assemble, classify, scan

    path = _write(wa, FIXTURES[name])
    want = wa.read(path, keep_text=keep_text)
    monkeypatch.setattr(classify, "_CHUNK", 1)
    monkeypatch.setattr(assemble, "_BLOCK", 2)
    monkeypatch.setattr(scan, "THREADS", 3)
    got = wa.read(path, keep_text=keep_text)
    assert got.events.equals(want.events)
    assert got.members.equals(want.members)
    assert got.report == want.report


def test_author_whose_first_line_reads_like_a_system_line(wa):
    """Only an author's first line is tested against the system phrases unless it reads like one;
    then all their lines are, and the known-posters rule decides as for any author."""
    content = (
        "22/11/2026, 07:00 - Budi Santoso: Your security code with Siti changed. Tap to learn more.\n"
        "22/11/2026, 07:01 - Budi Santoso: Rapat jam 8 ya\n"
        "22/11/2026, 07:02 - Budi Santoso: Your security code with Siti changed. Tap to learn more.\n"
        "22/11/2026, 07:03 - Your security code with Siti changed. Tap to learn more.\n"
    )
    log = wa.read(wa.write(content))
    assert log.events.column("kind").to_pylist() == ["message", "message", "message", "system"]
    assert log.events.column("subtype").to_pylist()[3] == "security_code"


@pytest.mark.parametrize("name", ALL)
def test_every_fixture_measures_and_reports(wa, name):
    """No export that reads fails to measure or report, by week or as one window."""
    from kohesi.measure import measure
    from kohesi.report import report_from_events

    log = _read(wa, FIXTURES[name])
    for window in ("7d", None):
        p = measure(log.events, window=window, bootstrap=5)
        assert p.index.height >= 1 and "verdict" in p.meta
    assert "<html" in report_from_events(log.events, members=log.members, bootstrap=5, lang_code="en").to_html()
