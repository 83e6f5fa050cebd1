"""Units in time: lineage with shares in the workbook, units that do not exist in a year, and
comparisons across a reorganisation (derived, like with like, new)."""

from datetime import date
from decimal import Decimal as D

import pytest

from parindex.core.excel import workbooks
from parindex.core.lineage import lineage_text, parse_lineage
from parindex.core.models import Comparison, Lineage, Period, Unit, UnitResult
from parindex.core.services.imports import import_period
from parindex.core.services.results import compute_results, finalise_period, publish_results
from tests.builders import assess, full_scores, make_period, make_unit
from tests.core.test_excel import UNITS, nothing_written, period_book, problems_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, pairs, problems",
    [
        ("A, B", [("A", "1"), ("B", "1")], 0),
        ("BTHANH, PNGULAO, CONGLANH:0.5, NTBINH:0.3", None, 0),
        ("CONGLANH:0,5, NTBINH:0,3", [("CONGLANH", "0.5"), ("NTBINH", "0.3")], 0),
        ("A:1", [("A", "1")], 0),
        ("A:1.5", [], 1),
        ("A:0", [], 1),
        ("A:nửa", [], 1),
        ("A, A", [("A", "1")], 1),
        (":0.5", [], 1),
        ("", [], 0),
    ],
)
def test_lineage_text_reads_codes_and_shares_and_names_each_problem(text, pairs, problems):
    found, errors = parse_lineage(text)
    if pairs is not None:
        assert found == [(code, D(share)) for code, share in pairs]
    assert len(errors) == problems


def test_lineage_text_is_written_back_as_it_is_read():
    pairs, _ = parse_lineage("NTBINH:0.3, BTHANH, CONGLANH:0.5, PNGULAO")
    assert lineage_text(pairs) == "BTHANH, PNGULAO, CONGLANH:0.5, NTBINH:0.3"


def units_with(lineage_of_c: str, *extra_columns):
    header = [*UNITS[0], *(c for c, _v in extra_columns)]
    rows = [list(row) + [None] * len(extra_columns) for row in UNITS[1:]]
    rows[2][6] = lineage_of_c
    for index, (_column, value) in enumerate(extra_columns):
        rows[2][7 + index] = value
    return [header, *rows]


def test_a_unit_formed_from_one_whole_and_one_half_predecessor_imports():
    import_period(workbooks.read_period(period_book(**{"Đơn vị": units_with("A, B:0.5")})))
    c = Unit.objects.get(code="C")
    links = Lineage.objects.filter(successor=c).order_by("predecessor__code")
    assert [(link.predecessor.code, link.share) for link in links] == [("A", 1), ("B", D("0.5"))]


@pytest.mark.parametrize(
    "lineage, message",
    [
        ("A, B:1.5", "Tỷ lệ 1.5 của “B” phải lớn hơn 0 và không quá 1."),
        ("A, ZZ:0.5", "Đơn vị kế thừa “ZZ” không có."),
    ],
)
def test_a_share_out_of_range_or_an_unknown_code_is_refused_at_the_cell(lineage, message):
    before = nothing_written()
    found = problems_of(workbooks.read_period, period_book(**{"Đơn vị": units_with(lineage)}))
    assert ("Đơn vị", "G4", message) in found
    assert nothing_written() == before


def test_a_predecessor_handed_out_at_more_than_its_whole_is_refused():
    rows = units_with("A:0.7")
    rows[2][6] = "A:0.7"  # C takes 0.7 of A
    rows[4][6] = "A:0.6"  # X takes 0.6 of A: 1.3 in all
    found = problems_of(workbooks.read_period, period_book(**{"Đơn vị": rows}))
    assert any("vượt quá 1" in message for _s, _c, message in found)


