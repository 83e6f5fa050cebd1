"""Workbooks whose XML is hostile or broken: external entities, entity expansion, truncation.

Each is built from a valid workbook by rewriting one part of the zip. Every reader and every
import command answers with the one "tệp hỏng" message; no entity is ever resolved.
"""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parindex.core.excel import workbooks
from parindex.core.excel.reading import ImportProblems
from tests.builders import written_state
from tests.core.test_excel import UNITS, book, period_book

pytestmark = pytest.mark.django_db

BROKEN = "Tệp .xlsx bị hỏng, không đọc được."
PASSWD = Path("/etc/passwd").read_text().splitlines()[0]  # "root:x:0:0:…" on every Linux
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EXTERNAL = '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<!DOCTYPE x [<!ENTITY e0 "lol">'
    + "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10))
    + '<!ENTITY e "&e9;">]>'
)
SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def rewritten(buffer: io.BytesIO, parts: dict) -> io.BytesIO:
    """Return a copy of the workbook in ``buffer`` where each part named in ``parts`` is
    replaced by ``parts[name](old bytes)`` (``old`` is b"" for a part the copy adds)."""
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        names = source.namelist()
        for name in names:
            data = source.read(name)
            target.writestr(name, parts[name](data) if name in parts else data)
        for name in parts.keys() - set(names):
            target.writestr(name, parts[name](b""))
    out.seek(0)
    return out


def cell_made(target: str, replacement: str):
    """Rewrite a worksheet so the inline-string cell ``target`` ends as ``replacement``
    (its type attribute and content)."""
    old = f't="inlineStr"><is><t>{target}</t></is>'.encode()

    def rewrite(xml: bytes) -> bytes:
        assert old in xml
        return xml.replace(old, replacement.encode(), 1)

    return rewrite


def entity_sheet(target: str, doctype: str, text="&e;"):
    """The worksheet as openpyxl wrote it (<dimension> first) under ``doctype``, the cell
    ``target`` holding ``text``: an entity there is met only when rows are read."""
    swap = cell_made(target, f't="inlineStr"><is><t>{text}</t></is>')
    return {SHEET: lambda xml: (DECLARATION + doctype).encode() + swap(xml)}


def entity_strings(target: str, doctype: str, text="&e;"):
    """The cell ``target`` points at a shared string ``text``, in a part under ``doctype``."""
    strings = f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>{text}</t></si></sst>'
    override = f'<Override PartName="/{STRINGS}" ContentType="{STRINGS_TYPE}" /></Types>'
    return {
        SHEET: cell_made(target, 't="s"><v>0</v>'),
        STRINGS: lambda old: (DECLARATION + doctype + strings).encode(),
        "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", override.encode()),
    }


VARIANTS = {
    "external entity in a cell": lambda t: entity_sheet(t, EXTERNAL),
    "billion laughs in a cell": lambda t: entity_sheet(t, LAUGHS),
    "truncated worksheet": lambda t: {SHEET: lambda xml: xml[: len(xml) * 2 // 3]},
    "external entity in shared strings": lambda t: entity_strings(t, EXTERNAL),
    "billion laughs in shared strings": lambda t: entity_strings(t, LAUGHS),
    "truncated shared strings": lambda t: {
        **entity_strings(t, ""),
        STRINGS: lambda old: f'<sst xmlns="{MAIN}"><si><t>Sở'.encode(),
    },
}
SOURCES = {  # each kind's workbook and a text cell of its first sheet
    "units": (lambda: book({"Đơn vị": UNITS}), "Sở A"),
    "period": (period_book, "Bộ thử Excel"),
}


def hostile(kind: str, variant: str) -> io.BytesIO:
    """A units or period workbook (its first sheet read by each kind's reader) made hostile."""
    make, target = SOURCES[kind]
    return rewritten(make(), VARIANTS[variant](target))


@pytest.mark.parametrize("build", [entity_sheet, entity_strings])
def test_the_builders_make_readable_files_when_nothing_is_hostile(build):
    """The hostile files differ from readable ones only by the hostile part."""
    units = rewritten(book({"Đơn vị": UNITS}), build("Sở A", "", "Sở U1"))
    assert [u["name"] for u in workbooks.read_units(units)[0]][0] == "Sở U1"
    period = rewritten(period_book(), build("Bộ thử Excel", "", "Bộ U1"))
    assert workbooks.read_period(period).sets["SO"]["name"] == "Bộ U1"


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", ["units", "period"])
def test_hostile_or_truncated_xml_gives_the_one_broken_file_message(kind, variant):
    reader = workbooks.read_units if kind == "units" else workbooks.read_period
    before = written_state()
    with pytest.raises(ImportProblems) as caught:
        reader(hostile(kind, variant))
    assert [str(p) for p in caught.value.problems] == [BROKEN]
    assert PASSWD not in str(caught.value)
    assert written_state() == before


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", ["units", "period"])
def test_import_commands_refuse_hostile_xml_with_the_broken_file_message(kind, variant, tmp_path):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(hostile(kind, variant).getvalue())
    before = written_state()
    with pytest.raises(CommandError) as caught:
        call_command(f"import{kind}", str(path))
    assert BROKEN in str(caught.value) and PASSWD not in str(caught.value)
    assert written_state() == before


def test_openpyxl_parses_with_defusedxml():
    """openpyxl picks defusedxml when it is installed: entity declarations are refused."""
    assert openpyxl.DEFUSEDXML is True
