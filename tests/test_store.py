"""The embedded store: idempotent, overlap-safe and atomic imports (real DuckDB files)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import kohesi
from kohesi.store import Store


def _chat(n: int, start_day: int = 1) -> list[str]:
    """An Indonesian Android export of n messages, some multi-line, with system lines."""
    names = ["Budi Santoso", "Siti Rahayu", "Pak RT", "\u202a+62 812-3456-7890\u202c"]
    lines = []
    for i in range(n):
        day = start_day + i // 40
        hh, mm = 7 + (i % 40) // 4, (i % 4) * 15
        stamp = f"{day:02d}/10/26 {hh:02d}.{mm:02d}"
        if i % 25 == 7:
            lines.append(f"{stamp} - Pak RT menambahkan Warga {i}")
        elif i % 10 == 3:
            lines.append(f"{stamp} - {names[i % 4]}: pesan {i}\nbaris kedua {i}")
        else:
            lines.append(f"{stamp} - {names[i % 4]}: ok")  # many identical texts on purpose
    return lines


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _ids(store: Store, group: str) -> list[str]:
    return sorted(store.events(group).column("event_id").to_pylist())


def test_double_import_adds_nothing(tmp_path):
    export = _write(tmp_path / "WhatsApp Chat with RT 05.txt", _chat(300))
    with Store(tmp_path / "s.duckdb") as st:
        first = st.add(kohesi.read(export, salt=st.salt, tz="Asia/Jakarta"))
        second = st.add(kohesi.read(export, salt=st.salt, tz="Asia/Jakarta"))
        assert first.n_added == first.n_read == 300
        assert second.n_added == 0 and second.n_duplicates == second.n_read
        assert st.events("RT 05").num_rows == first.n_read


def test_overlapping_exports_neither_duplicate_nor_lose(tmp_path):
    lines = _chat(400)
    full = _write(tmp_path / "full.txt", lines)
    early = _write(tmp_path / "early.txt", lines[:250])
    late = _write(tmp_path / "late.txt", lines[120:])
    with Store(tmp_path / "a.duckdb") as st:
        st.add(kohesi.read(early, group="rt", salt=st.salt, tz="UTC"))
        res = st.add(kohesi.read(late, group="rt", salt=st.salt, tz="UTC"))
        assert res.n_duplicates == 250 - 120
        got = _ids(st, "rt")
        salt = st.salt
    expected = sorted(kohesi.read(full, group="rt", salt=salt, tz="UTC").events.column("event_id").to_pylist())
    assert got == expected
    assert len(got) == len(set(got))


def test_pseudonyms_stable_within_a_store_and_private_across_stores(tmp_path):
    export = _write(tmp_path / "c.txt", _chat(50))
    with Store(tmp_path / "a.duckdb") as a, Store(tmp_path / "b.duckdb") as b:
        a1 = set(kohesi.read(export, salt=a.salt, tz="UTC").members.column("actor").to_pylist())
        a2 = set(kohesi.read(export, salt=a.salt, tz="UTC").members.column("actor").to_pylist())
        b1 = set(kohesi.read(export, salt=b.salt, tz="UTC").members.column("actor").to_pylist())
    assert a1 == a2 and not (a1 & b1)
    with Store(tmp_path / "a.duckdb") as again:
        assert set(kohesi.read(export, salt=again.salt, tz="UTC").members.column("actor").to_pylist()) == a1


def test_failure_inside_an_import_rolls_back(tmp_path, monkeypatch):
    export = _write(tmp_path / "c.txt", _chat(100))
    with Store(tmp_path / "s.duckdb") as st:
        log = kohesi.read(export, group="rt", salt=st.salt, tz="UTC")
        real = st.con.execute

        def failing(sql, *args, **kw):
            if sql.startswith("INSERT INTO imports"):
                raise RuntimeError("disk full")
            return real(sql, *args, **kw)

        monkeypatch.setattr(st, "con", _Proxy(st.con, failing))
        with pytest.raises(RuntimeError):
            st.add(log)
        monkeypatch.undo()
        assert st.events("rt").num_rows == 0
        assert st.members("rt").num_rows == 0
        assert st.add(log).n_added == log.events.num_rows


class _Proxy:
    def __init__(self, con, execute):
        self._con, self.execute = con, execute

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_process_killed_mid_import_leaves_store_as_it_was(tmp_path):
    """A real crash: the importing process dies after inserting events, before COMMIT."""
    first = _write(tmp_path / "first.txt", _chat(80))
    second = _write(tmp_path / "second.txt", _chat(200, start_day=5))
    db = tmp_path / "s.duckdb"
    with Store(db) as st:
        st.add(kohesi.read(first, group="rt", salt=st.salt, tz="UTC"))
        before = _ids(st, "rt")
    script = textwrap.dedent(f"""
        import os, kohesi
        from kohesi.store import Store
        st = Store({str(db)!r})
        log = kohesi.read({str(second)!r}, group="rt", salt=st.salt, tz="UTC")
        real = st.con.execute
        class P:
            def __getattr__(self, n): return getattr(st.con_real, n)
            def execute(self, sql, *a, **k):
                if sql.startswith("INSERT INTO imports"):
                    os._exit(9)
                return real(sql, *a, **k)
        st.con_real = st.con
        st.con = P()
        st.add(log)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 9, proc.stderr
    with Store(db) as st:
        assert _ids(st, "rt") == before
        res = st.add(kohesi.read(second, group="rt", salt=st.salt, tz="UTC"))
        assert res.n_added > 0


def test_info_lists_groups(tmp_path):
    with Store(tmp_path / "s.duckdb") as st:
        st.add(kohesi.read(_write(tmp_path / "a.txt", _chat(40)), group="a", salt=st.salt, tz="UTC"))
        st.add(kohesi.read(_write(tmp_path / "b.txt", _chat(60)), group="b", salt=st.salt, tz="UTC"))
        rows = {r["group_id"]: r for r in st.groups().to_pylist()}
    assert set(rows) == {"a", "b"}
    assert rows["a"]["imports"] == 1 and rows["b"]["posts"] > rows["a"]["posts"]
