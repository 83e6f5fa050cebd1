"""Where a unit stands in a period, as every list shows it: its status ("Không nộp đúng hạn" past
its deadline without a submission), its extension, and "Không xếp hạng" when it is left out of
the ranking."""

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from parindex.core import clock
from parindex.core.workflow import status_shown

register = template.Library()


@register.simple_tag
def unit_status(assessment):
    """Render the status chip of ``assessment`` and its tags (late, extended, not ranked)."""
    key, label = status_shown(assessment, clock.now())
    parts = [format_html('<span class="status-chip status-{}">{}</span>', key, label)]
    if assessment.late_reason:
        parts.append(
            format_html(
                '<span class="tag late" title="{}">{}</span>',
                assessment.late_reason,
                _("không nộp đúng hạn"),
            )
        )
    if assessment.deadline_extended_to:
        parts.append(
            format_html(
                '<span class="tag" title="{}">{} {}</span>',
                assessment.extension_reason,
                _("gia hạn đến"),
                formats.date_format(assessment.deadline_extended_to, "d/m/Y"),
            )
        )
    if assessment.unranked_reason:
        parts.append(
            format_html(
                '<span class="tag unranked" title="{}">{}</span>',
                assessment.unranked_reason,
                _("Không xếp hạng"),
            )
        )
    return format_html_join(" ", "{}", ((part,) for part in parts))
