"""The command line as a user runs it: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "WhatsApp Chat with Warga RT 05.txt"


def kohesi(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kohesi", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200",
                                                       "KOHESI_HOME": str(cwd)})


def test_add_then_info(tmp_path):
    r = kohesi("add", str(EXAMPLE), "--group", "rt05", "--tz", "Asia/Jakarta", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "added 28 new events to group rt05" in r.stdout
    again = kohesi("add", str(EXAMPLE), "--group", "rt05", "--tz", "Asia/Jakarta", cwd=tmp_path)
    assert "added 0 new events" in again.stdout and "28 already stored" in again.stdout
    info = kohesi("info", cwd=tmp_path)
    assert info.returncode == 0 and "rt05" in info.stdout


def test_parse_writes_parquet(tmp_path):
    import polars as pl

    r = kohesi("parse", str(EXAMPLE), "--tz", "Asia/Jakarta", "-o", "ev.parquet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    frame = pl.read_parquet(tmp_path / "ev.parquet")
    assert frame.height == 28 and frame["text"].null_count() == 28  # text only with --keep-text
    assert not any("+62" in str(v) for v in frame.to_dicts())


def _bad_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("../../etc/_chat.txt", "22/11/26 05.53 - Budi: halo\n")
    return path


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("empty.txt", b"", "file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("notes.txt", b"just some notes\nnothing else\n", "no WhatsApp message header found"),
        ("latin1.txt", "22/11/26 05.53 - Budi: caf\u00e9 Jos\u00e9\n".encode("latin-1"), "line 1: not UTF-8"),
        ("missing.txt", None, "no such file"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, name, content, reason):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    r = kohesi("add", str(path), cwd=tmp_path)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and name in lines[0] and reason in lines[0], r.stderr


def test_malicious_zip_is_refused(tmp_path):
    r = kohesi("add", str(_bad_zip(tmp_path / "chat.zip")), cwd=tmp_path)
    assert r.returncode == 2 and "unsafe path" in r.stderr and "Traceback" not in r.stderr


def test_strict_makes_skipped_lines_fatal(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("garbage before the chat\n22/11/26 05.53 - Budi: halo\n", encoding="utf-8")
    ok = kohesi("parse", str(path), cwd=tmp_path)
    assert ok.returncode == 0 and "1 lines skipped (lines 1)" in ok.stdout
    strict = kohesi("parse", str(path), "--strict", cwd=tmp_path)
    assert strict.returncode == 2 and "line 1: text before the first message header" in strict.stderr


def test_unknown_timezone_and_date_order(tmp_path):
    r = kohesi("parse", str(EXAMPLE), "--tz", "Mars/Olympus", cwd=tmp_path)
    assert r.returncode == 2 and "unknown timezone 'Mars/Olympus'" in r.stderr
    r = kohesi("parse", str(EXAMPLE), "--date-order", "dym", cwd=tmp_path)
    assert r.returncode == 2 and "unknown date order" in r.stderr


def test_report_html_and_json(tmp_path):
    r = kohesi("report", str(EXAMPLE), "--tz", "Asia/Jakarta", "--lang", "id", "--bootstrap", "20",
               "-o", "r.html", "--png", "figs", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'lang="id"' in page and 'id="index-value"' in page and "Lima aspek kohesi sosial" in page
    assert "http://" not in page and "https://" not in page  # self-contained, nothing fetched
    assert {p.name for p in (tmp_path / "figs").iterdir()} >= {"aspects.png", "lorenz.png"}
    j = kohesi("report", str(EXAMPLE), "--tz", "Asia/Jakarta", "--format", "json", "--bootstrap", "20",
               "-o", "r.json", cwd=tmp_path)
    assert j.returncode == 0, j.stderr
    import json

    doc = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [a["key"] for a in doc["aspects"]] == ["trust_norms", "belonging", "inclusion", "conflict", "justice"]
    assert doc["index"]["value"] is None and doc["verdict"]["reasons"]  # 19 posts over 8 days: no verdict


def test_measure_store_and_simulation(tmp_path):
    kohesi("add", str(EXAMPLE), "--group", "rt05", "--tz", "Asia/Jakarta", cwd=tmp_path)
    r = kohesi("measure", "kohesi.duckdb", "--bootstrap", "20", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    import json

    assert json.loads(r.stdout)["group_id"] == "rt05"
    s = kohesi("simulate", "--scenario", "kampung", "--steps", "30", "--seed", "3", "-i",
               "gotong-royong@10:weekly", "-o", "sim.parquet", cwd=tmp_path)
    assert s.returncode == 0, s.stderr
    m = kohesi("measure", "sim.parquet", "--bootstrap", "10", "--format", "parquet", "-o", "p.parquet", cwd=tmp_path)
    assert m.returncode == 0, m.stderr
    import polars as pl

    assert pl.read_parquet(tmp_path / "p.parquet")["indicator"].n_unique() > 40


def test_measure_with_a_members_file_and_local_dates(tmp_path):
    import json

    (tmp_path / "warga.csv").write_text("name,rt\nBu Ani,1\nMas Dedi,2\n" + "".join(f"Warga {i},3\n" for i in range(10)),
                                        encoding="utf-8")
    base = ["measure", str(EXAMPLE), "--tz", "Asia/Jakarta", "--bootstrap", "10", "--format", "json"]
    plain = kohesi(*base, cwd=tmp_path)
    listed = kohesi(*base, "--members", "warga.csv", cwd=tmp_path)
    assert plain.returncode == 0 and listed.returncode == 0, listed.stderr
    a, b = json.loads(plain.stdout), json.loads(listed.stdout)
    assert b["meta"]["n_members"] == a["meta"]["n_members"] + 10  # ten listed members never wrote
    assert b["meta"]["tz"] == "Asia/Jakarta"
    late = kohesi(*base, "--since", "2026-10-25", cwd=tmp_path)
    assert late.returncode == 0 and json.loads(late.stdout)["meta"]["n_events"] < a["meta"]["n_events"]
    bad = kohesi(*base, "--members", "missing.csv", cwd=tmp_path)
    assert bad.returncode == 2 and "no such members file" in bad.stderr and "Traceback" not in bad.stderr


def test_progress_stays_off_pipes(tmp_path):
    """Progress is drawn only on a terminal: piped, the long commands print exactly what they did."""
    import json

    add = kohesi("add", str(EXAMPLE), "--group", "rt05", "--tz", "Asia/Jakarta", cwd=tmp_path)
    assert add.returncode == 0 and add.stderr == ""
    assert add.stdout.splitlines()[1] == "added 28 new events to group rt05 (0 already stored, 6 new members) in kohesi.duckdb"
    runs = {
        "measure": kohesi("measure", "kohesi.duckdb", "--bootstrap", "5", "--format", "json", cwd=tmp_path),
        "report": kohesi("report", "kohesi.duckdb", "--bootstrap", "5", "-o", "r.html", cwd=tmp_path),
        "simulate": kohesi("simulate", "--steps", "5", "--runs", "2", cwd=tmp_path),
        "sweep": kohesi("sweep", "--grid", "individualism=0.2,0.8", "--runs", "1", "--steps", "3", "--serial",
                        "-o", "s.parquet", cwd=tmp_path),
    }
    assert {k: (r.returncode, r.stderr) for k, r in runs.items()} == {k: (0, "") for k in runs}
    assert json.loads(runs["measure"].stdout)["group_id"] == "rt05"  # stdout is the JSON and nothing else
    assert runs["report"].stdout.startswith("wrote r.html (") and len(runs["report"].stdout.splitlines()) == 1
    assert runs["simulate"].stdout.startswith("scenario kampung: last 30 days, mean over 2 run(s)\n")
    assert runs["sweep"].stdout.startswith("wrote s.parquet (2 runs computed, 0 resumed, ")
    assert "\x1b" not in "".join(r.stdout for r in runs.values())


def _with_terminal_stderr(*args: str, cwd: Path) -> tuple[int, str, str]:
    """Run kohesi with stderr on a pseudo-terminal and stdout on a pipe: (code, stdout, terminal)."""
    import os
    import pty
    import threading

    master, slave = pty.openpty()
    seen = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            seen.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {"PATH": "/usr/bin:/bin", "COLUMNS": "120", "TERM": "xterm", "KOHESI_HOME": str(cwd)}
    proc = subprocess.Popen([sys.executable, "-m", "kohesi", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=slave, text=True, env=env)
    os.close(slave)
    stdout, _ = proc.communicate(timeout=120)
    reader.join(timeout=10)
    os.close(master)
    return proc.returncode, stdout, seen.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_shows_on_a_terminal_and_leaves_stdout_alone(tmp_path):
    code, stdout, terminal = _with_terminal_stderr("add", str(EXAMPLE), "--group", "rt05", "--tz", "Asia/Jakarta",
                                                   cwd=tmp_path)
    assert code == 0, terminal
    # what add prints while its bar is up still goes to stdout, not to the terminal on stderr
    assert "added 28 new events to group rt05" in stdout and "added 28" not in terminal
    code, stdout, terminal = _with_terminal_stderr("report", str(EXAMPLE), "--tz", "Asia/Jakarta", "--bootstrap", "30",
                                                   "-o", "r.html", cwd=tmp_path)
    assert code == 0, terminal
    assert stdout.startswith("wrote r.html (") and len(stdout.splitlines()) == 1
    assert "measuring windows" in terminal and "\x1b[?25l" in terminal  # the bar, drawn with the cursor hidden


@pytest.mark.parametrize(("spec", "words"), [
    ("bogus@1:weekly", "unknown intervention 'bogus'"),
    ("gotong-royong", "expected kind@start"),
    ("gotong-royong@1:fortnightly", "unknown period 'fortnightly'"),
])
def test_intervention_typo_is_one_line_and_exit_2(tmp_path, spec, words):
    r = kohesi("simulate", "--steps", "5", "-i", spec, cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: --intervention") and words in lines[0], r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr


def test_simulate_help_names_every_intervention(tmp_path):
    from kohesi.simulate.scenario import INTERVENTIONS, PERIODS

    r = kohesi("simulate", "--help", cwd=tmp_path)
    text = " ".join(r.stdout.split())
    for kind in INTERVENTIONS:
        assert kind in text, kind
    for period in PERIODS:
        assert period in text, period
    assert "KIND@START[:PERIOD][*STRENGTH]" in text and "gotong-royong@100:weekly" in text


def _help(*command: str) -> str:
    """``kohesi COMMAND --help`` in this process, as one line of words."""
    from typer.testing import CliRunner

    from kohesi.cli.app import app

    r = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    return " ".join(r.output.replace("│", " ").split())


def test_report_help_names_the_events_file():
    text = _help("report")
    assert ".parquet" in text and "kohesi simulate -o" in text and ".duckdb" in text


MELATI = EXAMPLE.with_name("WhatsApp Chat with Warga RT 05 Melati.txt")


def _table(text: str, key: str) -> dict[str, str]:
    """The row of a Rich table (as printed) whose first cell is ``key``, by column name."""
    lines = text.splitlines()
    names = [c.strip() for c in next(ln for ln in lines if "┃" in ln).strip("┃ ").split("┃")]
    row = next(ln for ln in lines if ln.startswith("│") and ln.strip("│ ").split("│")[0].strip() == key)
    return dict(zip(names, (c.strip() for c in row.strip("│ ").split("│")), strict=True))


def test_info_agrees_with_the_report_in_the_groups_own_time(tmp_path, monkeypatch, capsys):
    """`kohesi info` on the bundled example: members who wrote at least once counted as the report
    counts them (the report says 37 of 45; 39 members have some event, joins and sign-ups included),
    the first and last line at the export's own clock (19.02 and 22.13 WIB, not UTC), and, piped,
    every column whole (no cut at 80 characters)."""
    import kohesi
    from kohesi.cli import main
    from kohesi.report import make_report
    from kohesi.store import Store

    store = tmp_path / "k.duckdb"
    with Store(store) as st:
        st.add(kohesi.read(MELATI, group="rt05", salt=st.salt, tz="Asia/Jakarta"))
    monkeypatch.setenv("KOHESI_HOME", str(tmp_path))
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.setattr(sys, "argv", ["kohesi", "info", "-s", str(store)])
    with pytest.raises(SystemExit) as done:
        main()
    text = capsys.readouterr().out
    assert done.value.code == 0 and "…" not in text
    row = _table(text, "rt05")
    data = make_report(store, group="rt05", bootstrap=0).data
    assert (row["members"], row["wrote at least once"]) == (str(data.n_members), str(data.n_active)) == ("45", "37")
    assert (row["first"], row["last"], row["timezone"]) == ("2026-02-01 19:02 WIB", "2026-10-31 22:13 WIB",
                                                           "Asia/Jakarta")
    assert max(len(ln) for ln in text.splitlines()) > 80


def test_acts_keep_text_says_why_each_act_was_read(tmp_path):
    """``kohesi acts --keep-text`` lists every message with an act and why: each act it lists comes
    from a phrase or the model (the text read alone), from the messages around it (read in its
    chat), or from a numbered list's chain; and where the chat takes an act away, it says so."""
    import polars as pl

    melati = EXAMPLE.with_name("WhatsApp Chat with Warga RT 05 Melati.txt")
    r = kohesi("acts", str(melati), "--tz", "Asia/Jakarta", "--keep-text", "-o", "acts.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = pl.read_csv(tmp_path / "acts.csv").to_dicts()
    assert len(rows) > 500
    unexplained, around = [], 0
    for row in rows:
        parts = [p.rsplit(" → ", 1) for p in (row["because"] or "").split("; ") if " → " in p]
        said = {act for _, act in parts} - {a for why, a in parts if why.startswith("the messages") and "not" in a}
        around += sum(why == "the messages around it" for why, _ in parts)
        if missing := set(row["acts"].split()) - said:
            unexplained.append((row["line"], row["acts"], row["because"], missing))
    assert not unexplained, unexplained[:5]
    assert around > 0  # the example's chat does move some acts
