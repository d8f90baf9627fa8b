"""Nothing that identifies a person leaves kohesi with the default flags: a scan of the store (its
raw file and a SQL dump), and every output format, for the names and phone numbers of three
invented exports — a one-to-one chat named after a phone number, one named after a contact, and
a group whose members are numbers written with non-breaking hyphens and spaces."""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from kohesi.cli.app import app

NBH, NBSP = "\u2011", "\u00a0"
E2E = "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, can read them."
EXPORTS = {
    "WhatsApp Chat with +62 812-7391-4628.txt": f"""\
03/02/2024, 08:00 - {E2E}
03/02/2024, 08:01 - +62 812-7391-4628: Pagi bu, jadi ambil pesanan?
03/02/2024, 08:03 - Ani Lestari: Jadi pak, jam 10 ya
03/02/2024, 08:04 - +62 812-7391-4628: Siap, terima kasih
04/02/2024, 09:10 - Ani Lestari: Sudah sampai pak
""",
    "WhatsApp Chat with Siti Rahayu.txt": f"""\
04/02/2024, 19:00 - {E2E}
04/02/2024, 19:00 - Siti Rahayu: Bu Ani, besok arisan di rumah saya
04/02/2024, 19:02 - Ani Lestari: Baik bu Siti, terima kasih
05/02/2024, 07:30 - Siti Rahayu: Jangan lupa bawa kue ya
""",
    "WhatsApp Chat with Warga RT 07.txt": f"""\
05/02/2024, 09:00 - Pak Darmo created group "Warga RT 07"
05/02/2024, 09:01 - Pak Darmo added +62 813{NBH}5520{NBH}9174 and +62{NBSP}857{NBSP}4410{NBSP}2283
05/02/2024, 09:02 - +62 813{NBH}5520{NBH}9174: Assalamualaikum, salam kenal
05/02/2024, 09:03 - +62{NBSP}857{NBSP}4410{NBSP}2283: Salam kenal semua
05/02/2024, 09:05 - Pak Darmo: Selamat bergabung, silakan kenalan
06/02/2024, 10:00 - Pak Darmo: Kerja bakti Minggu jam 7 ya
06/02/2024, 10:02 - +62 813{NBH}5520{NBH}9174: Siap pak
07/02/2024, 10:00 - +62 813{NBH}5520{NBH}9174 and +62{NBSP}857{NBSP}4410{NBSP}2283 left
""",
}
NAMES = ["Siti Rahayu", "Siti", "Ani Lestari", "Pak Darmo"]
PHONES = ["81273914628", "81355209174", "85744102283"]
"""The numbers without country code, as digits: a leak in any formatting is one of these once
the separators between digits are taken out."""
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\s\-\u2010-\u2015\u2212().]+(?=\d)")


def leaks(text: str) -> list[str]:
    """The names and phone numbers found in ``text``."""
    found = [n for n in NAMES if re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)]
    digits = _BETWEEN_DIGITS.sub("", text)
    return found + [p for p in PHONES if p in digits]


