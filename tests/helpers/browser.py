"""Debian's Chromium driven by Playwright, for the tests that look at pages as a reader does.

Never runs ``playwright install``: it uses ``/usr/bin/chromium`` (CI: ``apt-get install -y
chromium``); :func:`require_browser` skips a test module, with the reason, where that or the
``playwright`` package is missing. Screenshots and PDFs go to :data:`ARTIFACTS` (git-ignored).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_browser(module_level: bool = True) -> None:
    """Skip (the module, or the test) unless Chromium and Playwright are here."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser test needs Chromium at {CHROMIUM} (apt-get install -y chromium)",
                    allow_module_level=module_level)
    pytest.importorskip("playwright.sync_api", reason="browser test needs the 'playwright' Python package")


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium browser for the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()
