"""The attributes that make a form ask before a step that cannot be undone."""

from django import template
from django.utils.html import format_html

from parindex.web.confirmations import CONFIRMATIONS

register = template.Library()


@register.simple_tag
def confirm_attrs(name, subject=""):
    """Return the ``data-confirm*`` attributes of confirmation ``name`` for a <form> tag.

    static/js/confirm.js reads them to ask in a dialog; the view asks the same question as a
    page when the form arrives without confirmed=1 (``views/actions.ask_first``).
    """
    confirmation = CONFIRMATIONS[name]
    return format_html(
        'data-confirm="{}" data-confirm-effect="{}" data-confirm-audience="{}" '
        'data-confirm-button="{}" data-confirm-subject="{}"',
        confirmation.question,
        confirmation.effect,
        confirmation.audience,
        confirmation.button,
        subject,
    )
