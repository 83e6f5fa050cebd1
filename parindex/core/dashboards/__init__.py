"""What the leaders' dashboards read, one module per page: ``overview``, ``profile``, ``trends``.

Every page reads in a fixed number of queries whatever the number of units. Figures come from
the result snapshots that ``compute_results`` stored (``UnitResult``, ``AreaResult``), counted and
averaged in SQL. Only the per-criterion part of a unit profile reads score rows, those of one
assessment. Nothing here runs a query per unit, per year or per area, so a page costs the same
number of queries for 26 units as for 3,000.

Callers import from the page's module; this package re-exports nothing.
"""
