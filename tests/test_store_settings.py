"""A group remembers the settings it was read with: a re-import with another timezone, date order or
reply rule is refused (with another date order a WhatsApp export's ids differ, so every message
would be stored twice; with another timezone the ids are the same and the import silently adds
nothing, keeping the old times) unless it replaces the group; settings the user did not give are taken from the store.

Real DuckDB files, real exports (the bundled example and small invented ones), the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

import kohesi
from kohesi.errors import StoreError
from kohesi.ingest import ReplyRule
from kohesi.store import Store
from kohesi.store_settings import read_for_store

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "WhatsApp Chat with Warga RT 05 Melati.txt"
MELATI = "Warga RT 05 Melati"  # the group id its file name gives


def _export(path: Path, days: list[int], month: int = 1) -> Path:
    """A d/m/y Android export, three messages a day; days > 12 make the order certain (dmy)."""
    names = ["Budi", "Siti", "Pak RT"]
    lines = [f"{d:02d}/{month:02d}/2024, {9 + i}:0{i} - {names[i]}: pesan {d} {i}" for d in days for i in range(3)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _state(st: Store, group: str) -> tuple:
    """Everything stored of ``group``: event ids, members, and the imports' settings."""
    ids = sorted(st.events(group).column("event_id").to_pylist())
    members = sorted(st.members(group).column("actor").to_pylist())
    imports = st.con.execute("SELECT import_id, report->>'tz', report->>'date_order' FROM imports "
                             "WHERE group_id = ? ORDER BY import_id", [group]).fetchall()
    return ids, members, imports


def test_same_settings_add_nothing_and_are_not_refused(tmp_path):
    with Store(tmp_path / "s.duckdb") as st:
        first = st.add(kohesi.read(EXAMPLE, salt=st.salt, tz="Asia/Jakarta"))
        again = st.add(kohesi.read(EXAMPLE, salt=st.salt, tz="Asia/Jakarta", date_order="dmy"))
        assert first.group_id == MELATI and first.n_added == first.n_read > 3000
        assert again.n_added == 0 and again.n_duplicates == first.n_read and again.replaced == 0


def test_explicit_other_timezone_is_refused_naming_both_and_changes_nothing(tmp_path):
    with Store(tmp_path / "s.duckdb") as st:
        st.add(kohesi.read(EXAMPLE, salt=st.salt, tz="UTC"))
        before = _state(st, MELATI)
        jakarta = kohesi.read(EXAMPLE, salt=st.salt, tz="Asia/Jakarta")
        # why it matters: the ids (of the local time) are the same, the times 7 h earlier, so an
        # add would keep the old times and add nothing, without a word
        assert sorted(jakarta.events.column("event_id").to_pylist()) == before[0]
        stored_first = st.events(MELATI).column("ts")[0].as_py()
        assert min(jakarta.events.column("ts").to_pylist()) == stored_first - timedelta(hours=7)
        with pytest.raises(StoreError) as exc:
            st.add(jakarta)
        assert _state(st, MELATI) == before
    msg = str(exc.value)
    assert "\n" not in msg
    assert f"group {MELATI}" in msg and "timezone UTC → Asia/Jakarta" in msg
    assert "date order" not in msg  # the same (dmy) both times: not named
    assert "pass --tz UTC to add to it" in msg and "--replace" in msg


def test_explicit_other_date_order_is_refused(tmp_path):
    with Store(tmp_path / "s.duckdb") as st:
        st.add(kohesi.read(EXAMPLE, salt=st.salt, tz="UTC"))
        before = _state(st, MELATI)
        assert before[2][0][2] == "dmy"  # inferred from values > 12
        mdy = kohesi.read(EXAMPLE, salt=st.salt, tz="UTC", date_order="mdy")
        new_ids = set(mdy.events.column("event_id").to_pylist()) - set(before[0])
        assert new_ids  # what the issue saw: these would have been added as new events
        with pytest.raises(StoreError, match="date order dmy → mdy.*pass --date-order dmy to add to it"):
            st.add(mdy)
        assert _state(st, MELATI) == before


