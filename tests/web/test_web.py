"""The local web app (``kohesi serve``) through FastAPI's TestClient: pages, limits, errors, XSS."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
pytest.importorskip("python_multipart")

import anyio  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from starlette.requests import Request  # noqa: E402

from kohesi.errors import KohesiError  # noqa: E402
from kohesi.web import app as webapp  # noqa: E402

CAP = 1024**2  # a 1 MiB upload cap keeps the size tests small
ASPECTS = {
    "id": ["Kepercayaan &amp; norma bersama", "Identitas &amp; rasa memiliki", "Inklusi &amp; partisipasi",
           "Penyelesaian konflik", "Keadilan sosial"],
    "en": ["Trust &amp; shared norms", "Identity &amp; belonging", "Inclusion &amp; participation",
           "Conflict resolution", "Social justice"],
}
HEADINGS = {"id": "Lima aspek kohesi sosial", "en": "The five aspects of social cohesion"}


@pytest.fixture(scope="module")
def client():
    with TestClient(webapp.create_app(max_upload_bytes=CAP, bootstrap=20)) as c:
        yield c


def upload(client, name: str, data: bytes, *, query: str = "", **fields):
    form = {"tz": "Asia/Jakarta", "lang": "id"} | {k: v for k, v in fields.items() if v is not None}
    return client.post(f"/report{query}", files={"file": (name, data, "application/octet-stream")},
                       data=form)


def index_value(html: str) -> str:
    m = re.search(r'id="index-value">([^<]*)<', html)
    assert m, "no #index-value in the page"
    return m.group(1)


def aspects_section(html: str) -> str:
    m = re.search(r'<section id="aspects">(.*?)</section>', html, re.S)
    assert m, "no #aspects section in the page"
    return m.group(1)


def assert_safe_headers(r) -> None:
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cache-control"] == "no-store"
    assert "set-cookie" not in r.headers


def assert_no_external(html: str) -> None:
    assert "http://" not in html and "https://" not in html
    assert not re.search(r"""(src|href|action)\s*=\s*["']?//""", html)


# --------------------------------------------------------------------------------------------
# pages


