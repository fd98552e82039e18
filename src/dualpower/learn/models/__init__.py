"""The learn app's tables: the library of things (library.py) and learning together (learning.py)."""

from dualpower.learn.models.learning import (
    Attendance,
    Completion,
    Enrolment,
    Facilitator,
    Offering,
    Reading,
    RoleKeeper,
    Session,
)
from dualpower.learn.models.library import Hold, LibrarySettings, Loan, LoanTally, Thing

__all__ = [
    "Attendance",
    "Completion",
    "Enrolment",
    "Facilitator",
    "Hold",
    "LibrarySettings",
    "Loan",
    "LoanTally",
    "Offering",
    "Reading",
    "RoleKeeper",
    "Session",
    "Thing",
]
