"""Small builders for tests: a criteria set, a period, units and their scores."""

from __future__ import annotations

import csv
import enum
import io
import sqlite3
import sys
from contextlib import contextmanager
from decimal import Decimal

from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import override_settings

from parindex.core.models import (
    Adjustment,
    AdjustmentStatus,
    Assessment,
    AssessmentStatus,
    Criterion,
    GradeBand,
    Period,
    PeriodGroup,
    PeriodStatus,
    ScoreEntry,
    Unit,
    UnitGroup,
    User,
)
from parindex.core.services.criteria import load_criteria_set

PASSWORD = "demo12345"
# Every test hashes passwords with this (conftest's ``_fast_passwords``); data built once for many
# tests must be built with it too, or the passwords it sets could not be checked.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class Persona(enum.StrEnum):
    ANONYMOUS = "anonymous"
    OFFICER = "officer"
    REVIEWER = "reviewer"
    APPROVER = "approver"
    LEADER = "leader"
    ADMIN = "admin"


def make_user(username, role, unit=None):
    return User.objects.create_user(username=username, password=PASSWORD, role=role, unit=unit)


def leaf(code, max_points, method="self", choices=None):
    node = {"code": code, "title": f"Tiêu chí {code}", "max": str(max_points), "method": method}
    if choices:
        node["choices"] = [{"label": f"{p} điểm", "points": str(p)} for p in choices]
    return node


def small_criteria_data(name="Bộ tiêu chí thử", **extra):
    """Two scored areas (60 self + 40 survey) and a bonus/deduction part."""
    return {
        "name": name,
        "decision_number": "1/QĐ-TEST",
        "valid_from": 2020,
        "scale": "100",
        "bonus_cap": "3",
        "deduction_cap": "5",
        "nodes": [
            {
                "code": "1",
                "title": "Nội dung 1",
                "max": "60",
                "children": [
                    leaf("1.1", 20, choices=[20, 10, 0]),
                    {
                        "code": "1.2",
                        "title": "Tiêu chí 1.2",
                        "max": "40",
                        "children": [
                            leaf("1.2.1", 30),
                            leaf("1.2.2", 10),
                        ],
                    },
                ],
            },
            {
                "code": "2",
                "title": "Nội dung 2",
                "max": "40",
                "children": [
                    leaf("2.1", 40, method="survey"),
                ],
            },
            {
                "code": "3",
                "title": "Điểm thưởng, điểm trừ",
                "max": "7",
                "children": [
                    leaf("3.1", 2, method="bonus"),
                    leaf("3.2", 5, method="deduction"),
                ],
            },
        ],
        **extra,
    }


def make_period(
    year=2022,
    *,
    groups=(("SO", True),),
    criteria_set=None,
    status=None,
    bands=(("Tốt", "80", "#4c9a2a"), ("Khá", "70", "#d4a017")),
):
    if criteria_set is None:
        criteria_set, _ = load_criteria_set(small_criteria_data())
    period = Period.objects.create(
        year=year, name=f"Kỳ {year}", status=status or PeriodStatus.APPRAISING
    )
    for order, (code, ranked) in enumerate(groups):
        group, _ = UnitGroup.objects.get_or_create(
            code=code, defaults={"name": f"Khối {code}", "ranked": ranked, "order": order}
        )
        PeriodGroup.objects.create(
            period=period, group=group, criteria_set=criteria_set, ranked=group.ranked
        )
        for label, bound, color in bands:
            GradeBand.objects.create(
                period=period, group=group, label=label, lower_bound=Decimal(bound), color=color
            )
    return period


def make_unit(code, group_code="SO", name=None):
    group = UnitGroup.objects.get(code=group_code)
    unit, _ = Unit.objects.get_or_create(
        code=code, defaults={"name": name or f"Đơn vị {code}", "group": group}
    )
    return unit


