"""Showing scores as published: two decimals, a decimal point, "—" for no figure."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from parindex.core.models import Comparison
from parindex.scoring import round_score
from parindex.web.colours import band_colours

register = template.Library()

MINUS = "\u2212"


def _decimal(value):
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


@register.filter
def score(value):
    """Format a score or an index with two decimals ("97.57"); "—" when there is none."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{round_score(number):.2f}"


@register.filter
def count(value):
    """Format a count in the language's way ("3 321" in Vietnamese, "3,321" in English).

    Scores never go through here: they keep their decimal point and two decimals in every
    language (``score``).
    """
    if value is None or value == "":
        return "—"
    return number_format(int(value), force_grouping=True)


@register.filter
def signed_score(value):
    """Format a change with its sign ("+1.25", "−0.40", "0.00")."""
    number = _decimal(value)
    if number is None:
        return "—"
    rounded = round_score(number)
    if rounded > 0:
        return f"+{rounded:.2f}"
    if rounded < 0:
        return f"{MINUS}{-rounded:.2f}"
    return "0.00"


@register.filter
def signed_int(value):
    """Format a change of rank ("+2", "−1", "0")."""
    if value is None or value == "":
        return "—"
    value = int(value)
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"{MINUS}{-value}"
    return "0"


@register.simple_tag
def grade_badge(label, color):
    """Render a grade band as a coloured badge (the colour is data of the period)."""
    if not label:
        return "—"
    background, ink = band_colours(color)
    return format_html(
        '<span class="badge" style="--band: {}; --band-ink: {}">{}</span>', background, ink, label
    )


@register.filter
def direction(value) -> str:
    """Return the CSS class of a change: "up", "down" or "same" (the colour of its arrow)."""
    number = _decimal(value) or 0
    return "up" if number > 0 else "down" if number < 0 else "same"


@register.simple_tag
def index_change(change, comparison):
    """Render a change of index versus last year, saying what it compares with: a unit formed
    this year shows "Mới thành lập"; a change derived from its predecessors says so."""
    if comparison == Comparison.NEW:
        return format_html('<span class="tag new-unit">{}</span>', Comparison.NEW.label)
    number = _decimal(change)
    if number is None:
        return "—"
    shown = format_html(
        '<span class="change {}">{}</span>', direction(number), signed_score(number)
    )
    if comparison == Comparison.DERIVED:
        return format_html(
            '{}<br><small class="derived">{}</small>', shown, Comparison.DERIVED.label
        )
    return shown
