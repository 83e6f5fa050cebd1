"""Numbers typed and read by people: "0,5" and "0.5" are the same half point.

Every number a person gives (a form, a service call, an Excel cell, a criteria file) is read
here, and read the same way: quantised half-up to the four decimals every points field stores
(``POINTS`` in ``models/criteria.py``: 9 digits, 4 decimals), before any rule looks at it. So the
value checked is the value stored, on SQLite as on PostgreSQL (which would otherwise round on its
own, or refuse what does not fit), and the value shown back is that value too.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

PLACES = 4  # decimal places of every points field (models/criteria.py POINTS)
DIGITS = 9  # and their digits
STEP = Decimal(1).scaleb(-PLACES)  # 0.0001
LARGEST = Decimal(10) ** (DIGITS - PLACES) - STEP  # 99999.9999
# Digits with an optional decimal point and exponent: no NaN, Infinity, "1_000" or other scripts'
# digits, which Decimal() would take.
NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
SMALLEST_EXPONENT = -20  # "1E-10" is a number rounding to 0; "1E-999999999" is not a number


class NumberError(ValueError):
    """A typed value that is not a number a points field can hold; ``message`` says why."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class NotANumber(NumberError):
    """Not a finite number at all ("mười", "NaN", "Infinity", True)."""


def read_points(value: Any) -> Decimal | None:
    """Read "0,5", "0.5", 0.5, 1 or "1E-3" as a Decimal quantised half-up to four decimals.

    None when empty. Raise ``NotANumber`` when it is not a finite number, ``NumberError`` when
    its exponent is out of any sane range or it does not fit a points field (above 99999.9999).
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip().replace(",", ".")
    number = None
    if not isinstance(value, bool) and NUMBER.fullmatch(text):
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError, OverflowError):
            pass
    if number is None:
        raise NotANumber(_("“%(v)s” không phải là số.") % {"v": value})
    if number.is_zero():
        return Decimal(0)  # "-0", "0E+999999999" alike
    if number.adjusted() < SMALLEST_EXPONENT:
        raise NumberError(
            _("“%(v)s” không đọc được: hãy ghi số thập phân thông thường (ví dụ: 0,25).")
            % {"v": value}
        )
    too_large = number.adjusted() >= DIGITS - PLACES  # checked first: quantize would overflow
    quantised = None if too_large else number.quantize(STEP, rounding=ROUND_HALF_UP)
    if quantised is None or abs(quantised) > LARGEST:
        raise NumberError(
            _("Số %(v)s quá lớn (tối đa %(max)s).") % {"v": value, "max": points_text(LARGEST)}
        )
    if quantised.is_zero():
        return Decimal(0)  # never "-0"
    # The same value without trailing zeros and never in exponent form: str() gives "0.25", "20".
    if quantised == quantised.to_integral_value():
        return quantised.quantize(Decimal(1))
    return quantised.normalize()


def parse_decimal(value: Any) -> Decimal | None:
    """Return ``read_points(value)``, or None when it is empty or cannot be a points value."""
    try:
        return read_points(value)
    except NumberError:
        return None


def points_text(value: Decimal | None, *, empty: str = "") -> str:
    """Write stored points the way they are typed back: "0.5", "1", "36.1234".

    The one way points are written outside the published tables (which always show two
    decimals, see ``scoring.round_score``): forms, messages, history lines, workbooks' text.
    ``empty`` stands for no value.
    """
    if value is None:
        return empty
    return format(value.normalize(), "f")
