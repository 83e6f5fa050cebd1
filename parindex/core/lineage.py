"""The text of a unit's lineage, as the period workbook's `Kế thừa từ` column holds it.

Predecessor codes separated by commas, each optionally followed by ``:`` and the share of it
the unit took over (0 < share ≤ 1; absent: the whole unit):
``BTHANH, PNGULAO, CONGLANH:0.5, NTBINH:0.3``. A decimal comma in a share ("CONGLANH:0,5")
is read too: a share is never above 1, so "0,5" can only be a number.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from parindex.core.models.units import WHOLE
from parindex.core.numbers import NumberError, points_text, read_points

# "CODE:0" followed by ",5": the second half of a share written with a decimal comma.
_SPLIT_SHARE = re.compile(r":\s*\d+$")


def parse_lineage(text: str) -> tuple[list[tuple[str, Decimal]], list[str]]:
    """Return the (code, share) pairs of a `Kế thừa từ` text and the problems found in it."""
    pieces: list[str] = []
    for piece in (text or "").split(","):
        if pieces and piece.isdigit() and _SPLIT_SHARE.search(pieces[-1]):
            pieces[-1] += "." + piece
        else:
            pieces.append(piece)
    pairs, problems, seen = [], [], set()
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        code, colon, share_text = (part.strip() for part in piece.partition(":"))
        share = _share(code, share_text, problems) if colon else WHOLE
        if not code:
            problems.append(_("“%(p)s”: thiếu mã đơn vị trước dấu hai chấm.") % {"p": piece})
        elif code in seen:
            problems.append(_("Mã “%(c)s” ghi hai lần.") % {"c": code})
        elif share is not None:
            seen.add(code)
            pairs.append((code, share))
    return pairs, problems


def _share(code: str, text: str, problems: list[str]) -> Decimal | None:
    try:
        share = read_points(text)
    except NumberError:
        share = None
    if share is None:
        problems.append(
            _("Tỷ lệ “%(s)s” của “%(c)s” không phải là số (ghi ví dụ “%(c)s:0.5”).")
            % {"s": text, "c": code}
        )
        return None
    if not (0 < share <= WHOLE):
        problems.append(
            _("Tỷ lệ %(s)s của “%(c)s” phải lớn hơn 0 và không quá 1.")
            % {"s": points_text(share), "c": code}
        )
        return None
    return share


def lineage_text(pairs) -> str:
    """Write (code, share) pairs back as `Kế thừa từ` text: whole units first, by code."""
    ordered = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    return ", ".join(
        code if share == WHOLE else f"{code}:{points_text(share)}" for code, share in ordered
    )
