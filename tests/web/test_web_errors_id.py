"""Every error the Indonesian web page shows is in Indonesian: it names the file (and the line or
the place in it), says what went wrong in plain words and what to do, and keeps the English
reason as a technical detail. The English page stays English.

The words come from ``kohesi/errors_id.toml`` through :func:`kohesi.errors_i18n.explain`. A reason
the table does not know falls back to an Indonesian sentence quoting it; these tests fail on
such a reason, from three sides: the reasons raised in the code on the way to the page (read from
the source), the hostile-input cases and the web page's bad uploads (through the app), and the
table's own examples (real reasons, from the fuzz fixtures among others).
"""

from __future__ import annotations

import ast
import html
import os
import re
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
pytest.importorskip("python_multipart")

from fastapi.testclient import TestClient  # noqa: E402

from helpers.hostile import HOSTILE, zipped  # noqa: E402
from kohesi.errors import InputError  # noqa: E402
from kohesi.errors_i18n import explain, table  # noqa: E402
from kohesi.ingest.bounds import NUMBER_TOO_LONG, TOO_DEEP, bound_reason  # noqa: E402
from kohesi.web import app as webapp  # noqa: E402
from kohesi.web.strings import TEXT  # noqa: E402

SRC = Path(webapp.__file__).resolve().parents[1]
FALLBACK = "belum punya penjelasan berbahasa Indonesia"
CAP = 1024**2
PLACEHOLDER = re.compile(r"\{(\w+)(\+1)?\}")
ENGLISH = re.compile(r"\b(the|is|not|of|and|found|cannot|line|file|bytes|limit|unsupported|invalid|empty|"
                     r"must|use|choose|upload|unknown|no|holds|refusing|please|send)\b", re.IGNORECASE)


def english_words(message: str) -> list[str]:
    """English words of ``message`` outside its quotes (file names and values stay as they are)."""
    return ENGLISH.findall(re.sub(r"“[^”]*”|'[^']*'", "", message))


def shown(r) -> tuple[str, str | None]:
    """The message and the technical detail (None: none) of an error page, unescaped."""
    m = re.search(r'id="error-message">([^<]*)<', r.text)
    assert m, r.text[:300]
    d = re.search(r'id="error-detail">.*?<p[^>]*>([^<]*)<', r.text, re.S)
    return html.unescape(m.group(1)), html.unescape(d.group(1)) if d else None


def assert_indonesian(message: str, detail: str | None, english: str, file: str | None = None) -> None:
    assert FALLBACK not in message, message
    assert not english_words(message), (english_words(message), message)
    assert english not in re.sub(r"“[^”]*”", "", message), message
    assert detail is not None and english in detail, (detail, english)
    if file is not None:
        assert f"“{file}”" in message, message


# --------------------------------------------------------------------------------------------
# the table


def test_every_entry_explains_its_own_examples():
    tab = table("id")
    assert len(tab.reasons) > 80 and len(tab.places) >= 5
    for entry in tab.reasons:
        assert entry.examples, f"{entry.pattern.pattern}: no example"
        for example in entry.examples:
            e = explain(InputError("chat.txt", example), "id")
            assert not e.fallback, example
            assert e.key == entry.pattern.pattern, f"{example!r} is taken by an earlier entry {e.key!r}"
            assert not PLACEHOLDER.search(e.text), e.text
            assert e.detail == f"chat.txt: {example}"
    for place in tab.places:
        for example in place.examples:
            e = explain(InputError("chat.txt", example), "id")
            words = place.template.split("{")[0].strip()
            assert not e.fallback and words in e.text, (example, e.text)


def test_templates_name_only_their_groups_and_the_phrases():
    tab = table("id")
    for entry in tab.reasons + tab.places:
        groups = set(entry.pattern.groupindex)
        for name, plus in PLACEHOLDER.findall(entry.template):
            assert name in groups or (name in tab.phrases and not plus), (entry.pattern.pattern, name)
    for text in tab.phrases.values():
        assert not PLACEHOLDER.search(text), text


# --------------------------------------------------------------------------------------------
# every reason raised on the way to the page, read from the source

