"""Generic tables (CSV, Parquet, JSON lines) read through a column mapping: hand-written fixtures,
the exact events expected, attendance lists as ``activity`` events, and malformed inputs."""

from __future__ import annotations

import datetime as dt
import json
import re

import polars as pl
import pytest

import kohesi
from helpers.fuzz import TABLE_CSV, TABLE_CSV_MAPPING
from helpers.ingest import SALT, read
from helpers.ingest import rows as table_rows
from kohesi.errors import InputError

UTC = dt.UTC


def at(d: int, h: int, mi: int = 0) -> dt.datetime:
    return dt.datetime(2024, 3, d, h, mi, tzinfo=UTC)


def rows(log):
    return table_rows(log, ("event_id", "kind", "subtype", "actor", "target", "reply_to", "ts", "text", "thread"))


MESSAGES_CSV, MAPPING = TABLE_CSV, TABLE_CSV_MAPPING  # the table the fuzz harness mutates too


def test_csv_with_mapping(tmp_path):
    p = tmp_path / "forum.csv"
    p.write_text(MESSAGES_CSV, encoding="utf-8")
    log = read(p, mapping=MAPPING)
    assert rows(log) == [
        ("m1", "message", None, "Budi", None, None, at(5, 12, 30), "Rapat malam ini", "rapat"),
        ("m2", "message", None, "Siti", "Budi", "m1", at(5, 12, 35), "Saya datang", "rapat"),
        ("m3", "message", None, "+62…7890", "Budi", "m1", at(5, 12, 40), "ok", "rapat"),
        ("m4", "add", None, "Budi", "Andi", None, at(5, 12, 41), None, None),
        ("m5", "media", None, "Andi", None, None, dt.datetime(2024, 3, 5, 12, 42, 0, 250_000, tzinfo=UTC),
         "foto", None),
    ]
    ev = log.events.to_pylist()
    assert {r["group_id"] for r in ev} == {"forum"}
    assert [r["reply_inferred"] for r in ev] == [False] * 5
    assert [r["n_media"] for r in ev] == [0, 0, 0, 0, 1]
    assert [r["line"] for r in ev] == [1, 2, 3, 4, 5]
    assert {(m["name"], m["is_phone"]) for m in log.members.to_pylist()} == {
        ("Budi", False), ("Siti", False), ("+62…7890", True), ("Andi", False)}
    assert "812-3456" not in json.dumps(ev + log.members.to_pylist(), default=str)
    assert log.report.format == "table-csv" and "recorded" in log.report.reply_rule


def test_naive_times_use_tz(tmp_path):
    p = tmp_path / "forum.csv"
    p.write_text(MESSAGES_CSV, encoding="utf-8")
    ts = read(p, mapping=MAPPING, tz="Asia/Jakarta").events.column("ts").to_pylist()
    assert ts[:3] == [at(5, 12, 30), at(5, 5, 35), at(5, 12, 40)]


def test_privacy_defaults(tmp_path):
    p = tmp_path / "forum.csv"
    p.write_text(MESSAGES_CSV, encoding="utf-8")
    log = kohesi.read(p, mapping=MAPPING, tz="UTC", salt=SALT)
    assert set(log.events.column("text").to_pylist()) == {None}
    assert set(log.members.column("name").to_pylist()) == {None}
    assert log.events.column("n_chars").to_pylist()[:2] == [len("Rapat malam ini"), len("Saya datang")]


ATTENDANCE = (
    "event,member,date\n"
    "Kerja bakti,Budi,2024-03-03\n"
    "Kerja bakti,Siti,2024-03-03\n"
    "Rapat RT,Budi,2024-03-10\n"
    "Rapat RT,Budi,2024-03-10\n"  # listed twice
)


def test_attendance_list_becomes_activity_events(tmp_path):
    p = tmp_path / "hadir.csv"
    p.write_text(ATTENDANCE, encoding="utf-8")
    mapping = {"thread": "event", "actor": "member", "ts": "date", "kind": "=activity"}
    log = read(p, mapping=mapping, group="RT 05")
    got = [r[1:] for r in rows(log)]
    assert got == [
        ("activity", None, "Budi", None, None, at(3, 0), None, "Kerja bakti"),
        ("activity", None, "Siti", None, None, at(3, 0), None, "Kerja bakti"),
        ("activity", None, "Budi", None, None, at(10, 0), None, "Rapat RT"),
        ("activity", None, "Budi", None, None, at(10, 0), None, "Rapat RT"),
    ]
    ids = log.events.column("event_id").to_pylist()
    assert len(set(ids)) == 4 and ids[3] == ids[2] + "~1"
    assert read(p, mapping=mapping, group="RT 05").events.column("event_id").to_pylist() == ids
    assert log.group_id == "RT 05"