def test_a_period_only_takes_units_that_exist_in_its_year():
    rows = units_with("A, B", ("Từ ngày", "01/07/2025"), ("Đến ngày", None))
    found = problems_of(workbooks.read_period, period_book(**{"Đơn vị": rows}))
    assert (
        "Đơn vị",
        "A4",
        "Đơn vị “C” không tồn tại trong năm 2019 (từ 01/07/2025): kỳ đánh giá chỉ gồm các đơn vị "
        "có trong năm đó.",
    ) in found


def test_unit_dates_are_read_and_a_bad_date_is_named_at_its_cell():
    rows = units_with("A, B", ("Từ ngày", "01/01/2019"), ("Đến ngày", "31/12/2030"))
    import_period(workbooks.read_period(period_book(**{"Đơn vị": rows})))
    c = Unit.objects.get(code="C")
    assert (c.valid_from, c.valid_to) == (date(2019, 1, 1), date(2030, 12, 31))
    rows = units_with("A, B", ("Từ ngày", "1/13/2019"), ("Đến ngày", None))
    found = problems_of(workbooks.read_period, period_book(**{"Đơn vị": rows}))
    assert ("Đơn vị", "H4", "“1/13/2019” không phải là ngày (ghi dạng 01/07/2025).") in found


def publish(period):
    finalise_period(period)
    return publish_results(Period.objects.get(pk=period.pk), decision_number="1/QĐ-UBND")


def link(successor, predecessor, share="1", since=date(2025, 7, 1)):
    Lineage.objects.create(
        successor=successor, predecessor=predecessor, share=D(share), since=since
    )


def result(period, code):
    return UnitResult.objects.current_for(period).get(unit__code=code)


def test_change_versus_last_year_across_a_reorganisation():
    old = make_period(2024)
    assess(old, make_unit("W1"), full_scores(60, 30))  # 90.00
    assess(old, make_unit("W2"), full_scores(50, 30))  # 80.00
    assess(old, make_unit("W3"), full_scores(40, 30))  # 70.00
    assess(old, make_unit("KEEP"), full_scores(55, 30))  # 85.00, rank 2
    publish(old)
    new = make_period(2025, criteria_set=old.period_groups.first().criteria_set)
    merged = make_unit("M")
    link(merged, Unit.objects.get(code="W1"))
    link(merged, Unit.objects.get(code="W2"))
    link(merged, Unit.objects.get(code="W3"), "0.5")
    fresh = make_unit("NEW")
    fresh.valid_from = date(2025, 7, 1)
    fresh.save()
    for code in ("M", "KEEP", "NEW"):
        assess(new, Unit.objects.get(code=code), full_scores(50, 30))
    compute_results(new)
    m, keep, fresh_row = result(new, "M"), result(new, "KEEP"), result(new, "NEW")
    # (90 + 80 + 0.5 × 70) / 2.5 = 82.00, derived from the predecessors, no rank change.
    assert (m.previous_index, m.previous_rank, m.comparison) == (
        D("82.00"),
        None,
        Comparison.DERIVED,
    )
    assert (keep.previous_index, keep.previous_rank, keep.comparison) == (
        D("85.00"),
        2,
        Comparison.SAME,
    )
    assert (fresh_row.previous_index, fresh_row.comparison) == (None, Comparison.NEW)


def test_two_reorganisations_in_one_year_compare_with_the_year_before_both():
    old = make_period(2024)
    assess(old, make_unit("A"), full_scores(60, 30))  # 90.00
    assess(old, make_unit("B"), full_scores(40, 30))  # 70.00
    publish(old)
    new = make_period(2025, criteria_set=old.period_groups.first().criteria_set)
    first, second = make_unit("FIRST"), make_unit("SECOND")
    link(first, Unit.objects.get(code="A"), since=date(2025, 3, 1))
    link(first, Unit.objects.get(code="B"), since=date(2025, 3, 1))
    link(second, first, since=date(2025, 4, 18))  # renamed in April
    assess(new, second, full_scores(50, 30))
    compute_results(new)
    row = result(new, "SECOND")
    assert (row.previous_index, row.comparison) == (D("80.00"), Comparison.DERIVED)
