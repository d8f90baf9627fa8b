"""A chat with silent weeks between active ones measures and reports everywhere.

Regression: any export with an empty window between active windows raised ``IndexError`` while
the windows' ties were linked (47% of real exports); the web page answered 500.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SILENT = (
    "01/01/2024, 10:00 - Ann: hi\n"
    "01/01/2024, 10:01 - Bob: hello\n"
    "20/01/2024, 10:00 - Ann: ok\n"
    "20/01/2024, 10:05 - Bob: ok too\n"
)


@pytest.fixture()
def export(tmp_path: Path) -> Path:
    p = tmp_path / "WhatsApp Chat with Sepi.txt"
    p.write_text(SILENT, encoding="utf-8")
    return p


def test_api_measures_and_reports(export):
    import kohesi
    from kohesi.measure import measure
    from kohesi.report import make_report

    log = kohesi.read(export, tz="Asia/Jakarta")
    profile = measure(log.events, window="7D", bootstrap=20)
    assert profile.meta["n_windows"] == 3
    rep = make_report(export, tz="Asia/Jakarta", bootstrap=20, lang_code="en")
    assert "<html" in rep.to_html()


def _kohesi(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kohesi", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=180, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "KOHESI_HOME": str(cwd)})


def test_cli_measures_and_reports(export, tmp_path):
    r = _kohesi("measure", str(export), "--tz", "Asia/Jakarta", "--bootstrap", "20", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = _kohesi("report", str(export), "--tz", "Asia/Jakarta", "--bootstrap", "20", "-o", "r.html", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "r.html").stat().st_size > 1000


def test_web_page_reports(export):
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    from kohesi.web import app as webapp

    with TestClient(webapp.create_app(bootstrap=20)) as client:
        r = client.post("/report", files={"file": (export.name, export.read_bytes(), "text/plain")},
                        data={"tz": "Asia/Jakarta", "lang": "id"})
    assert r.status_code == 200, r.text[:300]
