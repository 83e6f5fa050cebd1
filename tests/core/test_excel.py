"""Excel in and out: the period workbook, other imports, the annex, and broken files."""

import io
import zipfile
from decimal import Decimal as D

import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from parindex.core.excel import workbooks
from parindex.core.excel.annex import write_annex
from parindex.core.excel.reading import ImportProblems
from parindex.core.excel.writing import write_period, write_scorecard
from parindex.core.models import (
    Adjustment,
    Assessment,
    CriteriaSet,
    Period,
    PeriodGroup,
    PeriodStatus,
    ResultSet,
    ScoreEntry,
    TieRule,
    Unit,
    UnitGroup,
    UnitResult,
)
from parindex.core.rankings import league_rows
from parindex.core.services.imports import import_criteria, import_period, import_units
from tests.builders import refused

pytestmark = pytest.mark.django_db


def book(sheets: dict[str, list[list]]) -> io.BytesIO:
    """Write a workbook by hand (not with our exporter)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


INFO = [
    ["Năm", 2019],
    ["Bộ tiêu chí", "Bộ thử Excel"],
    ["Quyết định", "7/QĐ-UBND"],
    ["Ngày ban hành", "15/03/2019"],
]
CRITERIA = [
    ["Mã", "Nội dung", "Điểm tối đa", "Phương thức", "Hướng dẫn chấm", "Lựa chọn"],
    ["1", "Chỉ đạo điều hành", 60, None, None, None],
    ["1.1", "Kế hoạch", 20, "Tự đánh giá", "Đúng hạn 20", "Đúng hạn: 20; Chậm: 10; Không: 0"],
    ["1.2", "Báo cáo", 40, "Tự đánh giá", None, None],
    ["2", "Khảo sát", 40, None, None, None],
    ["2.1", "Hài lòng", 40, "Điều tra XHH", None, None],
    ["3", "Thưởng, trừ", 3, None, None, None],
    ["3.1", "Sáng kiến", 1, "Điểm thưởng", None, None],
    ["3.2", "Chậm báo cáo", 2, "Điểm trừ", None, None],
]
UNITS = [
    ["Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Khối", "Tên khối", "Xếp hạng", "Kế thừa từ"],
    ["A", "Sở A", None, "SO", "Khối sở", "Có", None],
    ["B", "Sở B", None, "SO", "Khối sở", "Có", None],
    ["C", "Sở C", None, "SO", "Khối sở", "Có", "A, B"],
    ["X", "Cục X", None, "ND", "Ngành dọc", "Không", None],
]
BANDS = [
    ["Khối", "Xếp loại", "Từ", "Màu"],
    ["SO", "Tốt", 80, "#4c9a2a"],
    ["SO", "Khá", 70, "#d4a017"],
    ["ND", "Tốt", 80, None],
]
SCORES = [
    ["Mã đơn vị", "1.1", "1.2", "2.1", "3.1", "3.2"],
    ["A", 20, 35, "30,5", 1, None],  # 85.5 + 1 bonus → 86.5
    ["B", 10, "KAD", 38, None, 0.5],  # (10 + 38) / 60 − 0.5 → 79.17 %
    ["C", 20, 30, 37.5, None, None],  # 87.5
    ["X", 0, 40, 35, None, None],  # 75
]


def period_book(**changes):
    sheets = {
        "Thông tin": INFO,
        "Tiêu chí": CRITERIA,
        "Đơn vị": UNITS,
        "Xếp loại": BANDS,
        "Điểm": SCORES,
    }
    sheets.update(changes)
    return book({k: v for k, v in sheets.items() if v is not None})


def test_a_hand_written_period_workbook_gives_the_expected_indices_and_ranks():
    period = import_period(workbooks.read_period(period_book()), publish=True)
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.PUBLISHED
    got = {
        r.unit.code: (r.index, r.rank, r.grade_label)
        for r in UnitResult.objects.current_for(period).select_related("unit")
    }
    assert got == {
        "C": (D("87.50"), 1, "Tốt"),
        "A": (D("86.50"), 2, "Tốt"),
        "B": (D("79.17"), 3, "Khá"),
        "X": (D("75.00"), None, ""),  # graded against its own bands: below "Tốt"
    }
    b = ScoreEntry.objects.get(assessment__unit__code="B", criterion__code="1.2")
    assert b.not_applicable
    assert Adjustment.objects.get(assessment__unit__code="A").amount == D("1")
    assert set(Unit.objects.get(code="C").predecessors.values_list("code", flat=True)) == {"A", "B"}
    criteria_set = CriteriaSet.objects.get(name="Bộ thử Excel")
    assert (criteria_set.decision_number, str(criteria_set.decision_date)) == (
        "7/QĐ-UBND",
        "2019-03-15",
    )
    assert criteria_set.criteria.get(code="1.1").option_points()[1] == ("Chậm", D("10"))


def content(data: bytes) -> dict:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return {s.title: [tuple(r) for r in s.iter_rows(values_only=True)] for s in workbook}


def test_export_import_export_gives_the_same_workbook(demo):
    first = write_period(Period.objects.get(year=2022))
    renamed = load_workbook(io.BytesIO(first))
    renamed["Thông tin"]["B2"] = 2023  # a year every unit of 2022 still exists in
    buffer = io.BytesIO()
    renamed.save(buffer)
    buffer.seek(0)
    period = import_period(workbooks.read_period(buffer), publish=True)
    second = write_period(period)
    a, b = content(first), content(second)
    for sheet in (a, b):
        sheet["Thông tin"] = [row for row in sheet["Thông tin"] if row[0] != "Năm"]
    assert a == b
    old = {
        r.unit_id: r.index for r in UnitResult.objects.current_for(Period.objects.get(year=2022))
    }
    new = {r.unit_id: r.index for r in UnitResult.objects.current_for(period)}
    assert old == new


def test_reimporting_the_same_workbook_changes_no_score(demo):
    data = write_period(Period.objects.get(year=2022))
    renamed = load_workbook(io.BytesIO(data))
    renamed["Thông tin"]["B2"] = 2023
    buffer = io.BytesIO()
    renamed.save(buffer)
    payload = buffer.getvalue()
    import_period(workbooks.read_period(io.BytesIO(payload)))
    history = ScoreEntry.history.count()
    import_period(workbooks.read_period(io.BytesIO(payload)))
    assert ScoreEntry.history.count() == history


def test_groups_with_their_own_criteria_sets_use_sheets_per_group():
    other = [row[:] for row in CRITERIA]
    other[2] = ["1.1", "Kế hoạch (khối ngành dọc)", 20, "Tự đánh giá", None, None]
    info = [*INFO, ["Bộ tiêu chí SO", "Bộ SO"], ["Bộ tiêu chí ND", "Bộ ND"]]
    so_scores = [SCORES[0], *SCORES[1:4]]
    nd_scores = [SCORES[0], SCORES[4]]
    data = workbooks.read_period(
        period_book(
            **{
                "Thông tin": info,
                "Tiêu chí": None,
                "Điểm": None,
                "Tiêu chí SO": CRITERIA,
                "Tiêu chí ND": other,
                "Điểm SO": so_scores,
                "Điểm ND": nd_scores,
            }
        )
    )
    period = import_period(data)
    sets = dict(period.period_groups.values_list("group__code", "criteria_set__name"))
    assert sets == {"SO": "Bộ SO", "ND": "Bộ ND"}
    assert UnitResult.objects.current_for(period).get(unit__code="X").index == D("75.00")


def problems_of(reader, file, *args):
    with pytest.raises(ImportProblems) as caught:
        reader(file, *args)
    return [(p.sheet, p.cell, p.message) for p in caught.value.problems]


def nothing_written():
    return (
        Period.objects.count(),
        Unit.objects.count(),
        ScoreEntry.objects.count(),
        CriteriaSet.objects.count(),
    )


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"Điểm": [SCORES[0], ["A", 25, 35, 30, 1, None]]},
            ("Điểm", "B2", "Điểm 25 ngoài khoảng 0–20 của tiêu chí 1.1."),
        ),
        (
            {"Điểm": [SCORES[0], ["Z", 20, 35, 30, 1, None]]},
            ("Điểm", "A2", "Không có đơn vị mã “Z”."),
        ),
        (
            {"Điểm": [[*SCORES[0], "9.9"], ["A", 20, 35, 30, 1, None, 1]]},
            (
                "Điểm",
                "G1",
                "Mã tiêu chí “9.9” không có trong bộ tiêu chí (hoặc không phải tiêu chí lá).",
            ),
        ),
        (
            {"Điểm": [SCORES[0], ["A", "mười", 35, 30, 1, None]]},
            ("Điểm", "B2", "“mười” không phải là số."),
        ),
        (
            {"Điểm": [SCORES[0], ["A", "=10+10", 35, 30, 1, None]]},
            ("Điểm", "B2", "Ô chứa công thức, cần giá trị."),
        ),
        (
            {
                "Tiêu chí": [
                    *CRITERIA[:3],
                    ["1.2", "Báo cáo", 41, "Tự đánh giá", None, None],
                    *CRITERIA[4:],
                ]
            },
            ("Tiêu chí", "C2", "Điểm tối đa 60 khác tổng các tiêu chí con 61."),
        ),
        (
            {"Tiêu chí": [*CRITERIA, ["1.x", "Sai mã", 0, "Tự đánh giá", None, None]]},
            ("Tiêu chí", "A10", "Mã “1.x” không đúng dạng 1, 1.2, 1.2.3."),
        ),
        (
            {
                "Tiêu chí": [
                    *CRITERIA[:2],
                    ["1.1", "Kế hoạch", 20, "Tự chấm", None, None],
                    *CRITERIA[3:],
                ]
            },
            (
                "Tiêu chí",
                "D3",
                "Phương thức “Tự chấm” không hợp lệ (Tự đánh giá, Điều tra XHH, "
                "Điểm thưởng, Điểm trừ).",
            ),
        ),
        (
            {
                "Tiêu chí": [
                    *CRITERIA[:2],
                    ["1.1", "Kế hoạch", 20, "Tự đánh giá", None, "Tốt: 25"],
                    *CRITERIA[3:],
                ]
            },
            ("Tiêu chí", "F3", "Lựa chọn “Tốt” có điểm ngoài 0–20."),
        ),
        (
            {"Đơn vị": [UNITS[0], ["A", "Sở A", None, "SO", "Khối sở", "Có", "QQ"]]},
            ("Đơn vị", "G2", "Đơn vị kế thừa “QQ” không có."),
        ),
        ({"Xếp loại": None}, ("Xếp loại", "", "Thiếu trang “Xếp loại”.")),
        (
            {"Đơn vị": [["Mã đơn vị", "Tên đơn vị", "Khối", "Tên khối"]]},
            ("Đơn vị", "A1", "Thiếu cột “Xếp hạng”."),
        ),
        (
            {"Thông tin": [*INFO, ["Xếp hạng khi bằng điểm", "Bằng nhau"]]},
            (
                "Thông tin",
                "B5",
                "“Bằng nhau” không hợp lệ: ghi “Đồng hạng” hoặc “Theo điểm chưa làm tròn”.",
            ),
        ),
    ],
)
def test_a_broken_period_workbook_names_each_problem_cell_and_writes_nothing(changes, expected):
    before = nothing_written()
    assert expected in problems_of(workbooks.read_period, period_book(**changes))
    assert nothing_written() == before


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"%PDF-1.4 not a workbook", "không phải là tệp Excel .xlsx"),
        (b"", "Tệp rỗng."),
        (b"PK\x03\x04 junk that is not a zip", "bị hỏng"),
    ],
)
def test_files_that_are_not_workbooks_get_a_clear_message(payload, message):
    problems = problems_of(workbooks.read_period, io.BytesIO(payload))
    assert any(message in p[2] for p in problems)


def test_a_zip_of_junk_named_xlsx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("junk.txt", "nothing here")
    buffer.seek(0)
    assert problems_of(workbooks.read_period, buffer) == [
        ("", "", "Tệp nén không phải là bảng tính Excel .xlsx.")
    ]


def test_a_huge_file_is_refused_before_reading(settings):
    from parindex.core.excel.reading import open_workbook

    with pytest.raises(ImportProblems, match="quá lớn"):
        open_workbook(period_book(), max_bytes=100)


def test_a_published_period_is_never_overwritten_by_an_import():
    import_period(workbooks.read_period(period_book()), publish=True)
    from parindex.core.services import WorkflowError

    with refused(WorkflowError, match="đã công bố"):
        import_period(workbooks.read_period(period_book()))


def test_criteria_set_alone_is_checked_and_loaded():
    criteria = workbooks.read_criteria(book({"Thông tin": INFO, "Tiêu chí": CRITERIA}))
    criteria_set, changed = import_criteria(criteria)
    assert changed and criteria_set.bonus_cap == D("1") and criteria_set.deduction_cap == D("2")
    assert criteria_set.valid_from == 2019
    broken = [*CRITERIA[:5], ["2.2", "Thừa", 1, "Điều tra XHH", None, None], *CRITERIA[5:]]
    problems = problems_of(workbooks.read_criteria, book({"Thông tin": INFO, "Tiêu chí": broken}))
    assert ("Tiêu chí", "C5", "Điểm tối đa 40 khác tổng các tiêu chí con 41.") in problems


def test_units_alone_create_groups_units_and_lineage():
    units, groups = workbooks.read_units(book({"Đơn vị": UNITS}))
    assert import_units(units, groups) == 4
    assert Unit.objects.get(code="X").group.ranked is False
    assert list(
        Unit.objects.get(code="C").predecessors.order_by("code").values_list("code", flat=True)
    ) == ["A", "B"]


def test_survey_results_are_checked_against_the_period_and_written():
    from parindex.core.models import UnitGroup
    from parindex.core.services.survey_imports import import_survey
    from tests.builders import assess, make_unit, open_period

    period = open_period(2023)
    a = assess(period, make_unit("A"))
    group = UnitGroup.objects.get(code="SO")
    problems = problems_of(
        workbooks.read_survey,
        book({"Điểm": [["Mã đơn vị", "2.1", "1.1"], ["A", 30, 1], ["Q", 30, None]]}),
        period,
        group,
    )
    assert (
        "Điểm",
        "C1",
        "Mã tiêu chí “1.1” không có trong bộ tiêu chí (hoặc không phải tiêu chí lá).",
    ) in problems
    assert ("Điểm", "A3", "Không có đơn vị mã “Q”.") in problems
    scores = workbooks.read_survey(
        book({"Điểm": [["Mã đơn vị", "2.1"], ["A", "36,25"]]}), period, group
    )
    assert import_survey(period, group, scores) == 1
    assert ScoreEntry.objects.get(assessment=a, criterion__code="2.1").survey_points == D("36.25")


def header_row(sheet) -> int:
    """The first header row of an annex ("STT"): the title rows above it vary."""
    return next(r for r in range(1, 20) if sheet.cell(row=r, column=1).value == "STT")


def annex_of(period, code):
    """The annex of a group's current table, and the row of its header (title rows vary)."""
    period_group = period.period_groups.select_related("group").get(group__code=code)
    results, areas = league_rows(period, period_group)
    current = ResultSet.objects.get(period=period, group=period_group.group, is_current=True)
    sheet = load_workbook(
        io.BytesIO(write_annex(period, period_group, results, areas, result_set=current))
    ).active
    return sheet, header_row(sheet)


