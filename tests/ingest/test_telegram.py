"""Telegram Desktop JSON exports (``docs/formats.md`` §4): hand-written fixtures in the real
schema, the exact events expected, malformed inputs and an idempotent store round trip.

The chats are invented. Expectations come from the brief and the format notes, not from the
reader's output.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import zipfile

import pytest

import kohesi
from helpers.ingest import SALT, read
from helpers.ingest import rows as table_rows
from kohesi.errors import InputError
from kohesi.ingest import read_all
from kohesi.privacy import Pseudonymizer

UTC = dt.UTC
T0 = dt.datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def stamp(minutes: int) -> dict:
    """``date`` (local time of the exporting machine, here UTC) and ``date_unixtime`` (a string)."""
    t = at(minutes)
    return {"date": t.replace(tzinfo=None).isoformat(), "date_unixtime": str(int(t.timestamp()))}


def msg(mid: int, minutes: int, frm: str | None, from_id: str, text, **extra) -> dict:
    return {"id": mid, "type": "message", **stamp(minutes), "from": frm, "from_id": from_id,
            "text": text, "text_entities": extra.pop("entities", [] if isinstance(text, list) else
                                                    ([{"type": "plain", "text": text}] if text else [])),
            **extra}


def service(mid: int, minutes: int, actor: str, actor_id: str, action: str, **extra) -> dict:
    return {"id": mid, "type": "service", **stamp(minutes), "actor": actor, "actor_id": actor_id,
            "action": action, "text": "", "text_entities": [], **extra}


FILE_SKIPPED = "(File not included. Change data exporting settings to download.)"

MESSAGES = [
    service(1, 0, "Budi", "user1", "create_group", title="Warga RT 05", members=["Siti"]),
    service(2, 1, "Budi", "user1", "invite_members", members=["Siti", "Andi"]),
    # no date_unixtime: ``date`` is local time, read in ``tz``
    {"id": 3, "type": "message", "date": "2024-03-01T09:05:00", "from": "Siti", "from_id": "user2",
     "text": "Selamat pagi semua", "text_entities": [{"type": "plain", "text": "Selamat pagi semua"}]},
    msg(4, 6, "Andi", "user3",
        ["Halo ", {"type": "mention", "text": "@siti"}, " dan ",
         {"type": "mention_name", "text": "Budi", "user_id": 1}, "!"],
        entities=[{"type": "plain", "text": "Halo "}, {"type": "mention", "text": "@siti"},
                  {"type": "plain", "text": " dan "}, {"type": "mention_name", "text": "Budi", "user_id": 1},
                  {"type": "plain", "text": "!"}],
        reply_to_message_id=3,
        reactions=[
            {"type": "emoji", "count": 3, "emoji": "👍",
             "recent": [{"from": "Siti", "from_id": "user2", "date": "2024-03-01T09:07:00"},
                        {"from": "Budi", "from_id": "user1", "date": "2024-03-01T09:08:00"}]},
            {"type": "emoji", "count": 2, "emoji": "❤"},
        ]),
    msg(5, 10, "Budi", "user1", "", photo="photos/photo_1@01-03-2024_09-10-00.jpg", width=1280, height=960),
    msg(6, 11, "Siti", "user2", "", file=FILE_SKIPPED, media_type="voice_message", mime_type="audio/ogg",
        duration_seconds=7),
    msg(7, 12, "Andi", "user3", "", file="stickers/sticker.webp", media_type="sticker", sticker_emoji="😀"),
    msg(8, 13, "Andi", "user3", "", file="video_files/anim.mp4", media_type="animation", mime_type="video/mp4"),
    msg(9, 14, "Budi", "user1", "", file="video_files/kerja_bakti.mp4", media_type="video_file",
        mime_type="video/mp4"),
    msg(10, 15, "Budi", "user1", "Notulen rapat", file="files/notulen.pdf", mime_type="application/pdf"),
    msg(11, 16, "Siti", "user2", "Pengumuman kerja bakti", forwarded_from="Kelurahan Sukamaju"),
    msg(12, 17, None, "user99", "hai semua"),  # a deleted account
    msg(13, 18, "Andi", "user3", "Rapat jam 8", edited="2024-03-01T09:30:00", edited_unixtime="1709285400"),
    service(14, 19, "Dewi", "user4", "join_group_by_link", inviter="Budi"),
    service(15, 20, "Eko", "user5", "join_group_by_request"),
    service(16, 21, "Budi", "user1", "pin_message", message_id=13),
    service(17, 22, "Budi", "user1", "edit_group_title", title="RT 05 Maju"),
    service(18, 23, "Budi", "user1", "remove_members", members=["Eko"]),
    service(19, 24, "Dewi", "user4", "remove_members", members=["Dewi"]),
    service(20, 25, "Budi", "user1", "migrate_to_supergroup"),
    msg(21, 26, "+62 812-3456-7890", "user6", "ok siap"),
    {"id": 22, "type": "unsupported", **stamp(27)},
]

CHAT = {"name": "Warga RT 05", "type": "private_supergroup", "id": 1234567, "messages": MESSAGES}

# (event_id, kind, subtype, actor, target, reply_to, mentions, ts, text)
EXPECTED = [
    ("1", "system", "created", "Budi", None, None, [], at(0), None),
    ("2", "add", "add", "Budi", "Siti", None, [], at(1), None),
    ("2:1", "add", "add", "Budi", "Andi", None, [], at(1), None),
    ("3", "message", None, "Siti", None, None, [], at(5), "Selamat pagi semua"),
    ("4", "message", None, "Andi", "Siti", "3", ["Budi", "Siti"], at(6), "Halo @siti dan Budi!"),
    ("4:r0", "reaction", "👍", "Siti", "Andi", "4", [], at(7), None),
    ("4:r1", "reaction", "👍", "Budi", "Andi", "4", [], at(8), None),
    ("5", "media", "image", "Budi", None, None, [], at(10), None),
    ("6", "media", "audio", "Siti", None, None, [], at(11), None),
    ("7", "media", "sticker", "Andi", None, None, [], at(12), None),
    ("8", "media", "gif", "Andi", None, None, [], at(13), None),
    ("9", "media", "video", "Budi", None, None, [], at(14), None),
    ("10", "media", "document", "Budi", None, None, [], at(15), "Notulen rapat"),
    ("11", "message", "forwarded", "Siti", None, None, [], at(16), "Pengumuman kerja bakti"),
    ("12", "message", None, None, None, None, [], at(17), "hai semua"),
    ("13", "edited", None, "Andi", None, None, [], at(18), "Rapat jam 8"),
    ("14", "join", "join_link", "Dewi", None, None, [], at(19), None),
    ("15", "join", "join_request", "Eko", None, None, [], at(20), None),
    ("16", "system", "pinned", "Budi", None, None, [], at(21), None),
    ("17", "system", "subject", "Budi", None, None, [], at(22), None),
    ("18", "remove", "remove", "Budi", "Eko", None, [], at(23), None),
    ("19", "leave", "leave", "Dewi", None, None, [], at(24), None),
    ("20", "system", "migrated", "Budi", None, None, [], at(25), None),
    ("21", "message", None, "+62…7890", None, None, [], at(26), "ok siap"),
]


def write(tmp_path, obj, name="result.json"):
    p = tmp_path / name
    p.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return p


def rows(log):
    return table_rows(log, ("event_id", "kind", "subtype", "actor", "target", "reply_to", "mentions", "ts", "text"))


def test_single_chat_every_field(tmp_path):
    log = read(write(tmp_path, CHAT))
    got = rows(log)
    for i, (g, e) in enumerate(zip(got, EXPECTED, strict=False)):
        assert g == e, f"event [{i}]"
    assert len(got) == len(EXPECTED)
    ev = log.events.to_pylist()
    assert {r["group_id"] for r in ev} == {"Warga RT 05"}
    by_id = {r["event_id"]: r for r in ev}
    assert by_id["4"]["reply_inferred"] is False
    assert all(r["reply_inferred"] is False for r in ev)
    assert [by_id[k]["n_media"] for k in ("5", "6", "10", "11")] == [1, 1, 1, 0]
    assert by_id["4"]["n_chars"] == len("Halo @siti dan Budi!")
    assert by_id["3"]["line"] == 3
    # the deleted account is keyed by from_id: a stable pseudonym, no name
    assert by_id["12"]["actor"] == Pseudonymizer(SALT).member_id("telegram:user99")
    rep = log.report
    assert rep.format == "telegram-json" and rep.platform == "telegram"
    assert rep.skipped == [(22, "message type 'unsupported' not read")]
    assert any(w.startswith("3 reactions counted") for w in rep.warnings)
    assert rep.kinds["reaction"] == 2 and rep.n_events == len(EXPECTED)
    assert "recorded" in rep.reply_rule


def test_members_keyed_by_id_and_phone_masked(tmp_path):
    chat = copy.deepcopy(CHAT)
    # Siti renames herself: still one member, keyed by from_id
    chat["messages"].append(msg(30, 40, "Siti Rahma", "user2", "nama baru"))
    log = read(write(tmp_path, chat))
    members = {(m["name"], m["is_phone"]) for m in log.members.to_pylist()}
    assert members == {("Budi", False), ("Siti", False), ("Andi", False), ("Dewi", False), ("Eko", False),
                       ("+62…7890", True), (None, False)}
    strings = json.dumps(log.events.to_pylist() + log.members.to_pylist(), default=str)
    assert "812-3456" not in strings and "3456-7890" not in strings


def test_privacy_defaults_drop_text_and_names(tmp_path):
    log = kohesi.read(write(tmp_path, CHAT), tz="UTC", salt=SALT)
    assert set(log.events.column("text").to_pylist()) == {None}
    assert set(log.members.column("name").to_pylist()) == {None}
    assert log.events.column("n_chars").to_pylist()[3] == len("Selamat pagi semua")
    other = kohesi.read(write(tmp_path, CHAT, "other.json"), tz="UTC", salt=b"other")
    assert set(log.members.column("actor").to_pylist()).isdisjoint(other.members.column("actor").to_pylist())


def test_local_date_uses_tz_and_unixtime_wins(tmp_path):
    chat = {"name": "G", "type": "private_group", "id": 1, "messages": [
        # date is Jakarta local time; date_unixtime says 02:05 UTC and wins
        {"id": 1, "type": "message", "date": "2024-03-01T09:05:00", "date_unixtime": "1709258700",
         "from": "A", "from_id": "user1", "text": "x"},
        {"id": 2, "type": "message", "date": "2024-03-01T09:06:00", "from": "A", "from_id": "user1", "text": "y"},
    ]}
    log = read(write(tmp_path, chat), tz="Asia/Jakarta")
    assert log.events.column("ts").to_pylist() == [dt.datetime(2024, 3, 1, 2, 5, tzinfo=UTC),
                                                    dt.datetime(2024, 3, 1, 2, 6, tzinfo=UTC)]


def full_export():
    other = {"name": "Remaja Masjid", "type": "private_group", "id": 42, "messages": [
        msg(1, 0, "Rudi", "user10", "Assalamualaikum"),
        msg(2, 1, "Budi", "user1", "Waalaikumsalam", reply_to_message_id=1),
    ]}
    return {"about": "Here is the data you requested.", "personal_information": {"user_id": 1, "first_name": "Budi"},
            "chats": {"about": "This page lists all chats from this export.", "list": [CHAT, other]},
            "left_chats": {"about": "", "list": []}}


def test_full_export_needs_a_group_and_read_all_reads_each(tmp_path):
    p = write(tmp_path, full_export())
    with pytest.raises(InputError) as e:
        read(p)
    assert "Warga RT 05" in str(e.value) and "Remaja Masjid" in str(e.value) and "result.json" in str(e.value)
    log = read(p, group="Remaja Masjid")
    assert rows(log) == [
        ("1", "message", None, "Rudi", None, None, [], at(0), "Assalamualaikum"),
        ("2", "message", None, "Budi", "Rudi", "1", [], at(1), "Waalaikumsalam"),
    ]
    assert log.group_id == "Remaja Masjid"
    logs = read_all(p, tz="UTC", keep_text=True, keep_names=True, salt=SALT)
    assert [lg.group_id for lg in logs] == ["Warga RT 05", "Remaja Masjid"]
    assert rows(logs[0]) == EXPECTED
    with pytest.raises(InputError, match="no chat named 'Nope'"):
        read(p, group="Nope")


def test_zip_and_folder_of_an_export(tmp_path):
    z = tmp_path / "Telegram Export.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("ChatExport_2024-03-01/result.json", json.dumps(CHAT))
        zf.writestr("ChatExport_2024-03-01/photos/photo_1.jpg", b"\xff\xd8\xff" + b"0" * 100)
        zf.writestr("ChatExport_2024-03-01/messages.html", "<html></html>")
    assert rows(read(z)) == EXPECTED
    folder = tmp_path / "ChatExport"
    folder.mkdir()
    write(folder, CHAT)
    assert rows(read(folder)) == EXPECTED


def test_truncated_json_names_file_and_position(tmp_path):
    text = json.dumps(CHAT)
    p = tmp_path / "result.json"
    p.write_text(text[: len(text) // 2])
    with pytest.raises(InputError) as e:
        read(p)
    assert e.value.file == str(p) and e.value.line == 1
    assert "invalid JSON at byte" in str(e.value) and "truncated" in str(e.value)


@pytest.mark.parametrize("obj", [{"foo": 1}, [1, 2, 3], {"messages": [{"id": 1}]}, "text"])
def test_json_of_another_schema(tmp_path, obj):
    with pytest.raises(InputError, match="neither a Telegram Desktop export"):
        read(write(tmp_path, obj))


@pytest.mark.parametrize(("field", "reason"), [("id", "lacks 'id'"), ("date", "lacks 'date'"),
                                               ("from_id", "lacks 'from_id'")])
def test_missing_required_field_names_the_record(tmp_path, field, reason):
    chat = copy.deepcopy(CHAT)
    chat["messages"][3].pop(field)
    chat["messages"][3].pop("date_unixtime", None)
    with pytest.raises(InputError) as e:
        read(write(tmp_path, chat))
    assert "messages[3]" in str(e.value) and reason in str(e.value)


def test_zip_of_something_else_and_empty_file(tmp_path):
    z = tmp_path / "photos.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("a.png", b"\x89PNG" + b"0" * 50)
    with pytest.raises(InputError, match="holds no chat export"):
        read(z)
    empty = tmp_path / "result.json"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="file is empty"):
        read(empty)


def test_store_round_trip_adds_nothing_twice(tmp_path):
    from kohesi.store import Store

    p = write(tmp_path, CHAT)
    with Store(tmp_path / "s.duckdb") as st:
        first = st.add(kohesi.read(p, tz="UTC", salt=st.salt))
        second = st.add(kohesi.read(p, tz="UTC", salt=st.salt))
        assert (first.n_read, first.n_added) == (len(EXPECTED), len(EXPECTED))
        assert (second.n_read, second.n_added, second.n_members_added) == (len(EXPECTED), 0, 0)
        assert st.group_ids() == ["Warga RT 05"]