SCOPE = ["ingest", "sources.py", "events.py", "report", "measure", "web/app.py"]
"""What an upload passes through: the readers, the members list, the report, the measurement,
the page itself. (The store, the survey, the simulation and the batch runs never reach the page.)"""
RAISES = {"InputError": 1, "KohesiError": 0, "BadUpload": 0}
SAMPLES = {
    "ingest/common.py": {"where": "[0]: message"},
    "ingest/discord.py": {"reason": "lacks 'timestamp'"},
    "ingest/slack.py": {"what": "lacks 'ts'"},
    "ingest/table.py": {"kind": "CSV"},
    "ingest/telegram/members.py": {"self.where": "chats.list[0].", "reason": "lacks 'date'"},
    "ingest/telegram/reader.py": {"chat.where": "chats.list[0].", "exc": "JSON is malformed: trailing characters (byte 6)"},
    "sources.py": {"option": "--since"},
}
"""Per module, values of the placeholders that carry part of a reason (the place in the file, a
reason of its own); any other placeholder is ``7`` (``'7'`` when written with ``!r``)."""


def _render(node: ast.expr | None, samples: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        out = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                out.append(part.value)
            else:
                value = samples.get(ast.unparse(part.value), "7")
                out.append(repr(value) if part.conversion == ord("r") else value)
        return "".join(out)
    return None


def raised_reasons() -> list[tuple[str, str]]:
    """(where, reason) of every reason written out in the code on the way to the page: the reason
    of each InputError, KohesiError and BadUpload, the message of each error(...) the app answers,
    and each problem _job returns."""
    out = []
    for part in SCOPE:
        path = SRC / part
        for f in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            samples = SAMPLES.get(f.relative_to(SRC).as_posix(), {})
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                arg = None
                if isinstance(node, ast.Call):
                    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                    k = RAISES.get(name, 2 if name == "error" and f.name == "app.py" else None)
                    if k is not None and len(node.args) > k:
                        arg = node.args[k]
                elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and f.name == "app.py":
                    arg = node.value.elts[-1]
                reason = _render(arg, samples) if arg is not None else None
                if reason is not None:
                    out.append((f"{f.relative_to(SRC)}:{node.lineno}", reason))
    out += [("ingest/bounds.py bound_reason", bound_reason(s, 7)) for s in (TOO_DEEP, NUMBER_TOO_LONG)]
    return out


def test_every_reason_raised_on_the_way_to_the_page_is_explained():
    reasons = raised_reasons()
    assert len(reasons) > 90  # the scan finds them (not an empty pass)
    assert any("no WhatsApp message header found" in r for _, r in reasons)
    unknown = [f"{where}: {reason!r}" for where, reason in reasons if explain(reason, "id").fallback]
    assert not unknown, "reasons without an entry in kohesi/errors_id.toml:\n" + "\n".join(unknown)


# --------------------------------------------------------------------------------------------
# through the page


def post(client, name: str | None, data: bytes = b"", ui: str = "id", query: str = "", files: dict | None = None,
         **fields):
    form = {"tz": "Asia/Jakarta", "lang": ui} | fields
    sep = "&" if query else "?"
    files = {"file": (name, data, "application/octet-stream")} | (files or {}) if name is not None else files
    return client.post(f"/report{query}{sep}ui={ui}", files=files, data=form)


@pytest.mark.parametrize("h", [h for h in HOSTILE if h.error is not None], ids=lambda h: h.id)
def test_hostile_upload_is_explained_in_indonesian_and_stays_english_in_english(h):
    name, data = h.name, h.make()
    if not name.endswith((".txt", ".zip", ".json")):  # as tests/web/test_web_hostile.py uploads it
        name, data = name + ".zip", zipped(name, data, zipfile.ZIP_STORED)
    with TestClient(webapp.create_app(max_upload_bytes=8 * CAP, bootstrap=20)) as client:
        r = post(client, name, data)
        assert r.status_code == 400, r.text[:300]
        message, detail = shown(r)
        inner = name.rsplit("!", 1)[-1]
        assert_indonesian(message, detail, h.error)
        assert f"“{h.name}”" in message or f"“{inner}”" in message, message
        assert message.startswith("Berkas “"), message
        j = post(client, name, data, query="?format=json").json()
        assert j["message"] == message and h.error in j["error"]
        r = post(client, name, data, ui="en")
        message, detail = shown(r)
        assert h.error in message and h.name in message and detail is None


@pytest.fixture(scope="module")
def client():
    with TestClient(webapp.create_app(max_upload_bytes=CAP, bootstrap=20, max_export_bytes=2 * CAP)) as c:
        yield c


def _zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    from web.conftest import zip_bytes

    return zip_bytes(members, method)


WA = "WhatsApp Chat with X.txt"
WAZ = "WhatsApp Chat with X.zip"
MEMBERS_BAD = {"members": ("warga.csv", b"nama,rt\nBudi,1\n", "text/csv")}
MEMBERS_EMPTY = {"members": ("warga.csv", b"name,rt\n,1\n", "text/csv")}
TWO_FILES = [("file", ("a.txt", b"x")), ("file", ("b.txt", b"y"))]

# (case, upload: (name, data, fields), the English words of the reason, the file the message names)
UPLOADS = {
    "zip_bomb": ((WAZ, _zip({WA: b"\0" * 1_500_000}), {}), "looks like a zip bomb", WA),
    "zip_over_limit": ((WAZ, _zip({WA: b"\0" * 3_000_000}), {}), "over the 2,097,152-byte limit", WA),
    "zip_damaged": ((WAZ, _zip({WA: os.urandom(1000)}, zipfile.ZIP_STORED)[:-30], {}),
                    "unsupported file type '.zip'", WAZ),
    "zip_slip": ((WAZ, _zip({"../evil.txt": b"x"}), {}), "unsafe path '../evil.txt'", WAZ),
    "zip_without_chat": ((WAZ, _zip({"warga.mbox": b"From a\n"}), {}), "holds no chat export", WAZ),
    "png": (("photo.png", b"\x89PNG\r\n", {}), "unsupported file type '.png'", "photo.png"),
    "duckdb": (("kohesi.duckdb", b"DUCK" * 10, {}), "unsupported file type '.duckdb'", "kohesi.duckdb"),
    "png_as_txt": ((WA, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", {}), "binary file", WA),
    "empty": ((WA, b"", {}), "file is empty", WA),
    "latin1": ((WA, "20/10/26 19.05 - Pak: café José\n".encode("latin-1"), {}), "not UTF-8", WA),
    "not_export": ((WA, b"hello world\nthis is not an export\n", {}), "no WhatsApp message header", WA),
    "no_file": (("", b"", {}), "no file uploaded", None),
    "bad_tz": ((WA, b"x", {"tz": "Mars/Olympus"}), "unknown timezone", WA),
    "bad_tz_chars": ((WA, b"x", {"tz": "bad tz!"}), "unknown timezone", None),
    "bad_lang": ((WA, b"x", {"lang": "fr"}), "unknown report language", None),
    "bad_date_order": ((WA, b"x", {"date_order": "xyz"}), "unknown date order", None),
    "field_too_long": ((WA, b"x", {"names": "x" * 5000}), "is too long", None),
}


@pytest.mark.parametrize("case", sorted(UPLOADS))
def test_a_bad_upload_is_explained_in_indonesian(client, exports, case):
    (name, data, fields), english, file = UPLOADS[case]
    if case in ("bad_tz", "bad_lang", "bad_date_order"):
        data = exports.example_bytes
    r = post(client, name, data, **fields)
    assert r.status_code == 400, r.text[:300]
    message, detail = shown(r)
    assert_indonesian(message, detail, english, file)
    assert "kohesi-web-" not in message + detail
    r = post(client, name, data, ui="en", **fields)
    message, detail = shown(r)
    assert english in message and detail is None


@pytest.mark.parametrize("files, english", [(MEMBERS_BAD, "'actor' or a 'name' column"), (MEMBERS_EMPTY, "empty name")],
                         ids=["no_name_column", "empty_name"])
def test_a_bad_members_list_is_explained_in_indonesian(client, exports, files, english):
    r = post(client, exports.example.name, exports.example_bytes, files=files)
    assert r.status_code == 400, r.text[:300]
    message, detail = shown(r)
    assert_indonesian(message, detail, english)
    assert message.startswith("Daftar anggota tidak dapat dibaca")


def test_the_page_s_own_refusals_are_explained_in_indonesian(client, exports, monkeypatch):
    cases = [
        (client.post("/report?ui=id", content=b"hello", headers={"Content-Type": "text/plain"}), 400, "multipart/form-data"),
        (client.post("/report?format=xml&ui=id", files={"file": ("a.txt", b"x")}), 400, "unknown format 'xml'"),
        (client.get("/report?ui=id"), 405, "Method Not Allowed"),
        (client.post("/report?ui=id", files=TWO_FILES, data={"lang": "id"}), 400, "send one export file at a time"),
        (post(client, "big.txt", b"x", files={"members": ("m.csv", b"x" * (2 * CAP + 1))}), 400, "members list is over"),
    ]
    monkeypatch.setattr(webapp, "make_report", lambda *a, **k: (_ for _ in ()).throw(MemoryError()))
    cases.append((post(client, exports.example.name, exports.example_bytes), 413, "too large to analyse"))
    for r, status, english in cases:
        assert r.status_code == status, r.text[:300]
        message, detail = shown(r)
        assert_indonesian(message, detail, english)


def test_the_page_s_own_indonesian_strings_are_shown_as_they_are(client, exports, monkeypatch):
    tx = TEXT["id"]
    r = post(client, WA, b"1" * (CAP + 1))
    assert r.status_code == 413 and shown(r) == (tx["error_too_large"].format(max="1 MB"), None)
    r = client.get("/report/" + "A" * 32 + "?ui=id")
    assert r.status_code == 404 and shown(r) == (tx["error_expired"], None)
    monkeypatch.setattr(webapp, "make_report", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("x")))
    r = post(client, exports.example.name, exports.example_bytes)
    assert r.status_code == 500 and shown(r) == (tx["error_internal"].format(kind="RuntimeError"), None)


def test_a_reason_without_an_entry_is_framed_and_quoted(client, exports, monkeypatch):
    """The fallback: an Indonesian sentence naming the file and the line, the English reason quoted
    in it (escaped), the temporary folder taken out."""
    def boom(path, **kwargs):
        raise InputError(path, f"a brand-new <b>trouble</b> in {path}", line=7)

    monkeypatch.setattr(webapp, "make_report", boom)
    r = post(client, WA, b"x")
    assert r.status_code == 400
    message, detail = shown(r)
    assert message.startswith(f"Berkas “{WA}” tidak dapat dibaca (baris 7): kohesi {FALLBACK}")
    assert f"“a brand-new <b>trouble</b> in {WA}”" in message and detail is None
    assert "<b>trouble" not in r.text and "&lt;b&gt;trouble" in r.text
    assert "kohesi-web-" not in r.text
    j = post(client, WA, b"x", query="?format=json").json()
    assert j["message"] == message and j["error"] == f"{WA}, line 7: a brand-new <b>trouble</b> in {WA}"
    r = post(client, WA, b"x", ui="en")
    assert shown(r) == (f"{WA}, line 7: a brand-new <b>trouble</b> in {WA}", None)


def test_a_place_in_the_file_is_named_in_words():
    e = explain(InputError("/tmp/up/x.zip!umum/2024-02-01.json", "[0]: message: field 'subtype' is a list, "
                                                                 "not a string"), "id", strip="/tmp/up")
    assert e.text.startswith("Berkas “umum/2024-02-01.json” di dalam “x.zip” tidak dapat dibaca (entri ke-1): "
                             "isian 'subtype' berisi data")
    assert e.detail == "x.zip!umum/2024-02-01.json: [0]: message: field 'subtype' is a list, not a string"
    e = explain(InputError("result.json", "chats.list[1].messages[3]: lacks 'date'", line=12), "id")
    assert e.text.startswith("Berkas “result.json” tidak dapat dibaca (baris 12, chat ke-2, pesan ke-4): "
                             "isian 'date' tidak ada.")


@pytest.mark.parametrize(("lang", "named"), [("id", "Ekspor sebelumnya “WhatsApp Chat with X.txt” tidak dapat dibaca (baris 1)"),
                                             ("en", "the earlier export, WhatsApp Chat with X.txt, line 1:")])
def test_a_bad_earlier_export_is_named_as_the_earlier_export(client, lang, named):
    good = "".join(f"0{d}/10/26 08.0{i} - {w}: halo\n" for d in range(1, 8) for i, w in enumerate(("Ani", "Budi")))
    r = client.post("/report?format=json", data={"lang": lang, "tz": "Asia/Jakarta"},
                    files={"file": (WA, good.encode(), "text/plain"), "earlier": (WA, b"hello world\n", "text/plain")})
    assert r.status_code == 400
    message = r.json()["message"]
    assert message.startswith(named), message
    assert "earlier/" not in message
