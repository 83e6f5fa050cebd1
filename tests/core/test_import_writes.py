"""How an import writes: the score rows, their history and the audit entries it wrote through
the ORM, now in a few set-based statements; all or nothing; queries that do not grow with the
units; progress reported to whoever runs it."""

import io
from decimal import Decimal as D

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from parindex.core.excel import workbooks
from parindex.core.excel.sheets import NOT_APPLICABLE
from parindex.core.models import (
    Assessment,
    AssessmentStatus,
    AuditEntry,
    Method,
    Period,
    ScoreEntry,
)
from parindex.core.services import WorkflowError, audit, import_writes, imports, survey_imports
from parindex.core.services.import_changes import IMPORTED, SURVEY_IMPORTED
from parindex.core.services.imports import import_period, import_period_changes
from parindex.core.services.survey_imports import import_survey_changes
from tests.builders import make_user, written_state
from tests.core.test_excel import BANDS, CRITERIA, INFO, SCORES, UNITS, book
from tests.core.test_import_safety import build_live, exported
from tests.core.test_import_survey import build_survey_world, read

pytestmark = pytest.mark.django_db


# --- The ORM path as it was before the set-based writes (the reference) -----------------------

ENTRY_FIELDS = [
    "self_points",
    "appraised_points",
    "survey_points",
    "not_applicable",
    "revision",
    "updated_by",
]


def orm_fields(leaf, value, entry, unit) -> dict:
    if value == NOT_APPLICABLE:
        return {"not_applicable": True}
    if leaf.method == Method.SURVEY:
        return {"not_applicable": False, "survey_points": value}
    if unit.created:
        return {"not_applicable": False, "self_points": value, "appraised_points": value}
    appraising = unit.assessment.status != AssessmentStatus.DRAFT
    if appraising or (entry is not None and entry.appraised_points is not None):
        return {"not_applicable": False, "appraised_points": value}
    return {"not_applicable": False, "self_points": value}


def orm_write_leaves(units, *, by, reason):
    # The plan now holds plain stored values; the ORM path worked on model instances.
    stored = ScoreEntry.objects.in_bulk(
        [c.entry.pk for u in units for c in u.leaves if c.entry is not None]
    )
    to_create, to_update = [], []
    for unit in units:
        for change in unit.leaves:
            if change.entry is not None:
                change.entry = stored[change.entry.pk]
            fields = orm_fields(change.leaf, change.new, change.entry, unit)
            if change.entry is None:
                to_create.append(
                    ScoreEntry(
                        assessment=unit.assessment, criterion=change.leaf, updated_by=by, **fields
                    )
                )
                continue
            for key, value in fields.items():
                setattr(change.entry, key, value)
            change.entry.revision += 1
            change.entry.updated_by = by
            to_update.append(change.entry)
    bulk_create_with_history(
        to_create, ScoreEntry, batch_size=2000, default_user=by, default_change_reason=reason
    )
    if to_update:
        bulk_update_with_history(
            to_update,
            ScoreEntry,
            ENTRY_FIELDS,
            batch_size=2000,
            default_user=by,
            default_change_reason=reason,
        )


def orm_record_units(period, units, *, by, action):
    # The same changes per unit (one rule, ``_unit_changes``), written one entry at a time.
    for unit in units:
        changes = import_writes._unit_changes(unit)
        audit.record(
            action,
            actor=by,
            period=period,
            unit=unit.assessment.unit,
            obj=unit.assessment,
            changes=changes,
            message="Tạo bản đánh giá" if unit.created else "",
        )


def use_orm_path(monkeypatch):
    for module in (imports, survey_imports):
        monkeypatch.setattr(module, "write_leaves", orm_write_leaves)
        monkeypatch.setattr(module, "record_units", orm_record_units)


# --- What an import wrote, keyed by unit and leaf codes (ids and times differ between runs) ---


def marks() -> tuple[int, int]:
    history = ScoreEntry.history.order_by("-history_id").values_list("history_id", flat=True)
    audit_ids = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True)
    return (history.first() or 0, audit_ids.first() or 0)


