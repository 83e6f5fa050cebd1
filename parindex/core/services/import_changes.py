"""What an import changes: the file compared with what is stored, unit by unit, without writing.

Values entered in the application (the rule every import follows)
-----------------------------------------------------------------
An import writes only what differs from the file; an equal value is never touched, and an empty
cell leaves the stored value as it is. Among the values the file would change, these count as
**entered in the application**, and are overwritten only when the administrator asked to replace
them after seeing them (``replace``: ``--replace``, the choice on the preview page):

- a leaf's points (or KAD) whose score row was last written by a person: its newest history
  record has a user and is not an import's (imports mark their history records with
  ``IMPORT_REASONS``); a row without history counts when ``updated_by`` is set. Values written
  by the system (demo, commands without a user) or by an earlier import are not;
- a bonus or deduction category holding an approved item that no import created (the import's
  own items carry the reason ``IMPORTED``). Pending and rejected items are never touched;
- a ranking decision (a unit left out of the ranking, whether a group is ranked this period, the
  tie rule) that a person took in the application after the period's last import (its audit
  entry has a user and comes after the last ``period.imported``).

With ``replace`` the values are overwritten; the score rows' history (with the import's reason)
and one audit entry per unit record old and new. Without it the whole import is refused, naming
the units, and nothing is written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parindex.core.excel.sheets import NOT_APPLICABLE
from parindex.core.models import (
    Adjustment,
    AdjustmentStatus,
    Assessment,
    AuditEntry,
    ScoreEntry,
)
from parindex.core.numbers import points_text
from parindex.scoring import round_score

IMPORTED = "Nhập từ sổ điểm Excel"
SURVEY_IMPORTED = "Nhập kết quả điều tra XHH từ Excel"
IMPORT_REASONS = frozenset({IMPORTED, SURVEY_IMPORTED})
EMPTY = "—"
ZERO = Decimal(0)


def value_text(value) -> str:
    """Write a stored or imported value for people: "8.5", "KAD", "—" for nothing."""
    if value is None:
        return EMPTY
    return value if value == NOT_APPLICABLE else points_text(value)


class StoredEntry(NamedTuple):
    """A stored score row as an import compares and writes it: plain values, not a model
    instance (a period holds hundreds of thousands); ``final`` from ``final_points``."""

    pk: int
    self_points: Decimal | None
    appraised_points: Decimal | None
    survey_points: Decimal | None
    not_applicable: bool
    updated_by_id: int | None
    final: Decimal | None


@dataclass
class LeafChange:
    """One leaf whose value the file changes; ``entry`` is the stored row (None: none yet)."""

    code: str
    old: object
    new: object
    entered: bool = False
    entry: StoredEntry | None = field(default=None, repr=False)
    leaf: object = field(default=None, repr=False)

    @property
    def old_text(self) -> str:
        return value_text(self.old)

    @property
    def new_text(self) -> str:
        return value_text(self.new)


@dataclass
class AdjustmentChange:
    """A bonus or deduction category whose approved total the file changes."""

    code: str
    old: Decimal
    new: Decimal
    items: list[Adjustment] = field(default_factory=list, repr=False)
    leaf: object = field(default=None, repr=False)

    @property
    def replaced(self) -> list[Adjustment]:
        """The approved items entered in the application that the file's total replaces."""
        return [a for a in self.items if a.reason != IMPORTED]

    @property
    def entered(self) -> bool:
        return bool(self.replaced)

    @property
    def replaced_lines(self) -> list[str]:
        return [f"{points_text(a.amount)} — {a.reason}" for a in self.replaced]

    @property
    def old_text(self) -> str:
        return points_text(self.old)

    @property
    def new_text(self) -> str:
        return points_text(self.new)


@dataclass
class UnitChanges:
    """What the file changes for one unit, and its index before → after (when computed)."""

    code: str
    name: str
    group: str
    created: bool = False  # the import creates the unit's assessment
    leaves: list[LeafChange] = field(default_factory=list)
    adjustments: list[AdjustmentChange] = field(default_factory=list)
    unranked: tuple[str, str] | None = None  # reason old → new
    unranked_entered: bool = False
    before: tuple = (None, "")  # (index, standing) before the import
    after: tuple = (None, "")
    assessment: Assessment | None = field(default=None, repr=False)

    @property
    def changed(self) -> bool:
        return self.created or bool(self.leaves or self.adjustments or self.unranked)

    @property
    def entered(self) -> list[str]:
        """What the file overwrites of what was entered in the application (leaf codes …)."""
        out = [c.code for c in self.leaves if c.entered]
        out += [c.code for c in self.adjustments if c.entered]
        return out + ([_("Không xếp hạng")] if self.unranked_entered else [])

    @property
    def before_text(self) -> str:
        return index_text(self.before)

    @property
    def after_text(self) -> str:
        return index_text(self.after)


