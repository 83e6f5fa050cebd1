"""Playwright driving the Debian Chromium; skipped without a browser, except under CI."""

import os
import shutil

import pytest

from tests.builders import load_demo_copied

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs the Debian package chromium for the end-to-end tests.")
        pytest.skip("No chromium on PATH: install the Debian package chromium to run e2e tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


@pytest.fixture
def demo_live(transactional_db, live_server):
    """The demo province behind a live server (on SQLite copied back from the session's first
    load of the demo: see ``load_demo_copied``)."""
    load_demo_copied()
    return live_server


def screenshot(page, name, *, full_page=True):
    """Save a screenshot when SCREENSHOT_DIR is set (for people looking at the pages)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=full_page)
