"""Requests for help: made by a member or taken by a dispatcher, their sealed private details, and
their closing (cancelled, referred elsewhere, met).

Who may call each verb is decided in rules.py; the services keep the invariants (coarse locations
only, quantities within what was asked, closed requests stay closed) and write the audit log, never
with private details in it.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import dualpower.aid.services._clean as validation
from dualpower.aid import crypto
from dualpower.aid.models import CLOSED_STATUSES, LIVE_MATCH, AidMatch, AidRequest
from dualpower.aid.notify import notify_volunteers_closed
from dualpower.aid.services._common import check_category, matching_changed, privacy, touch
from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read over the phone must not be misheard.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def _new_code(community: Community) -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        code = f"{raw[:3]}-{raw[3:]}"
        if not AidRequest.objects.filter(community=community, code=code).exists():
            return code


class RequestFields(TypedDict, total=False):
    """What a request for help is made of (its public part); ``languages`` may arrive as one
    comma-separated text (a form)."""

    category: str
    description: str
    urgency: int
    quantity: int
    unit: str
    window_start: datetime | None
    window_end: datetime | None
    languages: list[str] | str
    neighbourhood: str
    privacy: str


def _request_fields(community: Community, data: RequestFields) -> dict[str, Any]:
    start, end = validation.window(data.get("window_start"), data.get("window_end"))
    return {
        "category": check_category(community, data.get("category")),
        "description": clean_text(
            data.get("description"),
            field="description",
            label=_("What is needed"),
            limit=validation.MAX_DESCRIPTION,
            required=True,
        ),
        "urgency": validation.urgency(data.get("urgency")),
        "quantity": validation.quantity(data.get("quantity")),
        "unit": clean_text(data.get("unit"), field="unit", label=_("Unit"), limit=40),
        "window_start": start,
        "window_end": end,
        "languages": validation.names(data.get("languages"), field="languages", label=_("languages")),
        "neighbourhood": validation.neighbourhood(data.get("neighbourhood")),
        "privacy": privacy(data.get("privacy")),
    }


def _details(details: object) -> dict[str, str]:
    # Typed ``object``: the boundary check of what callers pass as ``dict[str, str] | None``.
    if details is None:
        return {}
    if not isinstance(details, dict):
        raise InvalidInput(_("Private details must be a set of named fields."), field="details")
    unknown = set(details) - set(crypto.SENSITIVE_FIELDS)
    if unknown:
        raise InvalidInput(
            _("Unknown private fields: %(f)s.") % {"f": ", ".join(sorted(map(str, unknown)))}, field="details"
        )
    for key, value in details.items():
        clean_text(value, field=f"details.{key}", label=key, limit=1000)
    return crypto.clean_details(details)


@transaction.atomic
def request_create(
    *,
    community: Community,
    requester: Membership,
    details: dict[str, str] | None = None,
    **data: Unpack[RequestFields],
) -> AidRequest:
    """A member asks for help. Private ``details`` (contact, address, health...) are sealed."""
    fields = _request_fields(community, data)
    sealed = crypto.seal(_details(details))
    request = AidRequest.objects.create(
        community=community,
        code=_new_code(community),
        requester=requester,
        contact_channel=AidRequest.Channel.ACCOUNT,
        sealed=sealed,
        **fields,
    )
    audit_record(
        community=community,
        actor=requester,
        action="aid.request.create",
        target=request,
        summary=request.code,
    )
    return request


@transaction.atomic
def request_intake(
    *,
    community: Community,
    dispatcher: Membership,
    contact_channel: str,
    contact_language: str = "",
    details: dict[str, str] | None = None,
    **data: Unpack[RequestFields],
) -> AidRequest:
    """A dispatcher takes a request by phone or in person for someone without an account. Their name
    and contact go into the sealed details; every listing shows only the request code."""
    fields = _request_fields(community, data)
    channel = str(contact_channel or "")
    if channel not in AidRequest.Channel.values or channel == AidRequest.Channel.ACCOUNT:
        raise InvalidInput(
            _("Say how to reach them: phone, text, messaging app, email or in person."),
            field="contact_channel",
        )
    language = clean_text(
        contact_language, field="contact_language", label=_("Language to contact them in"), limit=40
    )
    clean = _details(details)
    if not clean.get("contact") and channel != AidRequest.Channel.IN_PERSON:
        raise InvalidInput(
            _("Write down how to reach them (a phone number, for example)."), field="details.contact"
        )
    request = AidRequest.objects.create(
        community=community,
        code=_new_code(community),
        requester=None,
        taken_by=dispatcher,
        contact_channel=channel,
        contact_language=language,
        sealed=crypto.seal(clean),
        first_response_at=timezone.now(),  # a dispatcher has already answered them
        **fields,
    )
    audit_record(
        community=community,
        actor=dispatcher,
        action="aid.request.intake",
        target=request,
        summary=request.code,
    )
    return request


@transaction.atomic
def request_update_details(*, request: AidRequest, details: dict[str, str], by: Membership) -> AidRequest:
    """Replace the sealed private details (the requester or a dispatcher correcting them)."""
    locked = AidRequest.objects.select_for_update().get(pk=request.pk)
    if locked.erased_at is not None:
        raise Conflict(_("This request's private details were erased; they cannot be changed now."))
    locked.sealed = crypto.seal(_details(details))
    touch(locked)
    locked.save(update_fields=["sealed", "updated_at", "stale_since"])
    audit_record(
        community=locked.community, actor=by, action="aid.request.details", target=locked, summary=locked.code
    )
    return locked


def _close(
    request: AidRequest, *, status: str, by: Membership | None, reason: str = "", referred_to: str = ""
) -> AidRequest:
    locked = AidRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status in CLOSED_STATUSES:
        raise Conflict(_("This request is already closed (%(s)s).") % {"s": locked.get_status_display()})
    now = timezone.now()
    live = list(locked.matches.filter(status__in=LIVE_MATCH))
    for match in live:
        match.status = AidMatch.Status.CANCELLED
        match.ended_at = now
        match.updated_at = now
        match.save(update_fields=["status", "ended_at", "updated_at"])
    if live:
        matching_changed(locked.community)
    locked.quantity_committed = locked.quantity_delivered
    locked.status = status
    locked.closed_at = now
    if status == AidRequest.Status.FULFILLED:
        locked.fulfilled_at = now
    locked.close_reason = reason
    locked.referred_to = referred_to
    touch(locked, now=now)
    locked.save()
    audit_record(
        community=locked.community,
        actor=by,
        action=f"aid.request.{status}",
        target=locked,
        summary=locked.code,
        data={"reason": reason, "referred_to": referred_to} if (reason or referred_to) else None,
    )
    notify_volunteers_closed(locked, [m.volunteer for m in live])
    return locked


@transaction.atomic
def request_cancel(*, request: AidRequest, by: Membership | None, reason: str = "") -> AidRequest:
    reason = clean_text(reason, field="reason", label=_("Reason"), limit=300)
    return _close(request, status=AidRequest.Status.CANCELLED, by=by, reason=reason)


@transaction.atomic
def request_refer(*, request: AidRequest, to: str, by: Membership) -> AidRequest:
    to = clean_text(to, field="to", label=_("Referred to"), limit=120, required=True)
    return _close(request, status=AidRequest.Status.REFERRED, by=by, referred_to=to)


@transaction.atomic
def request_close_fulfilled(*, request: AidRequest, by: Membership, reason: str = "") -> AidRequest:
    """A dispatcher closes a request as met, also when only part of the quantity was delivered
    (the rest was found elsewhere, or is no longer needed)."""
    reason = clean_text(reason, field="reason", label=_("Note"), limit=300)
    if request.quantity_delivered == 0 and not reason:
        raise InvalidInput(_("Nothing was delivered yet: say how the need was met."), field="reason")
    return _close(request, status=AidRequest.Status.FULFILLED, by=by, reason=reason)