def test_two_differences_are_named_in_one_line(tmp_path):
    with Store(tmp_path / "s.duckdb") as st:
        st.add(kohesi.read(EXAMPLE, salt=st.salt, tz="UTC"))
        with pytest.raises(StoreError) as exc:
            st.add(kohesi.read(EXAMPLE, salt=st.salt, tz="Asia/Jakarta", date_order="mdy"))
    assert "(timezone UTC → Asia/Jakarta, date order dmy → mdy)" in str(exc.value)
    assert "pass --tz UTC --date-order dmy to add to it, or --replace" in str(exc.value)


def test_replace_rereads_the_group_and_only_that_group(tmp_path):
    other = _export(tmp_path / "other.txt", [14, 15])
    with Store(tmp_path / "s.duckdb") as st:
        st.add(kohesi.read(EXAMPLE, salt=st.salt, tz="UTC"))
        st.add(kohesi.read(other, salt=st.salt, tz="UTC"))
        old_ids, _, _ = _state(st, MELATI)
        old_first = min(st.events(MELATI).column("ts").to_pylist())
        other_before = _state(st, "other")
        fresh = kohesi.read(EXAMPLE, salt=st.salt, tz="Asia/Jakarta")
        res = st.add(fresh, replace=True)
        ids, members, imports = _state(st, MELATI)
        assert res.replaced == len(old_ids) and res.n_added == fresh.events.num_rows
        assert ids == sorted(fresh.events.column("event_id").to_pylist())
        stored_ts = sorted(st.events(MELATI).column("ts").to_pylist())
        assert stored_ts == sorted(fresh.events.column("ts").to_pylist())  # the Jakarta times, not UTC
        assert stored_ts[0] == old_first - timedelta(hours=7)
        assert members == sorted(fresh.members.column("actor").to_pylist())
        assert len(imports) == 1 and imports[0][1] == "Asia/Jakarta"
        assert st.settings(MELATI).tz == "Asia/Jakarta"
        assert _state(st, "other") == other_before
        # the replaced group now takes imports with its new settings, and refuses the old ones
        assert st.add(kohesi.read(EXAMPLE, salt=st.salt, tz="Asia/Jakarta")).n_added == 0
        with pytest.raises(StoreError, match="timezone Asia/Jakarta → UTC"):
            st.add(kohesi.read(EXAMPLE, salt=st.salt, tz="UTC"))


def test_a_failing_replace_leaves_the_old_group(tmp_path):
    export = _export(tmp_path / "rt.txt", [13, 14, 15])
    with Store(tmp_path / "s.duckdb") as st:
        st.add(kohesi.read(export, salt=st.salt, tz="UTC"))
        before = _state(st, "rt")
        bad = kohesi.read(export, salt=st.salt, tz="Asia/Jakarta", keep_text=True)
        # text that is not UTF-8: Arrow takes it, DuckDB's INSERT fails after the DELETE
        col = bad.events.schema.get_field_index("text")
        broken = pa.array([b"\xff\xfe"] * bad.events.num_rows, pa.binary()).view(pa.string())
        bad.events = bad.events.set_column(col, bad.events.schema.field(col), broken)
        with pytest.raises(duckdb.Error, match="(?i)unicode"):
            st.add(bad, replace=True)
        assert _state(st, "rt") == before and len(before[0]) == 9
        assert st.settings("rt").tz == "UTC"


def test_date_order_not_given_is_the_stored_one(tmp_path):
    # days 12/01, 01/02, 03/02: only d/m/y is in time order, so inference says dmy (chronology);
    # m/d/y reads it too, with one jump back in time (kept as a message: Budi writes throughout)
    export = tmp_path / "rt.txt"
    export.write_text("".join(f"{day}/2024, {10 + i}:00 - {name}: pesan\n" for day in ("12/01", "01/02", "03/02")
                              for i, name in enumerate(["Budi", "Siti", "Pak RT"])), encoding="utf-8")
    notes: list[str] = []
    with Store(tmp_path / "s.duckdb") as st:
        assert kohesi.read(export, salt=st.salt, tz="UTC").report.date_order == "dmy"
        assert st.add(kohesi.read(export, salt=st.salt, tz="UTC", date_order="mdy")).n_added == 9
        logs = read_for_store(st, export, tz="UTC", on_note=notes.append)
        assert [log.report.date_order for log in logs] == ["mdy"]
        assert st.add(logs[0]).n_added == 0
        given = read_for_store(st, export, tz="UTC", date_order="dmy", on_note=notes.append)
        assert given[0].report.date_order == "dmy"  # given: kept, not adopted, and so refused
        with pytest.raises(StoreError, match="date order mdy → dmy"):
            st.add(given[0])
    assert notes == ["using the date order mdy that group rt was stored with"]


