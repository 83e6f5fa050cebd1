"""Writing the audit trail; every service calls ``record`` inside its transaction."""

from parindex.core import clock
from parindex.core.models import AuditEntry


def record(action, *, actor=None, period=None, unit=None, obj=None, changes=None, message=""):
    """Write one audit entry (``action`` is ``noun.past_tense``, e.g. ``results.published``)."""
    return AuditEntry.objects.create(
        created_at=clock.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        period=period,
        unit=unit,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        changes=changes or {},
        message=str(message),
    )
