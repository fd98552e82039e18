"""The learn app's own refusals (DomainErrors: a sentence and a 4xx, never a 500)."""

from __future__ import annotations

from dualpower.errors import Conflict


class Overdue(Conflict):
    """The member has a thing back late: no new holds or loans until it is returned."""

    code = "overdue"


class HeldForSomeoneElse(Conflict):
    code = "held_for_someone_else"
