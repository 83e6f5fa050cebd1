"""Table tests for ranking, grade bands and the comparison with last year."""

from decimal import Decimal as D

import pytest

from parindex.scoring import (
    AreaTotals,
    Band,
    Earlier,
    Rules,
    UnitTotals,
    competition_ranks,
    grade_for,
    last_year,
    score_group,
)

NATIONAL = (Band("A", D("90")), Band("B", D("80")), Band("C", D("70")))
PROVINCE = (
    Band("Xuất sắc", D("95"), "#1a7f37"),
    Band("Tốt", D("80"), "#4c9a2a"),
    Band("Khá", D("70")),
    Band("Trung bình", D("50")),
    Band("Yếu", D("0")),
)


@pytest.mark.parametrize(
    "indices, expected",
    [
        # Hà Nội 2023 districts: Đống Đa, Nam Từ Liêm, Hoàn Kiếm, Cầu Giấy.
        (
            [("DD", "96.3"), ("NTL", "95.7"), ("HK", "95.7"), ("CG", "95.22")],
            {"DD": 1, "NTL": 2, "HK": 2, "CG": 4},
        ),
        ([("a", "90"), ("b", "90"), ("c", "90")], {"a": 1, "b": 1, "c": 1}),
        ([("a", "80"), ("b", "90"), ("c", "85")], {"b": 1, "c": 2, "a": 3}),
        (
            [("a", "90"), ("b", "80"), ("c", "80"), ("d", "80"), ("e", "70")],
            {"a": 1, "b": 2, "c": 2, "d": 2, "e": 5},
        ),
        # Units compare on the published figure: both show 95.70, so they share the rank.
        ([("a", "95.6951"), ("b", "95.7049"), ("c", "95.69")], {"a": 1, "b": 1, "c": 3}),
        ([], {}),
    ],
)
def test_competition_ranking_shares_ranks_and_skips_the_next(indices, expected):
    assert competition_ranks((k, D(v)) for k, v in indices) == expected


def test_units_without_index_are_not_ranked():
    assert competition_ranks([("a", D("90")), ("b", None)]) == {"a": 1}


@pytest.mark.parametrize(
    "index, bands, expected",
    [
        ("95.17", NATIONAL, "A"),
        ("90", NATIONAL, "A"),
        ("89.99", NATIONAL, "B"),
        ("89.995", NATIONAL, "A"),  # shown as 90.00: graded as shown
        ("70", NATIONAL, "C"),
        ("69.99", NATIONAL, None),
        ("97.57", PROVINCE, "Xuất sắc"),
        ("85.18", PROVINCE, "Tốt"),
        ("12", PROVINCE, "Yếu"),
        (None, PROVINCE, None),
    ],
)
def test_grade_is_the_band_with_the_highest_lower_bound_reached(index, bands, expected):
    band = grade_for(D(index) if index is not None else None, bands)
    assert (band.label if band else None) == expected


def test_bands_need_not_be_given_in_order():
    assert grade_for(D("85"), tuple(reversed(NATIONAL))).label == "B"


def unit(key, points, maximum="100"):
    return UnitTotals(key, (AreaTotals("1", D(points), D(maximum)),))


def test_score_group_ranks_and_grades_a_ranked_group():
    rows = score_group(
        [unit("STP", "97.57"), unit("ITPC", "85.18"), unit("SNV", "96.88")],
        Rules(D("3"), D("5")),
        PROVINCE,
        ranked=True,
    )
    got = {r.score.key: (r.rank, r.score.index, r.band.label) for r in rows}
    assert got == {
        "STP": (1, D("97.57"), "Xuất sắc"),
        "SNV": (2, D("96.88"), "Xuất sắc"),
        "ITPC": (3, D("85.18"), "Tốt"),
    }


def test_score_group_grades_but_never_ranks_an_unranked_group():
    rows = score_group(
        [unit("CHQ", "95.17"), unit("BHXH", "88.12")],
        Rules(D("3"), D("5")),
        NATIONAL,
        ranked=False,
    )
    assert [(r.rank, r.band.label) for r in rows] == [(None, "A"), (None, "B")]