def test_the_official_annex_has_titles_merged_headers_numbers_and_print_setup(demo):
    sheet, head = annex_of(Period.objects.get(year=2022), "SO")
    assert sheet["A2"].value == "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2022"
    assert sheet["A4"].value.startswith("Kết quả chính thức — công bố ngày ")
    assert sheet.cell(row=head, column=3).value == "Điểm theo nội dung"
    assert f"C{head}:J{head}" in {str(r) for r in sheet.merged_cells.ranges}
    header = [sheet.cell(row=head, column=c).value for c in range(1, 15)]
    assert header[:2] == ["STT", "Đơn vị"]
    assert header[10:14] == ["Tổng điểm", "Chỉ số (%)", "Xếp hạng", "Xếp loại"]
    first = [sheet.cell(row=head + 2, column=c).value for c in (1, 2, 12, 13, 14)]
    assert first == [1, "Sở Tư pháp", 97.57, 1, "Tốt"]
    assert sheet.cell(row=head + 2, column=12).number_format == "0.00"
    assert sheet.freeze_panes == f"C{head + 2}"
    assert sheet.print_title_rows == f"${head}:${head + 1}"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.max_row == head + 1 + 26


def test_the_annex_of_an_unranked_group_shows_no_rank(demo):
    sheet, head = annex_of(Period.objects.get(year=2022), "NGANHDOC")
    assert {sheet.cell(row=r, column=13).value for r in range(head + 2, head + 9)} == {"—"}
    assert "Khối chỉ xếp loại, không xếp hạng" in [
        sheet.cell(row=r, column=1).value for r in range(1, head)
    ]


