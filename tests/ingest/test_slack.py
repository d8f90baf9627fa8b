"""Slack workspace exports (``docs/formats.md`` §6): hand-written fixtures in the real schema
(``users.json``, ``channels.json``, ``groups.json`` and one folder of ``YYYY-MM-DD.json`` arrays per
channel), the exact events expected, the two channel modes and malformed inputs.

The workspace is invented. Expectations come from the brief and the format notes, not from the
reader's output.
"""

from __future__ import annotations

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
T0 = 1709283600  # 2024-03-01 09:00:00 UTC


def ts(minutes: int, micro: int = 200) -> str:
    """A Slack ``ts`` string ``minutes`` after T0, with microseconds."""
    return f"{T0 + 60 * minutes}.{micro:06d}"


def at(minutes: int, micro: int = 200) -> dt.datetime:
    return dt.datetime.fromtimestamp(T0 + 60 * minutes, UTC) + dt.timedelta(microseconds=micro)


def user(uid, name, real_name, display_name, **extra):
    return {"id": uid, "team_id": "T1", "name": name, "deleted": False, "real_name": real_name,
            "tz": "Asia/Jakarta", "is_bot": False,
            "profile": {"real_name": real_name, "display_name": display_name, "avatar_hash": "g1"}, **extra}


USERS = [
    user("U1", "budi", "Budi Santoso", "Budi"),
    user("U2", "siti", "Siti Aminah", ""),
    user("U3", "andi", "Andi Wijaya", "Andi"),
    user("U4", "dewi", "Dewi Lestari", "Dewi"),
    user("U5", "pengingat", "Pengingat", "Pengingat", is_bot=True),
]


def channel(cid, name, members):
    return {"id": cid, "name": name, "created": T0 - 86400, "creator": "U1", "is_archived": False,
            "is_general": name == "general", "members": members,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0}}


CHANNELS = [channel("C1", "general", ["U1", "U2", "U3", "U4"]), channel("C2", "random", ["U1", "U2"])]
GROUPS = [channel("G1", "pengurus", ["U1", "U3"])]


def m(minutes, uid, text, **extra):
    return {"type": "message", "user": uid, "text": text, "ts": ts(minutes), **extra}


PARENT = ts(5)
TOMB = ts(24 * 60)

GENERAL_DAY1 = [
    m(0, "U1", "<@U1> has joined the channel", subtype="channel_join"),
    m(1, "U1", "set the channel topic: Kerja bakti", subtype="channel_topic", topic="Kerja bakti"),
    m(2, "U1", "set the channel purpose: Warga RT 05", subtype="channel_purpose", purpose="Warga RT 05"),
    m(5, "U2", "Selamat pagi <@U1>!", client_msg_id="a1", thread_ts=PARENT, reply_count=2,
      reply_users_count=2, latest_reply=ts(7), reply_users=["U3", "U1"],
      reactions=[{"name": "thumbsup", "users": ["U1", "U3"], "count": 3},
                 {"name": "heart", "users": ["U4"], "count": 1}]),
    m(6, "U3", "Pagi!", thread_ts=PARENT, parent_user_id="U2", edited={"user": "U3", "ts": ts(8)}),
    m(7, "U1", "Jangan lupa besok <@U3|andi> <#C2|random>", subtype="thread_broadcast", thread_ts=PARENT,
      parent_user_id="U2", root={"text": "Selamat pagi", "user": "U2", "ts": PARENT}),
    {"type": "message", "subtype": "bot_message", "bot_id": "B1", "username": "Pengingat", "text": "Rapat jam 8",
     "ts": ts(8)},
    m(9, "U4", "", files=[{"id": "F1", "name": "foto.jpg", "mimetype": "image/jpeg", "filetype": "jpg"},
                          {"id": "F2", "name": "notulen.pdf", "mimetype": "application/pdf", "filetype": "pdf"}],
      upload=False),
    m(10, "U3", "sedang dalam perjalanan", subtype="me_message"),
    m(11, "U4", "Ini laporannya", files=[{"id": "F3", "name": "lap.pdf", "mimetype": "application/pdf"}]),
]

GENERAL_DAY2 = [
    {"type": "message", "subtype": "tombstone", "user": "USLACKBOT", "text": "This message was deleted.",
     "ts": TOMB, "thread_ts": TOMB, "reply_count": 1, "hidden": True},
    m(24 * 60 + 1, "U4", "Setuju <@U2> <https://rt05.id|situs>", thread_ts=TOMB, parent_user_id="U1"),
    m(24 * 60 + 2, "U3", "balasan lama", thread_ts="1709000000.000100", parent_user_id="U3"),
    m(24 * 60 + 3, "U1", "pinned a message", subtype="pinned_item"),
    m(24 * 60 + 5, "U4", "<@U4> has left the channel", subtype="channel_leave"),
]