def test_leaks_finds_every_spelling():  # the scanner itself can fail
    assert leaks(f"+62 812{NBH}7391{NBH}4628") == ["81273914628"]
    assert leaks("tel:6281355209174 ani lestari") == ["Ani Lestari", "81355209174"]
    assert leaks("+62…4628 Warga RT 07 chat-m0123456789ab 2024-02-05 positive") == []


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """Every output of every command, with default flags, as text."""
    root = tmp_path_factory.mktemp("privacy")
    runner = CliRunner()
    env = {"KOHESI_HOME": str(root / "home"), "COLUMNS": "200"}

    def run(*args: str) -> str:
        r = runner.invoke(app, list(args), env=env, catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r.output

    out: dict[str, str] = {}
    store = root / "kohesi.duckdb"
    for k, (name, text) in enumerate(EXPORTS.items()):
        path = root / name
        path.write_text(text, encoding="utf-8")
        out[f"add {k}"] = run("add", str(path), "--store", str(store), "--tz", "Asia/Jakarta")
        for suffix in ("parquet", "csv"):
            target = root / f"events{k}.{suffix}"
            out[f"parse {k} stdout"] = run("parse", str(path), "--tz", "Asia/Jakarta", "-o", str(target))
            frame = pl.read_parquet(target) if suffix == "parquet" else pl.read_csv(target)
            out[f"parse {k} {suffix}"] = json.dumps(frame.to_dicts(), default=str, ensure_ascii=False)
            if suffix == "parquet":
                out[f"parse {k} parquet metadata"] = str(pq.read_schema(target).metadata)
            else:
                out[f"parse {k} csv raw"] = target.read_text(encoding="utf-8")
        out[f"acts {k}"] = run("acts", str(path), "--tz", "Asia/Jakarta")
        out[f"report {k} from export"] = _report(run, root, str(path), "--tz", "Asia/Jakarta")
    out["info"] = run("info", "--store", str(store))
    with duckdb.connect(str(store), read_only=True) as con:
        groups = [r[0] for r in con.execute("SELECT DISTINCT group_id FROM events").fetchall()]
        dump = root / "dump"
        con.execute(f"EXPORT DATABASE '{dump}' (FORMAT csv)")
    out["store groups"] = "\n".join(groups)
    for f in sorted(dump.iterdir()):
        out[f"sql dump {f.name}"] = f.read_text(encoding="utf-8")
    out["store raw bytes"] = store.read_bytes().decode("utf-8", "replace")
    for g in groups:
        out[f"report {g}"] = _report(run, root, str(store), "--group", g)
        target = root / "measure.json"
        run("measure", str(store), "--group", g, "--format", "json", "-o", str(target), "--bootstrap", "20")
        out[f"measure {g}"] = target.read_text(encoding="utf-8")
    return out


def _report(run, root: Path, *args: str) -> str:
    texts = []
    for fmt in ("html", "json"):
        target = root / f"report.{fmt}"
        run("report", *args, "--format", fmt, "-o", str(target), "--bootstrap", "20")
        texts.append(target.read_text(encoding="utf-8"))
    json.loads(texts[1])
    return "\n".join(texts)


def test_no_output_names_a_person(outputs):
    found = {k: leaks(v) for k, v in outputs.items()}
    assert {k: v for k, v in found.items() if v} == {}


def test_one_to_one_chats_are_pseudonymous_groups(outputs):
    groups = outputs["store groups"].splitlines()
    assert "Warga RT 07" in groups
    private = [g for g in groups if g != "Warga RT 07"]
    assert len(private) == 2 and all(re.fullmatch(r"chat-m[0-9a-f]{12}", g) for g in private)


def test_every_output_was_scanned(outputs):
    """The scan covered what it claims: the store's tables in the dump, both report formats, the
    measure JSON and the events files."""
    assert any(k.startswith("sql dump events") for k in outputs) and any("members" in k for k in outputs)
    assert sum(k.startswith("report ") for k in outputs) == 6
    assert sum(k.startswith("measure ") for k in outputs) == 3
    assert all(outputs[k] for k in outputs if k.startswith(("parse", "report", "measure", "sql dump events")))


def test_a_store_written_before_is_migrated_when_opened(tmp_path):
    """A store whose group ids were chat names as they were (a phone number, a person's name) and
    whose imports recorded full paths: opened, even to read, its ids and sources name no one."""
    import kohesi
    from kohesi.store import Store

    with Store(tmp_path / "old.duckdb") as st:
        for name, text in EXPORTS.items():
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            chat = name.removeprefix("WhatsApp Chat with ").removesuffix(".txt")
            st.add(kohesi.read(path, group=chat, tz="Asia/Jakarta", salt=st.salt))
            st.con.execute("UPDATE imports SET source = ?, report = json_object('source', ?, 'group_hint', ?) "
                           "WHERE group_id = ?", [str(path), str(path), chat, chat])
        st.con.execute("DELETE FROM meta WHERE key = 'group_ids'")  # as kohesi wrote it before
        assert leaks(" ".join(st.group_ids())) == ["Siti Rahayu", "Siti", "81273914628"]
    with Store(tmp_path / "old.duckdb", read_only=True) as st:
        groups = st.group_ids()
        rows = st.con.execute("SELECT group_id, source, report FROM imports").fetchall()
    assert "Warga RT 07" in groups and sum(bool(re.fullmatch(r"chat-m[0-9a-f]{12}", g)) for g in groups) == 2
    assert leaks(json.dumps(rows)) == [] and str(tmp_path) not in json.dumps(rows)
    with Store(tmp_path / "old.duckdb") as st:  # once: a second open changes nothing
        assert st.group_ids() == groups