def test_scorecard_shows_appraisal_columns_only_when_asked(demo):
    assessment = Assessment.objects.get(period__year=2022, unit__code="STP")
    full = load_workbook(io.BytesIO(write_scorecard(assessment, with_appraisal=True))).active
    assert [c.value for c in full[3]][-4:] == [
        "Thẩm định",
        "Điểm cuối cùng",
        "Lý do thẩm định",
        "Giải trình",
    ]
    rows = {r[0].value: [c.value for c in r] for r in full.iter_rows(min_row=4)}
    assert rows["1.1.1"][3] == 1.0  # max
    short = load_workbook(io.BytesIO(write_scorecard(assessment, with_appraisal=False))).active
    assert [c.value for c in short[3]][-1] == "Giải thích"


@override_settings(PROVINCE_NAME="Ủy ban nhân dân tỉnh Thử")
def test_the_scorecard_names_the_province_of_the_settings_over_the_unit(demo):
    assessment = Assessment.objects.get(period__year=2022, unit__code="STP")
    sheet = load_workbook(io.BytesIO(write_scorecard(assessment, with_appraisal=False))).active
    assert sheet["A1"].value == "Ủy ban nhân dân tỉnh Thử"
    assert sheet["A2"].value == "Sở Tư pháp — Chỉ số CCHC năm 2022"


