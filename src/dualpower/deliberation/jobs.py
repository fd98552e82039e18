"""The deliberations' clock jobs: no map is left behind its votes for long, nor unsent to the peers."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F

from dualpower.deliberation import mapping, publishing
from dualpower.deliberation.models import Deliberation

# A map's job runs seconds after the vote; one still behind after this was lost (a worker stopped).
GRACE = timedelta(minutes=2)


def refresh_stale_maps(now: datetime) -> None:
    behind = Deliberation.objects.filter(map_votes__lt=F("votes_seen")).filter(
        map_computed_at__lt=now - GRACE
    ) | Deliberation.objects.filter(
        map_votes__lt=F("votes_seen"), map_computed_at=None, created_at__lt=now - GRACE
    )
    for pk in behind.values_list("pk", flat=True)[:20]:
        mapping.map_refresh(deliberation_id=pk)


def send_held_maps(now: datetime) -> None:
    """Maps a busy spell held back from the peers (publishing.MAP_EVERY) are sent once it is over."""
    for pk in publishing.maps_held_back(now=now):
        publishing.map_sync_due(deliberation_id=pk, now=now)
