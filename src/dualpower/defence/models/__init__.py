"""The defence app's tables, one module per part; Django finds them through these imports."""

from dualpower.defence.models.exposure import DuressPassword  # noqa: F401
from dualpower.defence.models.response import (  # noqa: F401
    CourtDate,
    DefenceSettings,
    EvictionCase,
    Incident,
    IncidentCount,
    OnCallProfile,
    ReporterBan,
    Response,
    RightsPage,
)
