"""The report as its readers see it: the bundled example in Debian's Chromium (Playwright), on a
390 px phone and a 1280 px screen, in both languages, and printed on A4.

Skipped, with the reason, without ``/usr/bin/chromium`` or the ``playwright`` package (CI installs
Chromium with apt-get). Screenshots and PDFs go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers.browser import ARTIFACTS, chromium, require_browser

require_browser()

from kohesi.report import make_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "WhatsApp Chat with Warga RT 05 Melati.txt"
WIDTHS = (390, 1280)
SUMMARY_TITLE = {"id": "Ringkasan untuk rapat warga", "en": "Summary for the residents' meeting"}
# Words that mark an English sentence; none may appear in the Indonesian page's running text.
ENGLISH = re.compile(r"\b(the|and|with|which|were|was|is|are|of|for|from|this|that|not|only|each|"
                     r"members?|posts?|week|score|interval|between|answered)\b", re.I)
PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    """The example's report in each language, written once for the module."""
    folder = tmp_path_factory.mktemp("report")
    out = {}
    for code in ("id", "en"):
        path = folder / f"report-{code}.html"
        path.write_text(make_report(EXAMPLE, lang_code=code, tz="Asia/Jakarta", bootstrap=30).to_html(), "utf-8")
        out[code] = path
    return out


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _open(browser, path: Path, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, errors


@pytest.mark.parametrize("code", ["id", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_fits_the_screen(browser, pages, code: str, width: int) -> None:
    """No horizontal scroll, no element wider than the screen, text large enough to read."""
    ARTIFACTS.mkdir(exist_ok=True)
    context, page, errors = _open(browser, pages[code], width)
    try:
        page.screenshot(path=str(ARTIFACTS / f"report-{code}-{width}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"page is {scroll} px wide on a {width} px screen"
        too_wide = page.evaluate("""(w) => [...document.querySelectorAll('body *')]
            .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > w + 0.5 || r.left < -0.5); })
            .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""",
                                 width)
        assert not too_wide, f"elements past the screen's edge: {too_wide}"
        small = page.evaluate("""() => [...document.querySelectorAll('p, li, td, th, dd, dt, span')]
            .filter(e => e.innerText && e.innerText.trim() && e.getBoundingClientRect().width > 0)
            .map(e => parseFloat(getComputedStyle(e).fontSize)).filter(s => s < 12).length""")
        assert small == 0, f"{small} text elements below 12 px"
        for fig in page.locator("img.fig").all():
            box = fig.bounding_box()
            assert box and box["width"] >= min(width - 60, 300), f"figure only {box} wide"
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("code", ["id", "en"])
def test_summary_first_in_the_readers_language(browser, pages, code: str) -> None:
    """The summary comes first, with the index, the weakest link, who may be left out and three
    suggestions, in the page's language."""
    context, page, _ = _open(browser, pages[code], 390)
    try:
        assert page.evaluate("document.documentElement.lang") == code
        first = page.locator("section").first
        assert first.get_attribute("id") == "summary"
        text = first.inner_text()
        assert SUMMARY_TITLE[code].upper() in text.upper()
        assert re.search(r"\b\d{1,3}\s*/100", text), text[:200]
        assert page.locator("#summary #weakest").count() == 1
        assert page.locator("#summary #left-out-summary li").count() >= 1
        assert page.locator("#summary ol.try li").count() == 3
        if code == "id":
            body = page.evaluate("""() => { const c = document.body.cloneNode(true);
                c.querySelectorAll('code, .m-refs, cite').forEach(e => e.remove());
                return c.innerText; }""")
            english = sorted({m.group(0).lower() for m in ENGLISH.finditer(body)})
            lines = [ln for ln in body.splitlines() if ENGLISH.search(ln)][:5]
            assert not english, f"English words on the Indonesian page: {english}; e.g. {lines}"
    finally:
        context.close()


@pytest.mark.parametrize("code", ["id", "en"])
def test_summary_prints_on_one_a4_sheet(browser, pages, code: str) -> None:
    """Printed from Chromium on A4: the summary alone fills exactly one sheet, and the whole report
    starts its details on the second."""
    ARTIFACTS.mkdir(exist_ok=True)
    context, page, _ = _open(browser, pages[code], 1280)
    try:
        whole = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        (ARTIFACTS / f"report-{code}.pdf").write_bytes(whole)
        n_whole = len(PDF_PAGE.findall(whole))
        page.add_style_tag(content="#summary ~ * { display: none !important; }")
        summary = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        n_summary = len(PDF_PAGE.findall(summary))
        assert n_summary == 1, f"the summary takes {n_summary} A4 pages"
        assert n_whole > 1
    finally:
        context.close()
