"""Exported league tables say what they are: official (decision) or provisional, which version,
how ties rank, and which filter or sort the reader applied — with the stored ranks."""

import datetime
import io

import pytest
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from parindex.core.excel.titles import Selection, status_lines
from parindex.core.models import (
    AssessmentStatus,
    Criterion,
    Period,
    PeriodGroup,
    ResultSet,
    TieRule,
    UnitResult,
)
from parindex.core.services.corrections import correct_results
from parindex.core.services.decisions import set_group_ranking, set_tie_rule, set_unit_ranking
from parindex.core.services.results import compute_results, finalise_period, publish_results
from parindex.web.exports import export_arguments
from parindex.web.filters import LeagueFilter
from parindex.web.tables import LeagueTable
from parindex.web.views.rankings import EXPORTS, league_context
from tests.builders import (
    assess,
    full_scores,
    leaf_of,
    make_period,
    make_unit,
    make_user,
    read_csv,
)

pytestmark = pytest.mark.django_db

KEPT_RANKS = "Hạng là hạng trong toàn khối (không đánh số lại)"


def three_units(period):
    """A 90, B 80, C 70: ranks 1, 2, 3."""
    return {
        code: assess(period, make_unit(code), full_scores(self_points, 40))
        for code, self_points in (("A", 50), ("B", 40), ("C", 30))
    }


def published_period():
    period = make_period(2022)
    three_units(period)
    finalise_period(period)
    publish_results(
        Period.objects.get(pk=period.pk),
        decision_number="12/QĐ-UBND",
        decision_date=datetime.date(2023, 4, 15),
    )
    return Period.objects.get(pk=period.pk)


def export(kind, period, code="SO", **params):
    """Export a group's table as ``rankings.group_table`` does with ``?export=kind&…``."""
    request = RequestFactory().get("/", params)
    period_group = PeriodGroup.objects.select_related("group").get(period=period, group__code=code)
    league = league_context(request, period, period_group)
    return EXPORTS[kind](league["table"], **export_arguments(period, period_group, league))


def export_version(kind, result_set):
    """Export an earlier published version of a group's table (``?version=N``)."""
    period = result_set.period
    period_group = PeriodGroup.objects.select_related("group").get(
        period=period, group=result_set.group
    )
    areas = list(
        Criterion.objects.filter(criteria_set_id=period_group.criteria_set_id).scored_areas()
    )
    rows = (
        UnitResult.objects.version_for(result_set)
        .select_related("unit")
        .with_area_points(areas)
        .with_changes()
        .with_names()
        .league_order()
    )
    table = LeagueTable(rows, areas=areas, ranked=True)
    league = {
        "areas": areas,
        "table": table,
        "filter": LeagueFilter({}, queryset=rows),
        "version": result_set,
        "result_set": result_set,
    }
    return EXPORTS[kind](table, **export_arguments(period, period_group, league))


def read_xlsx(response):
    """Return (title lines, table rows as dicts by header label)."""
    sheet = load_workbook(io.BytesIO(response.content)).active
    head = next(r for r in range(1, 30) if sheet.cell(row=r, column=1).value == "STT")
    lines = [sheet.cell(row=r, column=1).value for r in range(1, head)]
    header = [cell.value for cell in sheet[head]]
    data = [
        dict(zip(header, (cell.value for cell in row), strict=True))
        for row in sheet.iter_rows(min_row=head + 2)
    ]
    return [line for line in lines if line], data