@dataclass
class SettingChange:
    """A change of the period or of a group: tie rule, ranking, grade bands, unit register."""

    kind: str  # "tie_rule", "group" (added to the period), "ranked", "bands", "units"
    label: str
    old: str
    new: str
    group: str = ""  # the group it belongs to ("" for the period or the unit register)
    entered: bool = False


@dataclass
class ImportChanges:
    """Everything an import changes; ``units`` lists every unit of the file."""

    year: int
    period: object = None
    period_created: bool = False
    group: str = ""  # the group of a survey import
    units: list[UnitChanges] = field(default_factory=list)
    settings: list[SettingChange] = field(default_factory=list)

    @property
    def changed_units(self) -> list[UnitChanges]:
        return [u for u in self.units if u.changed]

    @property
    def unchanged_count(self) -> int:
        return len(self.units) - len(self.changed_units)

    @property
    def has_changes(self) -> bool:
        return self.period_created or bool(self.changed_units or self.settings)

    @property
    def entered(self) -> list[str]:
        """Every overwritten value entered in the application, one line per unit or setting."""
        lines = [f"{u.code} ({', '.join(u.entered)})" for u in self.units if u.entered]
        return lines + [f"{s.label}: {s.old} → {s.new}" for s in self.settings if s.entered]

    @property
    def summary(self) -> str:
        if self.period_created:
            return ngettext(
                "Tạo kỳ đánh giá năm %(year)s với %(count)d bản đánh giá.",
                "Tạo kỳ đánh giá năm %(year)s với %(count)d bản đánh giá.",
                len(self.units),
            ) % {"year": self.year, "count": len(self.units)}
        if not self.has_changes:
            return _("Không có thay đổi: dữ liệu trong tệp giống dữ liệu đang lưu.")
        units = ngettext(
            "%(changed)d đơn vị thay đổi, %(same)d không đổi",
            "%(changed)d đơn vị thay đổi, %(same)d không đổi",
            len(self.changed_units),
        ) % {"changed": len(self.changed_units), "same": self.unchanged_count}
        if not self.settings:
            return units + "."
        return units + ngettext(
            ", %(count)d thay đổi về kỳ đánh giá, khối, đơn vị.",
            ", %(count)d thay đổi về kỳ đánh giá, khối, đơn vị.",
            len(self.settings),
        ) % {"count": len(self.settings)}


def index_text(figure: tuple) -> str:
    """Write an (index, standing) pair: "95.48", or the standing ("Chưa nộp"), or "—"."""
    index, standing = figure
    if index is None:
        return standing or EMPTY
    return f"{round_score(index):.2f}"


def describe_unit(unit: UnitChanges) -> str:
    """One line of what the file changes for ``unit`` (commands print it)."""
    parts = [f"{c.code}: {c.old_text} → {c.new_text}" for c in unit.leaves]
    for change in unit.adjustments:
        text = f"{change.code}: {change.old_text} → {change.new_text}"
        if change.replaced:
            text += f" (thay {'; '.join(change.replaced_lines)})"
        parts.append(text)
    if unit.unranked:
        parts.append(f"Không xếp hạng: “{unit.unranked[0]}” → “{unit.unranked[1]}”")
    head = f"{unit.code} {unit.name}" + (" (tạo mới)" if unit.created else "")
    line = f"{head}: " + "; ".join(parts) if parts else head
    if unit.before != (None, "") or unit.after != (None, ""):
        line += f"; chỉ số {unit.before_text} → {unit.after_text}"
    if unit.entered:
        line += f" [đã nhập trong ứng dụng: {', '.join(unit.entered)}]"
    return line


def stored_value(entry: StoredEntry | None):
    """Return what a score row holds for the index: "KAD", the points that count (``final``,
    annotated by ``stored_rows`` from the one rule, ``final_points``), or None."""
    if entry is None:
        return None
    return NOT_APPLICABLE if entry.not_applicable else entry.final


