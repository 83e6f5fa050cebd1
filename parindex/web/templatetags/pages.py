"""Small template helpers of the interface."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Return ``mapping[key]`` (None when absent): for dicts keyed by ids."""
    return mapping.get(key) if mapping else None