RANDOM_DAY1 = [
    m(20, "U1", "halo random"),
    m(21, "U2", "siapa <@U9>?", reactions=[{"name": "eyes", "users": ["U1"], "count": 1}]),
]

PENGURUS_DAY1 = [m(30, "U1", "rapat pengurus")]

FILES = {
    "users.json": USERS,
    "channels.json": CHANNELS,
    "groups.json": GROUPS,
    "general/2024-03-01.json": GENERAL_DAY1,
    "general/2024-03-02.json": GENERAL_DAY2,
    "random/2024-03-01.json": RANDOM_DAY1,
    "pengurus/2024-03-01.json": PENGURUS_DAY1,
}

P = "general:" + PARENT
# (event_id, kind, subtype, actor, target, reply_to, mentions, ts, text)
GENERAL = [
    (f"general:{ts(0)}", "join", "join", "Budi", None, None, [], at(0), None),
    (f"general:{ts(1)}", "system", "subject", "Budi", None, None, [], at(1), None),
    (f"general:{ts(2)}", "system", "description", "Budi", None, None, [], at(2), None),
    (P, "message", None, "Siti Aminah", None, None, ["Budi"], at(5), "Selamat pagi <@U1>!"),
    (P + ":r0", "reaction", "thumbsup", "Budi", "Siti Aminah", P, [], at(5), None),
    (P + ":r1", "reaction", "thumbsup", "Andi", "Siti Aminah", P, [], at(5), None),
    (P + ":r2", "reaction", "heart", "Dewi", "Siti Aminah", P, [], at(5), None),
    (f"general:{ts(6)}", "edited", None, "Andi", "Siti Aminah", P, [], at(6), "Pagi!"),
    (f"general:{ts(7)}", "message", "thread_broadcast", "Budi", "Siti Aminah", P, ["Andi"], at(7),
     "Jangan lupa besok <@U3|andi> <#C2|random>"),
    (f"general:{ts(9)}", "media", "image", "Dewi", None, None, [], at(9), None),
    (f"general:{ts(10)}", "message", "me", "Andi", None, None, [], at(10), "sedang dalam perjalanan"),
    (f"general:{ts(11)}", "media", "document", "Dewi", None, None, [], at(11), "Ini laporannya"),
    (f"general:{TOMB}", "deleted", "tombstone", None, None, None, [], at(24 * 60), None),
    (f"general:{ts(24 * 60 + 1)}", "message", None, "Dewi", "Budi", f"general:{TOMB}", ["Siti Aminah"],
     at(24 * 60 + 1), "Setuju <@U2> <https://rt05.id|situs>"),
    (f"general:{ts(24 * 60 + 2)}", "message", None, "Andi", "Andi", "general:1709000000.000100", [],
     at(24 * 60 + 2), "balasan lama"),
    (f"general:{ts(24 * 60 + 3)}", "system", "pinned_item", "Budi", None, None, [], at(24 * 60 + 3), None),
    (f"general:{ts(24 * 60 + 5)}", "leave", "leave", "Dewi", None, None, [], at(24 * 60 + 5), None),
]

RANDOM = [
    (f"random:{ts(20)}", "message", None, "Budi", None, None, [], at(20), "halo random"),
    (f"random:{ts(21)}", "message", None, "Siti Aminah", None, None, [None], at(21), "siapa <@U9>?"),
    (f"random:{ts(21)}:r0", "reaction", "eyes", "Budi", "Siti Aminah", f"random:{ts(21)}", [], at(21), None),
]

PENGURUS = [(f"pengurus:{ts(30)}", "message", None, "Budi", None, None, [], at(30), "rapat pengurus")]


def write_folder(root, files=FILES):
    root.mkdir(parents=True, exist_ok=True)
    for rel, obj in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return root


def write_zip(path, files=FILES, prefix=""):
    with zipfile.ZipFile(path, "w") as zf:
        for rel, obj in files.items():
            zf.writestr(prefix + rel, obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False))
    return path


def rows(log):
    return table_rows(log, ("event_id", "kind", "subtype", "actor", "target", "reply_to", "mentions", "ts", "text"))


@pytest.fixture
def zpath(tmp_path):
    return write_zip(tmp_path / "Warga RT05 Slack export.zip")