def compare_leaves(unit: UnitChanges, cells: dict, leaves: dict, entries: dict) -> dict:
    """Add to ``unit`` the leaves whose value the file changes; return the bonus/deduction
    cells (leaf → amount), which compare as category totals."""
    adjustments = {}
    assessment_id = unit.assessment.pk if unit.assessment else None
    for code, value in cells.items():
        leaf = leaves[code]
        if leaf.adjustment_kind:
            adjustments[leaf] = value
            continue
        entry = entries.get((assessment_id, leaf.pk))
        old = stored_value(entry)
        if old != value:  # Decimal("8") == Decimal("8.00"); "KAD" equals only "KAD"
            unit.leaves.append(LeafChange(code=code, old=old, new=value, entry=entry, leaf=leaf))
    return adjustments


def compare_adjustments(unit: UnitChanges, cells: dict, approved: dict) -> None:
    """Add to ``unit`` the categories whose approved total differs from the file's amount."""
    for leaf, amount in cells.items():
        items = approved.get((unit.assessment.pk if unit.assessment else None, leaf.pk), [])
        total = sum((a.amount for a in items), ZERO)
        if total != amount:
            unit.adjustments.append(
                AdjustmentChange(code=leaf.code, old=total, new=amount, items=items, leaf=leaf)
            )


def stored_rows(assessments, leaf_ids) -> tuple[dict, dict]:
    """Return the score rows ((assessment id, leaf id) → ``StoredEntry``) and approved items
    (same key → list) of ``assessments``, restricted to ``leaf_ids``."""
    rows = (
        ScoreEntry.objects.filter(assessment__in=assessments, criterion_id__in=leaf_ids)
        .with_final_points()
        .values_list("assessment_id", "criterion_id", *StoredEntry._fields)
    )
    entries = {(row[0], row[1]): StoredEntry._make(row[2:]) for row in rows}
    approved = defaultdict(list)
    for item in Adjustment.objects.filter(
        assessment__in=assessments, status=AdjustmentStatus.APPROVED, category_id__in=leaf_ids
    ).order_by("pk"):
        approved[(item.assessment_id, item.category_id)].append(item)
    return entries, approved


HISTORY_READ = ("id", "history_user", "history_change_reason")


def mark_entered(units: list[UnitChanges]) -> None:
    """Flag the changed leaves whose stored value was entered in the application (see above)."""
    changes = [c for u in units for c in u.leaves if c.entry is not None and c.old is not None]
    if not changes:
        return
    latest = newest_history([c.entry.pk for c in changes])
    for change in changes:
        row = latest.get(change.entry.pk)
        if row is None:
            change.entered = change.entry.updated_by_id is not None
        else:
            user_id, reason = row
            change.entered = user_id is not None and reason not in IMPORT_REASONS


def newest_history(entry_ids: list[int]) -> dict[int, tuple]:
    """Return score row id → (user id, change reason) of the newest history record of each."""
    history = ScoreEntry.history.model._meta
    if connection.vendor == "postgresql":
        # One array parameter and DISTINCT ON: an IN list of a hundred thousand ids costs more
        # to build and plan than the query itself.
        quote = connection.ops.quote_name
        columns = [quote(history.get_field(f).column) for f in HISTORY_READ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT ON ({columns[0]}) {', '.join(columns)} "
                f"FROM {quote(history.db_table)} WHERE {columns[0]} = ANY(%s) "
                f"ORDER BY {columns[0]}, {quote(history.pk.column)} DESC",
                [entry_ids],
            )
            return {row[0]: row[1:] for row in cursor.fetchall()}
    latest = {}
    batch = connection.features.max_query_params
    for start in range(0, len(entry_ids), batch):
        rows = (
            ScoreEntry.history.filter(id__in=entry_ids[start : start + batch])
            .order_by("history_id")
            .values_list(*HISTORY_READ)
        )
        latest.update((row[0], row[1:]) for row in rows)  # the newest comes last
    return latest


def decided_in_app(period, action: str) -> list[AuditEntry]:
    """Return the audit entries of ``action`` a person recorded after the last import."""
    last_import = (
        AuditEntry.objects.filter(period=period, action="period.imported").aggregate(
            last=Max("pk")
        )["last"]
        or 0
    )
    return list(
        AuditEntry.objects.filter(
            period=period, action=action, actor__isnull=False, pk__gt=last_import
        )
    )
