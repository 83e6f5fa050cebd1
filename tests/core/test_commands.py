"""The management commands around results and criteria sets."""

import json

import pytest
from django.core.management import CommandError, call_command

from parindex.core.models import CriteriaSet, Period, PeriodStatus
from tests.builders import assess, full_scores, make_period, make_unit, small_criteria_data

pytestmark = pytest.mark.django_db


def test_computeresults_reports_units_and_time(capsys):
    period = make_period()
    assess(period, make_unit("A"), full_scores(60, 30))
    call_command("computeresults", "2022")
    assert "1 đơn vị" in capsys.readouterr().out


def test_computeresults_refuses_a_published_period_but_can_check_it(demo, capsys):
    with pytest.raises(CommandError, match="đã công bố"):
        call_command("computeresults", "2022")
    call_command("computeresults", "2022", "--check")
    assert "khớp" in capsys.readouterr().out


def test_computeresults_of_an_unknown_year_says_so():
    with pytest.raises(CommandError, match="Không có kỳ đánh giá năm 1990"):
        call_command("computeresults", "1990")


def test_publishresults_with_finalise_publishes(capsys):
    period = make_period()
    assess(period, make_unit("A"), full_scores(60, 30))
    call_command("publishresults", "2022", "--finalise", "--decision", "5/QĐ-UBND")
    period.refresh_from_db()
    assert (period.status, period.publication_decision) == (PeriodStatus.PUBLISHED, "5/QĐ-UBND")


def test_publishresults_without_finalising_is_refused():
    make_period()
    with pytest.raises(CommandError, match="đã chốt"):
        call_command("publishresults", "2022")
    assert Period.objects.get(year=2022).status == PeriodStatus.APPRAISING


def test_loadcriteria_loads_a_file_and_reports_errors(tmp_path, capsys):
    good = tmp_path / "set.json"
    good.write_text(json.dumps(small_criteria_data()), encoding="utf-8")
    call_command("loadcriteria", str(good))
    assert "Đã nạp" in capsys.readouterr().out
    bad_data = small_criteria_data(name="Khác")
    bad_data["nodes"][0]["max"] = "59"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bad_data), encoding="utf-8")
    with pytest.raises(CommandError, match="khác tổng các tiêu chí con"):
        call_command("loadcriteria", str(bad))
    assert CriteriaSet.objects.count() == 1
