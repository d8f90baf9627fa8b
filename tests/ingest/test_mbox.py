"""mbox mailing-list archives (``docs/formats.md`` §7): a hand-written archive in the real
format (``From `` separators, RFC 5322 headers, RFC 2047 names, obfuscated addresses, multipart
bodies), the exact events expected, detection, and messages without a usable Date.

The list is invented. Expectations come from the brief and the format notes, not from the
reader's output.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

import kohesi
from helpers.ingest import SALT, namer, read
from kohesi.errors import InputError
from kohesi.ingest import read_all
from kohesi.privacy import Pseudonymizer

UTC = dt.UTC

M1 = """From budi@example.org Fri Mar  1 09:00:00 2024
From: Budi Santoso <Budi@Example.ORG>
To: warga@lists.example.org
Subject: [warga] Kerja bakti Minggu
Date: Fri, 01 Mar 2024 16:00:00 +0700
Message-ID: <m1@example.org>
List-Id: Warga RT 05 <warga.lists.example.org>
Content-Type: text/plain; charset=utf-8

Ayo kerja bakti hari Minggu.
>From the committee: bawa cangkul.

"""

M2 = """From siti at example.org Fri Mar  1 10:30:00 2024
From: siti at example.org (=?utf-8?q?Siti_Aminah?=)
To: warga@lists.example.org
Subject: Re: [warga] Kerja bakti Minggu
Date: Fri, 1 Mar 2024 10:30:00 +0000
Message-ID: <m2@example.org>
In-Reply-To: <m1@example.org>
References: <m1@example.org>

Siap, saya ikut.

"""

M3 = """From andi@example.org Fri Mar  1 11:00:00 2024
From: "Andi W." <andi@example.org>
Subject: AW: [warga] Kerja bakti Minggu
Date: Fri, 01 Mar 2024 12:00:00 +0100
Message-ID: <m3@example.org>
In-Reply-To: <lost@elsewhere.net>
References: <m1@example.org>
 <m2@example.org> <lost@elsewhere.net>

Saya bawa sapu.

"""

M4 = """From dewi@example.org Fri Mar  1 12:00:00 2024
From: =?ISO-8859-1?Q?Dewi_Lestar=ED?= <dewi (at) example.org>
Subject: Balas: Kerja bakti Minggu
Date: Fri, 01 Mar 2024 19:00:00 +0700

Saya juga.

"""

M5 = """From budi@example.org Sat Mar  2 08:00:00 2024
From: budi@example.org
Subject: [warga] Rapat RW
Date: Sat, 02 Mar 2024 08:00:00 -0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="XYZ"

--XYZ
Content-Type: text/plain; charset=utf-8

Notulen terlampir.
--XYZ
Content-Type: application/pdf; name="notulen.pdf"
Content-Disposition: attachment; filename="notulen.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--XYZ--

"""

M6 = """From siti@example.org Sat Mar  2 09:00:00 2024
From: Siti Aminah <SITI@example.org>
Subject: Fwd: [warga] Rapat RW
Date: Sat, 02 Mar 2024 09:00:00 +0000
Message-ID: <m6@example.org>

Diteruskan.

"""

M7 = """From andi@example.org Sat Mar  2 10:00:00 2024
From: "Andi W." <andi@example.org>
Subject: Re: Re: Rapat RW
Date: Sat, 02 Mar 2024 10:00:00 +0000
Message-ID: <m7@example.org>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Saya hadir =E2=9C=93

"""

M8 = """From eko@example.org Sat Mar  2 11:00:00 2024
From: eko at example dot org (Eko)
Subject: Re: Sesuatu yang baru
Date: Sat, 02 Mar 2024 11:00:00 +0000
Message-ID: <m8@example.org>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="ALT"

--ALT
Content-Type: text/html; charset=utf-8

<p>Halo <b>semua</b></p>
--ALT
Content-Type: text/plain; charset=utf-8