def _earlier(text):
    """ "90" → index 90 whole; "90:0.5" → index 90, share 0.5; "90#2" → rank 2; "-" → none."""
    text, _, share = text.partition(":")
    index, _, rank = text.partition("#")
    return Earlier(
        None if index == "-" else D(index),
        int(rank) if rank else None,
        D(share or "1"),
    )


@pytest.mark.parametrize(
    "own, predecessors, reorganised, expected",
    [
        # Like with like: the unit's own last result, rank included.
        ("91.5#3", [], False, ("91.5", 3, False)),
        ("91.5#3", ["80", "90"], False, ("91.5", 3, False)),
        # Renamed from one whole unit: like with like too.
        (None, ["90.00#4"], False, ("90.00", 4, False)),
        # Merged: the mean of the predecessors, rounded once, half-up; no rank.
        (None, ["90.00#1", "85.01#2"], False, ("87.51", None, True)),
        (None, ["-", "88"], False, ("88.00", None, True)),
        # Whole and partial predecessors: weighted by their shares.
        (None, ["90", "80", "70:0.5", "60:0.5"], True, ("78.33", None, True)),
        # Only part of one unit: derived, not like with like.
        (None, ["90:0.4"], True, ("90.00", None, True)),
        # A unit that absorbed others this year: its own result counts whole among them.
        ("90#1", ["80"], True, ("85.00", None, True)),
        (None, [], False, None),
        (None, ["-", "-:0.5"], True, None),
        ("-", [], False, None),
    ],
)
def test_last_year_follows_lineage_with_shares(own, predecessors, reorganised, expected):
    found = last_year(
        _earlier(own) if own else None,
        [_earlier(p) for p in predecessors],
        reorganised=reorganised,
    )
    if expected is None:
        assert found is None
    else:
        index, rank, derived = expected
        assert (found.index, found.rank, found.derived) == (D(index), rank, derived)


def test_last_year_drops_a_rank_from_another_group():
    found = last_year(Earlier(D("90"), 2, same_group=False))
    assert (found.index, found.rank, found.derived) == (D("90"), None, False)


@pytest.mark.parametrize(
    "indices, expected",
    [
        # Hà Nội 2023: distinct published figures rank the same under either rule.
        (
            [("DD", "96.3"), ("NTL", "95.7"), ("HK", "95.7"), ("CG", "95.22")],
            {"DD": 1, "NTL": 2, "HK": 2, "CG": 4},
        ),
        # Thanh Hóa 2024: two units shown at 90.02 rank 2 and 3 on their full indices.
        (
            [("a", "95.10"), ("b", "90.0240"), ("c", "90.0189"), ("d", "85.02")],
            {"a": 1, "b": 2, "c": 3, "d": 4},
        ),
        # Only exactly equal full indices share a rank.
        ([("a", "90.0200"), ("b", "90.0200"), ("c", "80")], {"a": 1, "b": 1, "c": 3}),
    ],
)
def test_unrounded_tie_rule_ranks_on_the_full_index(indices, expected):
    assert competition_ranks(((k, D(v)) for k, v in indices), unrounded=True) == expected


def test_shared_tie_rule_puts_two_units_shown_at_90_02_on_the_same_rank():
    indices = [("a", D("95.10")), ("b", D("90.0240")), ("c", D("90.0189")), ("d", D("85.02"))]
    assert competition_ranks(indices) == {"a": 1, "b": 2, "c": 2, "d": 4}


def totals(key, points):
    return UnitTotals(key=key, areas=(AreaTotals(key=1, points=D(points), max_points=D("100")),))


def test_a_unit_left_out_of_the_ranking_is_graded_and_the_others_rank_without_it():
    units = [totals("a", "96"), totals("new", "93"), totals("b", "90")]
    rules = Rules(bonus_cap=D("0"), deduction_cap=D("0"))
    rows = score_group(units, rules, PROVINCE, ranked=True, unranked=frozenset({"new"}))
    got = {r.score.key: (r.rank, r.band.label) for r in rows}
    assert got == {"a": (1, "Xuất sắc"), "new": (None, "Tốt"), "b": (2, "Tốt")}
