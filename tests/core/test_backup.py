"""A backup restored into an empty database gives identical league tables."""

from django.core.management import call_command

from parindex.core.models import AuditEntry, Period, ScoreEntry, UnitResult
from tests.builders import load_demo_copied

EXCLUDE = ["contenttypes", "auth.permission", "admin.logentry", "sessions", "axes"]


def league_tables():
    return sorted(
        UnitResult.objects.filter(result_set__is_current=True).values_list(
            "result_set__period__year",
            "group__code",
            "unit__code",
            "index",
            "rank",
            "grade_label",
            "total",
            "max_points",
        )
    )


def test_dumpdata_then_loaddata_into_an_empty_database_restores_the_same_tables(
    transactional_db, tmp_path
):
    load_demo_copied()
    before = league_tables()
    counts = (ScoreEntry.objects.count(), ScoreEntry.history.count(), AuditEntry.objects.count())
    backup = tmp_path / "parindex-backup.json"
    call_command("dumpdata", *[f"--exclude={app}" for app in EXCLUDE], "--output", str(backup))
    call_command("flush", "--noinput")
    assert not Period.objects.exists()
    call_command("loaddata", str(backup))
    assert league_tables() == before
    assert (
        ScoreEntry.objects.count(),
        ScoreEntry.history.count(),
        AuditEntry.objects.count(),
    ) == counts
    assert len(before) == 55 + 55 + 123 + 61  # 2021, 2022, 2024 (wards too), 2025
