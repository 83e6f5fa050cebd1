"""The domain models, one module per sub-domain."""

from parindex.core.models.assessments import (
    Assessment,
    AssessmentStatus,
    Evidence,
    EvidenceStage,
    ScoreEntry,
)
from parindex.core.models.audit import AuditEntry
from parindex.core.models.criteria import (
    ADJUSTMENT_METHODS,
    SCORED_METHODS,
    CriteriaSet,
    Criterion,
    Method,
)
from parindex.core.models.periods import GradeBand, Period, PeriodGroup, PeriodStatus
from parindex.core.models.results import AreaResult, ResultSet, UnitResult
from parindex.core.models.reviews import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    RemediationItem,
    RemediationStatus,
)
from parindex.core.models.units import Unit, UnitGroup
from parindex.core.models.users import PROVINCE_ROLES, UNIT_ROLES, Role, User

__all__ = [
    "ADJUSTMENT_METHODS",
    "PROVINCE_ROLES",
    "SCORED_METHODS",
    "UNIT_ROLES",
    "Adjustment",
    "AdjustmentKind",
    "AdjustmentStatus",
    "AreaResult",
    "Assessment",
    "AssessmentStatus",
    "AuditEntry",
    "CriteriaSet",
    "Evidence",
    "EvidenceStage",
    "Criterion",
    "GradeBand",
    "Method",
    "Period",
    "PeriodGroup",
    "PeriodStatus",
    "RemediationItem",
    "RemediationStatus",
    "ResultSet",
    "Role",
    "ScoreEntry",
    "Unit",
    "UnitGroup",
    "UnitResult",
    "User",
]
