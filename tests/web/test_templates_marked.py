"""Every Vietnamese word a template shows goes through a translate tag.

A scan, not a parser: it removes ``{% translate "…" %}``, ``{% blocktranslate %}`` blocks,
``_("…")`` filter arguments and comments (``{# … #}``, ``{% comment %}``), then fails on any
Vietnamese letter left. Text that comes from data (a unit's name in a test fixture, say) lives in
views and models, not templates; ALLOWED lists the few exceptions by file, with the reason.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"

VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
MARKED = [
    re.compile(r"\{%\s*blocktranslate\b.*?\{%\s*endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*translate\s+(\"[^\"]*\"|'[^']*').*?%\}", re.S),
    re.compile(r"\b_\((\"[^\"]*\"|'[^']*')\)"),
]
# file (relative to templates/) → the exact unmarked texts it may show, and why.
ALLOWED: dict[str, set[str]] = {}


def unmarked(text: str) -> list[str]:
    """Return the lines of ``text`` that still show Vietnamese outside a translate tag."""
    for pattern in MARKED:
        text = pattern.sub("", text)
    return [line.strip() for line in text.splitlines() if VIETNAMESE.search(line)]


def test_the_scan_finds_unmarked_text_and_passes_marked_text():
    assert unmarked("<h1>Xếp hạng</h1>") == ["<h1>Xếp hạng</h1>"]
    assert unmarked('<h1>{% translate "Xếp hạng" %}</h1>{# Bảng #}') == []
    assert unmarked("{% blocktranslate %}Có {{ n }} đơn vị{% endblocktranslate %}") == []
    assert unmarked('{{ x|default:_("không có") }}') == []


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(TEMPLATES).as_posix()
        for p in TEMPLATES.rglob("*")
        if p.suffix in (".html", ".txt")
    ),
)
def test_every_vietnamese_text_of_a_template_is_marked_for_translation(path):
    lines = unmarked((TEMPLATES / path).read_text(encoding="utf-8"))
    allowed = ALLOWED.get(path, set())
    assert [line for line in lines if line not in allowed] == []
