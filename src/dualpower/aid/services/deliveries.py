"""Goods delivered to a request without a volunteer's match: food the food group allocated from a
harvest (the food app calls this inside its allocation's transaction).

The quantity is taken with one conditional UPDATE ("only if what is committed plus this still fits
in what was asked, and the request is not closed"), like a match's commitment, so two deliveries
racing for the last portions cannot both land; a request that has everything it asked for is
fulfilled. Added for issue 17 (the food app); owned by it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.aid.models import CLOSED_STATUSES, AidRequest
from dualpower.aid.services._common import touch
from dualpower.clean import clean_text
from dualpower.community.audit import say
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership

say("aid.request.deliver", gettext_lazy("%(actor)s delivered goods for request %(summary)s"))


@transaction.atomic
def request_deliver(
    *,
    request: AidRequest,
    quantity: int,
    by: Membership | None,
    note: str = "",
    decision_ref: str = "",
) -> AidRequest:
    """Record ``quantity`` delivered to ``request`` (counted in the request's own unit). Refused,
    with nothing written, when the request is closed or this is more than is still open."""
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise InvalidInput(_("Deliver at least one, in whole units."), field="quantity")
    note = clean_text(note, field="note", label=_("Note"), limit=200)
    taken = (
        AidRequest.objects.filter(pk=request.pk, quantity_committed__lte=F("quantity") - quantity)
        .exclude(status__in=CLOSED_STATUSES)
        .update(
            quantity_committed=F("quantity_committed") + quantity,
            quantity_delivered=F("quantity_delivered") + quantity,
        )
    )
    if not taken:
        fresh = AidRequest.objects.get(pk=request.pk)
        if fresh.status in CLOSED_STATUSES:
            raise Conflict(
                _("Request %(code)s is closed: nothing more can be delivered.") % {"code": fresh.code}
            )
        raise Conflict(
            _("Request %(code)s has only %(n)d still open: deliver no more than that.")
            % {"code": fresh.code, "n": fresh.quantity - fresh.quantity_committed}
        )
    locked = AidRequest.objects.select_for_update().get(pk=request.pk)
    now = timezone.now()
    touch(locked, now=now)
    if locked.quantity_delivered >= locked.quantity:
        locked.status = AidRequest.Status.FULFILLED
        locked.fulfilled_at = locked.closed_at = now
    locked.save()
    audit_record(
        community=locked.community,
        actor=by,
        action="aid.request.deliver",
        target=locked,
        summary=locked.code,
        data={"delivered": quantity, "note": note} if note else {"delivered": quantity},
        decision_ref=decision_ref,
    )
    return locked
