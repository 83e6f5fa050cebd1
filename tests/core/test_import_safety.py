"""Imports into a live cycle: they keep statuses, never overwrite what people entered unless
asked, preview every change with the index before → after, and refuse published results."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from parindex.core.excel import workbooks
from parindex.core.excel.writing import write_period
from parindex.core.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    Assessment,
    AssessmentStatus,
    AuditEntry,
    GroupStage,
    PeriodGroup,
    PeriodStatus,
    ResultSet,
    ScoreEntry,
    UnitResult,
)
from parindex.core.services import WorkflowError
from parindex.core.services.assessments import save_self_score
from parindex.core.services.decisions import set_unit_ranking
from parindex.core.services.import_changes import IMPORTED
from parindex.core.services.imports import import_period_changes, preview_period_import
from parindex.core.services.results import compute_results
from tests.builders import (
    adjust,
    assess,
    full_scores,
    leaf_of,
    make_unit,
    make_user,
    open_period,
    refused,
    written_state,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def live():
    return build_live()


def build_live():
    """An open period mid-cycle: A self-scored in the app, B appraised with an approved
    deduction and left out of the ranking by an approver, C never submitted, D submitted."""
    period = open_period(2023)
    units = {code: make_unit(code) for code in "ABCD"}
    a = assess(period, units["A"], status=AssessmentStatus.DRAFT)
    officer = make_user("canbo-a", "officer", units["A"])
    save_self_score(a, leaf_of(period, "1.1"), by=officer, points_text="20", note="", revision=0)
    save_self_score(a, leaf_of(period, "1.2.1"), by=officer, points_text="25", note="", revision=0)
    b = assess(period, units["B"], full_scores(50, 30))
    adjust(b, "3.2", AdjustmentKind.DEDUCTION, "1")
    approver = make_user("pheduyet", "approver")
    set_unit_ranking(b, by=approver, excluded=True, reason="Đang sáp nhập")
    assess(period, units["C"], status=AssessmentStatus.DRAFT)
    d_scores = {"1.1": {"self_points": 10}, "1.2.1": {"self_points": 20}}
    assess(period, units["D"], d_scores | {"2.1": {"survey_points": 35}}, status="submitted")
    compute_results(period)
    return period


def exported(period, edits=None, info=None) -> io.BytesIO:
    """The app's own export of ``period``, with ``edits`` {(unit, column): value} applied to the
    `Điểm` or `Đơn vị` sheet and ``info`` {key: value} to `Thông tin`."""
    workbook = load_workbook(io.BytesIO(write_period(period)))
    for (unit, column), value in (edits or {}).items():
        sheet = workbook["Đơn vị"] if column == "Không xếp hạng" else workbook["Điểm"]
        header = [c.value for c in sheet[1]]
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == unit)
        row[header.index(column)].value = value
    for key, value in (info or {}).items():
        sheet = workbook["Thông tin"]
        row = next(r for r in sheet.iter_rows() if r[0].value == key)
        row[1].value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def read(buffer):
    return workbooks.read_period(buffer)


def entry(code, unit):
    return ScoreEntry.objects.get(assessment__unit__code=unit, criterion__code=code)


def results(period):
    return list(
        UnitResult.objects.current_for(period)
        .order_by("unit__code")
        .values_list("unit__code", "index", "rank", "standing")
    )


def test_importing_the_apps_own_export_of_an_open_period_changes_nothing(live):
    before, stored = written_state(), results(live)
    changes = import_period_changes(read(exported(live)), with_indices=True)
    assert not changes.has_changes
    assert "Không có thay đổi" in changes.summary
    assert written_state() == before
    assert results(live) == stored
    assert ResultSet.objects.filter(period=live).count() == 1
    live.refresh_from_db()
    assert live.status == PeriodStatus.OPEN
    statuses = dict(Assessment.objects.values_list("unit__code", "status"))
    assert statuses == {"A": "draft", "B": "appraised", "C": "draft", "D": "submitted"}
    assert entry("1.1", "A").appraised_points is None  # the unit's claim stays a claim
    assert Adjustment.objects.get().reason == "Thử"
    assert Assessment.objects.get(unit__code="B").unranked_reason == "Đang sáp nhập"


def test_importperiod_of_the_apps_own_export_says_there_is_no_change(live, tmp_path, capsys):
    path = tmp_path / "2023.xlsx"
    path.write_bytes(exported(live).getvalue())
    before = written_state()
    call_command("importperiod", str(path))
    assert "Năm 2023: Không có thay đổi" in capsys.readouterr().out
    assert written_state() == before


def test_a_change_to_system_values_is_written_keeping_every_status(live):
    changes = import_period_changes(read(exported(live, {("D", "1.2.1"): 28})), with_indices=True)
    [d] = changes.changed_units
    assert (d.code, [(c.code, c.old_text, c.new_text) for c in d.leaves]) == (
        "D",
        [("1.2.1", "20", "28")],
    )
    assert (d.before_text, d.after_text) == ("65.00", "73.00")
    assert changes.unchanged_count == 3
    live.refresh_from_db()
    assert live.status == PeriodStatus.OPEN
    assert Assessment.objects.get(unit__code="D").status == AssessmentStatus.SUBMITTED
    row = entry("1.2.1", "D")
    assert (row.self_points, row.appraised_points) == (D("20"), D("28"))  # claim kept
    assert row.history.latest().history_change_reason == IMPORTED
    assert dict(UnitResult.objects.current_for(live).values_list("unit__code", "index"))["D"] == D(
        "73.00"
    )
    audit = AuditEntry.objects.get(action="assessment.imported")
    assert audit.unit.code == "D" and audit.changes["leaves"] == {"1.2.1": ["20", "28"]}


def test_an_open_period_is_finalised_only_when_asked_and_only_if_appraisal_is_done(live):
    import_period_changes(read(exported(live, {("D", "1.2.1"): 28})))
    live.refresh_from_db()
    assert live.status == PeriodStatus.OPEN
    assert not PeriodGroup.objects.filter(period=live).exclude(stage=GroupStage.OPEN).exists()
    with refused(WorkflowError, match="chưa thẩm định xong"):
        import_period_changes(read(exported(live, {("D", "1.2.1"): 29})), finalise=True)


def test_values_entered_in_the_application_are_refused_without_replace_naming_the_units(live):
    data = read(exported(live, {("A", "1.1"): 10, ("B", "3.2"): 2}))
    with refused(WorkflowError, match="đã nhập trong ứng dụng") as caught:
        import_period_changes(data)
    assert caught.value.details == ["A (1.1)", "B (3.2)"]


def test_replace_overwrites_entered_values_with_history_and_audit(live):
    admin = make_user("quantri", "admin")
    data = read(exported(live, {("A", "1.1"): 10, ("B", "3.2"): 2}))
    changes = import_period_changes(data, by=admin, replace=True)
    assert [u.code for u in changes.changed_units] == ["A", "B"]
    row = entry("1.1", "A")
    assert row.self_points == D("10")  # A has not submitted: its own field holds the value
    last = row.history.latest()
    assert (last.history_user, last.history_change_reason) == (admin, IMPORTED)
    old = Adjustment.objects.get(reason="Thử")
    assert (old.status, old.decided_by) == (AdjustmentStatus.REJECTED, admin)
    new = Adjustment.objects.get(reason=IMPORTED)
    assert (new.status, new.amount) == (AdjustmentStatus.APPROVED, D("2"))
    audit = AuditEntry.objects.get(action="assessment.imported", unit__code="B")
    assert audit.actor == admin and audit.changes["replaced"] == ["Điểm trừ 1 — Thử"]
    assert audit.changes["entered_in_app"] == ["3.2"]
    assert Assessment.objects.get(unit__code="A").status == AssessmentStatus.DRAFT


def test_values_written_by_an_earlier_import_are_not_counted_as_entered(live):
    admin = make_user("quantri", "admin")
    import_period_changes(read(exported(live, {("A", "1.1"): 10})), by=admin, replace=True)
    changes = import_period_changes(read(exported(live, {("A", "1.1"): 0})), by=admin)
    assert entry("1.1", "A").self_points == D("0") and not changes.entered


def test_an_empty_cell_keeps_the_stored_value(live):
    before = written_state()
    changes = import_period_changes(read(exported(live, {("A", "1.1"): None})))
    assert not changes.has_changes and written_state() == before


def test_a_ranking_decision_taken_in_the_application_is_replaced_only_when_asked(live):
    data = read(exported(live, {("B", "Không xếp hạng"): None}))
    with refused(WorkflowError) as caught:
        import_period_changes(data)
    assert caught.value.details == ["B (Không xếp hạng)"]
    import_period_changes(data, replace=True)
    assert Assessment.objects.get(unit__code="B").unranked_reason == ""


def test_a_new_tie_rule_in_the_file_is_written_and_listed(live):
    data = read(exported(live, info={"Xếp hạng khi bằng điểm": "Theo điểm chưa làm tròn"}))
    changes = import_period_changes(data)
    assert [(s.label, s.old, s.new) for s in changes.settings] == [
        ("Xếp hạng khi bằng điểm", "Đồng hạng", "Theo điểm chưa làm tròn")
    ]
    live.refresh_from_db()
    assert live.tie_rule == "unrounded"


def test_the_preview_lists_each_change_with_the_index_and_writes_nothing(live):
    before = written_state()
    data = read(exported(live, {("A", "1.1"): 10, ("B", "3.2"): 2, ("D", "2.1"): 40}))
    changes = preview_period_import(data)
    assert written_state() == before
    by_unit = {u.code: u for u in changes.changed_units}
    assert sorted(by_unit) == ["A", "B", "D"]
    assert by_unit["A"].entered == ["1.1"]
    assert (by_unit["A"].before_text, by_unit["A"].after_text) == ("Chưa nộp", "Chưa nộp")
    [deduction] = by_unit["B"].adjustments
    assert (deduction.old_text, deduction.new_text, deduction.replaced_lines) == (
        "1",
        "2",
        ["1 — Thử"],
    )
    assert (by_unit["B"].before_text, by_unit["B"].after_text) == ("79.00", "78.00")
    assert (by_unit["D"].before_text, by_unit["D"].after_text) == ("65.00", "70.00")
    assert changes.summary == "3 đơn vị thay đổi, 1 không đổi."


def test_a_published_period_is_refused_by_the_preview(live):
    data = read(exported(live))
    live.status = PeriodStatus.PUBLISHED
    live.save()
    with refused(WorkflowError, match="đã công bố"):
        preview_period_import(data)


def test_changes_to_a_published_group_are_refused_other_groups_import():
    period = open_period(2023, groups=(("SO", True), ("QH", True)))
    assess(period, make_unit("A"), full_scores(50, 30))
    assess(period, make_unit("Q", "QH"), full_scores(40, 30))
    compute_results(period)
    PeriodGroup.objects.filter(period=period, group__code="QH").update(stage=GroupStage.PUBLISHED)
    with refused(WorkflowError, match="đã công bố") as caught:
        import_period_changes(read(exported(period, {("Q", "1.1"): 0})))
    assert caught.value.details == ["Q"]
    changes = import_period_changes(read(exported(period, {("A", "1.1"): 10})))
    assert [u.code for u in changes.changed_units] == ["A"]
    assert entry("1.1", "A").appraised_points == D("10")


def test_importperiod_refuses_entered_values_naming_the_units_until_replace(live, tmp_path):
    path = tmp_path / "2023.xlsx"
    path.write_bytes(exported(live, {("A", "1.1"): 10}).getvalue())
    before = written_state()
    with pytest.raises(CommandError, match=r"(?s)đã nhập trong ứng dụng.*- A \(1\.1\)"):
        call_command("importperiod", str(path))
    assert written_state() == before
    call_command("importperiod", str(path), "--replace")
    assert entry("1.1", "A").self_points == D("10")


def test_importperiod_preview_prints_the_changes_and_writes_nothing(live, tmp_path, capsys):
    path = tmp_path / "2023.xlsx"
    path.write_bytes(exported(live, {("D", "1.2.1"): 28}).getvalue())
    before = written_state()
    call_command("importperiod", str(path), "--preview")
    out = capsys.readouterr().out
    assert "1 đơn vị thay đổi, 3 không đổi." in out
    assert "- D Đơn vị D: 1.2.1: 20 → 28; chỉ số 65.00 → 73.00" in out
    assert written_state() == before


def test_importing_the_demo_current_year_export_keeps_the_open_period_as_it_is(
    demo, tmp_path, capsys
):
    """The issue's case: the current year's workbook, exported by the app, imported back."""
    from parindex.core import clock
    from parindex.core.models import Period

    period = Period.objects.get(year=clock.today().year)
    path = tmp_path / "current.xlsx"
    call_command("exportperiod", str(period.year), "-o", str(path))
    before, stored = written_state(), results(period)
    call_command("importperiod", str(path))
    assert "Không có thay đổi" in capsys.readouterr().out
    assert written_state() == before and results(period) == stored
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    assert not Assessment.objects.filter(period=period, status=AssessmentStatus.APPRAISED).exists()


def appraised_period():
    """An appraising period whose every unit is appraised (it may be finalised)."""
    from tests.builders import make_period

    period = make_period(2024)
    assess(period, make_unit("A"), full_scores(50, 30))
    assess(period, make_unit("B"), full_scores(40, 30))
    compute_results(period)
    return period


def test_an_existing_period_is_finalised_or_published_when_asked():
    period = appraised_period()
    import_period_changes(read(exported(period, {("A", "1.1"): 10})), finalise=True)
    period.refresh_from_db()
    assert period.status == PeriodStatus.FINALISED
    import_period_changes(read(exported(period)), publish=True)
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED


def test_a_group_keeps_its_criteria_set():
    from parindex.core.models import CriteriaSet

    period = appraised_period()
    data = read(exported(period, info={"Bộ tiêu chí": "Bộ tiêu chí khác"}))
    sets = CriteriaSet.objects.count()
    with refused(WorkflowError, match="không đổi bộ tiêu chí của kỳ đã có"):
        import_period_changes(data)
    assert CriteriaSet.objects.count() == sets


def test_grade_bands_a_unit_name_and_the_group_ranking_are_listed_and_written():
    period = appraised_period()
    workbook = load_workbook(exported(period))
    bands = workbook["Xếp loại"]
    next(r for r in bands.iter_rows(min_row=2) if r[1].value == "Tốt")[2].value = 85
    units = workbook["Đơn vị"]
    for row in units.iter_rows(min_row=2):
        row[5].value = "Không"  # the group is not ranked this period
        if row[0].value == "B":
            row[1].value = "Sở B mới"
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    changes = import_period_changes(read(buffer))
    assert [(s.label, s.old, s.new) for s in changes.settings] == [
        ("Khối SO: xếp hạng trong kỳ", "Có", "Không"),
        (
            "Khối SO: xếp loại",
            "Tốt ≥ 80 (#4c9a2a); Khá ≥ 70 (#d4a017)",
            "Tốt ≥ 85 (#4c9a2a); Khá ≥ 70 (#d4a017)",
        ),
        ("Đơn vị B", "Đơn vị B", "Sở B mới"),
    ]
    assert not changes.changed_units
    assert not PeriodGroup.objects.get(period=period).ranked
    assert period.grade_bands.get(label="Tốt").lower_bound == D("85")
    assert [r[2] for r in results(period)] == [None, None]  # recomputed without ranks
    from parindex.core.models import UnitGroup

    assert UnitGroup.objects.get(code="SO").ranked  # the default for new periods is unchanged


def test_a_new_group_and_unit_in_the_file_are_added_to_an_existing_period():
    period = appraised_period()
    workbook = load_workbook(exported(period))
    workbook["Đơn vị"].append(["X", "Cục X", None, "ND", "Ngành dọc", "Không", None, None])
    workbook["Xếp loại"].append(["ND", "Tốt", 80, "#4c9a2a"])
    workbook["Điểm"].append(["X", 20, 30, 10, 35])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    changes = import_period_changes(read(buffer))
    assert [(s.label, s.new) for s in changes.settings if s.kind == "group"] == [
        ("Khối ND", "Bộ tiêu chí thử")
    ]
    [x] = changes.changed_units
    assert x.created and x.code == "X"
    group = PeriodGroup.objects.get(period=period, group__code="ND")
    assert not group.ranked
    assessment = Assessment.objects.get(period=period, unit__code="X")
    assert assessment.status == AssessmentStatus.APPRAISED  # created by the import
    assert UnitResult.objects.current_for(period).get(unit__code="X").index == D("95.00")
    assert AuditEntry.objects.get(action="assessment.imported").unit.code == "X"