Halo semua
--ALT--
"""

ARCHIVE = M1 + M2 + M3 + M4 + M5 + M6 + M7 + M8


def t(day, hour, minute=0):
    return dt.datetime(2024, 3, day, hour, minute, tzinfo=UTC)


HASHED = "<keyed hash>"
KB = "Kerja bakti Minggu"
# (event_id, kind, subtype, actor, target, reply_to, reply_inferred, thread, ts, text)
EXPECTED = [
    ("m1@example.org", "message", None, "Budi Santoso", None, None, False, KB, t(1, 9),
     "Ayo kerja bakti hari Minggu.\n>From the committee: bawa cangkul.\n"),
    ("m2@example.org", "message", None, "Siti Aminah", "Budi Santoso", "m1@example.org", False, KB, t(1, 10, 30),
     "Siap, saya ikut.\n"),
    ("m3@example.org", "message", None, "Andi W.", "Siti Aminah", "m2@example.org", False, KB, t(1, 11),
     "Saya bawa sapu.\n"),
    (HASHED, "message", None, "Dewi Lestarí", "Andi W.", "m3@example.org", True, KB, t(1, 12), "Saya juga.\n"),
    (HASHED, "media", "document", "Budi Santoso", None, None, False, "Rapat RW", t(2, 8), "Notulen terlampir."),
    ("m6@example.org", "message", None, "Siti Aminah", None, None, False, "Rapat RW", t(2, 9), "Diteruskan.\n"),
    ("m7@example.org", "message", None, "Andi W.", "Siti Aminah", "m6@example.org", True, "Rapat RW", t(2, 10),
     "Saya hadir ✓\n"),
    ("m8@example.org", "message", None, "Eko", None, None, False, "Sesuatu yang baru", t(2, 11), "Halo semua"),
]


def write(tmp_path, text=ARCHIVE, name="warga.mbox"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def rows(log):
    nm = namer(log)
    out = []
    for r in log.events.to_pylist():
        eid = r["event_id"]
        if re.fullmatch(r"[0-9a-f]{16}", eid):
            eid = HASHED
        out.append((eid, r["kind"], r["subtype"], nm(r["actor"]), nm(r["target"]), r["reply_to"],
                    r["reply_inferred"], r["thread"], r["ts"], r["text"]))
    return out


def test_archive_every_field(tmp_path):
    log = read(write(tmp_path))
    got = rows(log)
    for i, (g, e) in enumerate(zip(got, EXPECTED, strict=False)):
        assert g == e, f"event [{i}]"
    assert len(got) == len(EXPECTED)
    ev = log.events.to_pylist()
    assert {r["group_id"] for r in ev} == {"warga"}
    # the two messages without a Message-ID get distinct keyed hashes
    assert ev[3]["event_id"] != ev[4]["event_id"]
    assert [r["n_media"] for r in ev] == [0, 0, 0, 0, 1, 0, 0, 0]
    assert ev[1]["n_chars"] == len("Siap, saya ikut.\n")  # the blank line before "From " is the separator's
    assert all(r["mentions"] == [] for r in ev)
    # line = the line of each message's From separator
    starts = [i + 1 for i, ln in enumerate(ARCHIVE.split("\n")) if ln.startswith("From ")]
    assert [r["line"] for r in ev] == starts
    # members keyed by normalised address: case and obfuscation do not split a member
    pseudo = Pseudonymizer(SALT)
    assert ev[0]["actor"] == ev[4]["actor"] == pseudo.member_id("mail:budi@example.org")
    assert ev[1]["actor"] == ev[5]["actor"] == pseudo.member_id("mail:siti@example.org")
    assert ev[3]["actor"] == pseudo.member_id("mail:dewi@example.org")
    assert ev[7]["actor"] == pseudo.member_id("mail:eko@example.org")
    assert sorted(m["name"] for m in log.members.to_pylist()) == ["Andi W.", "Budi Santoso", "Dewi Lestarí",
                                                                  "Eko", "Siti Aminah"]
    rep = log.report
    assert rep.format == "mbox" and rep.platform == "email" and rep.n_lines == 8 and rep.n_events == 8
    assert rep.kinds == {"media": 1, "message": 7}
    assert rep.skipped == []
    assert rep.group_hint == "Warga RT 05 <warga.lists.example.org>"
    assert "2 messages without a Message-ID: ids are keyed hashes of Date, From and Subject" in rep.warnings
    assert "2 replies inferred from subjects (reply_inferred=True)" in rep.warnings
    assert "In-Reply-To" in rep.reply_rule


def test_hashed_ids_are_stable_and_keyed(tmp_path):
    p = write(tmp_path)
    a = read(p).events.column("event_id").to_pylist()
    b = read(p).events.column("event_id").to_pylist()
    c = read(p, salt=b"other").events.column("event_id").to_pylist()
    assert a == b
    assert a[3] != c[3] and a[4] != c[4] and a[0] == c[0]


def test_privacy_defaults(tmp_path):
    log = kohesi.read(write(tmp_path), tz="UTC", salt=SALT)
    assert set(log.events.column("text").to_pylist()) == {None}
    assert set(log.members.column("name").to_pylist()) == {None}
    assert log.events.column("n_chars").to_pylist()[0] == len(EXPECTED[0][-1])


def test_detected_by_content_and_read_all(tmp_path):
    p = write(tmp_path, name="2024-March.txt")
    log = read(p, group="Warga")
    assert log.group_id == "Warga"
    assert [r[1:] for r in rows(log)] == [e[1:] for e in EXPECTED]
    logs = read_all(p, tz="UTC", keep_text=True, keep_names=True, salt=SALT)
    assert len(logs) == 1 and logs[0].group_id == "2024-March"


def test_date_without_zone_is_local_time(tmp_path):
    text = M6.replace("Sat, 02 Mar 2024 09:00:00 +0000", "Sat, 02 Mar 2024 16:00:00")
    log = read(write(tmp_path, text), tz="Asia/Jakarta")
    assert log.events.column("ts").to_pylist() == [t(2, 9)]
    # -0000 is UTC whatever tz says
    log = read(write(tmp_path, M5, "b.mbox"), tz="Asia/Jakarta")
    assert log.events.column("ts").to_pylist() == [t(2, 8)]


@pytest.mark.parametrize(("date_line", "reason"), [
    (None, "message 2 lacks a Date header"),
    ("Date: kemarin sore", "message 2 has an unreadable Date 'kemarin sore'"),
])
def test_message_without_date_is_skipped_with_report_or_strict_error(tmp_path, date_line, reason):
    old = "Date: Fri, 1 Mar 2024 10:30:00 +0000\n"
    m2 = M2.replace(old, "" if date_line is None else date_line + "\n")
    p = write(tmp_path, M1 + m2 + M3)
    line = (M1 + m2).split("\n").index(m2.split("\n")[0]) + 1
    log = read(p)
    assert log.report.skipped == [(line, reason)]
    assert any("1 messages without a readable Date skipped" in w for w in log.report.warnings)
    got = rows(log)
    assert [g[0] for g in got] == ["m1@example.org", "m3@example.org"]
    # m3's References name m2, which was skipped: the last one still in the archive is m1
    assert got[1][4:7] == ("Budi Santoso", "m1@example.org", False)
    with pytest.raises(InputError) as e:
        read(p, strict=True)
    assert reason in str(e.value) and e.value.line == line and e.value.file == str(p)


def test_no_readable_date_at_all_and_empty(tmp_path):
    with pytest.raises(InputError, match="no message of the mbox has a readable Date"):
        read(write(tmp_path, M4.replace("Date: Fri, 01 Mar 2024 19:00:00 +0700\n", "")))
    (tmp_path / "e.mbox").write_text("")
    with pytest.raises(InputError, match="file is empty"):
        read(tmp_path / "e.mbox")


def test_duplicate_message_ids_get_suffix(tmp_path):
    log = read(write(tmp_path, M1 + M1.replace("16:00:00", "16:05:00")))
    assert log.events.column("event_id").to_pylist() == ["m1@example.org", "m1@example.org~1"]
    assert "1 repeated Message-IDs given a '~k' suffix" in log.report.warnings


def test_subject_helpers():
    from kohesi.ingest.mbox import looks_like_mbox, normalise_address, normalise_subject

    assert normalise_subject("Re: [warga] RE:  AW: Balas: Rapat  RW") == ("Rapat RW", True)
    assert normalise_subject("Fwd: Fw: Rapat") == ("Rapat", False)
    assert normalise_subject("[warga]") == ("[warga]", False)
    assert normalise_address("Budi (at) Example.org") == "budi@example.org"
    assert normalise_address("budi at example dot co dot id") == "budi@example.co.id"
    assert looks_like_mbox(M1.encode())
    assert not looks_like_mbox(b"From the desk of Budi\nhello\n")
    assert not looks_like_mbox(b"01/03/2024, 09:00 - Budi: From: x\n")
