"""The bundled example chat: reproducible from its generator and read cleanly by kohesi."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kohesi

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GENERATOR = EXAMPLES / "make_example.py"
COMMITTED = EXAMPLES / "WhatsApp Chat with Warga RT 05 Melati.txt"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example") / COMMITTED.name
    subprocess.run([sys.executable, str(GENERATOR), str(out)], check=True, timeout=120)
    return out


def test_generator_reproduces_the_committed_file(generated):
    assert generated.read_bytes() == COMMITTED.read_bytes(), (
        "examples/make_example.py no longer reproduces the committed example; "
        "rerun it and commit the result")


def test_example_is_commit_sized():
    assert COMMITTED.stat().st_size < 1_000_000


def test_reader_parses_every_line(generated):
    log = kohesi.read(generated, tz="Asia/Jakarta")
    report = log.report
    assert report.skipped == []
    assert report.warnings == []
    assert report.date_order == "dmy"
    assert report.language == "id"
    kinds = report.kinds
    posts = sum(kinds.get(k, 0) for k in ("message", "edited", "media", "deleted"))
    assert 2_000 <= posts <= 4_000
    for kind in ("add", "join", "leave", "remove", "media", "deleted", "edited"):
        assert kinds.get(kind, 0) >= 1, kind
    assert 40 <= log.members.num_rows <= 50
    assert sum(log.members.column("is_phone").to_pylist()) >= 3
    mentions = log.events.column("mentions").to_pylist()
    assert sum(1 for m in mentions if m) >= 10