def assess(period, unit, scores=(), *, status=AssessmentStatus.APPRAISED):
    """Create an assessment; ``scores`` maps leaf code → dict of ScoreEntry fields."""
    assessment = Assessment.objects.create(period=period, unit=unit, status=status)
    criteria = {
        c.code: c
        for c in Criterion.objects.filter(
            criteria_set__period_groups__period=period,
            criteria_set__period_groups__group=unit.group,
        )
    }
    for code, fields in dict(scores).items():
        ScoreEntry.objects.create(
            assessment=assessment,
            criterion=criteria[code],
            **{
                k: v if isinstance(v, (bool, Decimal)) else Decimal(str(v))
                for k, v in fields.items()
            },
        )
    return assessment


def adjust(assessment, code, kind, amount, status=AdjustmentStatus.APPROVED):
    category = Criterion.objects.get(
        criteria_set__period_groups__period=assessment.period,
        criteria_set__period_groups__group=assessment.unit.group,
        code=code,
    )
    return Adjustment.objects.create(
        assessment=assessment,
        kind=kind,
        category=category,
        amount=Decimal(amount),
        reason="Thử",
        status=status,
    )


def full_scores(self_points=60, survey_points=40):
    """Scores for every leaf of the small set that add up to the given totals."""
    self_points = Decimal(str(self_points))
    first = min(Decimal(20), self_points)
    rest = self_points - first
    return {
        "1.1": {"self_points": first},
        "1.2.1": {"self_points": min(Decimal(30), rest)},
        "1.2.2": {"self_points": max(rest - 30, Decimal(0))},
        "2.1": {"survey_points": Decimal(str(survey_points))},
    }


def open_period(year=2023, *, deadline_days=30, groups=(("SO", True),)):
    """A period in self-assessment, its deadline ``deadline_days`` after today (server time)."""
    from datetime import timedelta

    from parindex.core import clock

    period = make_period(year, groups=groups, status=PeriodStatus.OPEN)
    period.self_assessment_deadline = clock.today() + timedelta(days=deadline_days)
    period.save()
    return period


def leaf_of(period, code, group_code="SO"):
    return Criterion.objects.get(
        criteria_set__period_groups__period=period,
        criteria_set__period_groups__group__code=group_code,
        code=code,
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def office_bytes(kind="word"):
    """A minimal Office Open XML package: ``word`` (docx) or ``xl`` (xlsx)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{kind}/document.xml", "<doc/>")
    return buffer.getvalue()


def upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def written_state() -> dict:
    """Everything a refused service call must leave as it was: rows, history rows, statuses,
    and the revisions of the score rows (a changed value bumps its revision)."""
    from django.db.models import Sum

    from parindex.core.models import (
        AuditEntry,
        Evidence,
        RemediationItem,
        ResultSet,
    )

    return {
        "audit": AuditEntry.objects.count(),
        "scores": ScoreEntry.objects.count(),
        "score history": ScoreEntry.history.count(),
        "revisions": ScoreEntry.objects.aggregate(total=Sum("revision"))["total"],
        "evidence": Evidence.objects.count(),
        "evidence history": Evidence.history.count(),
        "adjustments": list(Adjustment.objects.order_by("pk").values_list("pk", "status")),
        "remediation": RemediationItem.objects.count(),
        "result sets": list(ResultSet.objects.order_by("pk").values_list("pk", "is_current")),
        "assessments": list(Assessment.objects.order_by("pk").values_list("pk", "status")),
        "periods": list(Period.objects.order_by("pk").values_list("pk", "status")),
    }


@contextmanager
def refused(error, match=None):
    """Expect ``error`` (as ``pytest.raises``) and that nothing at all was written."""
    import pytest

    before = written_state()
    with pytest.raises(error, match=match) as caught:
        yield caught
    assert written_state() == before, "a refused call wrote something"


def built_once(django_db_blocker, build):
    """Generator for a session- or module-scoped fixture: yield what ``build()`` returns, built
    once for all the tests of the fixture's scope.

    ``build()`` runs inside an outer transaction that stays open while those tests run: each
    test's own transaction (pytest-django's ``db``) becomes a savepoint inside it and is rolled
    back, so every test starts from the data as built. The outer transaction is rolled back when
    the scope ends. Tests using such data must therefore not be transactional (``transactional_db``,
    ``live_server``): flushing the database would take the data away from the tests after them.

    The database is unblocked only while building and rolling back, so tests that did not ask for
    the database still cannot reach it. ``build()`` runs with the fast password hasher the
    per-test fixtures install (function-scoped fixtures are not active yet at wider scope).
    """
    atomic = transaction.atomic()
    with django_db_blocker.unblock():
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
                built = build()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            # Once Playwright's sync API has started (tests/e2e), Django sees an event loop in
            # the main thread and keeps its connections per context: the connection used here is
            # then not the one pytest-django closes before dropping the test database, and
            # PostgreSQL refuses to drop a database with a session open.
            transaction.get_connection().close()


_DEMO_COPY: list[sqlite3.Connection] = []  # the in-memory SQLite test database after load_demo()


def copies_demo() -> bool:
    """True when ``load_demo_copied`` copies the demo instead of loading it again: the test
    database is SQLite in memory, gone with the session."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def load_demo_copied():
    """Write the demo province into the test database, committed.

    On an in-memory SQLite test database the first call of the session loads the demo and keeps
    a copy of the whole database; later calls copy it back with SQLite's backup API: the same
    rows in milliseconds instead of seconds (the demo reads the clock only for this year's
    deadlines). The copy is taken once the load has committed, so what the load does on commit
    (the notices of publications) is in it as in a real load. Elsewhere every call loads the
    demo. The backup API refuses a destination inside a transaction: call this from
    transactional tests, or before ``built_once`` opens its own.
    """
    from parindex.core.demo import load_demo

    if not copies_demo():
        load_demo()
        return
    if connection.in_atomic_block:
        raise RuntimeError("load_demo_copied() must run outside a transaction (see its docstring)")
    connection.ensure_connection()
    if _DEMO_COPY:
        from django.contrib.contenttypes.models import ContentType

        _DEMO_COPY[0].backup(connection.connection)
        # Each flush since the copy made its content types again, under new ids.
        ContentType.objects.clear_cache()
        return
    load_demo()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    connection.connection.backup(copy)
    _DEMO_COPY.append(copy)