@pytest.mark.parametrize("reader", [read_csv, read_xlsx], ids=["csv", "xlsx"])
def test_a_published_group_is_titled_official_with_its_decision_number_and_date(reader):
    period = published_period()
    kind = "csv" if reader is read_csv else "xlsx"
    lines, rows = reader(export(kind, period))
    assert "Kết quả chính thức — Quyết định số 12/QĐ-UBND ngày 15/04/2023" in lines
    assert not any("tạm tính" in line for line in lines)
    assert "Xếp hạng khi bằng điểm: Đồng hạng" in lines
    assert not any(line.startswith(("Đã lọc", "Sắp xếp")) for line in lines)
    assert [str(r["Hạng"] if "Hạng" in r else r["Xếp hạng"]) for r in rows] == ["1", "2", "3"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_unpublished_group_is_titled_provisional_with_when_it_was_computed(kind):
    period = make_period(2023)
    three_units(period)
    (result_set,) = compute_results(period)
    computed = timezone.localtime(result_set.computed_at)
    lines, _rows = (read_csv if kind == "csv" else read_xlsx)(export(kind, period))
    assert (
        f"Kết quả tạm tính, chưa công bố — tính lúc {computed:%H:%M} {computed:%d/%m/%Y}" in lines
    )
    assert not any("chính thức" in line for line in lines)


def test_the_bug_of_2022_an_annex_of_published_results_is_not_called_provisional():
    period = published_period()
    lines, _rows = read_xlsx(export("xlsx", period))
    assert lines[3] == "Kết quả chính thức — Quyết định số 12/QĐ-UBND ngày 15/04/2023"
    assert "(Kết quả tạm tính, chưa công bố)" not in lines


def test_a_filtered_csv_names_the_filter_and_keeps_the_stored_ranks():
    period = published_period()
    lines, rows = read_csv(export("csv", period, q="B"))
    assert "Đã lọc: Tên hoặc mã đơn vị “B”" in lines
    assert KEPT_RANKS in lines
    assert [(r["Mã đơn vị"], r["Hạng"]) for r in rows] == [("B", "2")]


def test_a_filtered_annex_names_the_filter_and_keeps_the_stored_ranks():
    period = published_period()
    lines, rows = read_xlsx(export("xlsx", period, q="C"))
    assert "Kết quả chính thức — Quyết định số 12/QĐ-UBND ngày 15/04/2023" in lines
    assert "Đã lọc: Tên hoặc mã đơn vị “C”" in lines and KEPT_RANKS in lines
    assert [(r["STT"], r["Đơn vị"], r["Xếp hạng"]) for r in rows] == [(1, "Đơn vị C", 3)]


def test_a_sorted_and_filtered_export_names_both_and_keeps_the_stored_ranks():
    period = published_period()
    lines, rows = read_csv(export("csv", period, grade="Tốt", sort="index"))
    assert "Đã lọc: Xếp loại “Tốt”; sắp xếp theo Chỉ số (%) tăng dần" in lines
    assert [(r["Mã đơn vị"], r["Hạng"]) for r in rows] == [("B", "2"), ("A", "1")]


def test_a_sorted_export_says_so_and_a_refused_filter_value_is_not_named():
    period = published_period()
    lines, rows = read_csv(export("csv", period, sort="-unit", grade="Không có"))
    assert "Sắp xếp theo Đơn vị giảm dần" in lines and KEPT_RANKS in lines
    assert not any(line.startswith("Đã lọc") for line in lines)
    assert [r["Hạng"] for r in rows] == ["3", "2", "1"]


def corrected_period():
    """Published 2022 (v1), then corrected by decision 20/QĐ-UBND (v2): A's 1.1 down to 10."""
    period = published_period()
    assessment = period.assessments.get(unit__code="A")
    approver = make_user("pheduyet", "approver")
    correct_results(
        period,
        by=approver,
        reason="Sai sót khi tổng hợp",
        decision_number="20/QĐ-UBND",
        changes=[(assessment, leaf_of(period, "1.1"), "10", "Thiếu tài liệu kiểm chứng")],
    )
    return period


@pytest.mark.parametrize("reader", [read_csv, read_xlsx], ids=["csv", "xlsx"])
def test_an_earlier_version_of_a_corrected_table_names_its_version(reader):
    period = corrected_period()
    first = ResultSet.objects.get(period=period, version=1)
    response = export_version("csv" if reader is read_csv else "xlsx", first)
    assert "phien-ban-1" in response["Content-Disposition"]
    lines, _rows = reader(response)
    assert "Kết quả chính thức — Quyết định số 12/QĐ-UBND ngày 15/04/2023" in lines
    assert "Phiên bản 1 — đã được thay thế bằng phiên bản đính chính sau" in lines


@pytest.mark.parametrize("reader", [read_csv, read_xlsx], ids=["csv", "xlsx"])
def test_the_correction_names_its_decision_version_and_reason(reader):
    period = corrected_period()
    current = ResultSet.objects.get(period=period, is_current=True)
    lines, rows = reader(export("csv" if reader is read_csv else "xlsx", period))
    assert (
        f"Kết quả chính thức — Quyết định số 20/QĐ-UBND ngày {current.decision_date:%d/%m/%Y}"
        in lines
    )
    assert f"Phiên bản {current.version} (đính chính: Sai sót khi tổng hợp)" in lines
    assert "phien-ban" not in export("csv", period)["Content-Disposition"]


def test_the_tie_rule_applied_is_named():
    period = make_period(2023)
    three_units(period)
    set_tie_rule(period, by=make_user("pheduyet", "approver"), rule=TieRule.UNROUNDED)
    compute_results(period)
    lines, _rows = read_csv(export("csv", Period.objects.get(pk=period.pk)))
    assert "Xếp hạng khi bằng điểm: Theo điểm chưa làm tròn" in lines


@pytest.mark.parametrize("reader", [read_csv, read_xlsx], ids=["csv", "xlsx"])
def test_a_group_not_ranked_this_period_says_why_and_shows_no_rank(reader):
    period = make_period(2023)
    three_units(period)
    group_id = period.period_groups.get().group_id
    approver = make_user("pheduyet", "approver")
    set_group_ranking(period, group_id, by=approver, ranked=False, reason="Đang sắp xếp tổ chức")
    compute_results(period)
    lines, rows = reader(export("csv" if reader is read_csv else "xlsx", period, q="A"))
    assert "Khối không xếp hạng kỳ này: Đang sắp xếp tổ chức" in lines
    assert not any(line.startswith("Xếp hạng khi bằng điểm") for line in lines)
    assert KEPT_RANKS not in lines  # filtered, but there are no ranks to keep
    assert [r.get("Hạng", r.get("Xếp hạng")) for r in rows] in (["—"], [""])


@pytest.mark.parametrize("reader", [read_csv, read_xlsx], ids=["csv", "xlsx"])
def test_a_unit_left_out_and_a_unit_that_did_not_submit_show_why_instead_of_a_rank(reader):
    period = make_period(2023)
    units = three_units(period)
    assess(period, make_unit("D"), status=AssessmentStatus.DRAFT)
    approver = make_user("pheduyet", "approver")
    set_unit_ranking(units["A"], by=approver, excluded=True, reason="Mới sáp nhập")
    compute_results(period)
    _lines, rows = reader(export("csv" if reader is read_csv else "xlsx", period))
    by_name = {r["Đơn vị"]: r for r in rows}
    rank = "Hạng" if reader is read_csv else "Xếp hạng"
    assert by_name["Đơn vị A"][rank] == "Không xếp hạng"
    assert by_name["Đơn vị A"]["Ghi chú"] == "Không xếp hạng: Mới sáp nhập"
    assert str(by_name["Đơn vị B"][rank]) == "1"  # the others rank as if A were not there
    assert by_name["Đơn vị D"]["Chỉ số (%)"] == "Chưa nộp"
    assert by_name["Đơn vị D"][rank] in ("", "—") and not by_name["Đơn vị D"]["Xếp loại"]


def test_the_title_lines_of_a_filtered_correction_in_order():
    period = corrected_period()
    period_group = PeriodGroup.objects.select_related("group").get(period=period)
    current = ResultSet.objects.get(period=period, is_current=True)
    selection = Selection(filters=("Xếp loại “Tốt”",), sort="Chỉ số (%) giảm dần")
    assert status_lines(period, period_group, current, selection) == [
        f"Kết quả chính thức — Quyết định số 20/QĐ-UBND ngày {current.decision_date:%d/%m/%Y}",
        f"Phiên bản {current.version} (đính chính: Sai sót khi tổng hợp)",
        "Xếp hạng khi bằng điểm: Đồng hạng",
        "Đã lọc: Xếp loại “Tốt”; sắp xếp theo Chỉ số (%) giảm dần",
        KEPT_RANKS,
    ]
