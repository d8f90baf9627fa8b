"""DiscordChatExporter JSON and CSV exports (``docs/formats.md`` §5): hand-written fixtures in
the real schema, the exact events expected, and malformed inputs. The server is invented."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

import kohesi
from helpers.ingest import SALT, read
from helpers.ingest import rows as table_rows
from kohesi.errors import InputError

UTC = dt.UTC


def at(h: int, mi: int, s: int = 0, ms: int = 0) -> dt.datetime:
    return dt.datetime(2024, 5, 20, h, mi, s, ms * 1000, tzinfo=UTC)


def user(uid: str, name: str, nickname: str | None = None, bot: bool = False) -> dict:
    return {"id": uid, "name": name, "discriminator": "0000", "nickname": nickname or name, "color": None,
            "isBot": bot, "roles": [], "avatarUrl": "https://cdn.discordapp.com/embed/avatars/0.png"}


ANA = user("111", "ana", "Ana")
BEN = user("222", "ben_k", "Ben")
CIT = user("333", "citra")
BOT = user("999", "MEE6", bot=True)


def message(mid: str, ts: str, author: dict, content: str = "", *, type_: str = "Default", **extra) -> dict:
    return {"id": mid, "type": type_, "timestamp": ts, "timestampEdited": extra.pop("edited", None),
            "callEndedTimestamp": None, "isPinned": False, "content": content, "author": author,
            "attachments": extra.pop("attachments", []), "embeds": [], "stickers": extra.pop("stickers", []),
            "reactions": extra.pop("reactions", []), "mentions": extra.pop("mentions", []),
            "inlineEmojis": [], **extra}


def att(name: str) -> dict:
    return {"id": "5" + name, "url": f"https://cdn.discordapp.com/attachments/1/2/{name}", "fileName": name,
            "fileSizeBytes": 1234}


EXPORT = {
    "guild": {"id": "100", "name": "Komunitas Sukamaju", "iconUrl": "x.png"},
    "channel": {"id": "200", "type": "GuildTextChat", "categoryId": "300", "category": "Umum",
                "name": "obrolan", "topic": None},
    "dateRange": {"after": None, "before": None},
    "exportedAt": "2024-05-21T00:00:00+00:00",
    "messages": [
        message("1001", "2024-05-20T16:00:00.000+00:00", CIT, type_="GuildMemberJoin"),
        message("1002", "2024-05-20T16:01:00.000+00:00", ANA, "Halo @Ben, rapat besok?",
                mentions=[BEN],
                reactions=[
                    {"emoji": {"id": None, "name": "👍", "code": "thumbsup", "isAnimated": False,
                               "imageUrl": "x.svg"}, "count": 3, "users": [BEN, CIT, BOT]},
                    {"emoji": {"id": None, "name": "🎉", "code": "tada", "isAnimated": False,
                               "imageUrl": "y.svg"}, "count": 2},  # an older export: no users
                ]),
        message("1003", "2024-05-20T23:02:30.500+07:00", BEN, "Bisa, jam 8", type_="Reply",
                reference={"messageId": "1002", "channelId": "200", "guildId": "100"}),
        message("1004", "2024-05-20T16:03:00.000+00:00", BOT, "Level up!"),
        message("1005", "2024-05-20T16:04:00.000+00:00", CIT, "", attachments=[att("foto.jpg")]),
        message("1006", "2024-05-20T16:05:00.000+00:00", ANA, "notulen", attachments=[att("notulen.pdf"),
                                                                                      att("lampiran.docx")]),
        message("1007", "2024-05-20T16:06:00.000+00:00", BEN, "",
                stickers=[{"id": "7", "name": "wave", "format": "Apng", "sourceUrl": "s.png"}]),
        message("1008", "2024-05-20T16:07:00.000+00:00", ANA, "rapat jam 9", edited="2024-05-20T16:08:00+00:00"),
        message("1009", "2024-05-20T16:09:00.000+00:00", BEN, "", type_="RecipientAdd", mentions=[CIT]),
        message("1010", "2024-05-20T16:10:00.000+00:00", ANA, "", type_="ChannelPinnedMessage",
                reference={"messageId": "1008", "channelId": "200", "guildId": "100"}),
        message("1011", "2024-05-20T16:11:00.000+00:00", CIT, "@MEE6 rank", mentions=[BOT],
                reference={"messageId": "1004", "channelId": "200", "guildId": "100"}),
        message("1012", "2024-05-20T16:12:00.000+00:00", BEN, "", attachments=[att("suara.ogg")]),
    ],
    "messageCount": 12,
}

# (event_id, kind, subtype, actor, target, reply_to, mentions, ts, text, thread)
EXPECTED = [
    ("1001", "join", "join", "citra", None, None, [], at(16, 0), None, "obrolan"),
    ("1002", "message", None, "Ana", None, None, ["Ben"], at(16, 1), "Halo @Ben, rapat besok?", "obrolan"),
    ("1002:r0", "reaction", "👍", "Ben", "Ana", "1002", [], at(16, 1), None, "obrolan"),
    ("1002:r1", "reaction", "👍", "citra", "Ana", "1002", [], at(16, 1), None, "obrolan"),
    ("1003", "message", None, "Ben", "Ana", "1002", [], at(16, 2, 30, 500), "Bisa, jam 8", "obrolan"),
    ("1005", "media", "image", "citra", None, None, [], at(16, 4), "", "obrolan"),
    ("1006", "media", "document", "Ana", None, None, [], at(16, 5), "notulen", "obrolan"),
    ("1007", "media", "sticker", "Ben", None, None, [], at(16, 6), "", "obrolan"),
    ("1008", "edited", None, "Ana", None, None, [], at(16, 7), "rapat jam 9", "obrolan"),
    ("1009", "add", "add", "Ben", "citra", None, [], at(16, 9), None, "obrolan"),
    ("1010", "system", "pinned", "Ana", None, None, [], at(16, 10), None, "obrolan"),
    ("1011", "message", None, "citra", None, "1004", [], at(16, 11), "@MEE6 rank", "obrolan"),
    ("1012", "media", "audio", "Ben", None, None, [], at(16, 12), "", "obrolan"),
]


def write(tmp_path, obj, name="Komunitas Sukamaju - Umum - obrolan [200].json"):
    p = tmp_path / name
    p.write_text(json.dumps(obj, ensure_ascii=False), encoding="utf-8")
    return p


def rows(log):
    return table_rows(log, ("event_id", "kind", "subtype", "actor", "target", "reply_to", "mentions", "ts", "text", "thread"))


def test_json_every_field(tmp_path):
    log = read(write(tmp_path, EXPORT))
    got = rows(log)
    for i, (g, e) in enumerate(zip(got, EXPECTED, strict=False)):
        assert g == e, f"event [{i}]"
    assert len(got) == len(EXPECTED)
    ev = {r["event_id"]: r for r in log.events.to_pylist()}
    assert {r["group_id"] for r in ev.values()} == {"Komunitas Sukamaju"}
    assert all(r["reply_inferred"] is False for r in ev.values())
    assert ev["1006"]["n_media"] == 2 and ev["1002"]["n_media"] == 0
    assert ev["1003"]["line"] == 3
    assert {m["name"] for m in log.members.to_pylist()} == {"Ana", "Ben", "citra"}
    rep = log.report
    assert rep.format == "discord-json" and rep.platform == "discord"
    assert any(w.startswith("1 messages by bot accounts excluded") for w in rep.warnings)
    assert any(w.startswith("2 reactions counted without their users") for w in rep.warnings)
    assert "recorded" in rep.reply_rule


def test_bots_kept_when_asked(tmp_path):
    log = read(write(tmp_path, EXPORT), include_bots=True)
    got = {r[0]: r for r in rows(log)}
    assert got["1004"][1:4] == ("message", None, "MEE6")
    assert got["1011"][4] == "MEE6" and got["1011"][6] == ["MEE6"]
    assert "1002:r2" in got


def test_group_defaults_and_override(tmp_path):
    dm = copy.deepcopy(EXPORT)
    dm["guild"] = {"id": "0", "name": "Direct Messages", "iconUrl": ""}
    dm["channel"]["name"] = "Ana & Ben"
    # a direct-message channel is named after the people in it: its id is a pseudonym, and a
    # stable one (the same salt gives the same id), never the names
    gid = kohesi.read(write(tmp_path, dm), tz="UTC", salt=SALT).group_id
    assert gid.startswith("chat-m") and "Ana" not in gid and "Ben" not in gid
    assert kohesi.read(write(tmp_path, dm), tz="UTC", salt=SALT).group_id == gid
    assert kohesi.read(write(tmp_path, dm), tz="UTC", salt=b"other").group_id != gid
    assert read(write(tmp_path, EXPORT), group="RW 3").group_id == "RW 3"


def test_privacy_defaults(tmp_path):
    log = kohesi.read(write(tmp_path, EXPORT), tz="UTC", salt=SALT)
    assert set(log.events.column("text").to_pylist()) == {None}
    assert set(log.members.column("name").to_pylist()) == {None}


@pytest.mark.parametrize(("field", "reason"), [("id", "lacks 'id'"), ("timestamp", "lacks 'timestamp'"),
                                               ("author", "lacks 'author'")])
def test_missing_required_field_names_the_record(tmp_path, field, reason):
    bad = copy.deepcopy(EXPORT)
    del bad["messages"][4][field]
    with pytest.raises(InputError) as e:
        read(write(tmp_path, bad))
    assert "messages[4]" in str(e.value) and reason in str(e.value)


def test_truncated_json(tmp_path):
    text = json.dumps(EXPORT)
    p = tmp_path / "chan.json"
    p.write_text(text[:-40])
    with pytest.raises(InputError, match=r"invalid JSON at byte \d+ .*truncated") as e:
        read(p)
    assert e.value.file == str(p)


CSV = (
    "AuthorID,Author,Date,Content,Attachments,Reactions\n"
    '111,ana,2024-05-20T16:00:00.000+00:00,"Halo semua, rapat besok?",,"👍 (2),🎉 (1)"\n'
    "222,ben_k,2024-05-20T16:03:00.000+00:00,Bisa,,\n"
    "222,ben_k,2024-05-20T16:04:00.000+00:00,jam 8 ya,,\n"
    "333,citra,2024-05-20T16:30:00.000+00:00,,https://cdn.discordapp.com/attachments/1/2/foto.png,\n"
    '111,ana,2024-05-20T16:31:00.000+00:00,"baris\nkedua",,\n'
)


def test_csv_infers_replies_as_for_whatsapp(tmp_path):
    p = tmp_path / "obrolan.csv"
    p.write_text(CSV, encoding="utf-8")
    log = read(p)
    got = [r[1:] for r in rows(log)]
    ids = log.events.column("event_id").to_pylist()
    assert got == [
        ("message", None, "ana", None, None, [], at(16, 0), "Halo semua, rapat besok?", None),
        ("message", None, "ben_k", "ana", ids[0], [], at(16, 3), "Bisa", None),
        ("message", None, "ben_k", None, None, [], at(16, 4), "jam 8 ya", None),
        ("media", "image", "citra", None, None, [], at(16, 30), "", None),  # 26 min later: no reply
        ("message", None, "ana", "citra", ids[3], [], at(16, 31), "baris\nkedua", None),
    ]
    assert log.events.column("reply_inferred").to_pylist() == [False, True, False, False, True]
    assert len(set(ids)) == 5 and all(len(i) == 16 for i in ids)
    rep = log.report
    assert rep.format == "discord-csv" and "adjacency" in rep.reply_rule and "infer" in rep.reply_rule
    assert any(w.startswith("3 reactions") for w in rep.warnings)
    assert log.group_id == "obrolan"
    assert read(p).events.column("event_id").to_pylist() == ids  # stable across reads


def test_csv_bad_date_names_the_line(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text(CSV.replace("2024-05-20T16:03:00.000+00:00", "kemarin"), encoding="utf-8")
    with pytest.raises(InputError) as e:
        read(p)
    assert e.value.file == str(p) and "row 1: unreadable date 'kemarin'" in str(e.value)
