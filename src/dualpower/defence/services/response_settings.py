"""Community defence's settings (area cells, retention, the working group, the rotas), the rotas
themselves (activities series whose places need trust roles), and each on-call person's profile
(areas they reach, their phone number sealed)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.activities import selectors as activities_selectors
from dualpower.activities import services as activities
from dualpower.activities.models import Series, TrustRole
from dualpower.clean import clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.defence.models.response import (
    LAWYER,
    LEGAL_OBSERVER,
    RESPONDER,
    VERIFIER,
    DefenceSettings,
    OnCallProfile,
)
from dualpower.defence.selectors import response as selectors
from dualpower.defence.services.response_sealing import seal_text
from dualpower.errors import InvalidInput, NotFound
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership

MAX_AREAS = 60
MAX_RETENTION_HOURS = 24 * 365
# The roles the rotas need, by slug, with the name the trust role is created with.
ROLE_NAMES = {
    VERIFIER: "Verifier",
    RESPONDER: "Responder",
    LEGAL_OBSERVER: "Legal observer",
    LAWYER: "Lawyer",
}


def settings_for(community: Community) -> DefenceSettings:
    found, _made = DefenceSettings.objects.get_or_create(community=community)
    return found


def clean_areas(value: object, *, field: str = "areas") -> list[str]:
    """Area cells from a list or one text (one per line or comma-separated), each a short name."""
    items = value.replace("\n", ",").split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InvalidInput(_("Give the areas as a list of short names."), field=field)
    out: list[str] = []
    for item in items:
        name = clean_text(item, field=field, label=_("An area's name"), limit=60)
        if name and name not in out:
            if any(ch.isdigit() for ch in name) and len(name) > 12:
                raise InvalidInput(
                    _("“%(name)s” looks like an address: name neighbourhood cells, never addresses.")
                    % {"name": name},
                    field=field,
                )
            out.append(name)
    if len(out) > MAX_AREAS:
        raise InvalidInput(_("At most %(n)d areas.") % {"n": MAX_AREAS}, field=field)
    return out


@transaction.atomic
def defence_settings_update(
    *,
    community: Community,
    by: Membership | None,
    areas: list[str] | str | None = None,
    retention_hours: int | str | None = None,
    group: WorkingGroup | str | None = "",
    decision_ref: str = "",
) -> DefenceSettings:
    """Change the area cells, the retention (hours a closed incident is kept before it becomes a
    count: the assembly's decision) or the working group. ``group=""`` leaves the group alone."""
    current = settings_for(community)
    changed: dict[str, Any] = {}
    if areas is not None:
        changed["areas"] = clean_areas(areas)
    if retention_hours is not None:
        changed["retention_hours"] = clean_int(
            retention_hours,
            field="retention_hours",
            label=_("The retention in hours"),
            low=0,
            high=MAX_RETENTION_HOURS,
        )
    if group != "":
        if group is not None and (not isinstance(group, WorkingGroup) or group.community_id != community.pk):
            raise InvalidInput(_("Choose one of this community's working groups."), field="group")
        changed["group"] = group
    for key, value in changed.items():
        setattr(current, key, value)
    if changed:
        current.save(update_fields=list(changed))
        audit_record(
            community=community,
            actor=by,
            action="defence.settings",
            target=current,
            data={k: v for k, v in changed.items() if k != "group"},
            decision_ref=decision_ref,
        )
    return current


def role_for(*, community: Community, slug: str, by: Membership | None) -> TrustRole:
    """The community's trust role ``slug`` (verifier, responder, legal observer, lawyer), made with
    its usual name if it does not exist yet."""
    try:
        return activities_selectors.trust_role_get(community=community, slug=slug)
    except NotFound:
        return activities.trust_role_create(community=community, name=ROLE_NAMES[slug], by=by, threshold=2)


@transaction.atomic
def rota_start(
    *,
    community: Community,
    by: Membership,
    which: str,
    places: int = 2,
    starts_on: dt.date | None = None,
    now: dt.datetime | None = None,
    title: str = "",
    description: str = "",
) -> Series:
    """Start the verifiers' or the responders' rota: a daily 24-hour shift (activities) whose places
    need the trust roles; its organisers are the rota's coordinators (they see phone numbers).
    ``title`` and ``description`` name it as the group calls it (by default, in the language of
    whoever starts it: an activity's title is the organisers' words from then on)."""
    now = now or timezone.now()
    if which not in ("verifier", "responder"):
        raise InvalidInput(_("Choose the verifiers' or the responders' rota."), field="which")
    places = clean_int(places, field="places", label=_("Places per shift"), low=1, high=20)
    if which == "verifier":
        title = title or _("Verifiers on call")
        slots = [
            activities.SlotSpec(_("Verifier"), places, role_for(community=community, slug=VERIFIER, by=by))
        ]
    else:
        title = title or _("Responders on call")
        slots = [
            activities.SlotSpec(_("Responder"), places, role_for(community=community, slug=RESPONDER, by=by)),
            activities.SlotSpec(
                _("Legal observer"), 1, role_for(community=community, slug=LEGAL_OBSERVER, by=by)
            ),
            activities.SlotSpec(_("Lawyer"), 1, role_for(community=community, slug=LAWYER, by=by)),
        ]
    settings = settings_for(community)
    series = activities.series_create(
        community=community,
        by=by,
        title=title,
        description=description or _("Community defence rota: hold a place to be on call for the whole day."),
        group=settings.group,
        repeat=Series.Repeat.WEEKLY,
        weekdays=list(range(7)),
        starts_on=starts_on or activities.local_today(now),
        start_time=dt.time(0, 0),
        duration_minutes=24 * 60,
        weeks_ahead=2,
        slots=slots,
        now=now,
    )
    setattr(settings, f"{which}_rota", series)
    settings.save(update_fields=[f"{which}_rota"])
    audit_record(community=community, actor=by, action=f"defence.rota.{which}", target=series, summary=title)
    return series


@transaction.atomic
def on_call_profile_set(*, membership: Membership, areas: list[str] | str, phone: str = "") -> OnCallProfile:
    """Say which area cells you can reach when on call, and the phone number the rota's coordinators
    may call you on (sealed; nobody else sees it)."""
    allowed = selectors.areas_of(community=membership.community)
    chosen = clean_areas(areas)
    unknown = [a for a in chosen if a not in allowed]
    if unknown:
        raise InvalidInput(
            _("Unknown areas: %(names)s. Choose from the community's list.") % {"names": ", ".join(unknown)},
            field="areas",
        )
    phone = clean_text(phone, field="phone", label=_("Phone number"), limit=40)
    if phone and not all(ch.isdigit() or ch in "+ -()." for ch in phone):
        raise InvalidInput(_("A phone number has digits, spaces and + ( ) - only."), field="phone")
    profile, _made = OnCallProfile.objects.update_or_create(
        community=membership.community,
        membership=membership,
        defaults={"areas": chosen, "phone_sealed": seal_text(phone)},
    )
    return profile
