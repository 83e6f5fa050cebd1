"""Every Vietnamese text the interface's Python code shows goes through gettext.

The scan walks ``parindex/web/`` and fails on a string literal with Vietnamese letters that is
neither a docstring nor the argument of ``_``/``gettext``/``gettext_lazy``/``ngettext``/
``pgettext``. ALLOWED names the files whose texts are an interchange format and stay Vietnamese.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

WEB = Path(settings.BASE_DIR) / "parindex" / "web"
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
GETTEXT = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
}
# The CSV download's columns and title lines match the official annex (core/excel/titles.py):
# documents in the province's language, exported under translation.override.
ALLOWED = {"exports.py"}


def unmarked(source: str) -> list[str]:
    """Return the Vietnamese string literals of ``source`` outside gettext calls."""
    tree = ast.parse(source)
    marked = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            marked.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in GETTEXT:
                marked.update(id(arg) for arg in node.args)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and VIETNAMESE.search(node.value)
        and id(node) not in marked
    ]


def test_the_scan_finds_an_unmarked_text_and_passes_marked_ones():
    source = 'def f():\n    """Đọc."""\n    return _("Đã lưu."), "Chưa lưu"\n'
    assert unmarked(source) == ["Chưa lưu"]
    assert unmarked('x = ngettext("%(n)d đơn vị", "%(n)d đơn vị", n)') == []


def test_every_vietnamese_text_of_the_interface_code_is_marked_for_translation():
    found = {
        path.relative_to(WEB).as_posix(): texts
        for path in sorted(WEB.rglob("*.py"))
        if path.name not in ALLOWED and (texts := unmarked(path.read_text(encoding="utf-8")))
    }
    assert found == {}
