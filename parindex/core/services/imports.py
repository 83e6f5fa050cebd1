"""Writing imported workbooks: each import is one transaction, after the whole file was checked.

The readers in parindex/core/excel/workbooks.py have already refused any file with a problem.
An import then compares the file with what is stored (``import_changes``), refuses what it must
not change, and writes only the differences:

- a published period, and any change to the units or settings of a published group, are
  refused;
- the status of the period and of every assessment the import did not create is kept: the
  period is finalised (and published) only when asked (``finalise``, ``publish``), whether the
  import created it or not; the importing administrator then acts for the system, and the
  ``period.imported`` audit entry names them;
- values entered in the application are overwritten only with ``replace`` (the rule is in the
  docstring of ``import_changes``);
- a file equal to what is stored writes nothing at all.

``preview_period_import`` runs the same import inside a savepoint and rolls it back, so the
preview shows exactly what confirming does, with each changed unit's index before → after.
Survey imports follow the same rules (``survey_imports.py``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core import rules_freeze
from parindex.core.calculation import calculate_results
from parindex.core.errors import WorkflowError
from parindex.core.excel.workbooks import PeriodData
from parindex.core.models import (
    Assessment,
    Criterion,
    GroupStage,
    Period,
    PeriodGroup,
    PeriodStatus,
    TieRule,
    Unit,
    UnitGroup,
)
from parindex.core.services import audit
from parindex.core.services.criteria import load_criteria_set
from parindex.core.services.import_changes import (
    IMPORTED,
    ImportChanges,
    UnitChanges,
    compare_adjustments,
    compare_leaves,
    decided_in_app,
    mark_entered,
    stored_rows,
)
from parindex.core.services.import_settings import (
    add_group,
    apply_settings,
    plan_settings,
    save_units,
)
from parindex.core.services.import_writes import (
    create_assessments,
    record_units,
    write_adjustments,
    write_leaves,
    write_unranked,
)
from parindex.core.services.results import (
    compute_results,
    finalise_period,
    period_lock,
    publish_results,
    sync_period_status,
)
from parindex.core.services.team import replace_team
from parindex.core.task_progress import Progress, ProgressCallback
from parindex.core.workflow import OPEN_PERIOD


@transaction.atomic
def import_units(units: list[dict], groups: dict[str, dict], *, by=None) -> int:
    """Create or update units and their groups and lineage; return how many units."""
    save_units(units, groups)
    audit.record("units.imported", actor=by, changes={"units": len(units)})
    return len(units)


@transaction.atomic
def import_criteria(criteria: dict, *, by=None):
    """Load a criteria set read from Excel (same rules as ``loadcriteria``)."""
    return load_criteria_set(criteria, by=by)


def import_period(data: PeriodData, **options) -> Period:
    """Import a period workbook (see ``import_period_changes``); return the period."""
    return import_period_changes(data, **options).period


@transaction.atomic
def import_period_changes(
    data: PeriodData,
    *,
    by=None,
    publish: bool = False,
    finalise: bool = False,
    replace: bool = False,
    seen=None,
    with_indices: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportChanges:
    """Create or update a period from its workbook; return what changed.

    Refused (WorkflowError, nothing written) for a published period (unless the file only adds
    groups to it, ``adds_to_published``), for changes to a published group, for a group whose
    criteria set the file changes, and, without ``replace``, for changes to values entered in
    the application (with ``seen``, the lines of ``ImportChanges.entered`` a preview showed,
    only those). ``with_indices`` adds each changed unit's index before → after.
    ``progress(done, total, label)``, when given, hears how far the import has come.
    """
    steps = Progress(progress)
    steps.phase(0, 5, _("Đang ghi đơn vị và khối"))
    period = period_lock(Period.objects).filter(year=data.year).first()
    adding = adds_to_published(period, data)
    before = indices(period) if with_indices and period is not None else {}
    sets = {g: load_criteria_set(c, by=by, tree_only=True)[0] for g, c in data.sets.items()}
    unit_objects, register = save_units(data.units, data.groups)
    changes = ImportChanges(year=data.year, period=period, period_created=period is None)
    if period is None:
        period = changes.period = Period.objects.create(
            year=data.year,
            name=f"Chỉ số CCHC năm {data.year}",
            status=PeriodStatus.APPRAISING,
            tie_rule=data.tie_rule or TieRule.SHARED,
        )
    else:
        changes.settings = plan_settings(period, data, sets)
    changes.settings += register
    steps.phase(5, 30, _("Đang so sánh với dữ liệu đã lưu"))
    changes.units = plan_units(period, data, sets, steps)
    refuse_published_groups(period, changes)
    refuse_entered(changes, replace, seen)
    if changes.has_changes:
        _write(period, data, sets, changes, unit_objects, by, steps)
        if adding:  # appraising while its new groups are open
            sync_period_status(period, by=by)
        steps.phase(70, 95, _("Đang tính lại kết quả"))
        _compute(period, changes, by)
    if data.team is not None:
        replace_team(period, data.team, by=by)
    if with_indices:
        _set_indices(changes, before, indices(period) if changes.has_changes else before)
    if (finalise or publish) and period.status in OPEN_PERIOD:
        steps.phase(95, 100, _("Đang chốt kết quả"))
        period = changes.period = finalise_period(period)
    if publish:
        publish_results(period)
        period.refresh_from_db()
    steps.finish(_("Đã nhập xong"))
    return changes


def _set_indices(changes: ImportChanges, before: dict, after: dict) -> None:
    for unit in changes.units:
        unit.before = before.get(unit.code, NO_INDEX)
        unit.after = after.get(unit.code, NO_INDEX)


def plan_units(period, data: PeriodData, sets: dict, steps: Progress | None = None):
    """Compare every unit row of the file's score sheets with what the period stores; return
    a ``UnitChanges`` for each (``steps`` hears about every 5 % of them)."""
    rows = {u["code"]: u for u in data.units}
    assessments = {
        a.unit.code: a for a in Assessment.objects.filter(period=period).select_related("unit")
    }
    leaves = list(Criterion.objects.filter(criteria_set__in=sets.values()).leaves())
    entries, approved = stored_rows(assessments.values(), [c.pk for c in leaves])
    units, total = [], sum(len(scores) for scores in data.scores.values())
    for group, scores in data.scores.items():
        set_leaves = {c.code: c for c in leaves if c.criteria_set_id == sets[group].pk}
        for code, cells in scores.items():
            assessment = assessments.get(code)
            unit = UnitChanges(
                code=code,
                name=rows[code]["name"],
                group=group,
                created=assessment is None,
                assessment=assessment,
            )
            adjustments = compare_leaves(unit, cells, set_leaves, entries)
            compare_adjustments(unit, adjustments, approved)
            _compare_unranked(unit, rows[code].get("unranked_reason"))
            units.append(unit)
            if steps is not None:
                steps.advance(len(units), total)
    mark_entered(units)
    if any(u.unranked and not u.created for u in units):
        decided = {e.unit_id for e in decided_in_app(period, "assessment.ranking_changed")}
        for unit in units:
            unit.unranked_entered = bool(unit.unranked) and unit.assessment.unit_id in decided
    return units


def _compare_unranked(unit: UnitChanges, reason: str | None) -> None:
    """A reason in the file (even empty: ranked) replaces the stored one; no column keeps it."""
    if unit.created:
        unit.unranked = ("", reason) if reason else None
    elif reason is not None and reason != unit.assessment.unranked_reason:
        unit.unranked = (unit.assessment.unranked_reason, reason)


def adds_to_published(period, data: PeriodData) -> bool:
    """Return True when ``period`` is published and the file only adds groups it does not have
    (a merged province's results under a code prefix, ``core/excel/prefix.py``): none of its
    groups or units in the period yet, the same tie rule; refuse any other file for a
    published period. The new groups' results are then computed and, with ``publish``,
    published on their own; the published groups stay as they are."""
    if period is None or period.status != PeriodStatus.PUBLISHED:
        return False
    has_groups = PeriodGroup.objects.filter(period=period, group__code__in=data.groups).exists()
    has_units = Assessment.objects.filter(
        period=period, unit__code__in=[u["code"] for u in data.units]
    ).exists()
    new_tie_rule = data.tie_rule is not None and data.tie_rule != period.tie_rule
    if has_groups or has_units or new_tie_rule or not data.groups:
        raise WorkflowError(
            _("Kết quả năm %(y)s đã công bố: không nhập đè được.") % {"y": data.year}
        )
    return True


def refuse_published_groups(period, changes: ImportChanges) -> None:
    """Refuse any change to the units or settings of a published group, and a new tie rule
    once a group is published: published results change only by a recorded correction, and
    their rules are frozen (``core/rules_freeze.py``)."""
    frozen = rules_freeze.frozen_group_ids(period)
    if not frozen:
        return
    published = set(UnitGroup.objects.filter(pk__in=frozen).values_list("code", flat=True))
    touched = [u.code for u in changes.changed_units if u.group in published]
    touched += [s.label for s in changes.settings if s.group in published]
    if any(s.kind == "tie_rule" for s in changes.settings):
        touched.append(_("Xếp hạng khi bằng điểm"))
    if touched:
        raise WorkflowError(
            _(
                "Tệp thay đổi kết quả đã công bố (khối %(g)s); kết quả đã công bố chỉ thay đổi "
                "được bằng quyết định đính chính:"
            )
            % {"g": ", ".join(sorted(published))},
            details=touched,
        )


def refuse_entered(changes: ImportChanges, replace: bool, seen=None) -> None:
    """Without ``replace``, refuse to overwrite values entered in the application; with it and
    ``seen`` (what the administrator saw in the preview), refuse any they have not seen."""
    if changes.entered and not replace:
        raise WorkflowError(
            _(
                "Tệp thay đổi giá trị đã nhập trong ứng dụng của các đơn vị sau; chưa ghi gì. "
                "Xem lại rồi chọn ghi đè (--replace) nếu muốn thay bằng giá trị trong tệp:"
            ),
            details=changes.entered,
        )
    unseen = [line for line in changes.entered if seen is not None and line not in seen]
    if unseen:
        raise WorkflowError(
            _(
                "Từ lúc xem trước, có giá trị mới được nhập trong ứng dụng mà tệp sẽ ghi đè; "
                "chưa ghi gì. Hãy tải tệp lên và xem trước lại:"
            ),
            details=unseen,
        )


def _write(period, data, sets, changes: ImportChanges, unit_objects, by, steps) -> None:
    if changes.period_created:
        groups = {g.code: g for g in UnitGroup.objects.filter(code__in=sets)}
        for code, criteria_set in sets.items():
            add_group(period, data, groups[code], criteria_set)
    else:
        apply_settings(period, data, sets, changes.settings)
    create_assessments(period, changes.units, unit_objects, by)
    changed = changes.changed_units
    steps.phase(30, 60, _("Đang ghi điểm"))
    write_leaves(changed, by=by, reason=IMPORTED)
    steps.phase(60, 70, _("Đang ghi điểm thưởng, điểm trừ và nhật ký"))
    write_adjustments(changed, by=by)
    write_unranked(changed)
    if not changes.period_created:
        record_units(period, changed, by=by, action="assessment.imported")
    audit.record(
        "period.imported",
        actor=by,
        period=period,
        obj=period,
        changes={
            **data.summary,
            "changed_units": len(changed),
            "unchanged_units": changes.unchanged_count,
            "settings": [[s.label, s.old, s.new] for s in changes.settings],
            "replaced": changes.entered,
        },
    )


def _compute(period, changes: ImportChanges, by) -> None:
    """Recompute the provisional results of the groups the import changed."""
    open_groups = dict(
        PeriodGroup.objects.filter(period=period)
        .exclude(stage=GroupStage.PUBLISHED)
        .values_list("group__code", "group_id")
    )
    every = changes.period_created or any(s.kind == "tie_rule" for s in changes.settings)
    touched = {u.group for u in changes.changed_units} | {s.group for s in changes.settings}
    ids = [gid for code, gid in open_groups.items() if every or code in touched]
    if ids:
        compute_results(period, by=by, group_ids=ids)


NO_INDEX = (None, "")


def indices(period, group_ids=None) -> dict[str, tuple]:
    """Return unit code → (index, standing) as the formula gives them now (nothing written)."""
    try:
        rows = calculate_results(period, group_ids)
    except WorkflowError:  # a unit whose group has no criteria set: no index to show
        return {}
    codes = dict(
        Unit.objects.filter(pk__in=[r.unit_id for r, _a in rows]).values_list("pk", "code")
    )
    return {codes[r.unit_id]: (r.index, r.standing) for r, _areas in rows}


def preview_period_import(data: PeriodData, progress=None) -> ImportChanges:
    """Return what importing ``data`` would change, with indices before → after; write nothing.

    The import runs, replacing values entered in the application so that they are listed, in a
    savepoint rolled back at the end. Raises WorkflowError when the import would be refused.
    """
    with transaction.atomic():
        changes = import_period_changes(data, replace=True, with_indices=True, progress=progress)
        transaction.set_rollback(True)
    return detached(changes, Period.objects.filter(year=data.year).first())


def detached(changes: ImportChanges, period) -> ImportChanges:
    """Forget the rows a rolled-back preview wrote."""
    changes.period = period
    for unit in changes.units:
        unit.assessment = None
        for change in unit.leaves:
            change.entry = None
    return changes