def written_since(mark: tuple[int, int]) -> dict:
    """The score rows, and the history rows and audit entries written after ``mark``."""
    codes = dict(Assessment.objects.values_list("pk", "unit__code"))
    rows, keys = {}, {}
    for e in ScoreEntry.objects.select_related("assessment__unit", "criterion"):
        keys[e.pk] = (e.assessment.unit.code, e.criterion.code)
        rows[keys[e.pk]] = (
            e.self_points,
            e.appraised_points,
            e.survey_points,
            e.not_applicable,
            e.revision,
            e.updated_by_id,
            e.self_note,
            e.appraisal_note,
            e.explanation,
        )
    history = sorted(
        (
            keys[h.id],
            h.history_type,
            h.history_change_reason,
            h.history_user_id,
            h.self_points,
            h.appraised_points,
            h.survey_points,
            h.not_applicable,
            h.revision,
            h.updated_by_id,
            h.self_note,
            h.appraisal_note,
            h.explanation,
        )
        for h in ScoreEntry.history.filter(history_id__gt=mark[0])
    )
    entries = sorted(
        (
            a.action,
            a.actor_id,
            a.period_id,
            a.unit.code if a.unit else "",
            a.object_type,
            codes.get(int(a.object_id)) if a.object_type == "core.Assessment" else a.object_id,
            repr(a.changes),
            a.message,
        )
        for a in AuditEntry.objects.filter(pk__gt=mark[1]).select_related("unit")
    )
    return {"rows": rows, "history": history, "audit": entries}


def rolled_back(run):
    """Run ``run()`` in a savepoint; return what it wrote, then undo it."""
    mark = marks()
    with transaction.atomic():
        run()
        got = written_since(mark)
        transaction.set_rollback(True)
    return got


