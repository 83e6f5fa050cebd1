"""The `Phân công thẩm định` sheet of the period workbook: written, read back, imported, and
its problems named at their cells."""

import io

import pytest
from openpyxl import load_workbook

from parindex.core.excel import workbooks
from parindex.core.excel.reading import ImportProblems
from parindex.core.excel.team_sheet import TEAM
from parindex.core.excel.writing import write_period
from parindex.core.models import AssessmentStatus, Assignment, AuditEntry
from parindex.core.services.imports import import_period_changes
from parindex.core.services.team import add_assignment
from tests.builders import assess, full_scores, leaf_of, make_period, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_period():
    period = make_period(2024)
    for code in ("A", "B"):
        assess(period, make_unit(code), full_scores(50, 30), status=AssessmentStatus.APPRAISING)
    approver = make_user("pheduyet", "approver")
    tuphap = make_user("thamdinh.tuphap", "reviewer")
    make_user("thamdinh.taichinh", "reviewer")
    make_user("canbo.a", "officer", make_unit("A"))
    add_assignment(period, by=approver, reviewer=tuphap, criterion=leaf_of(period, "2"))
    add_assignment(period, by=approver, reviewer=tuphap, unit=make_unit("B"))
    return period


def sheet_values(payload: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(payload))[TEAM]
    return [tuple(row[:3]) for row in sheet.iter_rows(values_only=True)]


def with_team_rows(payload: bytes, rows) -> io.BytesIO:
    workbook = load_workbook(io.BytesIO(payload))
    sheet = workbook[TEAM]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def assignments(period):
    return {
        (
            a.reviewer.username,
            a.unit.code if a.unit else None,
            a.criterion.code if a.criterion else None,
        )
        for a in Assignment.objects.filter(period=period).select_related(
            "reviewer", "unit", "criterion"
        )
    }


def test_the_period_workbook_writes_the_team_one_assignment_a_row(team_period):
    assert sheet_values(write_period(team_period)) == [
        ("Tài khoản", "Mã đơn vị", "Mã tiêu chí"),
        ("thamdinh.tuphap", None, "2"),
        ("thamdinh.tuphap", "B", None),
    ]


def test_the_team_sheet_round_trips_and_importing_it_unchanged_changes_nothing(team_period):
    before = assignments(team_period)
    data = workbooks.read_period(io.BytesIO(write_period(team_period)))
    assert data.team == [
        {"username": "thamdinh.tuphap", "unit": "", "criterion": "2"},
        {"username": "thamdinh.tuphap", "unit": "B", "criterion": ""},
    ]
    import_period_changes(data)
    assert assignments(team_period) == before
    assert not AuditEntry.objects.filter(action="team.imported").exists()


def test_importing_a_changed_team_sheet_replaces_the_team(team_period):
    changed = with_team_rows(
        write_period(team_period),
        [("thamdinh.taichinh", None, "1.2"), ("thamdinh.tuphap", "A", "2")],
    )
    import_period_changes(workbooks.read_period(changed))
    assert assignments(team_period) == {
        ("thamdinh.taichinh", None, "1.2"),
        ("thamdinh.tuphap", "A", "2"),
    }
    assert AuditEntry.objects.filter(action="team.imported").count() == 1


def test_a_workbook_without_the_team_sheet_keeps_the_team(team_period):
    workbook = load_workbook(io.BytesIO(write_period(team_period)))
    del workbook[TEAM]
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    data = workbooks.read_period(out)
    assert data.team is None
    import_period_changes(data)
    assert len(assignments(team_period)) == 2


def test_team_sheet_problems_are_named_at_their_cells_and_nothing_is_written(team_period):
    broken = with_team_rows(
        write_period(team_period),
        [
            ("khongco", None, "2"),
            ("canbo.a", "A", None),
            ("thamdinh.tuphap", "ZZ", None),
            ("thamdinh.tuphap", "A", "9.9"),
            ("thamdinh.tuphap", None, None),
        ],
    )
    with pytest.raises(ImportProblems) as caught:
        workbooks.read_period(broken)
    problems = {(p.sheet, p.cell, p.message) for p in caught.value.problems}
    assert problems == {
        (TEAM, "A2", "Không có tài khoản thẩm định “khongco”."),
        (TEAM, "A3", "Không có tài khoản thẩm định “canbo.a”."),
        (TEAM, "B4", "Đơn vị “ZZ” không có trong trang Đơn vị."),
        (TEAM, "C5", "Không có tiêu chí mã “9.9” trong bộ tiêu chí."),
        (TEAM, "B6", "Ghi mã đơn vị, mã tiêu chí hoặc cả hai."),
    }
    assert len(assignments(team_period)) == 2
