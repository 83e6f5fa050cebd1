"""Survey imports into a live cycle: every change shown with the index before → after, survey
points entered in the application replaced only when asked, closed groups refused."""

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parindex.core.excel import workbooks
from parindex.core.models import GroupStage, PeriodGroup, ScoreEntry, UnitGroup
from parindex.core.services import WorkflowError
from parindex.core.services.appraisal import save_survey_points
from parindex.core.services.import_changes import SURVEY_IMPORTED
from parindex.core.services.survey_imports import (
    import_survey,
    import_survey_changes,
    preview_survey_import,
)
from tests.builders import (
    assess,
    full_scores,
    leaf_of,
    make_unit,
    make_user,
    open_period,
    refused,
    written_state,
)
from tests.core.test_excel import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey_world():
    return build_survey_world()


def build_survey_world():
    """A: survey points 35 from the system (index 95); B: 30 typed in the app by a reviewer."""
    period = open_period(2023)
    assess(period, make_unit("A"), full_scores(60, 35))
    b = assess(period, make_unit("B"), full_scores(50, 10))
    reviewer = make_user("thamdinh", "reviewer")
    entry = ScoreEntry.objects.get(assessment=b, criterion__code="2.1")
    save_survey_points(
        b, leaf_of(period, "2.1"), by=reviewer, points_text="30", revision=entry.revision
    )
    return period, UnitGroup.objects.get(code="SO")


def survey_file(rows) -> io.BytesIO:
    return book({"Điểm": [["Mã đơn vị", "2.1"], *rows]})


def read(world, rows):
    period, group = world
    return workbooks.read_survey(survey_file(rows), period, group)


def test_a_survey_preview_shows_each_unit_old_and_new_points_and_index(survey_world):
    period, group = survey_world
    before = written_state()
    changes = preview_survey_import(period, group, read(survey_world, [["A", 20], ["B", 30]]))
    assert written_state() == before
    [a] = changes.changed_units
    assert [(c.code, c.old_text, c.new_text) for c in a.leaves] == [("2.1", "35", "20")]
    assert (a.before_text, a.after_text) == ("95.00", "80.00")
    assert changes.summary == "1 đơn vị thay đổi, 1 không đổi."


def test_survey_points_entered_in_the_application_are_replaced_only_when_asked(survey_world):
    period, group = survey_world
    scores = read(survey_world, [["A", 20], ["B", 25]])
    with refused(WorkflowError, match="đã nhập trong ứng dụng") as caught:
        import_survey(period, group, scores)
    assert caught.value.details == ["B (2.1)"]
    assert import_survey(period, group, scores, replace=True) == 2
    row = ScoreEntry.objects.get(assessment__unit__code="B", criterion__code="2.1")
    assert row.survey_points == D("25")
    assert row.history.latest().history_change_reason == SURVEY_IMPORTED


def test_survey_points_of_an_earlier_survey_import_are_not_entered_values(survey_world):
    period, group = survey_world
    import_survey(period, group, read(survey_world, [["A", 20]]))
    changes = import_survey_changes(period, group, read(survey_world, [["A", 22]]))
    assert [u.code for u in changes.changed_units] == ["A"] and not changes.entered


def test_the_same_survey_file_twice_changes_nothing_the_second_time(survey_world):
    period, group = survey_world
    import_survey(period, group, read(survey_world, [["A", 20]]))
    before = written_state()
    assert import_survey(period, group, read(survey_world, [["A", 20]])) == 0
    assert written_state() == before


@pytest.mark.parametrize("stage", [GroupStage.FINALISED, GroupStage.PUBLISHED])
def test_a_survey_for_a_closed_group_is_refused_by_the_preview(survey_world, stage):
    period, group = survey_world
    PeriodGroup.objects.filter(period=period, group=group).update(stage=stage)
    scores = read(survey_world, [["A", 20]])
    with refused(WorkflowError, match="không nhập kết quả điều tra được nữa"):
        preview_survey_import(period, group, scores)


def test_importsurvey_refuses_entered_values_then_replaces_them(survey_world, tmp_path, capsys):
    path = tmp_path / "dieutra.xlsx"
    path.write_bytes(survey_file([["B", 25]]).getvalue())
    before = written_state()
    with pytest.raises(CommandError, match=r"- B \(2\.1\)"):
        call_command("importsurvey", "2023", "SO", str(path))
    assert written_state() == before
    call_command("importsurvey", "2023", "SO", str(path), "--replace")
    out = capsys.readouterr().out
    assert "Đã nhập kết quả điều tra: 1 ô thay đổi." in out
    assert "- B Đơn vị B: 2.1: 30 → 25; chỉ số 80.00 → 75.00 [đã nhập trong ứng dụng: 2.1]" in out