def live_file(live) -> io.BytesIO:
    """The live period's export with every kind of change, and a new unit E."""
    rows = ScoreEntry.objects.filter(assessment__period=live)
    rows.filter(assessment__unit__code="A", criterion__code="1.2.1").update(appraised_points=24)
    rows.filter(assessment__unit__code="B", criterion__code="1.2.2").update(not_applicable=True)
    edits = {
        ("A", "1.2.1"): 22,  # a draft's row with an appraised value: appraised points
        ("B", "1.2.2"): 5,  # not applicable → a value
        ("A", "1.1"): 10,  # entered in the app: replaced (self points, A is a draft)
        ("A", "1.2.2"): 5,  # no row yet in an existing assessment
        ("D", "1.2.1"): 28,  # submitted: appraised points
        ("D", "1.2.2"): "KAD",  # a new not-applicable row
        ("B", "2.1"): 25,  # survey points changed
        ("B", "3.2"): 2,  # deduction entered in the app: replaced
        ("C", "Không xếp hạng"): "Sáp nhập",
    }
    workbook = load_workbook(exported(live, edits))
    for name, values in (
        (
            "Đơn vị",
            {
                "Mã đơn vị": "E",
                "Tên đơn vị": "Sở E",
                "Khối": "SO",
                "Tên khối": "Khối SO",
                "Xếp hạng": "Có",
            },
        ),
        ("Điểm", {"Mã đơn vị": "E", "1.1": 20, "1.2.1": "KAD", "2.1": 33, "3.1": 1}),
    ):
        sheet = workbook[name]
        header = [c.value for c in sheet[1]]
        sheet.append([values.get(column) for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_an_import_writes_the_rows_history_and_audit_entries_the_orm_path_wrote(monkeypatch):
    live = build_live()
    admin = make_user("quantri", "admin")
    content = live_file(live).getvalue()

    def run():
        import_period_changes(workbooks.read_period(io.BytesIO(content)), by=admin, replace=True)

    new = rolled_back(run)
    use_orm_path(monkeypatch)
    old = rolled_back(run)
    assert new == old
    kinds = {(h[1], h[2], h[3]) for h in new["history"]}
    assert kinds == {("+", IMPORTED, admin.pk), ("~", IMPORTED, admin.pk)}
    assert len(new["history"]) == 10  # 3 new rows of E, 2 new rows (A, D), 5 changed rows
    values = {key: row[:4] for key, row in new["rows"].items()}
    assert values[("A", "1.1")] == (D("10"), None, None, False)
    assert values[("A", "1.2.1")] == (D("25"), D("22"), None, False)
    assert values[("B", "1.2.2")][1:] == (D("5"), None, False)
    assert values[("D", "1.2.2")] == (None, None, None, True)
    assert values[("E", "1.1")] == (D("20"), D("20"), None, False)
    assert [a[3] for a in new["audit"] if a[0] == "assessment.imported"] == list("ABCDE")


def test_a_survey_import_writes_the_history_and_audit_entries_the_orm_path_wrote(monkeypatch):
    world = build_survey_world()
    admin = make_user("quantri", "admin")
    scores = read(world, [["A", 36], ["B", "37,25"]])

    def run():
        import_survey_changes(*world, scores, by=admin, replace=True)

    new = rolled_back(run)
    use_orm_path(monkeypatch)
    old = rolled_back(run)
    assert new == old
    assert [(h[0], h[1], h[2], h[6]) for h in new["history"]] == [
        (("A", "2.1"), "~", SURVEY_IMPORTED, D("36")),
        (("B", "2.1"), "~", SURVEY_IMPORTED, D("37.25")),
    ]


def test_an_import_updating_its_own_rows_bumps_revision_and_time_with_one_history_row_each():
    live = build_live()
    changes = import_period_changes(read_live(live, {("D", "1.2.1"): 28}))
    [d] = changes.changed_units
    row = ScoreEntry.objects.get(assessment__unit__code="D", criterion__code="1.2.1")
    first = (row.revision, row.updated_at)
    import_period_changes(read_live(live, {("D", "1.2.1"): 29}))
    row.refresh_from_db()
    assert row.appraised_points == D("29")
    assert row.revision == first[0] + 1
    assert row.updated_at > first[1]
    assert list(row.history.order_by("history_id").values_list("history_type", "revision"))[
        -2:
    ] == [("~", first[0]), ("~", first[0] + 1)]


def read_live(live, edits):
    return workbooks.read_period(exported(live, edits))


class Failure(Exception):
    pass


def test_a_failure_while_writing_history_leaves_nothing_written(monkeypatch):
    live = build_live()
    before = written_state()

    def fail_after(*args, **kwargs):
        real(*args, **kwargs)
        raise Failure

    real = import_writes.write_with_history
    monkeypatch.setattr(import_writes, "write_with_history", fail_after)
    with pytest.raises(Failure):
        import_period_changes(read_live(live, {("D", "1.2.1"): 28}))
    assert written_state() == before
    monkeypatch.undo()
    # The staging table went with the rolled-back transaction: the same import now works.
    import_period_changes(read_live(live, {("D", "1.2.1"): 28}))
    assert ScoreEntry.objects.get(
        assessment__unit__code="D", criterion__code="1.2.1"
    ).appraised_points == D("28")


def test_a_failure_writing_the_audit_entries_leaves_no_period_unit_or_score(monkeypatch):
    before = written_state()

    def fail(*args, **kwargs):
        raise Failure

    monkeypatch.setattr(imports.audit, "record", fail)
    with pytest.raises(Failure):
        import_period(workbooks.read_period(units_book(3)))
    assert written_state() == before
    assert not Period.objects.filter(year=2019).exists()


def units_book(count: int, *, changed: bool = False) -> io.BytesIO:
    """A period workbook of 2019 with ``count`` units U00… in one group, every leaf scored
    (``changed``: other values)."""
    units = [UNITS[0]] + [
        [f"U{n:02d}", f"Sở {n}", None, "SO", "Khối sở", "Có", None] for n in range(count)
    ]
    scores = [SCORES[0]] + [
        [f"U{n:02d}", 20 if changed else 10, n % 40, 31 if changed else 30, 1, None]
        for n in range(count)
    ]
    sheets = {"Thông tin": INFO, "Tiêu chí": CRITERIA, "Đơn vị": units, "Điểm": scores}
    return book(sheets | {"Xếp loại": BANDS[:3]})


@pytest.mark.parametrize("changed", [False, True], ids=["new period", "every value changed"])
def test_the_queries_of_an_import_do_not_grow_with_the_number_of_units(changed):
    admin = make_user("quantri", "admin")
    counts = []
    for count in (2, 8):
        with transaction.atomic():
            if changed:
                import_period(workbooks.read_period(units_book(count)))
            data = workbooks.read_period(units_book(count, changed=changed))
            with CaptureQueriesContext(connection) as captured:
                import_period_changes(data, by=admin, replace=True)
            counts.append(len(captured))
            transaction.set_rollback(True)
    assert counts[0] == counts[1]


def test_progress_goes_up_to_the_total_in_a_few_steps_naming_each_phase():
    heard = []
    data = workbooks.read_period(units_book(40), progress=lambda *a: heard.append(("read", *a)))
    import_period(data, progress=lambda *a: heard.append(("import", *a)))
    for call in ("read", "import"):
        steps = [(done, total) for c, done, total, _label in heard if c == call]
        labels = [label for c, _d, _t, label in heard if c == call]
        assert steps[-1] == (100, 100)
        assert [done for done, _total in steps] == sorted(done for done, _total in steps)
        assert all(labels) and len(set(labels)) >= 3
        assert len(steps) <= 50


def test_values_entered_in_the_app_are_found_when_their_history_is_read_in_batches(monkeypatch):
    live = build_live()
    monkeypatch.setattr(connection.features, "max_query_params", 1)  # SQLite: one id a query
    edits = {("A", "1.1"): 10, ("A", "1.2.1"): 20, ("D", "1.2.1"): 28, ("B", "1.1"): 0}
    with pytest.raises(WorkflowError) as refusal:
        import_period_changes(read_live(live, edits))
    assert refusal.value.details == ["A (1.1, 1.2.1)"]
