"""Unit and group codes follow one rule (``core/codes.py``) wherever a code enters: the import
readers (a problem at the cell), the services, the model (the admin), and the URLs."""

import pytest
from django.urls import reverse

from parindex.core.codes import CODE_MAX_LENGTH, code_problem
from parindex.core.errors import WorkflowError
from parindex.core.excel import workbooks
from parindex.core.excel.reading import ImportProblems
from parindex.core.models import Unit, UnitGroup
from parindex.core.services.imports import import_units
from tests.builders import refused
from tests.core.test_excel import UNITS, book, period_book

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "code",
    ["STP", "SYN-00001", "Q.1", "so_tu_phap", "7", "A" * CODE_MAX_LENGTH],
)
def test_codes_of_letters_digits_dash_underscore_and_dot_are_valid(code):
    assert code_problem(code) is None
    reverse("web:unit-profile", args=[code])  # every valid code makes a link


@pytest.mark.parametrize(
    "code",
    ["A/B", "A B", "Sở", ".", "..", "-A", "A?b", "A#1", "A%2F", "", "A" * (CODE_MAX_LENGTH + 1)],
)
def test_codes_with_slashes_spaces_diacritics_or_a_leading_sign_are_refused(code):
    assert code_problem(code)


def units_with(row: int, column: int, value: str) -> list[list]:
    rows = [list(r) for r in UNITS]
    rows[row][column] = value
    return rows


def problems_at(read, cell: str) -> list[tuple]:
    """The problems an import reports at the cell ``cell`` of the `Đơn vị` sheet."""
    with pytest.raises(ImportProblems) as caught:
        read()
    return [
        (p.sheet, p.cell, p.message)
        for p in caught.value.problems
        if (p.sheet, p.cell) == ("Đơn vị", cell)
    ]


@pytest.mark.parametrize(
    "row, column, cell", [(1, 0, "A2"), (4, 3, "D5")], ids=["unit code", "group code"]
)
def test_the_importers_refuse_a_code_with_a_slash_at_its_cell(row, column, cell):
    units = units_with(row, column, "A/B")
    expected = [("Đơn vị", cell, code_problem("A/B"))]
    assert problems_at(lambda: workbooks.read_units(book({"Đơn vị": units})), cell) == expected
    period = period_book(**{"Đơn vị": units})
    assert problems_at(lambda: workbooks.read_period(period), cell) == expected


@pytest.mark.parametrize("unit, group", [("A/B", "SO"), ("A", "S/O")])
def test_the_unit_service_refuses_a_bad_code_and_writes_nothing(unit, group):
    row = {"code": unit, "name": "Sở A", "short_name": "", "group": group, "predecessors": []}
    with refused(WorkflowError, match="không hợp lệ"):
        import_units([row], {group: {"name": "Khối sở", "ranked": True}})
    assert not Unit.objects.exists() and not UnitGroup.objects.exists()