def test_parquet_with_canonical_columns_needs_no_mapping(tmp_path):
    p = tmp_path / "events.parquet"
    pl.DataFrame({
        "event_id": ["a", "b"],
        "actor": ["Budi", "Siti"],
        "ts": [dt.datetime(2024, 3, 5, 19, 0), dt.datetime(2024, 3, 5, 19, 5)],
        "reply_to": [None, "a"],
        "text": ["halo", "hai"],
    }).with_columns(pl.col("ts").dt.replace_time_zone("Asia/Jakarta")).write_parquet(p)
    log = read(p)
    assert rows(log) == [
        ("a", "message", None, "Budi", None, None, at(5, 12, 0), "halo", None),
        ("b", "message", None, "Siti", "Budi", "a", at(5, 12, 5), "hai", None),
    ]
    assert log.report.format == "table-parquet"


def test_jsonl_with_groups_and_naive_datetimes(tmp_path):
    p = tmp_path / "posts.jsonl"
    lines = [
        {"who": "Budi", "when": "2024-03-05T10:00:00", "grp": "RT 05", "msg": "a"},
        {"who": "Siti", "when": "2024-03-05T10:01:00", "grp": "RT 06", "msg": "b"},
    ]
    p.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    log = read(p, mapping={"actor": "who", "ts": "when", "group_id": "grp", "text": "msg"})
    ev = log.events.to_pylist()
    assert [(r["group_id"], r["ts"], r["text"]) for r in ev] == [("RT 05", at(5, 10), "a"), ("RT 06", at(5, 10, 1), "b")]
    assert sorted((m["group_id"], m["name"]) for m in log.members.to_pylist()) == [("RT 05", "Budi"), ("RT 06", "Siti")]


@pytest.mark.parametrize(("mapping", "message"), [
    (None, "needs a column mapping"),
    ({"actor": "sender"}, "lacks the required column 'ts'"),
    ({"actor": "sender", "ts": "waktu"}, "mapped columns not in the table: ts → 'waktu'"),
    ({"actor": "sender", "ts": "time", "colour": "x"}, "unknown canonical columns ['colour']"),
])
def test_bad_mappings(tmp_path, mapping, message):
    p = tmp_path / "forum.csv"
    p.write_text(MESSAGES_CSV, encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as e:
        read(p, mapping=mapping)
    assert e.value.file == str(p)


@pytest.mark.parametrize(("change", "message", "row"), [
    (("2024-03-05 12:35:00", "besok"), "row 1: cannot read time 'besok'", 1),
    (("m2,Siti,", "m2,,"), "row 1: 'sender' (actor) is empty", 1),
    (("m4,Budi,2024-03-05T12:41:00Z", "m4,Budi,"), "row 3: 'time' (ts) is empty", 3),
    (("rapat,,", "rapat,chat,"), "row 2: unknown kind 'chat'", 2),
])
def test_bad_rows_are_named(tmp_path, change, message, row):
    p = tmp_path / "forum.csv"
    p.write_text(MESSAGES_CSV.replace(*change, 1), encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(message)) as e:
        read(p, mapping=MAPPING)
    assert e.value.file == str(p) and f"row {row}:" in e.value.reason


def test_damaged_files(tmp_path):
    p = tmp_path / "broken.parquet"
    p.write_bytes(b"PAR1" + b"\x00garbage" * 10)
    with pytest.raises(InputError, match="cannot read as Parquet"):
        read(p, mapping={"actor": "a", "ts": "t"})
    q = tmp_path / "dup.csv"
    q.write_text("id,sender,time\nx,Budi,2024-03-05T10:00:00Z\nx,Siti,2024-03-05T10:01:00Z\n")
    with pytest.raises(InputError, match="event_id is not unique"):
        read(q, mapping={"event_id": "id", "actor": "sender", "ts": "time"})