UNITS_WITH_REASONS = [
    [*UNITS[0], "Không xếp hạng"],
    *[[*row, None] for row in UNITS[1:]],
]
UNITS_WITH_REASONS[1][-1] = "Đang sáp nhập"  # A


def test_the_unranked_column_leaves_a_unit_out_of_this_periods_ranking():
    period = import_period(workbooks.read_period(period_book(**{"Đơn vị": UNITS_WITH_REASONS})))
    got = {
        r.unit.code: (r.index, r.rank, r.unranked_reason)
        for r in UnitResult.objects.current_for(period).select_related("unit")
    }
    assert got["A"] == (D("86.50"), None, "Đang sáp nhập")
    assert (got["C"][1], got["B"][1]) == (1, 2)
    assert Assessment.objects.get(unit__code="A").unranked_reason == "Đang sáp nhập"


def test_the_tie_rule_is_read_from_the_info_sheet_shared_when_absent():
    unrounded = [*INFO, ["Xếp hạng khi bằng điểm", "Theo điểm chưa làm tròn"]]
    period = import_period(workbooks.read_period(period_book(**{"Thông tin": unrounded})))
    assert period.tie_rule == TieRule.UNROUNDED
    other = [["Năm", 2018], *INFO[1:]]
    assert import_period(workbooks.read_period(period_book(**{"Thông tin": other}))).tie_rule == (
        TieRule.SHARED
    )


