"""Every typed number is rounded half-up to the four decimals stored, then validated: the value
checked is the value stored and shown, on SQLite as on PostgreSQL; what no points field can hold
is refused with a message."""

import re
from decimal import Decimal as D

import pytest

from parindex.core.errors import InvalidScore
from parindex.core.excel import workbooks
from parindex.core.models import (
    Adjustment,
    AuditEntry,
    CriteriaSet,
    Criterion,
    GradeBand,
    ScoreEntry,
)
from parindex.core.numbers import DIGITS, PLACES, NotANumber, NumberError, read_points
from parindex.core.services import WorkflowError
from parindex.core.services.appraisal import save_survey_points
from parindex.core.services.survey_imports import import_survey
from parindex.core.validation import validate_leaf_points
from tests.builders import leaf_of, refused
from tests.core.test_appraisal import appraise, propose, w  # noqa: F401 (w is a fixture)
from tests.core.test_excel import CRITERIA, INFO, SCORES, period_book
from tests.core.test_excel import problems_of as problems_in
from tests.core.test_import_survey import build_survey_world, survey_file
from tests.core.test_self_assessment import save, setup  # noqa: F401 (setup is a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, read",
    [
        ("0,5", "0.5"),
        ("0.12345", "0.1235"),  # PostgreSQL's numeric(9, 4) would round it so; now both do
        ("0.00005", "0.0001"),  # half-up
        ("-3.00005", "-3.0001"),
        ("0.00001", "0"),
        ("1E-10", "0"),
        ("-0.00001", "0"),  # never "-0"
        ("1e2", "100"),
        ("99999.99994", "99999.9999"),
        (2.5, "2.5"),
        ("  ", None),
    ],
)
def test_typed_numbers_are_rounded_half_up_to_the_four_stored_decimals(typed, read):
    value = read_points(typed)
    assert value == (None if read is None else D(read))
    assert read is None or str(value) == read  # shown back as stored, never "1E+2" or "-0"


@pytest.mark.parametrize(
    "typed, error, message",
    [
        ("NaN", NotANumber, "không phải là số"),
        ("-Infinity", NotANumber, "không phải là số"),
        ("1_000", NotANumber, "không phải là số"),
        ("mười", NotANumber, "không phải là số"),
        ("1E-999999999", NumberError, "hãy ghi số thập phân thông thường"),
        ("1E+999999999", NumberError, "quá lớn (tối đa 99999.9999)"),
        ("100000", NumberError, "quá lớn"),
        ("99999.99995", NumberError, "quá lớn"),  # rounds up to 100000
    ],
)
def test_numbers_no_points_field_can_hold_are_refused_with_a_message(typed, error, message):
    with pytest.raises(error, match=re.escape(message)):
        read_points(typed)


@pytest.mark.parametrize(
    "model, name",
    [
        (ScoreEntry, "self_points"),
        (ScoreEntry, "appraised_points"),
        (ScoreEntry, "survey_points"),
        (Adjustment, "amount"),
        (Criterion, "max_points"),
        (CriteriaSet, "scale"),
        (CriteriaSet, "bonus_cap"),
        (CriteriaSet, "deduction_cap"),
        (GradeBand, "lower_bound"),
    ],
)
def test_every_typed_points_field_has_the_precision_numbers_rounds_to(model, name):
    field = model._meta.get_field(name)
    assert (field.max_digits, field.decimal_places) == (DIGITS, PLACES)


def test_survey_points_with_more_decimals_are_stored_as_shown(w):  # noqa: F811
    survey = leaf_of(w["period"], "2.1")
    entry = save_survey_points(w["a"], survey, by=w["reviewer"], points_text="36,12345", revision=0)
    entry.refresh_from_db()
    assert entry.survey_points == D("36.1235")
    audit = AuditEntry.objects.filter(action="survey.changed").latest("pk")
    assert audit.changes["survey_points"] == [None, "36.1235"]


def test_leaf_points_are_judged_once_rounded_to_four_decimals(w):  # noqa: F811
    criterion = leaf_of(w["period"], "1.2.1")
    assert validate_leaf_points(criterion, "12.50001") == D("12.5")
    with pytest.raises(InvalidScore, match="tối đa 2 chữ số thập phân"):
        validate_leaf_points(criterion, "0.12345")


@pytest.mark.parametrize("amount", ["0.00001", "1E-10", "-0.00001"])
def test_an_amount_that_rounds_to_zero_is_not_positive(w, amount):  # noqa: F811
    with refused(WorkflowError, match="số dương"):
        propose(w, amount=amount)


def test_an_amount_with_more_than_two_decimals_is_refused(w):  # noqa: F811
    with refused(WorkflowError, match="tối đa 2 chữ số thập phân"):
        propose(w, amount="0.12345")


def test_an_amount_of_two_decimals_is_stored_as_typed(w):  # noqa: F811
    adjustment = propose(w, amount="0,25")
    adjustment.refresh_from_db()
    assert adjustment.amount == D("0.25")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1E-999999999", "hãy ghi số thập phân thông thường"),
        ("1E+999999999", "quá lớn"),
        ("Infinity", "không phải là số"),
    ],
)
def test_absurd_numbers_are_refused_with_a_message_by_every_service(w, typed, message):  # noqa: F811
    with refused(WorkflowError, match=message):
        propose(w, amount=typed)
    with refused(InvalidScore, match=message):
        appraise(w, "1.2.1", typed, note="Thẩm định")
    with refused(InvalidScore, match=message):
        survey = leaf_of(w["period"], "2.1")
        save_survey_points(w["a"], survey, by=w["reviewer"], points_text=typed, revision=0)


@pytest.mark.parametrize("typed", ["1E-999999999", "1E+999999999", "NaN"])
def test_absurd_self_points_are_refused_with_a_message(setup, typed):  # noqa: F811
    with refused(InvalidScore, match="không đọc được|quá lớn|không phải là số"):
        save(setup, "1.2.1", typed)


def test_self_points_are_stored_as_judged(setup):  # noqa: F811
    entry = save(setup, "1.2.1", "12,50001")
    entry.refresh_from_db()
    assert entry.self_points == D("12.5")


def test_an_imported_survey_value_is_stored_rounded_like_a_typed_one():
    period, group = build_survey_world()
    scores = workbooks.read_survey(survey_file([["A", "30,12345"]]), period, group)
    import_survey(period, group, scores)
    entry = ScoreEntry.objects.get(assessment__unit__code="A", criterion__code="2.1")
    assert entry.survey_points == D("30.1235")


@pytest.mark.parametrize(
    "changes, expected",
    [
        (
            {"Điểm": [SCORES[0], ["A", 20, 35, 30, "1E-999999999", None]]},
            ("Điểm", "E2", "“1E-999999999” không đọc được"),
        ),
        (
            {
                "Tiêu chí": [
                    *CRITERIA[:3],
                    ["1.2", "Báo cáo", "1E+10", "Tự đánh giá"],
                    *CRITERIA[4:],
                ]
            },
            ("Tiêu chí", "C4", "Số 1E+10 quá lớn (tối đa 99999.9999)."),
        ),
        (
            {"Thông tin": [*INFO, ["Thang điểm", "1E+10"]]},
            ("Thông tin", "B5", "Số 1E+10 quá lớn (tối đa 99999.9999)."),
        ),
    ],
)
def test_a_workbook_number_no_field_can_hold_is_a_problem_at_its_cell(changes, expected):
    sheet, cell, message = expected
    problems = problems_in(workbooks.read_period, period_book(**changes))
    assert any(p[:2] == (sheet, cell) and message in p[2] for p in problems), problems
