"""A wide table scrolls inside its own box on a phone, never the whole page.

A scan of the templates: every ``<table>`` opens inside ``<div class="table-wrap" tabindex="0">``
(app.css gives it ``overflow-x: auto``; the tabindex lets a keyboard scroll it), and every class
a template puts on such a box is one app.css defines.
"""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"
WRAPPED = re.compile(r'<div class="table-wrap" tabindex="0">\s*$')


def unwrapped_tables() -> list[str]:
    """Return "file:line" of each table not opened right after a table-wrap box."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b", text):
            if not WRAPPED.search(text[: match.start()]):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(TEMPLATES)}:{line}")
    return found


def test_the_scan_finds_a_table_outside_a_scrolling_box():
    assert not WRAPPED.search('<div class="table-scroll">')
    assert WRAPPED.search('<h2>x</h2>\n<div class="table-wrap" tabindex="0">')


def test_every_table_of_the_templates_scrolls_inside_its_own_box():
    assert unwrapped_tables() == []


def test_the_scrolling_box_is_styled_by_the_stylesheet():
    assert re.search(r"\.table-wrap\s*\{[^}]*overflow-x:\s*auto", CSS.read_text(encoding="utf-8"))
