"""What every budgeting service shares: the photo limits and the phase check (values people type are
cleaned by ``dualpower.clean``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dualpower.budgeting.models import Cycle, Phase
from dualpower.errors import Conflict

# The types a photo may be are judged from its bytes by dualpower.uploads (uploads.PHOTO).
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def require_phase(cycle: Cycle, *phases: str) -> None:
    # Read the phase from the database: the object in hand may predate a move to the next phase.
    cycle.phase = Cycle.objects.filter(pk=cycle.pk).values_list("phase", flat=True).get()
    if cycle.phase not in phases:
        names = ", ".join(str(Phase(p).label) for p in phases)
        raise Conflict(_("This can only be done during: %(phases)s.") % {"phases": names})