def test_upload_form_is_friendly_and_local(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert_safe_headers(r)
    html = r.text
    assert '<html lang="id">' in html
    assert 'type="file"' in html and 'name="file"' in html
    # language select: Indonesian first, selected
    sel = re.search(r'<select id="lang" name="lang">(.*?)</select>', html, re.S).group(1)
    assert sel.index("Bahasa Indonesia") < sel.index("English")
    assert '<option value="id" selected>' in sel
    assert 'name="tz" value="Asia/Jakarta"' in html
    names_box = re.search(r'<input type="checkbox" id="names"[^>]*>', html).group(0)
    assert "checked" not in names_box
    assert 'type="submit"' in html
    # progress: an inline script allowed by this response's nonce only, using XHR upload events
    nonce = re.search(r"'nonce-([^']+)'", r.headers["content-security-policy"]).group(1)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts == [f' nonce="{nonce}"']
    assert "XMLHttpRequest" in html and "upload.addEventListener(\"progress\"" in html
    assert_no_external(html)
    # a second response gets another nonce
    assert client.get("/").headers["content-security-policy"] != r.headers["content-security-policy"]


def test_upload_form_in_english(client):
    html = client.get("/?lang=en").text
    assert '<html lang="en">' in html and "Make the report" in html
    assert '<option value="en" selected>' in html
    assert client.get("/?lang=xx").text.count('<html lang="id">') == 1


def test_healthz_and_no_api_docs(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}
    assert_safe_headers(r)
    for path in ("/docs", "/redoc", "/openapi.json"):  # would load a CDN
        assert client.get(path).status_code == 404


# --------------------------------------------------------------------------------------------
# reports


@pytest.mark.parametrize("lang", ["id", "en"])
def test_report_in_both_languages_with_download(client, exports, lang):
    r = upload(client, exports.example.name, exports.example_bytes, lang=lang)
    assert r.status_code == 200, r.text[:500]
    assert_safe_headers(r)
    html = r.text
    assert f'<html lang="{lang}">' in html
    # the small bundled example holds 19 posts over 8 days: no verdict, and the page says why
    assert index_value(html) == "–" and 'id="no-verdict"' in html
    section = aspects_section(html)
    assert HEADINGS[lang] in section
    rows = re.findall(r'<span class="name">([^<]*)</span>', section)
    assert rows == ASPECTS[lang]
    assert_no_external(html)
    # the page offers a download of the same report, kept in memory under a random token
    where = r.headers["content-location"]
    assert re.fullmatch(r"/report/[A-Za-z0-9_-]{20,64}", where)
    assert f'href="{where}/download"' in html
    d = client.get(f"{where}/download")
    assert d.status_code == 200
    assert d.headers["content-disposition"] == f'attachment; filename="kohesi-{exports.slug}-{lang}.html"'
    assert index_value(d.text) == index_value(html)
    assert aspects_section(d.text) == section
    assert "kohesi-toolbar" not in d.text and "kohesi-toolbar" in html
    j = client.get(f"{where}/download?format=json")
    assert j.status_code == 200 and j.headers["content-disposition"].endswith('.json"')
    assert len(json.loads(j.text)["aspects"]) == 5
    # the report can be shown again from memory
    again = client.get(where)
    assert again.status_code == 200 and index_value(again.text) == index_value(html)


def test_report_as_json(client, exports):
    r = upload(client, exports.example.name, exports.example_bytes, query="?format=json", lang="en")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert_safe_headers(r)
    data = r.json()
    assert data["group_id"] == exports.group
    assert data["index"]["value"] is None and not data["verdict"]["given"]
    assert {c["code"] for c in data["verdict"]["checks"]} >= {"posts", "days"}
    assert [a["key"] for a in data["aspects"]] == ["trust_norms", "belonging", "inclusion", "conflict", "justice"]
    assert data["params"]["bootstrap"] == 20


def test_a_longer_export_gets_a_verdict(client):
    big = Path(__file__).resolve().parents[2] / "examples" / "WhatsApp Chat with Warga RT 05 Melati.txt"
    r = upload(client, big.name, big.read_bytes(), query="?format=json", lang="en")
    assert r.status_code == 200, r.text[:300]
    data = r.json()
    assert data["verdict"]["given"] and 0 < data["index"]["value"] < 1
    assert data["index"]["lo"] < data["index"]["value"] < data["index"]["hi"]


def test_zip_export(client, exports):
    z = exports.zip_bytes({f"{exports.example.name}": exports.example_bytes})
    r = upload(client, exports.example.stem + ".zip", z)
    assert r.status_code == 200, r.text[:500]
    assert f'<h1 id="group">{exports.group}</h1>' in r.text and index_value(r.text)


def test_unknown_or_expired_token(client):
    for path in ("/report/" + "A" * 32, "/report/" + "A" * 32 + "/download", "/report/x<y>"):
        r = client.get(path)
        assert r.status_code == 404
        assert_safe_headers(r)
        assert 'id="error-message"' in r.text


def test_report_cache_expires_and_evicts():
    now = [0.0]
    cache = webapp.ReportCache(ttl=600, size=2, clock=lambda: now[0])
    a = cache.put("<html>a</html>", "{}", "kohesi-a-id", "id")
    assert cache.get(a).html == "<html>a</html>"
    now[0] = 599
    assert cache.get(a) is not None
    now[0] = 601
    assert cache.get(a) is None and len(cache) == 0
    b, c, d = (cache.put(x, "{}", "s", "id") for x in "bcd")
    assert cache.get(b) is None and cache.get(c) and cache.get(d)
    assert len({b, c, d}) == 3 and all(len(t) >= 32 for t in (b, c, d))


# --------------------------------------------------------------------------------------------
# limits and bad input


def test_oversized_upload_is_refused_and_the_server_keeps_serving(client, exports):
    big = b"0" * (CAP + 10)
    r = upload(client, "WhatsApp Chat with Big.txt", big)
    assert r.status_code == 413
    assert_safe_headers(r)
    assert "1 MB" in re.search(r'id="error-message">([^<]*)<', r.text).group(1)
    # without Content-Length (chunked), the limit is enforced while streaming
    boundary = "kohesiboundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n").encode()

    def body():
        yield head
        for _ in range(40):
            yield b"1" * 65536
        yield f"\r\n--{boundary}--\r\n".encode()

    r = client.post("/report?format=json", content=body(),
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 413 and "error" in r.json()
    # the next requests work
    assert client.get("/healthz").status_code == 200
    ok = upload(client, exports.example.name, exports.example_bytes, query="?format=json")
    assert ok.status_code == 200 and ok.json()["n_members"] > 0


def test_limit_is_enforced_while_streaming(tmp_path):
    """The upload stops being read (and written) as soon as it passes the limit."""
    boundary = "b0undary"
    pulled = []

    async def stream():
        yield (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="chat.txt"\r\n\r\n').encode()
        for _ in range(1000):  # 64 MiB if read to the end
            pulled.append(1)
            yield b"x" * 65536

    scope = {"type": "http", "method": "POST", "path": "/report", "query_string": b"",
             "headers": [(b"content-type", f"multipart/form-data; boundary={boundary}".encode())]}

    async def go():
        await webapp.receive_upload(Request(scope), stream(), tmp_path, 256 * 1024)

    with pytest.raises(webapp.UploadTooLarge):
        anyio.run(go)
    assert len(pulled) <= 5
    assert (tmp_path / "chat.txt").stat().st_size <= 256 * 1024


@pytest.mark.parametrize("case", ["zip_bomb", "zip_slip", "png", "png_as_txt", "empty", "latin1",
                                  "not_export", "no_file", "store", "bad_tz", "bad_lang"])
def test_bad_input_gives_a_clear_400(client, exports, case):
    name, data, fields = "WhatsApp Chat with X.txt", b"", {}
    expect = ""
    if case == "zip_bomb":
        name, data = "WhatsApp Chat with X.zip", exports.zip_bytes({"WhatsApp Chat with X.txt": b"\0" * 30_000_000})
        assert len(data) < CAP
        expect = "zip bomb"
    elif case == "zip_slip":
        name, data = "WhatsApp Chat with X.zip", exports.zip_bytes({"../evil.txt": exports.example_bytes})
        expect = "unsafe path '../evil.txt'"
    elif case == "png":
        name, data, expect = "photo.png", exports.png, "unsupported file type '.png'"
    elif case == "png_as_txt":
        name, data, expect = "WhatsApp Chat with X.txt", exports.png, "binary file"
    elif case == "empty":
        expect = "file is empty"
    elif case == "latin1":
        data, expect = "20/10/26 19.05 - Pak: café José\n".encode("latin-1"), "not UTF-8"
    elif case == "not_export":
        data, expect = b"hello world\nthis is not an export\n", "no WhatsApp message header"
    elif case == "no_file":
        name, data, expect = "", b"", "no file uploaded"
    elif case == "store":
        name, data, expect = "kohesi.duckdb", b"DUCK" * 10, "unsupported file type '.duckdb'"
    elif case == "bad_tz":
        data, fields, expect = exports.example_bytes, {"tz": "Mars/Olympus"}, "unknown timezone"
    elif case == "bad_lang":
        data, fields, expect = exports.example_bytes, {"lang": "fr"}, "unknown report language"
    r = upload(client, name, data, **fields)
    assert r.status_code == 400, r.text[:300]
    assert_safe_headers(r)
    message = re.search(r'id="error-message">([^<]*)<', r.text).group(1)
    # the page is Indonesian (tests/web/test_web_errors_id.py); the English reason is its technical detail
    detail = re.search(r'id="error-detail">.*?<p[^>]*>([^<]*)<', r.text, re.S).group(1)
    assert expect in detail.replace("&#39;", "'")
    assert "kohesi-web-" not in message + detail and tempfile.gettempdir() not in message + detail
    assert "\n" not in message
    j = upload(client, name, data, query="?format=json", **fields)
    assert j.status_code == 400 and expect in j.json()["error"]


def test_not_multipart_and_bad_format(client):
    r = client.post("/report", content=b"hello", headers={"Content-Type": "text/plain"})
    assert r.status_code == 400 and "multipart/form-data" in r.text
    r = client.post("/report?format=xml", files={"file": ("a.txt", b"x")})
    assert r.status_code == 400


def test_unexpected_error_gives_500_and_the_server_keeps_serving(client, exports, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("<b>internal</b> detail")

    monkeypatch.setattr(webapp, "make_report", boom)
    r = upload(client, exports.example.name, exports.example_bytes)
    assert r.status_code == 500 and "RuntimeError" in r.text and "<b>internal" not in r.text
    monkeypatch.undo()
    assert upload(client, exports.example.name, exports.example_bytes, query="?format=json").status_code == 200


# --------------------------------------------------------------------------------------------
# XSS


@pytest.mark.parametrize("names", [False, True])
def test_hostile_names_and_messages_render_as_text(client, exports, names):
    # (a file name cannot hold "/", so the payload in it has no closing tag)
    r = upload(client, 'WhatsApp Chat with "><img src=x onerror=alert(1)><script>alert(1) RT.txt',
               exports.xss, names="on" if names else None)
    assert r.status_code == 200, r.text[:300]
    html = r.text
    for raw in ("<script>alert(1)", "<img src=x", "<b>Rina"):
        assert raw not in html
    assert "<script" not in html.lower()
    # the group name comes from the file name, and is shown escaped
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1) RT" in html
    if names:  # the silent members are listed by name, escaped; an entity stays literal text
        assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt;" in html
        assert "Tom &amp;amp; Jerry" in html
    d = client.get(r.headers["content-location"] + "/download")
    assert "<script>alert(1)" not in d.text and "<img src=x" not in d.text


def test_hostile_file_name_in_error_is_escaped(client):
    r = upload(client, '"><img src=x onerror=alert(1)><script>alert(1)<.png', b"x")
    assert r.status_code == 400
    assert "<script>alert(1)" not in r.text and "<img src=x" not in r.text
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(1)&lt;.png" in r.text


# --------------------------------------------------------------------------------------------
# temporary files


def test_temporary_directories_are_always_removed(client, exports, monkeypatch, tmp_path):
    """Success, bad input, an oversized stream and a crash all leave no ``kohesi-web-*`` behind."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    seen: list[Path] = []
    real = webapp.make_report

    def spy(path, **kwargs):
        path = Path(path)
        assert path.is_file() and path.parent.parent == root and path.parent.name.startswith("kohesi-web-")
        seen.append(path)
        if kwargs.get("lang_code") == "en" and "crash" in path.name:
            raise RuntimeError("crash")
        return real(path, **kwargs)

    monkeypatch.setattr(webapp, "make_report", spy)
    leftovers = lambda: sorted(p.name for p in root.iterdir() if p.name.startswith("kohesi-web-"))  # noqa: E731
    assert upload(client, exports.example.name, exports.example_bytes, query="?format=json").status_code == 200
    assert leftovers() == []
    assert upload(client, "WhatsApp Chat with X.txt", b"hello\n").status_code == 400
    assert upload(client, "WhatsApp Chat with X.txt", b"1" * (CAP + 1)).status_code == 413
    assert upload(client, "photo.png", exports.png).status_code == 400
    assert upload(client, "crash.txt", exports.example_bytes, lang="en").status_code == 500
    assert leftovers() == []
    assert len(seen) == 3 and not any(p.parent.exists() for p in seen)


# --------------------------------------------------------------------------------------------
# serving


def test_serve_refuses_non_loopback_hosts(monkeypatch):
    calls = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    for host in ("0.0.0.0", "192.168.1.5", "example.org", "::"):
        with pytest.raises(KohesiError, match="only binds to this computer"):
            webapp.serve(host=host, port=8765)
    assert calls == []
    webapp.serve(host="127.0.0.1", port=8799, max_upload_bytes=CAP)
    webapp.serve(host="0.0.0.0", port=8799, allow_remote=True)
    assert [c[1]["host"] for c in calls] == ["127.0.0.1", "0.0.0.0"]
    assert calls[0][1]["port"] == 8799 and calls[0][0].state.max_upload_bytes == CAP


def test_host_header_is_checked_on_loopback(exports):
    app = webapp.create_app(max_upload_bytes=CAP, bootstrap=20, allowed_hosts=webapp.LOOPBACK_HOSTS)
    with TestClient(app, base_url="http://127.0.0.1:8765") as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"Host": "localhost:8765"}).status_code == 200
        assert c.get("/healthz", headers={"Host": "[::1]:8765"}).status_code == 200
        r = c.get("/", headers={"Host": "evil.example:8765"})
        assert r.status_code == 400 and "Host" in r.text
        assert_safe_headers(r)


def test_safe_filename():
    assert webapp.safe_filename("../../etc/passwd") == "passwd"
    assert webapp.safe_filename("a\x00b/../c.txt") == "c.txt"
    assert webapp.safe_filename("..") == "export.txt"
    long = webapp.safe_filename("x" * 500 + ".txt")
    assert long.endswith(".txt") and len(long.encode()) <= 150


def test_zip_expansion_is_capped_by_the_web_limit(tmp_path, exports):
    """A zip member under the bomb ratio but over the app's expansion cap is refused."""
    import os

    data = os.urandom(200_000)
    app = webapp.create_app(max_upload_bytes=CAP, bootstrap=20, max_export_bytes=100_000)
    z = exports.zip_bytes({"WhatsApp Chat with X.txt": data}, compression=zipfile.ZIP_STORED)
    with TestClient(app) as c:
        r = upload(c, "WhatsApp Chat with X.zip", z, query="?format=json")
    assert r.status_code == 400 and "limit" in r.json()["error"]


def test_members_list_counts_silent_members(client, exports):
    """A members list adds the members who never write: participation falls, names are not kept."""
    names = "name,rt\nPak Harjo (Ketua RT),1\nBu Ani,1\nMas Dedi,2\nSiti Rahayu,2\n" + "".join(
        f"Warga Diam {i},3\n" for i in range(20))
    form = {"tz": "Asia/Jakarta", "lang": "en"}
    files = {"file": (exports.example.name, exports.example_bytes, "text/plain"),
             "members": ("warga.csv", names.encode(), "text/csv")}
    with_list = client.post("/report?format=json", files=files, data=form)
    without = upload(client, exports.example.name, exports.example_bytes, query="?format=json", lang="en")
    assert with_list.status_code == 200, with_list.text[:300]
    a, b = with_list.json(), without.json()
    assert a["n_members"] >= b["n_members"] + 20
    assert a["participation"]["participation_rate"] < b["participation"]["participation_rate"]
    assert "Warga Diam" not in with_list.text


def test_a_bad_members_list_is_a_clear_error(client, exports):
    files = {"file": (exports.example.name, exports.example_bytes, "text/plain"),
             "members": ("warga.csv", b"nama,rt\nBudi,1\n", "text/csv")}
    r = client.post("/report?format=json", files=files, data={"tz": "Asia/Jakarta", "lang": "en"})
    assert r.status_code == 400 and "'actor' or a 'name' column" in r.text
