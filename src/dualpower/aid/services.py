"""Every write about requests, offers, categories, dispatchers and the network's settings.

Matches and their lifecycle are in lifecycle.py. Who may call each verb is decided in rules.py;
the services keep the invariants (coarse locations only, quantities within what was asked, closed
requests stay closed) and write the audit log — never with private details in it.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dualpower.aid import crypto, validation
from dualpower.aid.models import (
    CLOSED_STATUSES,
    LIVE_MATCH,
    AidCategory,
    AidMatch,
    AidRequest,
    AidSettings,
    DispatcherRole,
    Privacy,
)
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership

# Issue 6's list; a community adds its own (AidCategory).
BUILTIN_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("housing", gettext_noop("Housing and shelter")),
    ("food", gettext_noop("Food")),
    ("physical-health", gettext_noop("Physical health")),
    ("mental-health", gettext_noop("Mental health")),
    ("childcare", gettext_noop("Childcare")),
    ("elder-care", gettext_noop("Elder care")),
    ("education", gettext_noop("Education and skills")),
    ("transport", gettext_noop("Transport")),
    ("legal", gettext_noop("Legal support")),
    ("safety", gettext_noop("Safety accompaniment and community defence")),
    ("money", gettext_noop("Money")),
    ("goods", gettext_noop("Goods")),
    ("other", gettext_noop("Other")),
)
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read over the phone must not be misheard.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def categories_for(community: Community) -> list[tuple[str, str]]:
    """(key, name) of every category this community uses: built-in first, then its own."""
    out = [(key, _(name)) for key, name in BUILTIN_CATEGORIES]
    out += [(c.key, c.name) for c in AidCategory.objects.filter(community=community)]
    return out


def category_name(community: Community, key: str) -> str:
    return dict(categories_for(community)).get(key, key)


def settings_for(community: Community) -> AidSettings:
    found, _made = AidSettings.objects.get_or_create(community=community)
    return found


def matching_changed(community: Community) -> None:
    """Tell the prepared offer index that offers, capacities or distances changed. Call inside the
    changing transaction, so a rollback leaves the generation as it was."""
    if not AidSettings.objects.filter(community=community).update(generation=F("generation") + 1):
        AidSettings.objects.get_or_create(community=community, defaults={"generation": 1})


def _check_category(community: Community, key: Any, *, field: str = "category") -> str:
    key = str(key or "").strip()
    if key not in dict(categories_for(community)):
        raise InvalidInput(_("Choose one of the community's categories."), field=field)
    return key


def _privacy(value: Any) -> str:
    value = value or Privacy.MEMBERS
    if value not in Privacy.values:
        raise InvalidInput(
            _("Say who can see it: all members, volunteers of this category, or dispatchers only."),
            field="privacy",
        )
    return str(value)


def _new_code(community: Community) -> str:
    while True:
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        code = f"{raw[:3]}-{raw[3:]}"
        if not AidRequest.objects.filter(community=community, code=code).exists():
            return code


# --- settings, categories, dispatchers --------------------------------------------------------


@transaction.atomic
def aid_settings_update(
    *,
    community: Community,
    by: Membership | None,
    retention_days: Any = None,
    stale_days: Any = None,
    distances: Any = None,
    decision_ref: str = "",
) -> AidSettings:
    current = settings_for(community)
    changed: dict[str, Any] = {}
    if retention_days is not None:
        days = validation.quantity(retention_days, field="retention_days", minimum=0)
        if days > 3650:
            raise InvalidInput(_("Keep private details for at most 3650 days."), field="retention_days")
        changed["retention_days"] = days
    if stale_days is not None:
        days = validation.quantity(stale_days, field="stale_days", minimum=1)
        if days > 365:
            raise InvalidInput(_("Flag stale requests after at most 365 days."), field="stale_days")
        changed["stale_days"] = days
    if distances is not None:
        changed["distances"] = _clean_distances(distances)
    for key, value in changed.items():
        setattr(current, key, value)
    if changed:
        current.save(update_fields=list(changed))
        matching_changed(community)
        audit_record(
            community=community,
            actor=by,
            action="aid.settings",
            target=current,
            data={k: v for k, v in changed.items() if k != "distances"},
            decision_ref=decision_ref,
        )
    return current


def _clean_distances(value: Any) -> list[list[Any]]:
    if not isinstance(value, list):
        raise InvalidInput(
            _("Distances are a list of [neighbourhood, neighbourhood, km]."), field="distances"
        )
    out = []
    for item in value:
        if not isinstance(item, list | tuple) or len(item) != 3:
            raise InvalidInput(
                _("Distances are a list of [neighbourhood, neighbourhood, km]."), field="distances"
            )
        a, b, km = item
        a = validation.neighbourhood(a)
        b = validation.neighbourhood(b)
        try:
            km = float(km)
        except (TypeError, ValueError):
            km = -1.0
        if not 0 <= km <= 1000:
            raise InvalidInput(_("A distance is a number of kilometres, 0 to 1000."), field="distances")
        out.append([a, b, km])
    return out


@transaction.atomic
def aid_category_add(*, community: Community, name: Any, by: Membership | None) -> AidCategory:
    name = validation.text(name, field="name", label=_("Category"), max_length=80, required=True)
    key = slugify(name)[:40] or "category"
    if key in dict(categories_for(community)) or any(
        n.lower() == name.lower() for _k, n in categories_for(community)
    ):
        raise Conflict(_("There is already a category called “%(name)s”.") % {"name": name})
    category = AidCategory.objects.create(community=community, key=key, name=name)
    audit_record(community=community, actor=by, action="aid.category.add", target=category, summary=name)
    return category


@transaction.atomic
def dispatcher_grant(
    *, community: Community, membership: Membership, by: Membership | None, decision_ref: str = ""
) -> DispatcherRole:
    if membership.community_id != community.pk or not membership.is_active:
        raise InvalidInput(_("Only active members of this community can be dispatchers."), field="membership")
    if membership.role == Membership.Role.OBSERVER:
        raise InvalidInput(_("Observers cannot be dispatchers; make them members first."), field="membership")
    if DispatcherRole.objects.filter(community=community, membership=membership).exists():
        raise Conflict(_("%(name)s is already a dispatcher.") % {"name": membership.display_name})
    role = DispatcherRole.objects.create(community=community, membership=membership, granted_by=by)
    audit_record(
        community=community,
        actor=by,
        action="aid.dispatcher.grant",
        target=membership,
        summary=str(membership),
        decision_ref=decision_ref,
    )
    return role


@transaction.atomic
def dispatcher_revoke(*, community: Community, membership: Membership, by: Membership | None) -> None:
    deleted, _n = DispatcherRole.objects.filter(community=community, membership=membership).delete()
    if not deleted:
        raise Conflict(_("%(name)s is not a dispatcher.") % {"name": membership.display_name})
    audit_record(
        community=community,
        actor=by,
        action="aid.dispatcher.revoke",
        target=membership,
        summary=str(membership),
    )


# --- requests ---------------------------------------------------------------------------------


def _request_fields(community: Community, data: dict[str, Any]) -> dict[str, Any]:
    start, end = validation.window(data.get("window_start"), data.get("window_end"))
    return {
        "category": _check_category(community, data.get("category")),
        "description": validation.text(
            data.get("description"),
            field="description",
            label=_("What is needed"),
            max_length=validation.MAX_DESCRIPTION,
            required=True,
        ),
        "urgency": validation.urgency(data.get("urgency")),
        "quantity": validation.quantity(data.get("quantity")),
        "unit": validation.text(data.get("unit"), field="unit", label=_("Unit"), max_length=40),
        "window_start": start,
        "window_end": end,
        "languages": validation.names(data.get("languages"), field="languages", label=_("languages")),
        "neighbourhood": validation.neighbourhood(data.get("neighbourhood")),
        "privacy": _privacy(data.get("privacy")),
    }


def _details(details: Any) -> dict[str, str]:
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
        validation.text(value, field=f"details.{key}", label=key, max_length=1000)
    return crypto.clean_details(details)


@transaction.atomic
def request_create(
    *, community: Community, requester: Membership, details: Any = None, **data: Any
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
    contact_channel: Any,
    contact_language: Any = "",
    details: Any = None,
    **data: Any,
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
    language = validation.text(
        contact_language, field="contact_language", label=_("Language to contact them in"), max_length=40
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


def touch(request: AidRequest, *, now: datetime | None = None) -> None:
    """Record news on a request: it is not stale any more."""
    request.updated_at = now or timezone.now()
    request.stale_since = None


@transaction.atomic
def request_update_details(*, request: AidRequest, details: Any, by: Membership) -> AidRequest:
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
    from dualpower.aid.notify import notify_volunteers_closed

    notify_volunteers_closed(locked, [m.volunteer for m in live])
    return locked


@transaction.atomic
def request_cancel(*, request: AidRequest, by: Membership | None, reason: Any = "") -> AidRequest:
    reason = validation.text(reason, field="reason", label=_("Reason"), max_length=300)
    return _close(request, status=AidRequest.Status.CANCELLED, by=by, reason=reason)


@transaction.atomic
def request_refer(*, request: AidRequest, to: Any, by: Membership) -> AidRequest:
    to = validation.text(to, field="to", label=_("Referred to"), max_length=120, required=True)
    return _close(request, status=AidRequest.Status.REFERRED, by=by, referred_to=to)


@transaction.atomic
def request_close_fulfilled(*, request: AidRequest, by: Membership, reason: Any = "") -> AidRequest:
    """A dispatcher closes a request as met, also when only part of the quantity was delivered
    (the rest was found elsewhere, or is no longer needed)."""
    reason = validation.text(reason, field="reason", label=_("Note"), max_length=300)
    if request.quantity_delivered == 0 and not reason:
        raise InvalidInput(_("Nothing was delivered yet: say how the need was met."), field="reason")
    return _close(request, status=AidRequest.Status.FULFILLED, by=by, reason=reason)


# Offers live in offers.py; their verbs are part of this module's interface too.
from dualpower.aid.offers import offer_create, offer_set_status  # noqa: E402, F401
