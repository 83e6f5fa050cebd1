"""A merged province's period workbook imported under a code prefix (`importperiod --prefix`)."""

import io
from datetime import date
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from parindex.core.dashboards.profile import unit_profile
from parindex.core.excel import workbooks
from parindex.core.excel.prefix import prefix_problem, with_prefix
from parindex.core.excel.reading import ImportProblems
from parindex.core.excel.writing import write_period
from parindex.core.models import (
    GroupStage,
    Lineage,
    PeriodGroup,
    PeriodStatus,
    ResultSet,
    Unit,
    UnitGroup,
    UnitResult,
)
from parindex.core.services import WorkflowError
from parindex.core.services.imports import import_period_changes
from parindex.core.services.results import finalise_period, publish_results
from tests.builders import assess, full_scores, make_period, make_unit, refused

pytestmark = pytest.mark.django_db


def published_year(year=2024):
    """A published period with one group (SO) of two units; return it and its exported book."""
    period = make_period(year)
    for code, points in (("A", 50), ("B", 40)):
        assess(period, make_unit(code), full_scores(points, 30))
    finalise_period(period)
    publish_results(period)
    period.refresh_from_db()
    return period, write_period(period)


def data_of(**changes):
    return workbooks.PeriodData(
        year=2024,
        groups={"SO": {"code": "SO", "name": "Khối sở, ban, ngành", "ranked": True, "row": 2}},
        units=[
            {"code": "A", "group": "SO", "predecessors": [], "shares": {}, "name": "A"},
            {"code": "B", "group": "SO", "predecessors": ["A"], "shares": {"A": D("0.5")}},
        ],
        bands={"SO": [{"label": "Tốt"}]},
        sets={"SO": {"name": "Bộ"}},
        scores={"SO": {"A": {"1.1": D(1)}, "B": {}}},
        summary={"year": 2024},
        **changes,
    )


@pytest.mark.django_db(False)
def test_with_prefix_puts_every_unit_and_group_code_under_the_prefix():
    data = with_prefix(data_of(), "BD-")
    assert [u["code"] for u in data.units] == ["BD-A", "BD-B"]
    assert {u["group"] for u in data.units} == {"BD-SO"}
    assert data.units[1]["predecessors"] == ["BD-A"]
    assert data.units[1]["shares"] == {"BD-A": D("0.5")}
    assert data.groups == {
        "BD-SO": {"code": "BD-SO", "name": "Khối sở, ban, ngành (BD)", "ranked": True, "row": 2}
    }
    assert set(data.bands) == set(data.sets) == {"BD-SO"}
    assert data.scores == {"BD-SO": {"BD-A": {"1.1": D(1)}, "BD-B": {}}}
    assert data.summary["prefix"] == "BD-"


@pytest.mark.django_db(False)
@pytest.mark.parametrize("prefix", ["bd-", "BD--", "-BD", "B D", "BĐ-", "", "X" * 31])
def test_a_prefix_outside_the_code_rule_is_refused(prefix):
    assert prefix_problem(prefix)
    with pytest.raises(ImportProblems, match="Tiền tố"):
        with_prefix(data_of(), prefix)


@pytest.mark.django_db(False)
def test_with_prefix_names_each_code_it_would_make_too_long():
    data = data_of()
    data.units[0]["code"] = "P" * 28
    with pytest.raises(ImportProblems) as caught:
        with_prefix(data, "BD-")
    (problem,) = caught.value.problems
    assert "BD-" + "P" * 28 in problem.message and "quá 30 ký tự" in problem.message


def test_a_merged_provinces_year_is_added_to_a_published_year_and_published():
    period, book = published_year()
    own = ResultSet.objects.get(period=period, group__code="SO", is_current=True)
    data = workbooks.read_period(io.BytesIO(book), prefix="BD-")
    changes = import_period_changes(data, publish=True)
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED
    assert set(Unit.objects.filter(code__startswith="BD-").values_list("code", flat=True)) == {
        "BD-A",
        "BD-B",
    }
    assert UnitGroup.objects.get(code="BD-SO").name == "Khối SO (BD)"
    new = ResultSet.objects.get(period=period, group__code="BD-SO", is_current=True)
    assert new.published and UnitResult.objects.filter(result_set=new).count() == 2
    assert PeriodGroup.objects.get(period=period, group__code="BD-SO").stage == (
        GroupStage.PUBLISHED
    )
    assert ResultSet.objects.get(pk=own.pk).is_current  # the own group is untouched
    assert ResultSet.objects.filter(period=period, group__code="SO").count() == 1
    assert changes.period == period
    ward = make_unit("PHUONG-1")
    Lineage.objects.create(
        successor=ward, predecessor=Unit.objects.get(code="BD-A"), share=1, since=date(2025, 7, 1)
    )
    years = unit_profile(ward, AnonymousUser()).years
    assert [(y.result.unit.code, y.result.result_set.period.year) for y in years] == [
        ("BD-A", 2024)
    ]


def test_a_published_year_still_refuses_a_file_touching_its_groups():
    _period, book = published_year()
    with refused(WorkflowError, match="đã công bố"):
        import_period_changes(workbooks.read_period(io.BytesIO(book)))


def test_a_prefix_making_a_code_too_long_writes_nothing(tmp_path):
    _period, book = published_year()
    path = tmp_path / "binh-duong.xlsx"
    path.write_bytes(book)
    with refused(CommandError, match="quá 30 ký tự"):
        call_command("importperiod", str(path), prefix="BINHDUONG" + "X" * 20 + "-")


def test_the_command_imports_under_a_prefix(tmp_path, capsys):
    period, book = published_year()
    path = tmp_path / "binh-duong.xlsx"
    path.write_bytes(book)
    call_command("importperiod", str(path), prefix="BD-", publish=True)
    assert "Đã nhập năm 2024" in capsys.readouterr().out
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED
    assert ResultSet.objects.get(period=period, group__code="BD-SO", is_current=True).published


def test_the_command_refuses_a_bad_prefix_with_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match="Tiền tố “bd-” không hợp lệ"):
        call_command("importperiod", str(tmp_path / "x.xlsx"), prefix="bd-")
