"""The domain models, one module per sub-domain."""

from parindex.core.models.assessments import Assessment, Evidence, ScoreEntry
from parindex.core.models.audit import AuditEntry
from parindex.core.models.choices import (
    PROVINCE_ROLES,
    UNIT_ROLES,
    AdjustmentKind,
    AdjustmentStatus,
    AssessmentStatus,
    Comparison,
    EvidenceStage,
    GroupStage,
    PeriodStatus,
    RemediationStatus,
    Role,
    TieRule,
)
from parindex.core.models.criteria import (
    ADJUSTMENT_METHODS,
    SCORED_METHODS,
    CriteriaSet,
    Criterion,
    Method,
)
from parindex.core.models.jobs import Job, JobKind, JobStatus
from parindex.core.models.notifications import (
    DEADLINE_KINDS,
    EmailOptOut,
    Notification,
    NotificationKind,
)
from parindex.core.models.periods import GradeBand, Period, PeriodGroup
from parindex.core.models.results import AreaResult, ResultSet, UnitResult
from parindex.core.models.reviews import Adjustment, RemediationItem
from parindex.core.models.team import AppraisalPart, Assignment, LeafComment
from parindex.core.models.units import Lineage, Unit, UnitGroup
from parindex.core.models.users import User

__all__ = [
    "ADJUSTMENT_METHODS",
    "DEADLINE_KINDS",
    "PROVINCE_ROLES",
    "SCORED_METHODS",
    "UNIT_ROLES",
    "Adjustment",
    "AdjustmentKind",
    "AdjustmentStatus",
    "AppraisalPart",
    "AreaResult",
    "Assessment",
    "AssessmentStatus",
    "Assignment",
    "AuditEntry",
    "Comparison",
    "CriteriaSet",
    "Evidence",
    "EvidenceStage",
    "Criterion",
    "EmailOptOut",
    "GradeBand",
    "GroupStage",
    "Job",
    "JobKind",
    "JobStatus",
    "LeafComment",
    "Lineage",
    "Method",
    "Notification",
    "NotificationKind",
    "Period",
    "PeriodGroup",
    "PeriodStatus",
    "RemediationItem",
    "RemediationStatus",
    "ResultSet",
    "Role",
    "ScoreEntry",
    "TieRule",
    "Unit",
    "UnitGroup",
    "UnitResult",
    "User",
]