def test_importing_a_period_never_changes_another_periods_ranking():
    first = import_period(workbooks.read_period(period_book()))
    stored = sorted(UnitResult.objects.current_for(first).values_list("unit__code", "rank"))
    ranked_nd = [*UNITS[:4], ["X", "Cục X", None, "ND", "Ngành dọc", "Có", None]]
    other = [["Năm", 2018], *INFO[1:]]
    second = import_period(
        workbooks.read_period(period_book(**{"Thông tin": other, "Đơn vị": ranked_nd}))
    )
    assert PeriodGroup.objects.get(period=second, group__code="ND").ranked
    assert not PeriodGroup.objects.get(period=first, group__code="ND").ranked
    assert not UnitGroup.objects.get(code="ND").ranked  # the default for new periods, as created
    assert sorted(UnitResult.objects.current_for(first).values_list("unit__code", "rank")) == stored
    assert UnitResult.objects.current_for(second).get(unit__code="X").rank == 1


def test_the_exported_workbook_says_this_periods_ranking_reasons_and_tie_rule():
    period = import_period(workbooks.read_period(period_book(**{"Đơn vị": UNITS_WITH_REASONS})))
    PeriodGroup.objects.filter(period=period, group__code="SO").update(ranked=False)
    period.tie_rule = TieRule.UNROUNDED
    period.save()
    sheets = content(write_period(period))
    assert ("Xếp hạng khi bằng điểm", "Theo điểm chưa làm tròn") in sheets["Thông tin"]
    header, *rows = sheets["Đơn vị"]
    assert header[5:7] == ("Xếp hạng", "Không xếp hạng")
    by_code = {row[0]: (*row, None, None)[5:7] for row in rows}  # trailing empty cells are cut
    assert by_code == {
        "A": ("Không", "Đang sáp nhập"),
        "B": ("Không", None),
        "C": ("Không", None),
        "X": ("Không", None),
    }
    assert UnitGroup.objects.get(code="SO").ranked  # the group's default is not the period's


def test_the_period_template_has_the_new_columns():
    from parindex.core.excel.writing import write_template

    sheets = content(write_template("period"))
    assert "Không xếp hạng" in sheets["Đơn vị"][0]
    assert ("Xếp hạng khi bằng điểm", "Đồng hạng") in sheets["Thông tin"]
    assert "Không xếp hạng" not in content(write_template("units"))["Đơn vị"][0]
