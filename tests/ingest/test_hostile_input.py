"""Hostile and broken input (``tests/helpers/hostile.py``): every reader bounds what it parses
and answers bad input with one line naming the file, through ``kohesi.read`` and the command line
(the web page: ``tests/web/test_web_hostile.py``)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time

import pytest

import kohesi
from helpers.hostile import HOSTILE, Hostile
from kohesi.errors import InputError


@pytest.fixture(params=HOSTILE, ids=lambda h: h.id)
def case(request, tmp_path) -> tuple[Hostile, object]:
    h: Hostile = request.param
    path = tmp_path / h.name
    path.write_bytes(h.make())
    return h, path


def test_read_refuses_with_the_file_and_reason_or_reads(case):
    h, path = case
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if h.error is None:
        log = kohesi.read(path, tz="UTC")
        assert log.events.num_rows >= h.events
    else:
        with pytest.raises(InputError) as err:
            kohesi.read(path, tz="UTC")
        assert h.name in str(err.value) and h.error in str(err.value), str(err.value)
        assert "\n" not in str(err.value)
    # bounded: no case takes seconds or grows the process by hundreds of MB
    assert time.perf_counter() - start < 10
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 400_000  # KiB


def test_nested_mime_message_is_skipped_with_its_line(tmp_path):
    h = next(h for h in HOSTILE if h.name == "mime_nested_5000.mbox")
    path = tmp_path / h.name
    path.write_bytes(h.make())
    log = kohesi.read(path, tz="UTC")
    assert [line for line, _ in log.report.skipped] == [1]
    assert "nest too deeply" in log.report.skipped[0][1]
    with pytest.raises(InputError, match=r"line 1: message 1: its MIME parts nest too deeply"):
        kohesi.read(path, tz="UTC", strict=True)


def test_mbox_from_line_with_latin1_byte_keeps_both_senders(tmp_path):
    h = next(h for h in HOSTILE if h.name == "from_line_latin1.mbox")
    path = tmp_path / h.name
    path.write_bytes(h.make())
    log = kohesi.read(path, tz="UTC")
    assert log.events.num_rows == 2 and len(set(log.events.column("actor").to_pylist())) == 2
    assert log.events.column("line").to_pylist() == [1, 9]  # the lines of the two From separators


def test_discord_utf16_csv_is_read_as_discord(tmp_path):
    h = next(h for h in HOSTILE if h.name == "discord_utf16.csv")
    path = tmp_path / h.name
    path.write_bytes(h.make())
    log = kohesi.read(path, tz="UTC", keep_names=True)
    assert log.report.format == "discord-csv"
    assert sorted(log.members.column("name").to_pylist()) == ["Andr\u00e9", "Ani"]


@pytest.mark.parametrize("h", [h for h in HOSTILE if h.error is not None], ids=lambda h: h.id)
def test_command_line_one_line_exit_2(h, tmp_path, monkeypatch, capsys):
    """The command's own error path (``kohesi.cli.main``), in this process: exit 2, one line
    naming the file on stderr, no 'internal error'."""
    from kohesi.cli import main

    path = tmp_path / h.name
    path.write_bytes(h.make())
    monkeypatch.setenv("KOHESI_HOME", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.setattr(sys, "argv", ["kohesi", "parse", str(path), "-o", str(tmp_path / "o.parquet")])
    with pytest.raises(SystemExit) as done:
        main()
    lines = capsys.readouterr().err.strip().splitlines()
    assert done.value.code == 2, lines
    assert len(lines) == 1 and lines[0].startswith("error: ") and h.name in lines[0] and h.error in lines[0], lines


def test_command_line_as_a_separate_process(tmp_path):
    """As a user runs it, once: a separate process (the 4 KB file that crashed the process)."""
    h = HOSTILE[0]
    path = tmp_path / h.name
    path.write_bytes(h.make())
    r = subprocess.run([sys.executable, "-m", "kohesi", "parse", str(path), "-o", str(tmp_path / "o.parquet")],
                       capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "COLUMNS": "300",
                                                                         "KOHESI_HOME": str(tmp_path)})
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2, r.stderr
    assert len(lines) == 1 and lines[0].startswith("error: ") and h.name in lines[0] and h.error in lines[0], r.stderr
