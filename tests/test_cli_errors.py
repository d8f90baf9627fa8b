"""Every user mistake on every command: one error line in the user's terms (the flag or the file, what
was wrong, the allowed values), exit code 2, never 'internal error' (exit 3) and never a traceback.

The cases run through the command's own error path (:func:`kohesi.cli.main`) in this process; each is
refused before any real work starts, so the table stays fast.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "WhatsApp Chat with Warga RT 05.txt"
TEMPLATE_CSV = "respondent_id,rt,pcs1,pcs2,pcs3,pcs4,pcs5,pcs6\nR1,01,8,9,8,7,8,9\nR2,01,7,8,8,8,7,7\nR3,01,9,9,9,8,8,8\n"

# (command line, words the one error line must hold)
CASES: list[tuple[str, list[str]]] = [
    # issue 17: interventions
    ("simulate -i bogus@1:weekly", ["--intervention/-i", "unknown intervention 'bogus'", "gotong-royong, public-spaces",
                                    "kind@start[:period][*strength]"]),
    ("simulate -i gotong-royong", ["--intervention/-i", "expected kind@start[:period][*strength]", "education"]),
    ("simulate -i gotong-royong@1:fortnightly", ["--intervention/-i", "unknown period 'fortnightly'", "weekly"]),
    ("simulate -i media@1:weekly*x.y", ["--intervention/-i", "cannot read intervention"]),
    # issue 17: the survey template's own CSV
    ("survey score resp.csv", ["resp.csv", "unknown column 'rt'", "--group-col rt", "--ignore-col rt"]),
    ("survey score resp.csv --group-col RT", ["group column 'RT' not found", "did you mean --group-col rt?"]),
    # files
    ("add missing.txt", ["missing.txt", "no such file"]),
    ("add adir", ["adir", "is a directory"]),
    ("add notes.pdf", ["notes.pdf", "unsupported file type '.pdf'", ".txt and .zip"]),
    ("parse missing.txt", ["missing.txt", "no such file"]),
    ("report missing.txt", ["missing.txt", "no such file"]),
    ("report notes.pdf", ["notes.pdf", "unsupported file type"]),
    ("measure adir", ["adir", "is a directory"]),
    ("info -s missing.duckdb", ["missing.duckdb", "no such store", "kohesi add"]),
    ("info -s notes.pdf", ["notes.pdf", "cannot open as a kohesi store"]),
    ("info -s adir", ["--store/-s", "adir is a folder"]),
    ("measure kohesi.duckdb --members missing.csv", ["missing.csv", "no such members file"]),
    ("report kohesi.duckdb --survey missing.csv", ["--survey", "missing.csv", "does not exist"]),
    ("survey score missing.csv", ["missing.csv", "file not found"]),
    ("survey score adir", ["adir", "is a folder"]),
    ("survey score notes.pdf", ["notes.pdf", "not a CSV file", "save the responses as CSV"]),
    # outputs: a folder, a missing folder, the wrong type
    ("add chat.txt -s adir", ["--store/-s", "adir is a folder"]),
    ("add chat.txt -s nodir/k.duckdb", ["--store/-s", "folder 'nodir' does not exist"]),
    ("parse chat.txt -o events.xlsx", ["--output/-o", "events.xlsx", ".parquet or .csv"]),
    ("parse chat.txt -o nodir/events.parquet", ["--output/-o", "folder 'nodir' does not exist"]),
    ("acts chat.txt -o counts.xlsx", ["--output/-o", ".csv"]),
    ("measure kohesi.duckdb -f parquet -o nodir/p.parquet", ["--output/-o", "folder 'nodir' does not exist"]),
    ("report kohesi.duckdb -o nodir/r.html", ["--output/-o", "folder 'nodir' does not exist"]),
    ("report kohesi.duckdb --png notes.pdf", ["--png", "notes.pdf is a file, not a folder"]),
    ("simulate -o adir", ["--output/-o", "adir is a folder", ".parquet"]),
    ("simulate -o sim.csv", ["--output/-o", "sim.csv", ".parquet"]),
    ("sweep --grid individualism=0.2 -o nodir/s.parquet", ["--output/-o", "folder 'nodir' does not exist"]),
    ("survey score resp.csv --group-col rt --scores adir", ["--scores", "adir is a folder", ".csv"]),
    ("survey template --scale perceived-cohesion -o nodir/q.html", ["--output/-o", "folder 'nodir'"]),
    # choices
    ("measure kohesi.duckdb --anchor bogus", ["--anchor", "'bogus'", "'end', 'start', 'calendar'"]),
    ("measure kohesi.duckdb --format xml", ["--format/-f", "'xml'", "'table', 'json', 'parquet'"]),
    ("report kohesi.duckdb --lang fr", ["--lang/-l", "'fr'", "'id', 'en'"]),
    ("report kohesi.duckdb --format pdf", ["--format/-f", "'pdf'", "'html', 'json'"]),
    ("survey template --scale perceived-cohesion --lang fr", ["--lang", "'fr'", "'id', 'en'"]),
    ("survey score resp.csv --group-col rt --format xml", ["--format", "'xml'", "'table', 'json'"]),
    ("survey template", ["--scale", "perceived-cohesion", "sampson-cohesion-trust"]),
    ("survey template --scale bogus", ["--scale", "unknown scale 'bogus'", "perceived-cohesion"]),
    ("survey score resp.csv --scale bogus", ["--scale", "unknown scale 'bogus'", "perceived-cohesion"]),
    ("simulate --scenario atlantis", ["--scenario", "atlantis", "no such scenario", "kampung"]),
    ("sweep --grid individualism=0.2 --scenario atlantis", ["--scenario", "atlantis", "kampung"]),
    ("add chat.txt --date-order dym", ["--date-order", "'dym'", "dmy, mdy, ymd or ydm"]),
    ("measure chat.txt --date-order xyz", ["--date-order", "'xyz'", "dmy, mdy, ymd or ydm"]),
    # timezones, dates, windows
    ("add chat.txt --tz Mars/Olympus", ["--tz", "unknown timezone 'Mars/Olympus'", "Asia/Jakarta"]),
    ("measure kohesi.duckdb --tz Mars/Olympus", ["--tz", "unknown timezone 'Mars/Olympus'", "Asia/Jakarta"]),
    ("report kohesi.duckdb --tz bogus", ["--tz", "unknown timezone 'bogus'"]),
    ("measure kohesi.duckdb --since 2026-13-45", ["--since", "'2026-13-45' is not a date", "YYYY-MM-DD"]),
    ("measure kohesi.duckdb --until 31/10/2026", ["--until", "'31/10/2026' is not a date", "YYYY-MM-DD"]),
    ("report kohesi.duckdb --since yesterday", ["--since", "'yesterday'", "YYYY-MM-DD"]),
    ("measure kohesi.duckdb --since 2026-11-01 --until 2026-10-01", ["--until", "2026-10-01 is not after --since 2026-11-01"]),
    ("measure kohesi.duckdb --until 2026-10-01 --since 2026-11-01", ["--since", "2026-11-01 is not before --until 2026-10-01"]),
    ("measure kohesi.duckdb --window bogus", ["--window", "'bogus'", "'7d' or '1mo'"]),
    ("measure kohesi.duckdb --window 0d", ["--window", "'0d'", "must be positive"]),
    ("report kohesi.duckdb --window 7x", ["--window", "'7x'", "'7d' or '1mo'"]),
    # counts and seeds
    ("measure kohesi.duckdb --bootstrap -1", ["--bootstrap", "-1 is too small", "0 or more"]),
    ("measure kohesi.duckdb --bootstrap many", ["--bootstrap", "'many' is not a whole number"]),
    ("measure kohesi.duckdb --seed abc", ["--seed", "'abc' is not a whole number"]),
    ("measure kohesi.duckdb --seed -3", ["--seed", "-3 is too small", "0 or more"]),
    ("measure kohesi.duckdb --jobs 0", ["--jobs/-j", "1 or more", "-1 for every CPU"]),
    ("measure kohesi.duckdb --by group_id --workers 0", ["--workers", "0 is too small", "1 or more"]),
    ("report kohesi.duckdb --bootstrap -5", ["--bootstrap", "-5 is too small"]),
    ("report kohesi.duckdb --seed -1", ["--seed", "0 or more"]),
    ("simulate --steps 0", ["--steps", "0 is too small", "1 or more"]),
    ("simulate --steps -5", ["--steps", "-5 is too small"]),
    ("simulate --runs 0", ["--runs", "1 or more"]),
    ("simulate --seed -1", ["--seed", "0 or more"]),
    ("simulate --seed one", ["--seed", "'one' is not a whole number"]),
    ("sweep --grid individualism=0.2 --runs 0", ["--runs", "1 or more"]),
    ("sweep --grid individualism=0.2 --steps 0", ["--steps", "1 or more"]),
    ("sweep --grid individualism=0.2 --tail 0", ["--tail", "1 or more"]),
    ("sweep --grid individualism=0.2 --processes 0", ["--processes", "1 or more"]),
    ("sweep --grid individualism=0.2 --start -1", ["--start", "0 or more"]),
    ("survey score resp.csv --group-col rt --min-group-size 0", ["--min-group-size", "1 or more"]),
    ("survey score resp.csv --group-col rt --boot -1", ["--boot", "0 or more"]),
    ("serve --port 99999", ["--port/-p", "65535 or less"]),
    ("serve --max-upload-mb 0", ["--max-upload-mb", "1 or more"]),
    ("serve --host 0.0.0.0", ["--host 0.0.0.0", "127.0.0.1"]),
    # groups, grids, maps
    ("measure kohesi.duckdb --group nope", ["kohesi.duckdb", "no group 'nope'", "--group", "rt05"]),
    ("report kohesi.duckdb --group nope", ["no group 'nope'", "--group", "rt05"]),
    ("sweep --grid bogus", ["--grid", "'bogus'", "name=v1,v2"]),
    ("sweep --grid nothing=1,2", ["--grid", "unknown grid parameter 'nothing'", "individualism", "gotong-royong"]),
    ("add chat.txt --map bogus", ["--map", "'bogus'", "actor=sender"]),
    # the command line itself
    ("bogus", ["No such command 'bogus'", "add, info, parse", "survey"]),
    ("survey bogus", ["kohesi survey", "No such command 'bogus'", "template, score"]),
    ("measure", ["kohesi measure", "missing SOURCE", "--help"]),
    ("sweep", ["kohesi sweep", "missing --grid"]),
    ("measure kohesi.duckdb --bogus", ["kohesi measure", "No such option: --bogus", "kohesi measure --help"]),
    ("measure kohesi.duckdb --window", ["--window", "requires an argument"]),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """A folder with a store of one group, an export, a folder, a PDF and the survey template's CSV."""
    import kohesi
    from kohesi.store import Store

    root = tmp_path_factory.mktemp("mistakes")
    shutil.copy(EXAMPLE, root / "chat.txt")
    with Store(root / "kohesi.duckdb") as st:
        st.add(kohesi.read(EXAMPLE, group="rt05", salt=st.salt, tz="Asia/Jakarta"))
    (root / "adir").mkdir()
    (root / "notes.pdf").write_bytes(b"%PDF-1.4\nnot a chat\n")
    (root / "resp.csv").write_text(TEMPLATE_CSV, encoding="utf-8")
    return root


