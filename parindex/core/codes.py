"""The one rule for unit and group codes, checked wherever a code enters.

A code names a unit (``STP``, ``SYN-00001``) or a group (``SO``, ``NGANHDOC``) in every URL,
import file and export, so it is letters without diacritics, digits, ``-``, ``_`` and ``.``,
beginning with a letter or a digit (no ``/``, no space, never ``.`` or ``..``), at most 30
characters. The model fields (``Unit.code``, ``UnitGroup.code``: the admin validates through
``full_clean``), the import readers (a problem at the cell), the services that create units and
groups, and the URL converter ``code`` (``web/converters.py``) all use this module.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CODE_MAX_LENGTH = 30
CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
_CODE = re.compile(CODE_PATTERN)


def code_problem(code: str) -> str | None:
    """Return why ``code`` is not a valid unit or group code, or None when it is."""
    if not code:
        return _("Thiếu mã.")
    if len(code) > CODE_MAX_LENGTH or not _CODE.fullmatch(code):
        return _(
            "Mã “%(code)s” không hợp lệ: chỉ gồm chữ cái không dấu, chữ số và các dấu - _ . "
            "(bắt đầu bằng chữ hoặc số, tối đa %(max)s ký tự)."
        ) % {"code": code, "max": CODE_MAX_LENGTH}
    return None


def validate_code(value: str) -> None:
    """Model field validator: raise ValidationError for a code outside the rule."""
    problem = code_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_code")
