"""Texts an import writes to a CharField are checked against the field's length at the cell,
so the preview refuses what the database would refuse (PostgreSQL) or store over length
(SQLite)."""

import pytest

from parindex.core.excel import workbooks
from parindex.core.models import CriteriaSet, GradeBand, Unit, UnitGroup
from parindex.core.services.imports import import_period
from tests.core.test_excel import BANDS, CRITERIA, INFO, UNITS, nothing_written, period_book
from tests.core.test_excel import problems_of as problems_in

pytestmark = pytest.mark.django_db


def long_text(model, name, extra=1) -> str:
    return "x" * (model._meta.get_field(name).max_length + extra)


def units_with(column: int, text: str):
    row = list(UNITS[1])
    row[column] = text
    return {"Đơn vị": [UNITS[0], row, *UNITS[2:]]}


def info_with(key: str, text: str):
    return {"Thông tin": [[k, text if k == key else v] for k, v in INFO]}


def message(column, model, name):
    limit = model._meta.get_field(name).max_length
    return f"“{column}” dài {limit + 1} ký tự, vượt giới hạn {limit} ký tự."


CASES = [
    ("Đơn vị", "A2", "Mã đơn vị", Unit, "code", lambda t: units_with(0, t)),
    ("Đơn vị", "B2", "Tên đơn vị", Unit, "name", lambda t: units_with(1, t)),
    ("Đơn vị", "C2", "Tên viết tắt", Unit, "short_name", lambda t: units_with(2, t)),
    ("Đơn vị", "D2", "Khối", UnitGroup, "code", lambda t: units_with(3, t)),
    ("Đơn vị", "E2", "Tên khối", UnitGroup, "name", lambda t: units_with(4, t)),
    (
        "Xếp loại",
        "B2",
        "Xếp loại",
        GradeBand,
        "label",
        lambda t: {"Xếp loại": [BANDS[0], ["SO", t, 80, None], *BANDS[2:]]},
    ),
    ("Thông tin", "B2", "Bộ tiêu chí", CriteriaSet, "name", lambda t: info_with("Bộ tiêu chí", t)),
    (
        "Thông tin",
        "B3",
        "Quyết định",
        CriteriaSet,
        "decision_number",
        lambda t: info_with("Quyết định", t),
    ),
]


@pytest.mark.parametrize("sheet, cell, column, model, name, change", CASES)
def test_a_text_longer_than_its_field_is_a_problem_at_its_cell(
    sheet, cell, column, model, name, change
):
    before = nothing_written()
    problems = problems_in(workbooks.read_period, period_book(**change(long_text(model, name))))
    assert (sheet, cell, message(column, model, name)) in problems
    assert nothing_written() == before


def test_a_criterion_code_longer_than_its_field_is_a_problem_at_its_cell():
    code = "1" + ".1" * 15  # well-formed, 31 characters
    problems = problems_in(
        workbooks.read_criteria,
        period_book(**{"Tiêu chí": [*CRITERIA, [code, "Dài", 0, "Tự đánh giá", None, None]]}),
    )
    assert ("Tiêu chí", "A10", f"“Mã” dài {len(code)} ký tự, vượt giới hạn 30 ký tự.") in problems


def test_texts_exactly_as_long_as_their_fields_are_imported_whole():
    unit_name = long_text(Unit, "name", extra=0)
    decision = long_text(CriteriaSet, "decision_number", extra=0)
    changes = {**units_with(1, unit_name), **info_with("Quyết định", decision)}
    period = import_period(workbooks.read_period(period_book(**changes)))
    assert Unit.objects.get(code="A").name == unit_name
    assert period.period_groups.first().criteria_set.decision_number == decision