def run(argv: list[str], monkeypatch, capsys) -> tuple[int, str]:
    """``kohesi ARGV`` through :func:`kohesi.cli.main` in this process: (exit code, stderr)."""
    from kohesi.cli import main

    monkeypatch.setattr(sys, "argv", ["kohesi", *argv])
    with pytest.raises(SystemExit) as done:
        main()
    return done.value.code, capsys.readouterr().err


@pytest.mark.parametrize(("line", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_mistake_is_one_line_in_the_users_terms(line, words, workspace, monkeypatch, capsys):
    monkeypatch.chdir(workspace)
    monkeypatch.setenv("KOHESI_HOME", str(workspace))
    monkeypatch.delenv("KOHESI_STORE", raising=False)
    monkeypatch.delenv("KOHESI_DEBUG", raising=False)
    code, stderr = run(shlex.split(line), monkeypatch, capsys)
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert code == 2, stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
    missing = [w for w in words if w not in lines[0]]
    assert not missing, (missing, lines[0])
    assert not any(p in lines[0] for p in ("min_group_size", "group_col=", "ignore=[", "allow_remote")), lines[0]


def test_the_table_names_every_command():
    """Each command of ``kohesi --help`` has at least one mistake in the table."""
    from typer.main import get_command

    from kohesi.cli.app import app

    group = get_command(app)
    commands = set(group.list_commands(None))
    covered = {line.split()[0] for line, _ in CASES}
    assert commands - covered == set()
    assert {"template", "score"} <= {line.split()[1] for line, _ in CASES if line.startswith("survey ")}
