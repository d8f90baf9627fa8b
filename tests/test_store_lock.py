"""A store another process holds: opening it waits (with one message) instead of failing at once.

Real DuckDB files and real processes: a holder process opens the store through kohesi's API and
keeps it until the test writes a line to its stdin (or 60 s pass)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from kohesi.errors import StoreError
from kohesi.store import WAIT_ENV, Store

_HOLDER = textwrap.dedent("""
    import select, sys
    from kohesi.store import Store
    st = Store(sys.argv[1])
    print(st.salt.hex(), flush=True)
    select.select([sys.stdin], [], [], 60)
    st.close()
""")


class _Holder:
    """A process holding ``path`` open for writing until :meth:`release`."""

    def __init__(self, path: Path):
        self.proc = subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.salt = self.proc.stdout.readline().strip()
        assert self.salt, self.proc.stderr.read()
        self.pid = self.proc.pid

    def release(self) -> None:
        if self.proc.stdin and not self.proc.stdin.closed:
            self.proc.stdin.close()
        assert self.proc.wait(timeout=30) == 0, self.proc.stderr.read()


@pytest.fixture
def holder(tmp_path):
    h = _Holder(tmp_path / "s.duckdb")
    yield h
    h.release()


def test_a_second_writer_waits_for_the_holder_then_opens(tmp_path, holder, monkeypatch):
    monkeypatch.delenv(WAIT_ENV, raising=False)
    told: list[str] = []
    threading.Timer(1.0, holder.proc.stdin.close).start()
    start = time.monotonic()
    with Store(tmp_path / "s.duckdb", wait=10, on_wait=told.append) as st:
        waited = time.monotonic() - start
        assert st.salt.hex() == holder.salt  # the same store, opened for writing
        st.con.execute("INSERT INTO meta VALUES ('probe', 'x')")
    assert 0.5 < waited < 10
    assert len(told) == 1
    assert str(tmp_path / "s.duckdb") in told[0]
    assert f"pid {holder.pid}" in told[0] and "up to 10 s" in told[0]


def test_giving_up_names_the_file_and_the_wait(tmp_path, holder, monkeypatch, capsys):
    db = tmp_path / "s.duckdb"
    monkeypatch.delenv(WAIT_ENV, raising=False)
    told: list[str] = []
    start = time.monotonic()
    with pytest.raises(StoreError) as caught:
        Store(db, wait=0.5, on_wait=told.append)
    assert 0.4 < time.monotonic() - start < 5
    msg = str(caught.value)
    assert msg.startswith(f"{db}: in use by another process (pid {holder.pid})") and "0.5 s" in msg
    assert "\n" not in msg and "IO Error" not in msg and "Conflicting" not in msg
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert len(told) == 1

    # a reader conflicts with the writer too, and waits the same way
    told.clear()
    with pytest.raises(StoreError, match="in use by another process"):
        Store(db, read_only=True, wait=0.2, on_wait=told.append)
    assert len(told) == 1

    # wait 0: fail at once, say nothing first
    told.clear()
    start = time.monotonic()
    with pytest.raises(StoreError, match=f"set {WAIT_ENV}=SECONDS"):
        Store(db, wait=0, on_wait=told.append)
    assert time.monotonic() - start < 0.5 and told == []

    # the environment variable sets the default wait; the default message is one line on stderr
    monkeypatch.setenv(WAIT_ENV, "0.3")
    capsys.readouterr()
    with pytest.raises(StoreError, match=r"after waiting 0\.3 s"):
        Store(db)
    err = capsys.readouterr().err
    assert err == f"store {db} is in use by another process (pid {holder.pid}); waiting up to 0.3 s...\n"


def test_cli_add_into_a_held_store_fails_in_one_line(tmp_path, holder):
    export = tmp_path / "c.txt"
    export.write_text("01/10/26 07.00 - Budi: ok\n01/10/26 07.15 - Siti: ya\n", encoding="utf-8")
    env = {**os.environ, WAIT_ENV: "0.5", "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "kohesi", "add", str(export), "--store", "s.duckdb",
                           "--tz", "UTC"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines[0].startswith("store s.duckdb is in use by another process"), proc.stderr
    assert "error: s.duckdb: in use by another process" in lines[-1] and "0.5 s" in lines[-1]
    assert "Traceback" not in proc.stderr and "IO Error" not in proc.stderr


def test_bad_wait_settings(tmp_path, monkeypatch):
    monkeypatch.setenv(WAIT_ENV, "soon")
    with pytest.raises(StoreError, match=f"{WAIT_ENV} must be a number of seconds"):
        Store(tmp_path / "s.duckdb")
    assert not (tmp_path / "s.duckdb").exists()
    monkeypatch.delenv(WAIT_ENV)
    with pytest.raises(ValueError):
        Store(tmp_path / "s.duckdb", wait=-1)


def test_an_unknown_schema_leaves_no_connection_open(tmp_path):
    db = tmp_path / "s.duckdb"
    with Store(db) as st:
        st.con.execute("UPDATE meta SET value = 'events/99' WHERE key = 'schema'")
    with pytest.raises(StoreError, match="unknown store schema") as caught:
        Store(db)
    # the failed open let go of the file even while its traceback (and so the half-made Store)
    # lives on: with its write connection still open, DuckDB would refuse a read-only one here
    with Store(db, read_only=True, wait=0) as st:
        assert st.group_ids() == []
    assert caught.value.__traceback__ is not None
