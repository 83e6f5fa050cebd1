"""Table tests for the formula: index = 100 × (points + bonus − deductions) / max."""

from decimal import Decimal as D

import pytest

from parindex.scoring import (
    AreaTotals,
    CategoryAmount,
    Rules,
    UnitTotals,
    capped_sum,
    ratio_index,
    round_score,
    score_unit,
)

NO_CAPS = Rules(bonus_cap=D("0"), deduction_cap=D("0"))
CAPS = Rules(bonus_cap=D("3"), deduction_cap=D("5"))


def area(code, points, maximum):
    return AreaTotals(key=code, points=D(points), max_points=D(maximum))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("97.565", "97.57"),  # the x.xx5 boundary rounds up (half-up), not to even
        ("97.575", "97.58"),
        ("97.5649999", "97.56"),
        ("85.175", "85.18"),
        ("0.005", "0.01"),
        ("100", "100.00"),
        ("81.3333333333", "81.33"),
    ],
)
def test_round_score_rounds_half_up_to_two_decimals(value, expected):
    assert str(round_score(D(value))) == expected


def test_round_score_passes_none_through():
    assert round_score(None) is None


@pytest.mark.parametrize(
    "areas, expected_index, expected_max",
    [
        # Thanh Hóa 2023, Ban Dân tộc: 68.32 points of a maximum reduced to 84 → 81.33 %.
        ([("1", "68.32", "84")], "81.33", "84"),
        # Sở Tư pháp 2022: 97.57 of 100.
        ([("1", "30", "30"), ("2", "67.57", "70")], "97.57", "100"),
        # Rounded once at the end: 3 areas of 1/3 each would be 33.33 × 3 = 99.99 if rounded early.
        ([("1", "1", "3"), ("2", "1", "3"), ("3", "1", "3")], "33.33", "9"),
        # An area whose every leaf is not applicable adds nothing to either sum.
        ([("1", "45", "50"), ("2", "0", "0")], "90.00", "50"),
    ],
)
def test_index_is_points_over_applicable_maximum(areas, expected_index, expected_max):
    result = score_unit(UnitTotals("u", tuple(area(*a) for a in areas)), NO_CAPS)
    assert result.index == D(expected_index)
    assert result.max_points == D(expected_max)


def test_index_keeps_full_precision_until_the_end():
    result = score_unit(UnitTotals("u", (area("1", "2", "3"),)), NO_CAPS)
    assert result.index_exact == D(200) / D(3)
    assert result.index == D("66.67")


def test_all_not_applicable_unit_has_no_index_and_area_has_no_component_index():
    result = score_unit(UnitTotals("u", (area("1", "0", "0"),)), NO_CAPS)
    assert result.index is None
    assert result.areas[0].index is None


def test_component_index_is_the_same_ratio_restricted_to_the_area():
    result = score_unit(UnitTotals("u", (area("1", "6.5", "7"), area("2", "12", "16"))), NO_CAPS)
    assert [a.index for a in result.areas] == [D("92.86"), D("75.00")]


@pytest.mark.parametrize(
    "bonus, deductions, expected_bonus, expected_deduction, expected_total",
    [
        ([], [], "0", "0", "90"),
        ([("9.1.1", "0.5", "1")], [], "0.5", "0", "90.5"),
        # A category is capped at its own cap …
        ([("9.1.1", "2", "1")], [], "1", "0", "91"),
        # … and the sum at the criteria set's cap.
        ([("9.1.1", "1", "1"), ("9.1.2", "1", "1"), ("9.1.3", "1.5", "2")], [], "3", "0", "93"),
        ([], [("9.2.1", "0.75", "1")], "0", "0.75", "89.25"),
        ([], [("9.2.1", "4", "4"), ("9.2.2", "3", "3")], "0", "5", "85"),
        ([("9.1.1", "1", "1")], [("9.2.1", "0.25", "1")], "1", "0.25", "90.75"),
        # Negative amounts never help or hurt.
        ([("9.1.1", "-1", "1")], [("9.2.1", "-1", "1")], "0", "0", "90"),
    ],
)
def test_bonus_and_deductions_are_capped(
    bonus, deductions, expected_bonus, expected_deduction, expected_total
):
    totals = UnitTotals(
        "u",
        (area("1", "90", "100"),),
        bonus=tuple(CategoryAmount(c, D(a), D(cap)) for c, a, cap in bonus),
        deductions=tuple(CategoryAmount(c, D(a), D(cap)) for c, a, cap in deductions),
    )
    result = score_unit(totals, CAPS)
    assert result.bonus == D(expected_bonus)
    assert result.deduction == D(expected_deduction)
    assert result.total == D(expected_total)


def test_total_never_goes_below_zero():
    totals = UnitTotals(
        "u", (area("1", "2", "100"),), deductions=(CategoryAmount("9.2.1", D("5"), D("5")),)
    )
    result = score_unit(totals, CAPS)
    assert result.total == D("0")
    assert result.index == D("0.00")


@pytest.mark.parametrize(
    "allow_over_max, expected_total, expected_index",
    [
        (False, "100", "100.00"),
        (True, "101.5", "101.50"),
    ],
)
def test_total_above_maximum_only_when_the_criteria_set_allows_it(
    allow_over_max, expected_total, expected_index
):
    rules = Rules(bonus_cap=D("3"), deduction_cap=D("5"), allow_over_max=allow_over_max)
    totals = UnitTotals(
        "u", (area("1", "99.5", "100"),), bonus=(CategoryAmount("9.1.1", D("2"), D("2")),)
    )
    result = score_unit(totals, rules)
    assert result.total == D(expected_total)
    assert result.index == D(expected_index)


@pytest.mark.parametrize(
    "items, cap, expected",
    [
        ([], "3", "0"),
        ([("a", "1", "1"), ("b", "1", "1")], "3", "2"),
        ([("a", "5", "1")], "3", "1"),
        ([("a", "2", "2"), ("b", "2", "2")], "3", "3"),
        ([("a", "2", "2")], "0", "0"),
    ],
)
def test_capped_sum(items, cap, expected):
    amounts = tuple(CategoryAmount(c, D(a), D(k)) for c, a, k in items)
    assert capped_sum(amounts, D(cap)) == D(expected)


def test_ratio_index_of_zero_maximum_is_none():
    assert ratio_index(D("0"), D("0")) is None


def test_a_kept_area_index_is_the_one_computing_it_again_gives_whatever_the_written_scale():
    from parindex.scoring.index import area_index

    area_index.cache_clear()
    pairs = [(D("1.00"), D("3.000")), (D("1.0"), D("3")), (D("2.5"), D("0")), (D("0"), D("0.00"))]
    for points, maximum in pairs + pairs:  # the second pass answers from what was kept
        expected = round_score(ratio_index(points, maximum))
        assert area_index(points, maximum) == expected
        assert str(area_index(points, maximum)) == str(expected)  # "33.33", never "33.3"
    assert area_index.cache_info().hits >= len(pairs)
