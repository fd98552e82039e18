"""Background jobs of federation: one per delivery attempt (queued after the commit that wrote the
activity, or by the clock job ``federation.deliveries`` when a retry is due)."""

from __future__ import annotations

from django_tasks import task

from dualpower.federation import sending


@task()
def deliver(delivery_id: int, lease: str | None = None) -> str:
    """Attempt one delivery (signed POST to its inbox). ``lease`` is the lease it was queued with:
    a duplicate queued earlier finds the delivery taken and does nothing, so nothing is sent twice
    by two jobs of the same delivery."""
    return sending.delivery_attempt(delivery_id=delivery_id, lease=lease)
