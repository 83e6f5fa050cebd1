"""The plotly.js the dashboards load: a partial bundle vendored with its licence, of the version the
Python package writes its figures for, holding every trace type the chart modules build."""

import ast
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest
from django.conf import settings
from plotly.basedatatypes import BaseTraceType
from plotly.offline import get_plotlyjs_version

from parindex.web.charts.base import PLOTLY_BUNDLE, PLOTLY_TRACE_TYPES
from tests.web.test_dashboards import PAGES, figures

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "static" / "vendor"
BUNDLE = ROOT / "static" / PLOTLY_BUNDLE
STATIC_TAG = re.compile(r"""\{%\s*static\s+['"]([^'"]+)['"]\s*%\}""")
# What a minified plotly.js build says in its first line: "plotly.js v3.7.0" for the full build,
# "plotly.js (cartesian - minified) v3.7.0" for a partial one.
HEADER = re.compile(r"plotly\.js (?:\((\w+) - minified\) )?v(\d+\.\d+\.\d+)")


def header(path: Path) -> re.Match | None:
    with path.open(encoding="utf-8", errors="replace") as file:
        return HEADER.search(file.read(300))


def templates_naming(pattern: str) -> dict[str, list[str]]:
    """Return the static paths each template names that contain ``pattern``, by template."""
    found = {}
    for template in sorted((ROOT / "templates").rglob("*.html")):
        paths = [p for p in STATIC_TAG.findall(template.read_text()) if pattern in p]
        if paths:
            found[str(template.relative_to(ROOT))] = paths
    return found


def test_chart_scripts_load_the_declared_bundle_which_is_vendored_with_its_licence():
    partial = (ROOT / "templates/includes/_chart_scripts.html").read_text()
    assert STATIC_TAG.findall(partial)[0] == PLOTLY_BUNDLE
    assert BUNDLE.is_file(), f"static/{PLOTLY_BUNDLE} is missing (see static/vendor/README.md)"
    licence = BUNDLE.with_name(BUNDLE.name.removesuffix(".min.js") + ".LICENSE.txt")
    assert licence.is_file(), f"{licence.name} must lie next to the bundle"
    assert "MIT License" in licence.read_text() and "Plotly" in licence.read_text()


def test_every_vendored_file_a_template_names_is_there():
    for template, paths in templates_naming("vendor/").items():
        for path in paths:
            assert (ROOT / "static" / path).is_file(), f"{template} loads missing static/{path}"


def test_templates_load_plotly_only_through_the_chart_scripts():
    assert templates_naming("plotly") == {"templates/includes/_chart_scripts.html": [PLOTLY_BUNDLE]}


def test_the_full_plotly_build_is_not_back():
    for path in VENDOR.glob("*.js"):
        match = header(path)
        assert match is None or match.group(1), f"{path.name} is plotly.js's full build"
    assert BUNDLE.stat().st_size < 2_000_000, "the bundle is no longer a partial one"


def test_bundle_is_the_plotly_js_the_python_package_writes_figures_for():
    match = header(BUNDLE)
    assert match is not None and match.group(1) == "cartesian"
    assert match.group(2) == get_plotlyjs_version(), (
        f"plotly {plotly.__version__} writes figures for plotly.js {get_plotlyjs_version()}, "
        f"the bundle is {match.group(2)}: fetch the matching one (see static/vendor/README.md)"
    )
    assert match.group(2) in BUNDLE.name


def test_declared_trace_types_are_the_ones_the_bundle_registers():
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE.read_text()))
    assert registered == PLOTLY_TRACE_TYPES


def trace_types_in_chart_modules() -> set[str]:
    """Return the trace types the chart modules build (``go.Bar(...)``, ``fig.add_bar(...)``)."""
    # plotly.graph_objects loads its classes lazily: dir() lists them, vars() does not yet.
    # A trace class knows its type as _path_str ("Histogram2dContour": "histogram2dcontour").
    classes = {
        name: cls._path_str
        for name in dir(go)
        if isinstance(cls := getattr(go, name), type) and issubclass(cls, BaseTraceType)
    }
    every_type = set(classes.values())
    used = set()
    for module in (ROOT / "parindex/web/charts").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name = node.func.attr
            owner = node.func.value
            if isinstance(owner, ast.Name) and owner.id == "go" and name in classes:
                used.add(classes[name])
            elif name.startswith("add_") and name[4:] in every_type:
                used.add(name[4:])
    return used


def test_chart_modules_build_only_trace_types_the_bundle_has():
    used = trace_types_in_chart_modules()
    assert used, "the scan found no trace at all"
    assert used <= PLOTLY_TRACE_TYPES, f"not in the bundle: {used - PLOTLY_TRACE_TYPES}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_every_trace_a_page_carries_is_in_the_bundle(demo, client, url):
    drawn = {
        trace.get("type", "scatter")
        for chart in figures(client.get(url)).values()
        for trace in chart["data"]
    }
    assert drawn
    assert drawn <= PLOTLY_TRACE_TYPES
    # The scan above sees every type the pages show, so it covers charts the demo lacks too.
    assert drawn <= trace_types_in_chart_modules()
