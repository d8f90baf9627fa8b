"""Hostile uploads to the web page (``tests/helpers/hostile.py``): each gets a 400 naming the
file (never a 500 or a dead server), memory stays bounded and no upload is left on disk; a
zip member of any type is held to the expansion limit."""

from __future__ import annotations

import json
import resource
import tempfile
import zipfile

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
pytest.importorskip("python_multipart")

from fastapi.testclient import TestClient  # noqa: E402

from helpers.hostile import HOSTILE, zipped  # noqa: E402
from kohesi.web import app as webapp  # noqa: E402

ALLOWED = (".txt", ".zip", ".json")


def _upload_name(name: str, data: bytes) -> tuple[str, bytes]:
    """What a user would upload: the file itself, or (a type the page does not take) in a zip,
    stored (a highly compressible case would otherwise be refused as a zip bomb first)."""
    if name.endswith(ALLOWED):
        return name, data
    return name + ".zip", zipped(name, data, zipfile.ZIP_STORED)


@pytest.mark.parametrize("h", [h for h in HOSTILE if h.error is not None], ids=lambda h: h.id)
def test_hostile_upload_is_a_400_and_the_server_serves_on(h, tmp_path, monkeypatch):
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    name, data = _upload_name(h.name, h.make())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with TestClient(webapp.create_app(max_upload_bytes=8 * 1024**2, bootstrap=20)) as client:
        r = client.post("/report?format=json", files={"file": (name, data, "application/octet-stream")},
                        data={"lang": "en"})
        assert r.status_code == 400, r.text
        body = json.loads(r.text)
        assert h.error in body["error"] and h.name in body["error"], body
        assert client.get("/healthz").json() == {"status": "ok"}
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 400_000  # KiB
    assert not any(root.iterdir()), sorted(p.name for p in root.iterdir())


@pytest.mark.parametrize("member", ["result.json", "chat.jsonl", "table.csv", "WhatsApp Chat with Warga.txt",
                                    "events.parquet"])
def test_every_zip_member_type_is_held_to_the_expansion_limit(member, tmp_path):
    """A member over the limit is refused from its declared size, before any byte is inflated,
    whatever its type (the probe found only .txt held to it)."""
    body = b'{"a": "' + b"x" * (3 * 1024**2) + b'"}\n'
    app = webapp.create_app(max_upload_bytes=1024**2, max_export_bytes=2 * 1024**2, bootstrap=20)
    with TestClient(app) as client:
        r = client.post("/report?format=json", files={"file": ("up.zip", zipped(member, body), "application/zip")},
                        data={"lang": "en"})
    assert r.status_code == 400, r.text
    assert "over the 2,097,152-byte limit" in r.json()["error"] and member in r.json()["error"]
