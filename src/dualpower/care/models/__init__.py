"""The care app's tables, one module per part; Django finds them through these imports."""

from dualpower.care.models.circles import CareSettings, Circle, CircleTally, Helper, Need, Note
from dualpower.care.models.clinics import (  # noqa: F401
    CareRota,
    ClinicDay,
    ClinicWeek,
    CrisisCall,
    CrisisTally,
    QueueEntry,
    Referral,
    ScreeningCount,
    Station,
    WarmLineCall,
)

CIRCLE_MODELS = (CareSettings, Circle, CircleTally, Helper, Need, Note)
