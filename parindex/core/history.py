"""The history of each leaf of an assessment, read from django-simple-history's tables."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.models import Evidence, LeafComment, ScoreEntry

FIELD_LABELS = {
    "self_points": gettext_lazy("Điểm tự chấm"),
    "self_note": gettext_lazy("Giải thích"),
    "appraised_points": gettext_lazy("Điểm thẩm định"),
    "appraisal_note": gettext_lazy("Ý kiến thẩm định"),
    "survey_points": gettext_lazy("Điểm điều tra XHH"),
    "not_applicable": gettext_lazy("Không áp dụng"),
    "explanation": gettext_lazy("Giải trình của đơn vị"),
}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    who: str
    changes: tuple[Change, ...] = ()
    message: str = ""
    appraisal: bool = False  # a reviewer's field changed (who appraised the leaf, and when)
    comment: bool = False  # a message of the leaf's thread (core/models/team.py)


APPRAISAL_FIELDS = {"appraised_points", "appraisal_note", "survey_points", "not_applicable"}


def leaf_histories(assessment, *, with_appraisal: bool = True) -> dict[int, list[HistoryItem]]:
    """Return criterion id → the changes of its entry and evidence, oldest first (two queries).

    Without ``with_appraisal`` the reviewers' fields are left out (a unit never sees a draft
    appraisal).
    """
    labels = {
        field: label
        for field, label in FIELD_LABELS.items()
        if with_appraisal or field not in APPRAISAL_FIELDS
    }
    history: dict[int, list[HistoryItem]] = defaultdict(list)
    previous: dict[int, object] = {}
    entry_criteria: dict[int, int] = {}
    records = (
        ScoreEntry.history.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in records:
        entry_criteria[record.id] = record.criterion_id
        before = previous.get(record.id)
        changed = [
            field
            for field in labels
            if (getattr(before, field) if before else None) != getattr(record, field)
            and not (before is None and getattr(record, field) in (None, "", False))
        ]
        previous[record.id] = record
        if changed:
            changes = tuple(
                Change(
                    str(labels[field]),
                    shown(getattr(before, field) if before else None),
                    shown(getattr(record, field)),
                )
                for field in changed
            )
            history[record.criterion_id].append(
                HistoryItem(
                    at=record.history_date,
                    who=_who(record),
                    changes=changes,
                    appraisal=not APPRAISAL_FIELDS.isdisjoint(changed),
                )
            )
    _add_evidence(history, entry_criteria)
    add_comments(assessment, history)
    for items in history.values():
        items.sort(key=lambda item: item.at)
    return history


def _add_evidence(history: dict[int, list[HistoryItem]], entry_criteria: dict[int, int]) -> None:
    """Add the files added and removed on each leaf (one query)."""
    for record in (
        Evidence.history.filter(entry_id__in=list(entry_criteria))
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        if record.history_type not in "+-":
            continue
        template = (
            _("Thêm tệp “%(name)s”") if record.history_type == "+" else _("Xóa tệp “%(name)s”")
        )
        history[entry_criteria[record.entry_id]].append(
            HistoryItem(
                at=record.history_date,
                who=_who(record),
                message=template % {"name": record.original_name},
            )
        )


def add_comments(assessment, history: dict[int, list[HistoryItem]]) -> None:
    """Add the messages of each leaf's thread to its history: author, role and time (one
    query)."""
    for comment in LeafComment.objects.filter(assessment_id=assessment.pk).select_related("author"):
        history[comment.criterion_id].append(
            HistoryItem(
                at=comment.created_at,
                who=f"{comment.author} ({comment.get_author_role_display()})",
                message=comment.text,
                comment=True,
            )
        )


def last_appraisal(items: list[HistoryItem]) -> HistoryItem | None:
    """Return the latest change of a leaf's history made by appraisal (None if none)."""
    return next((item for item in reversed(items) if item.appraisal), None)


def shown(value) -> str:
    """Return a history value as people read it ("0.5", "có", "—")."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _who(record) -> str:
    return str(record.history_user) if record.history_user else _("hệ thống")
