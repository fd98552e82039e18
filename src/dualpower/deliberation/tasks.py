"""The deliberation's background job: a new opinion map after votes arrive."""

from __future__ import annotations

from django_tasks import task

from dualpower.deliberation import mapping


@task()
def map_refresh(deliberation_id: int) -> int:
    """Compute the deliberation's map if votes arrived since the stored one; returns the votes it
    saw (0 when nothing was due). Several queued at once cost one computation: the others find
    the map up to date."""
    return mapping.map_refresh(deliberation_id=deliberation_id)
