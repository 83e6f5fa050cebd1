"""Once a group is published, the rules that made its results are frozen (core/rules_freeze.py).

Services and imports refuse changes to the criteria set, caps, bands, ranking and tie rule of
published results, writing nothing; changes before that are audited old → new.
"""

import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from parindex.core import rules_freeze
from parindex.core.excel import workbooks
from parindex.core.excel.writing import write_period
from parindex.core.models import AuditEntry, GradeBand, PeriodGroup, TieRule
from parindex.core.services import WorkflowError
from parindex.core.services.corrections import correct_results
from parindex.core.services.criteria import load_criteria_set
from parindex.core.services.decisions import set_group_ranking, set_tie_rule
from parindex.core.services.imports import import_period_changes, preview_period_import
from parindex.core.services.results import finalise_group, publish_group
from tests.builders import (
    assess,
    full_scores,
    leaf_of,
    make_period,
    make_unit,
    make_user,
    refused,
    small_criteria_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver():
    return make_user("pheduyet", "approver")


def partly_published(year=2022):
    """A period whose departments (SO) are published and districts (QH) still open."""
    period = make_period(year, groups=(("SO", True), ("QH", True)))
    assess(period, make_unit("A"), full_scores(60, 30))
    assess(period, make_unit("B"), full_scores(50, 30))
    assess(period, make_unit("Q", "QH"), full_scores(50, 30))
    so = group_id(period, "SO")
    finalise_group(period, so)
    publish_group(period, so, decision_number="12/QĐ-UBND")
    return period


def group_id(period, code):
    return PeriodGroup.objects.get(period=period, group__code=code).group_id


def test_the_freeze_rule_per_criteria_set_group_and_period():
    unused, _ = load_criteria_set(small_criteria_data(name="Bộ chưa dùng"))
    period = partly_published()
    used = PeriodGroup.objects.get(period=period, group__code="SO").criteria_set
    assert (rules_freeze.criteria_set_frozen(used), rules_freeze.criteria_set_frozen(unused)) == (
        True,
        False,
    )
    assert rules_freeze.group_frozen(period, group_id(period, "SO"))
    assert not rules_freeze.group_frozen(period, group_id(period, "QH"))
    assert rules_freeze.tie_rule_frozen(period)
    assert not rules_freeze.tie_rule_frozen(make_period(2023))


def test_a_new_tie_rule_for_a_period_with_a_published_group_is_refused_as_frozen(approver):
    period = partly_published()
    with refused(WorkflowError, match="quy tắc xếp hạng khi bằng điểm đã khóa"):
        set_tie_rule(period, by=approver, rule=TieRule.UNROUNDED)


def test_the_ranking_of_a_published_group_is_refused_as_frozen(approver):
    period = partly_published()
    with refused(WorkflowError, match="Khối đã công bố kết quả"):
        set_group_ranking(period, group_id(period, "SO"), by=approver, ranked=False, reason="x")


def test_new_caps_for_a_set_used_by_published_results_are_refused_as_frozen():
    partly_published()
    with refused(WorkflowError, match="đã dùng cho kết quả đã công bố"):
        load_criteria_set(small_criteria_data(bonus_cap="4"))


def test_new_caps_for_a_set_no_period_uses_are_audited_old_to_new():
    criteria_set, _ = load_criteria_set(small_criteria_data())
    load_criteria_set(small_criteria_data(bonus_cap="4", deduction_cap="6"))
    criteria_set.refresh_from_db()
    assert criteria_set.bonus_cap == D("4")
    entry = AuditEntry.objects.get(action="criteria_set.updated")
    assert entry.changes == {"bonus_cap": ["3", "4"], "deduction_cap": ["5", "6"]}


def exported(period, *, bands=None, info=None):
    """The app's own export of ``period`` with band bounds {(group, label): bound} and info
    {key: value} changed."""
    workbook = load_workbook(io.BytesIO(write_period(period)))
    for (group, label), bound in (bands or {}).items():
        sheet = workbook["Xếp loại"]
        row = next(
            r for r in sheet.iter_rows(min_row=2) if (r[0].value, r[1].value) == (group, label)
        )
        row[2].value = bound
    for key, value in (info or {}).items():
        row = next(r for r in workbook["Thông tin"].iter_rows() if r[0].value == key)
        row[1].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return workbooks.read_period(buffer)


def test_the_import_preview_refuses_new_bands_for_a_published_group():
    period = partly_published()
    data = exported(period, bands={("SO", "Tốt"): 85})
    with refused(WorkflowError, match="đã công bố"):
        preview_period_import(data)
    assert GradeBand.objects.get(period=period, group__code="SO", label="Tốt").lower_bound == 80


def test_the_import_preview_refuses_new_caps_for_a_set_used_by_published_results():
    period = partly_published()
    data = exported(period, info={"Điểm thưởng tối đa": 4})
    with refused(WorkflowError, match="đã dùng cho kết quả đã công bố"):
        preview_period_import(data)


def test_bands_of_an_open_group_of_a_partly_published_period_import_with_an_audit_entry():
    period = partly_published()
    import_period_changes(exported(period, bands={("QH", "Tốt"): 85}))
    assert GradeBand.objects.get(period=period, group__code="QH", label="Tốt").lower_bound == 85
    entry = AuditEntry.objects.get(action="period.imported")
    assert [s for s in entry.changes["settings"] if "QH" in s[0]] == [
        [
            "Khối QH: xếp loại",
            "Tốt ≥ 80 (#4c9a2a); Khá ≥ 70 (#d4a017)",
            "Tốt ≥ 85 (#4c9a2a); Khá ≥ 70 (#d4a017)",
        ]
    ]


def test_a_correction_keeps_the_published_bands_when_another_groups_bands_changed(approver):
    period = partly_published()
    import_period_changes(exported(period, bands={("QH", "Tốt"): 99}))
    before = period.result_sets.get(group__code="SO", is_current=True).units.get(unit__code="A")
    assessment = before.unit.assessments.get(period=period)
    correct_results(
        period,
        by=approver,
        reason="Sửa điểm",
        decision_number="13/QĐ-UBND",
        changes=[(assessment, leaf_of(period, "1.2.1"), "29", "Sai sót")],
    )
    after = period.result_sets.get(group__code="SO", is_current=True).units.get(unit__code="A")
    assert (before.grade_label, after.grade_label) == ("Tốt", "Tốt")
    assert after.index == before.index - 1


def test_a_new_tree_for_a_set_no_period_uses_is_audited_with_its_size():
    load_criteria_set(small_criteria_data())
    data = small_criteria_data()
    data["nodes"][1]["children"].append(
        {"code": "2.2", "title": "Tiêu chí 2.2", "max": "0", "method": "survey"}
    )
    load_criteria_set(data)
    entry = AuditEntry.objects.get(action="criteria_set.updated")
    assert entry.changes == {"nodes": ["10 tiêu chí", "11 tiêu chí"]}
