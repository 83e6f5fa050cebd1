"""Playwright driving the Debian Chromium; skipped without a browser, except under CI."""

import os
import shutil
import sqlite3

import pytest

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


_SQLITE_DEMO = []  # on SQLite: a copy of the database right after the first load of the demo


@pytest.fixture
def demo_live(transactional_db, live_server):
    """The demo province behind a live server.

    On SQLite the demo is loaded once per session and copied back into the (flushed) test
    database for each further test with SQLite's backup API: the same rows in milliseconds
    instead of seconds. Elsewhere every test loads it.
    """
    from django.db import connection

    from parindex.core.demo import load_demo

    if connection.vendor != "sqlite":
        load_demo()
        return live_server
    connection.ensure_connection()
    if _SQLITE_DEMO:
        _SQLITE_DEMO[0].backup(connection.connection)
    else:
        load_demo()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _SQLITE_DEMO.append(copy)
    return live_server


def screenshot(page, name, *, full_page=True):
    """Save a screenshot when SCREENSHOT_DIR is set (for people looking at the pages)."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=full_page)
