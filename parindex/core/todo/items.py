"""The items of a to-do page and how a deadline reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parindex.core.models import Assessment, Period

# How many units an item names before it says "and N more".
UNITS_SHOWN = 8


@dataclass(frozen=True)
class Item:
    """One thing to do: what, how many, where it is done.

    ``action`` names the confirmation of a step that is a POST (``web/confirmations.py``): the
    page shows a button to ``url`` instead of a link. ``units`` are (name, address) of the
    first units concerned. A ``done`` item is shown as done.
    """

    key: str
    title: str
    url: str = ""
    count: int | None = None
    detail: str = ""
    done: bool = False
    action: str = ""
    units: tuple[tuple[str, str], ...] = ()

    @property
    def more_units(self) -> int:
        """How many units the item concerns beyond those it names."""
        return max((self.count or 0) - len(self.units), 0)


@dataclass(frozen=True)
class Todo:
    """The to-do page of one person: the period it is about, the items, and shortcuts."""

    period: Period | None
    items: tuple[Item, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    assessment: Assessment | None = None

    @property
    def pending(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if not item.done)

    @property
    def finished(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.done)


def days_text(deadline: date, today: date) -> str:
    """Return how a deadline stands today: "Còn 5 ngày", "Hôm nay là hạn cuối", "Đã quá hạn
    2 ngày"."""
    days = (deadline - today).days
    if days > 0:
        return ngettext("Còn %(n)d ngày", "Còn %(n)d ngày", days) % {"n": days}
    if days == 0:
        return _("Hôm nay là hạn cuối")
    return ngettext("Đã quá hạn %(n)d ngày", "Đã quá hạn %(n)d ngày", -days) % {"n": -days}
