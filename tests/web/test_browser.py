"""The web app in a real browser: Debian's Chromium driven by Playwright, against uvicorn on 127.0.0.1.

Never runs ``playwright install``: it uses ``/usr/bin/chromium`` (CI: ``apt-get install -y
chromium``) and is skipped, with the reason, when that or the ``playwright`` package is missing.
Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path

import pytest

from helpers.browser import ARTIFACTS, chromium, require_browser

require_browser()
pytest.importorskip("uvicorn")

import uvicorn  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from kohesi.web.app import LOOPBACK_HOSTS, create_app  # noqa: E402

CAP = 1024**2
ASPECT_ROWS = "#aspects .bars li"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """uvicorn serving the app on 127.0.0.1 and a free port, in a background thread."""
    port = free_port()
    app = create_app(max_upload_bytes=CAP, bootstrap=20, allowed_hosts=LOOPBACK_HOSTS)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, server):
    """A fresh page that records dialogs, console errors and every request it makes."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    pg.dialogs, pg.console_errors, pg.requests = [], [], []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("request", lambda r: pg.requests.append(r.url))
    pg.set_default_timeout(60_000)
    yield pg
    # nothing was fetched from anywhere but this server (figures are data: URIs)
    assert all(u.startswith(server) or u.startswith("data:") for u in pg.requests), pg.requests
    context.close()


def submit(page, export: Path | dict, *, lang: str | None = None, names: bool = False) -> None:
    page.set_input_files("#file", export if isinstance(export, dict) else str(export))
    if lang:
        page.select_option("#lang", lang)
    if names:
        page.check("#names")
    page.click("#submit")


def wait_for_report(page) -> str:
    page.wait_for_url(re.compile(r"/report/[A-Za-z0-9_-]{20,}$"))
    expect(page.locator("#index-value")).to_be_visible()
    value = page.locator("#index-value").inner_text()
    assert re.fullmatch(r"(\d{1,3}|–)\s*/100", value), value
    if value.startswith("–"):  # thin data: the page says why instead of giving a number
        expect(page.locator("#no-verdict")).to_be_visible()
    expect(page.locator(ASPECT_ROWS)).to_have_count(5)
    return value


def test_upload_view_switch_language_and_download(page, server, exports):
    page.goto(server + "/")
    expect(page.locator("h1")).to_have_text("Seberapa kompak grup Anda?")
    expect(page.locator("#lang")).to_have_value("id")
    expect(page.locator("#tz")).to_have_value("Asia/Jakarta")
    expect(page.locator("#names")).not_to_be_checked()
    page.screenshot(path=str(ARTIFACTS / "web-upload.png"), full_page=True)

    # Indonesian report; the progress box shows while uploading and analysing
    submit(page, exports.example)
    expect(page.locator("#progress")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "web-progress.png"))
    value_id = wait_for_report(page)
    expect(page.locator("#aspects h2")).to_have_text("Lima aspek kohesi sosial")
    expect(page.locator(ASPECT_ROWS).first).to_contain_text("Kepercayaan & norma bersama")
    page.screenshot(path=str(ARTIFACTS / "web-report.png"))

    # back to the form, upload again in English
    page.click("#new-report")
    page.wait_for_url(server + "/?lang=id")
    submit(page, exports.example, lang="en")
    value_en = wait_for_report(page)
    expect(page.locator("#aspects h2")).to_have_text("The five aspects of social cohesion")
    expect(page.locator(ASPECT_ROWS).first).to_contain_text("Trust & shared norms")
    expect(page.locator("#headline h2")).to_have_text("How cohesive is the group?")
    assert value_en.split("/")[0].strip() == value_id.split("/")[0].strip()
    page.screenshot(path=str(ARTIFACTS / "web-report-en.png"))

    # download: the same report as a file, without the bar above it
    with page.expect_download() as info:
        page.click("#download")
    download = info.value
    assert download.suggested_filename == f"kohesi-{exports.slug}-en.html"
    saved = ARTIFACTS / "web-download.html"
    download.save_as(str(saved))
    html = saved.read_text("utf-8")
    assert html.startswith("<!doctype html>") and '<html lang="en">' in html
    m = re.search(r'id="index-value">(\d+|–)<', html)
    assert m and m.group(1) == value_en.split("/")[0].strip()
    assert html.count("<span class=\"name\">") == 5 and '<section id="aspects">' in html
    assert "kohesi-toolbar" not in html
    assert page.dialogs == [] and page.console_errors == []


def test_the_english_form(page, server):
    page.goto(server + "/")
    page.click("#ui-switch")
    page.wait_for_url(server + "/?lang=en")
    expect(page.locator("h1")).to_have_text("How cohesive is your group?")
    expect(page.locator("#lang")).to_have_value("en")
    page.screenshot(path=str(ARTIFACTS / "web-upload-en.png"), full_page=True)


def test_hostile_names_run_no_script(page, server, exports):
    page.add_init_script("window.__xss = undefined;")
    page.goto(server + "/")
    submit(page, {"name": "WhatsApp Chat with Warga RT 05.txt", "mimeType": "text/plain",
                  "buffer": exports.xss}, names=True)
    wait_for_report(page)
    left_out = page.locator("#participation").inner_text()
    assert exports.FLAG in left_out and exports.SCRIPT in left_out and exports.ENTITY in left_out
    page.wait_for_timeout(500)  # let any (broken) image error handler fire
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.locator("script").count() == 0
    assert page.dialogs == []
    page.locator("#participation").screenshot(path=str(ARTIFACTS / "web-xss.png"))


def test_errors_show_on_the_form_and_the_server_keeps_serving(page, server, exports):
    page.goto(server + "/")
    submit(page, {"name": "photo.png", "mimeType": "image/png", "buffer": exports.png})
    alert = page.locator("#upload-error")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("Berkas “photo.png” tidak dapat dibaca: ini berkas '.png', bukan ekspor chat")
    page.screenshot(path=str(ARTIFACTS / "web-error.png"))
    # too large: refused in the page before uploading (the server refuses it too)
    submit(page, {"name": "big.txt", "mimeType": "text/plain", "buffer": b"0" * (CAP + 1)})
    expect(alert).to_contain_text("Berkas terlalu besar")
    # the same form still makes a report afterwards
    submit(page, exports.example)
    wait_for_report(page)
    assert page.dialogs == []


def test_a_file_dropped_on_the_form_is_taken(page, server, exports):
    page.goto(server + "/")
    dt = page.evaluate_handle(
        """(text) => { const dt = new DataTransfer();
             dt.items.add(new File([text], 'WhatsApp Chat with Warga RT 05.txt', {type: 'text/plain'}));
             return dt; }""", exports.example_bytes.decode("utf-8"))
    page.dispatch_event(".drop-hint", "dragover", {"dataTransfer": dt})
    page.dispatch_event(".drop-hint", "drop", {"dataTransfer": dt})
    assert page.evaluate("document.getElementById('file').files[0].name") == "WhatsApp Chat with Warga RT 05.txt"
    assert page.url == server + "/"  # the browser did not open the file itself
