"""The scoring package stays pure: no Django, no domain app."""

import ast
from pathlib import Path

SCORING = Path(__file__).resolve().parents[2] / "parindex" / "scoring"
FORBIDDEN = ("django", "parindex.core", "parindex.web")


def imported_modules(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_scoring_package_imports_neither_django_nor_the_domain_app():
    offenders = [
        f"{path.name}: {module}"
        for path in SCORING.rglob("*.py")
        for module in imported_modules(path)
        if module.startswith(FORBIDDEN)
    ]
    assert list(SCORING.rglob("*.py")), "scoring package not found"
    assert offenders == []


def test_scoring_package_uses_no_floats_or_clock():
    source = "\n".join(p.read_text(encoding="utf-8") for p in SCORING.rglob("*.py"))
    assert "float(" not in source
    assert "datetime" not in source
