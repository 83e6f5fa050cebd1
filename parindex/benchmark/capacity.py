"""Capacity on paper: what a national publication day and a deadline day need, computed from
the throughputs this very run measured (so the arithmetic is redone with every full run).

The assumptions are written into the text next to the figures they produce; change them here.
"""

from __future__ import annotations

import math

from django.db import connection

# A national platform: 34 provinces, ~10,000 assessed units (departments and communes).
PROVINCES, UNITS, LEAVES = 34, 10_000, 99
# Publication day: the public reads results for an hour. Assumed views in that hour: 30 of each
# unit's own staff and 700,000 more from press and public (1 million); the busiest minute runs
# at 5× the hour's average.
VIEWS_IN_HOUR, BURST = 30 * UNITS + 700_000, 5
MIX = {"league": 0.5, "dashboard": 0.25, "profile": 0.25}  # share of public views per page kind
# Deadline day: every unit saves each leaf twice in the last 8 hours, busiest minute 5× average.
SAVES, SAVE_HOURS = 2 * UNITS * LEAVES, 8
UTILISATION = 0.6  # plan servers to run at 60 % of what they can, for headroom
SERVER_CORES = 4  # an app server of the plan: 4 cores
HISTORY_PER_SCORE = 3  # history rows kept per score row (entered, changed, appraised)
YEARS_KEPT = 5  # years a province keeps on line for trends


def _per_core(rows, key: str, cores: int) -> float:
    found = [row.per_second for row in rows if row.key == key and row.per_second]
    return found[0] / cores if found else 0.0


def _bytes_per_row(table: str) -> float | None:
    """Bytes one row of ``table`` takes with its indexes, on PostgreSQL; None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT pg_total_relation_size(%s), (SELECT count(*) FROM {table})", [table]
        )
        size, count = cursor.fetchone()
    return size / count if count else None


def _servers(load: float, per_core: float) -> int:
    return max(1, math.ceil(load / (per_core * SERVER_CORES * UTILISATION))) if per_core else 0


def _database_lines() -> list[str]:
    """The table rows for the database's size, from the bytes per row of this database."""
    from parindex.core.models import ScoreEntry

    score = _bytes_per_row(ScoreEntry._meta.db_table)
    history = _bytes_per_row(ScoreEntry.history.model._meta.db_table)
    if not (score and history):
        return ["| database per year | measured on PostgreSQL runs only |"]
    year_bytes = UNITS * LEAVES * (score + HISTORY_PER_SCORE * history)
    return [
        f"| database per year: {UNITS * LEAVES:,} score rows ({score:.0f} B each with "
        f"indexes) + {HISTORY_PER_SCORE}× history rows ({history:.0f} B) | "
        f"{year_bytes / 1024**3:.1f} GiB |",
        f"| database for {YEARS_KEPT} years (evidence files are in object storage, not here) "
        f"| {YEARS_KEPT * year_bytes / 1024**3:.1f} GiB |",
    ]


def capacity_section(rows, *, cores: int) -> str:
    """Return the "Capacity on paper" section for BENCHMARKS.md."""
    per_core = {key: _per_core(rows, key, cores) for key in (*MIX, "save")}
    if not all(per_core.values()):
        return "\n## Capacity on paper\n\nNot computed: this run measured no throughput.\n"
    public_peak = VIEWS_IN_HOUR / 3600 * BURST
    # Cost of one public view in core-seconds, weighted by the mix of pages.
    public_per_core = 1 / sum(share / per_core[key] for key, share in MIX.items())
    save_peak = SAVES / (SAVE_HOURS * 3600) * BURST
    servers = f"→ app servers of {SERVER_CORES} cores at {UTILISATION:.0%}"
    lines = [
        "",
        "## Capacity on paper (computed from this run's throughputs)",
        "",
        f"Per-core figures are this run's requests/s divided by its {cores} cores; the load "
        "generator ran on the same cores, so they understate a server of its own.",
        "",
        "| | figure |",
        "|---|---|",
        *(f"| {key} page, per core | {per_core[key]:.0f} req/s |" for key in MIX),
        f"| public view (mix {', '.join(f'{k} {v:.0%}' for k, v in MIX.items())}), per core | "
        f"{public_per_core:.0f} req/s |",
        f"| save a leaf, per core | {per_core['save']:.0f} saves/s |",
        f"| publication day: {VIEWS_IN_HOUR:,} views in one hour, busiest minute ×{BURST} | "
        f"{public_peak:.0f} req/s |",
        f"| {servers} | {_servers(public_peak, public_per_core)} |",
        f"| deadline day: {SAVES:,} saves in {SAVE_HOURS} h ({PROVINCES} provinces, {UNITS:,} "
        f"units × {LEAVES} leaves × 2), busiest minute ×{BURST} | {save_peak:.0f} saves/s |",
        f"| {servers} | {_servers(save_peak, per_core['save'])} |",
        *_database_lines(),
    ]
    lines += [
        "",
        "Where the next bottleneck is: public pages are cached per published state (Redis with "
        "REDIS_URL, shared by every server), so on publication day a cache hit costs the "
        "servers' CPU and no query (the published state itself is kept in the cache for "
        "PUBLISHED_STATE_SECONDS; a miss reads one small query, which read replicas absorb); "
        "app servers scale out behind nginx. On a deadline day every save is a write on the "
        "one primary "
        "(row lock, history row, audit row): replicas do not help, and the primary's write "
        "rate and the per-assessment lock are the limit after the app servers. Imports and "
        "recomputations run in the workers, one job per worker at a time.",
    ]
    return "\n".join(lines) + "\n"
