"""Numbers typed and read by people: "0,5" and "0.5" are the same half point."""

from decimal import Decimal, InvalidOperation
from typing import Any


def parse_decimal(value: Any) -> Decimal | None:
    """Read "0,5", "0.5", 0.5 or 1 as a Decimal; return None when it is not a finite number."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def points_text(value: Decimal | None, *, empty: str = "") -> str:
    """Write stored points the way they are typed back: "0.5", "1", "36.1234".

    The one way points are written outside the published tables (which always show two
    decimals, see ``scoring.round_score``): forms, messages, history lines, workbooks' text.
    ``empty`` stands for no value.
    """
    if value is None:
        return empty
    return format(value.normalize(), "f")