def test_reply_rule_not_given_is_the_stored_one(tmp_path):
    export = _export(tmp_path / "rt.txt", [13, 14])
    five = ReplyRule(gap=timedelta(minutes=5))
    notes: list[str] = []
    with Store(tmp_path / "s.duckdb") as st:
        st.add(kohesi.read(export, salt=st.salt, tz="UTC", reply_rule=five))
        with pytest.raises(StoreError) as exc:
            st.add(kohesi.read(export, salt=st.salt, tz="UTC"))  # the default rule: 10 min
        logs = read_for_store(st, export, tz="UTC", on_note=notes.append)
        assert logs[0].report.reply_rule == five.describe()
        assert st.add(logs[0]).n_added == 0
    assert 'reply rule "adjacency within 5 min" → "adjacency within 10 min"' in str(exc.value)
    assert "read it with the stored reply rule to add to it" in str(exc.value)
    assert notes == ['using the reply rule "adjacency within 5 min" that group rt was stored with']


def test_imports_that_recorded_no_settings_are_not_compared(tmp_path):
    export = _export(tmp_path / "rt.txt", [13, 14])
    with Store(tmp_path / "s.duckdb") as st:
        st.add(kohesi.read(export, salt=st.salt, tz="UTC"))
        # as an older kohesi wrote it: a report without the settings
        report = json.loads(st.con.execute("SELECT report FROM imports").fetchall()[0][0])
        for key in ("tz", "date_order", "reply_rule"):
            report.pop(key)
        st.con.execute("UPDATE imports SET report = ?", [json.dumps(report)])
        res = st.add(kohesi.read(export, salt=st.salt, tz="Asia/Jakarta"))  # not refused
        assert res.n_read == 6 and res.n_added == 0
        assert st.settings("rt").tz == "Asia/Jakarta"  # and from now on the group has settings


def _kohesi(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The command as a user runs it, on a computer whose own timezone is UTC."""
    return subprocess.run([sys.executable, "-m", "kohesi", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "COLUMNS": "300", "TZ": "UTC",
                                            "KOHESI_HOME": str(cwd)})


def test_cli_remembers_the_timezone_refuses_another_and_replaces(tmp_path):
    export = str(_export(tmp_path / "WhatsApp Chat with RT 07.txt", [13, 14, 15]))
    first = _kohesi("add", export, "--tz", "Asia/Jakarta", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "added 9 new events to group RT 07" in first.stdout

    implicit = _kohesi("add", export, cwd=tmp_path)  # no --tz: this computer's UTC would differ
    assert implicit.returncode == 0, implicit.stderr
    assert "using the timezone Asia/Jakarta that group RT 07 was stored with" in implicit.stdout
    assert "added 0 new events" in implicit.stdout and "9 already stored" in implicit.stdout

    refused = _kohesi("add", export, "--tz", "UTC", cwd=tmp_path)
    assert refused.returncode == 2 and refused.stdout.count("added") == 0
    assert refused.stderr.strip().splitlines() == [
        "error: group RT 07 is stored with other settings than this import (timezone Asia/Jakarta → UTC): "
        "pass --tz Asia/Jakarta to add to it, or --replace to re-read the group from scratch"]

    replaced = _kohesi("add", export, "--tz", "UTC", "--replace", cwd=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert "replaced group RT 07: removed 9 events, added 9" in replaced.stdout
    with Store(tmp_path / "kohesi.duckdb", read_only=True) as st:
        assert st.settings("RT 07").tz == "UTC"
        assert st.con.execute("SELECT count(*) FROM imports").fetchall()[0][0] == 1
        assert st.events("RT 07").num_rows == 9
