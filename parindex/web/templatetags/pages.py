"""Small template helpers of the interface."""

from django import template

from parindex.core.text import fold

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Return ``mapping[key]`` (None when absent): for dicts keyed by ids."""
    return mapping.get(key) if mapping else None


@register.filter
def folded(text):
    """Return ``text`` as searches compare it (``core.text.fold``: "Sở Tư pháp" → "so tu phap")."""
    return fold(str(text or ""))
