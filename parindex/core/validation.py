"""Input validation of each kind of number, the one definition every writer calls.

Leaf points (self-assessed and appraised), survey points and bonus/deduction amounts are read
here from what a person typed ("0,5" or "0.5"); a refusal is an ``InvalidScore`` whose
Vietnamese message is shown at the field. Every number is first read by
``numbers.read_points``: quantised half-up to the four decimals the database stores, so the
rules below judge the value that will be stored and shown ("0.12345" is 0.1235; "0.00001" is 0,
not a positive amount). Services and corrections call these; nothing here writes.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.core.errors import InvalidScore
from parindex.core.numbers import NotANumber, NumberError, points_text, read_points

CENT = Decimal("0.01")


def _number(text, example: str) -> Decimal | None:
    """Return the number typed, quantised to the stored precision; None when left empty.

    Refuse what is not a number, or not one a points field can hold.
    """
    try:
        return read_points(text)
    except NotANumber:
        raise InvalidScore(
            _("“%(text)s” không phải là số (ví dụ: %(example)s).")
            % {"text": text, "example": example}
        ) from None
    except NumberError as error:
        raise InvalidScore(error.message) from None


def validate_leaf_points(criterion, text) -> Decimal | None:
    """Return the points typed for a self-assessed leaf (the unit's or the reviewer's value).

    None when left empty. Refused: not a number, negative, above the maximum, more than two
    decimals (once rounded to the four stored), or not one of the leaf's choices.
    """
    points = _number(text, "0,5")
    if points is None:
        return None
    if points < 0:
        raise InvalidScore(_("Điểm không được âm."))
    if points > criterion.max_points:
        raise InvalidScore(
            _("Điểm tối đa của tiêu chí này là %(max)s.")
            % {"max": points_text(criterion.max_points)}
        )
    if points != points.quantize(CENT):
        raise InvalidScore(_("Điểm chỉ có tối đa 2 chữ số thập phân."))
    options = [p for _label, p in criterion.option_points()]
    if options and points not in options:
        raise InvalidScore(
            _("Điểm phải là một trong các mức: %(options)s.")
            % {"options": "; ".join(points_text(p) for p in options)}
        )
    return points


def validate_survey_points(criterion, text) -> Decimal | None:
    """Return the survey institute's points typed for a survey leaf (None when left empty).

    Stored with four decimals (more are rounded half-up). Refused: not a number, outside 0..max.
    """
    points = _number(text, "2,75")
    if points is None:
        return None
    if points < 0 or points > criterion.max_points:
        raise InvalidScore(
            _("Điểm phải trong khoảng 0 – %(max)s.") % {"max": points_text(criterion.max_points)}
        )
    return points


def validate_adjustment_amount(category, text) -> Decimal:
    """Return a bonus or deduction amount: positive once rounded to the four stored decimals,
    at most two decimals (amounts are shown with two, as published) and within the category's
    maximum."""
    amount = _number(text, "0,25")
    if amount is None or amount <= 0:
        raise InvalidScore(_("Số điểm phải là số dương (ví dụ: 0,25)."))
    if amount != amount.quantize(CENT):
        raise InvalidScore(_("Số điểm chỉ có tối đa 2 chữ số thập phân."))
    if amount > category.max_points:
        raise InvalidScore(
            _("Số điểm vượt mức tối đa %(max)s của nhóm “%(title)s”.")
            % {"max": points_text(category.max_points), "title": category.title}
        )
    return amount