def test_channel_every_field(zpath):
    log = read(zpath, group="general")
    got = rows(log)
    for i, (g, e) in enumerate(zip(got, GENERAL, strict=False)):
        assert g == e, f"event [{i}]"
    assert len(got) == len(GENERAL)
    ev = log.events.to_pylist()
    assert {r["group_id"] for r in ev} == {"general"}
    assert {r["thread"] for r in ev} == {"general"}
    assert all(r["reply_inferred"] is False for r in ev)
    by_id = {r["event_id"]: r for r in ev}
    assert by_id[f"general:{ts(9)}"]["n_media"] == 2 and by_id[f"general:{ts(11)}"]["n_media"] == 1
    assert by_id[P]["n_media"] == 0 and by_id[P]["n_chars"] == len("Selamat pagi <@U1>!")
    # record number within the channel (the bot message is record 7)
    assert by_id[f"general:{ts(0)}"]["line"] == 1 and by_id[f"general:{ts(9)}"]["line"] == 8
    assert by_id[f"general:{TOMB}"]["line"] == 11
    # members keyed by Slack user id
    assert by_id[P]["actor"] == Pseudonymizer(SALT).member_id("slack:U2")
    rep = log.report
    assert rep.format == "slack-json" and rep.platform == "slack"
    assert rep.n_lines == len(GENERAL_DAY1) + len(GENERAL_DAY2)
    assert "1 messages by bots excluded (pass include_bots=True to keep them)" in rep.warnings
    assert any(w.startswith("1 reactions counted by Slack without their users") for w in rep.warnings)
    assert "reaction times are not exported: reactions are dated at their message" in rep.warnings
    assert rep.kinds == {"deleted": 1, "edited": 1, "join": 1, "leave": 1, "media": 2, "message": 5,
                         "reaction": 3, "system": 3}
    assert "thread_ts" in rep.reply_rule


def test_members_names_only_with_keep_names(zpath):
    log = read(zpath, group="general")
    assert {m["name"] for m in log.members.to_pylist()} == {"Budi", "Siti Aminah", "Andi", "Dewi"}
    plain = kohesi.read(zpath, tz="UTC", salt=SALT, group="general")
    assert set(plain.members.column("name").to_pylist()) == {None}
    assert set(plain.events.column("text").to_pylist()) == {None}
    assert plain.events.column("actor").to_pylist() == log.events.column("actor").to_pylist()


def test_include_bots(zpath):
    log = read(zpath, group="general", include_bots=True)
    bot = [r for r in rows(log) if r[0] == f"general:{ts(8)}"]
    assert bot == [(f"general:{ts(8)}", "message", "bot", None, None, None, [], at(8), "Rapat jam 8")]
    ev = {r["event_id"]: r for r in log.events.to_pylist()}
    assert ev[f"general:{ts(8)}"]["actor"] == Pseudonymizer(SALT).member_id("slack:B1")
    assert not any("bots excluded" in w for w in log.report.warnings)


def test_read_needs_group_and_read_all_gives_each_channel(zpath):
    with pytest.raises(InputError) as e:
        read(zpath)
    assert all(c in str(e.value) for c in ("general", "random", "pengurus")) and "group=" in str(e.value)
    assert rows(read(zpath, group="random")) == RANDOM
    assert rows(read(zpath, group="C2")) == RANDOM  # by channel id
    assert rows(read(zpath, group="pengurus")) == PENGURUS  # from groups.json
    with pytest.raises(InputError, match="no channel named 'nope'"):
        read(zpath, group="nope")
    logs = read_all(zpath, tz="UTC", keep_text=True, keep_names=True, salt=SALT)
    assert [lg.group_id for lg in logs] == ["general", "random", "pengurus"]
    assert [rows(lg) for lg in logs] == [GENERAL, RANDOM, PENGURUS]
    # a member seen in two channels keeps one pseudonym
    assert logs[0].events.column("actor")[0] == logs[1].events.column("actor")[0]
    assert rows(read_all(zpath, tz="UTC", keep_text=True, keep_names=True, salt=SALT, group="random")[0]) == RANDOM


def test_channels_as_threads_of_one_group(zpath):
    logs = read_all(zpath, tz="UTC", keep_text=True, keep_names=True, salt=SALT, slack_channels="threads")
    assert len(logs) == 1
    log = logs[0]
    assert log.group_id == "Warga RT05 Slack export"
    assert rows(log) == GENERAL + RANDOM + PENGURUS
    threads = log.events.column("thread").to_pylist()
    assert threads == ["general"] * len(GENERAL) + ["random"] * len(RANDOM) + ["pengurus"]
    assert {r["group_id"] for r in log.events.to_pylist()} == {"Warga RT05 Slack export"}
    assert rows(read(zpath, slack_channels="threads")) == GENERAL + RANDOM + PENGURUS
    assert read(zpath, slack_channels="threads", group="RT05").group_id == "RT05"
    assert log.report.n_lines == 15 + 2 + 1
    with pytest.raises(InputError, match="unknown slack_channels"):
        read(zpath, slack_channels="both")


