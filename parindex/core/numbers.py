"""Reading numbers typed by people: "0,5" and "0.5" are the same half point."""

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