def copy_sqlite(source, target) -> None:
    """Copy an SQLite database file with SQLite's backup API (a WAL file left beside it too)."""
    copied, copy = sqlite3.connect(source), sqlite3.connect(target)
    try:
        copied.backup(copy)
    finally:
        copied.close()
        copy.close()


def read_csv(response):
    """Return (title lines, table rows as dicts): titles come first, then an empty row."""
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    blank = rows.index([])
    assert all(len(row) == 1 for row in rows[:blank]), "one text cell per title row"
    header, *data = rows[blank + 1 :]
    return [row[0] for row in rows[:blank]], [dict(zip(header, row, strict=True)) for row in data]


def migrate(targets):
    """Migrate the test database to ``targets`` (migration tests); return the models of that
    state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def run_jobs() -> int:
    """Run every queued job with the real worker (``worker --batch``); return how many ran."""
    from unittest import mock

    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.exclude(status="READY").count()
    # The worker closes "old" connections between tasks, as Django does between requests; in a
    # test's transaction that would close the test's own connection. The rest is the real
    # worker (claim, run, record); test_jobs runs it unpatched in a process of its own.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", batch=True, interval=0, startup_delay=False, verbosity=0)
    return DBTaskResult.objects.exclude(status="READY").count() - before


def job_page(client, response):
    """Run the jobs a response started, then return the page it redirected to (the job's)."""
    assert response.status_code == 302, response.status_code
    run_jobs()
    return client.get(response["Location"])


def draft_officer(client, year: int = 2023, code: str = "A"):
    """Log ``client`` in as the officer of unit ``code``, whose assessment of ``year`` (an open
    period) is a draft; return the officer."""
    period = open_period(year)  # makes the group the unit joins
    unit = make_unit(code)
    assess(period, unit, status=AssessmentStatus.DRAFT)
    user = make_user("canbo", "officer", unit)
    client.force_login(user)
    return user


def page_queries(client, url) -> int:
    """Return how many queries one GET of ``url`` takes (which must answer 200)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)