def test_folder_and_zip_with_top_folder(tmp_path):
    folder = write_folder(tmp_path / "rt05-workspace")
    logs = read_all(folder, tz="UTC", keep_text=True, keep_names=True, salt=SALT)
    assert [rows(lg) for lg in logs] == [GENERAL, RANDOM, PENGURUS]
    assert read(folder, slack_channels="threads").group_id == "rt05-workspace"
    z = write_zip(tmp_path / "export.zip", prefix="RT05 Export/")
    assert rows(read(z, group="general")) == GENERAL
    assert read(z, slack_channels="threads").group_id == "RT05 Export"


def test_single_channel_needs_no_group_and_unlisted_folder(tmp_path):
    files = {"users.json": USERS, "channels.json": [CHANNELS[1]], "random/2024-03-01.json": RANDOM_DAY1}
    assert rows(read(write_zip(tmp_path / "a.zip", files))) == RANDOM
    files["extra/2024-03-01.json"] = PENGURUS_DAY1
    logs = read_all(write_zip(tmp_path / "b.zip", files), tz="UTC", keep_text=True, keep_names=True, salt=SALT)
    assert [lg.group_id for lg in logs] == ["random", "extra"]
    assert rows(logs[1]) == [(f"extra:{ts(30)}", "message", None, "Budi", None, None, [], at(30), "rapat pengurus")]
    assert any("extra" in w and "not named in channels.json" in w for w in logs[1].report.warnings)


def test_direct_messages_are_not_read(tmp_path):
    files = dict(FILES, **{"dms.json": [{"id": "D1", "created": T0, "members": ["U1", "U2"]}],
                           "D1/2024-03-01.json": [m(40, "U1", "rahasia")]})
    z = write_zip(tmp_path / "ws.zip", files)
    logs = read_all(z, tz="UTC", keep_text=True, keep_names=True, salt=SALT)
    assert [rows(lg) for lg in logs] == [GENERAL, RANDOM, PENGURUS]
    assert any(w.startswith("1 direct-message conversations (dms.json) not read") for w in logs[0].report.warnings)
    assert "rahasia" not in str(rows(read(z, slack_channels="threads")))
    with pytest.raises(InputError, match="no channel named 'D1'"):
        read(z, group="D1")


def test_broken_day_file_names_member_and_position(tmp_path):
    text = json.dumps(GENERAL_DAY2)
    files = dict(FILES, **{"general/2024-03-02.json": text[: len(text) // 2]})
    z = write_zip(tmp_path / "ws.zip", files)
    with pytest.raises(InputError) as e:
        read(z, group="general")
    assert e.value.file == f"{z}!general/2024-03-02.json"
    assert "invalid JSON at byte" in str(e.value) and "truncated" in str(e.value) and e.value.line == 1
    # the other channels still read
    assert rows(read(z, group="random")) == RANDOM


@pytest.mark.parametrize(("day", "reason"), [
    ([GENERAL_DAY2[0], {"type": "message", "user": "U1", "text": "x"}], "[1]: message lacks 'ts'"),
    ([GENERAL_DAY2[0], dict(GENERAL_DAY2[1], ts="kemarin")], "[1]: message has an unreadable ts 'kemarin'"),
    ([GENERAL_DAY2[0], "teks"], "[1]: message is not an object"),
    ({"messages": GENERAL_DAY2}, "is not a JSON array"),
])
def test_bad_records_name_member_and_index(tmp_path, day, reason):
    z = write_zip(tmp_path / "ws.zip", dict(FILES, **{"general/2024-03-02.json": day}))
    with pytest.raises(InputError) as e:
        read(z, group="general")
    assert e.value.file == f"{z}!general/2024-03-02.json"
    assert reason in str(e.value)


def test_bad_listing(tmp_path):
    z = write_zip(tmp_path / "ws.zip", dict(FILES, **{"users.json": {"ok": True}}))
    with pytest.raises(InputError, match=r"users\.json is not a JSON array") as e:
        read(z, group="general")
    assert e.value.file == f"{z}!users.json"


def test_zip_without_slack_listings_is_not_slack(tmp_path):
    z = write_zip(tmp_path / "x.zip", {"general/2024-03-01.json": GENERAL_DAY1})
    with pytest.raises(InputError) as e:
        read(z)
    assert "Slack" not in str(e.value)
