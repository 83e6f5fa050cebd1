"""Plotly figures of the dashboards, one module per page: ``overview``, ``profile``, ``trends``.

Each page's module turns what ``parindex.core.dashboards`` read into the dicts the page carries;
``base`` holds what they share. Callers import from the page's module; this package re-exports
nothing.
"""
