"""Build the rapid response world for tests: area cells, trust roles, today's verifier and responder
shifts with people on them, on-call profiles; and incidents at each step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dualpower.activities import services as activities
from dualpower.activities.models import Activity, Series, TrustRole
from dualpower.community.models import Community
from dualpower.defence.models.response import LAWYER, LEGAL_OBSERVER, RESPONDER, VERIFIER, Incident
from dualpower.defence.services import response_incidents as incidents
from dualpower.defence.services import response_settings as settings_services
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of

AREAS = ["North", "Old Market", "Riverside"]
SECRET_SEEN = "Two unmarked vans outside the laundrette"


@dataclass
class DefenceWorld:
    community: Community
    coordinator: Membership
    member: Membership  # reports
    verifier: Membership  # on shift now
    responder: Membership  # on shift now, reaches North
    far_responder: Membership  # on shift now, reaches Riverside only
    off_responder: Membership  # holds the role, reaches North, not on shift
    observer_lawyer: Membership  # legal observer on shift, reaches North
    verifier_rota: Series
    responder_rota: Series
    users: dict[str, Any]


def _today(series: Series, now: dt.datetime) -> Activity:
    found = Activity.objects.filter(series=series, starts_at__lte=now, ends_at__gt=now).first()
    assert found is not None, "the rota has no shift running now"
    return found


def take_shift(series: Series, membership: Membership, label: str, now: dt.datetime | None = None) -> None:
    shift = _today(series, now or timezone.now())
    activities.slot_sign_up(
        slot=shift.slots.get(label=label),
        membership=membership,
        now=shift.starts_at - dt.timedelta(minutes=1),
    )


def grant(role: TrustRole, membership: Membership, by: Membership) -> None:
    activities.vouch_give(role=role, voucher=by, vouchee=membership)


def before_today() -> dt.datetime:
    """A minute before today's local midnight: a rota started then has today's shift (made ahead,
    as the clock does), and people can still take places in it."""
    midnight = timezone.make_aware(dt.datetime.combine(activities.local_today(), dt.time(0, 0)))
    return midnight - dt.timedelta(minutes=1)


def make_world(community: Community, people: dict[str, Any]) -> DefenceWorld:
    coordinator = membership_of(people["coordinator"], community)
    member = membership_of(people["member"], community)
    settings_services.defence_settings_update(community=community, by=coordinator, areas=AREAS)
    roles = {
        slug: activities.trust_role_create(community=community, name=name, by=coordinator, threshold=1)
        for slug, name in settings_services.ROLE_NAMES.items()
    }
    assert {r.slug for r in roles.values()} == {VERIFIER, RESPONDER, LEGAL_OBSERVER, LAWYER}
    verifier = make_membership(community, name="Vera")
    responder = make_membership(community, name="Rafa")
    far = make_membership(community, name="Fern")
    off = make_membership(community, name="Otis")
    lawyer = make_membership(community, name="Lola")
    grant(roles[VERIFIER], verifier, coordinator)
    for person in (responder, far, off):
        grant(roles[RESPONDER], person, coordinator)
    grant(roles[LEGAL_OBSERVER], lawyer, coordinator)
    now = before_today()
    verifier_rota = settings_services.rota_start(
        community=community, by=coordinator, which="verifier", places=3, now=now
    )
    responder_rota = settings_services.rota_start(
        community=community, by=coordinator, which="responder", places=4, now=now
    )
    take_shift(verifier_rota, verifier, "Verifier")
    take_shift(responder_rota, responder, "Responder")
    take_shift(responder_rota, far, "Responder")
    take_shift(responder_rota, lawyer, "Legal observer")
    settings_services.on_call_profile_set(membership=responder, areas=["North"], phone="+34 600 111 222")
    settings_services.on_call_profile_set(membership=far, areas=["Riverside"], phone="+34 600 333 444")
    settings_services.on_call_profile_set(membership=off, areas=["North"], phone="+34 600 555 666")
    settings_services.on_call_profile_set(membership=lawyer, areas=["North", "Old Market"])
    users = dict(people)
    users.update(verifier=verifier.user, responder=responder.user, far_responder=far.user)
    return DefenceWorld(
        community=community,
        coordinator=coordinator,
        member=member,
        verifier=verifier,
        responder=responder,
        far_responder=far,
        off_responder=off,
        observer_lawyer=lawyer,
        verifier_rota=verifier_rota,
        responder_rota=responder_rota,
        users=users,
    )


def report(world: DefenceWorld, **kw: Any) -> Incident:
    kw.setdefault("kind", Incident.Kind.RAID)
    kw.setdefault("area", "North")
    kw.setdefault("seen", SECRET_SEEN)
    return incidents.incident_report(community=world.community, by=world.member, **kw)


def verified(world: DefenceWorld, **kw: Any) -> Incident:
    return incidents.incident_verify(incident=report(world, **kw), by=world.verifier)
