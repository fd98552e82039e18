"""Build the clinics' world for tests, through the services: credentials (trust roles) held by
volunteers, a clinic day running now with its shift, the crisis team on shift, one crisis call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from dualpower.activities import services as activities
from dualpower.activities.models import Series, TrustRole
from dualpower.activities.selectors import series_next
from dualpower.care.models.clinics import ClinicDay, CrisisCall, Referral
from dualpower.care.selectors.circles import care_settings
from dualpower.care.services import clinics as clinic_services
from dualpower.care.services import clinics_directory as directory_services
from dualpower.care.services import clinics_lines as line_services
from dualpower.community.models import Community
from dualpower.groups.tests.factories import put_in_group
from dualpower.members.models import Membership
from dualpower.members.tests.factories import MembershipFactory, membership_of

# The roles of the clinics beside the shared ROLES.
CLINIC_ROLES = (
    "volunteer",  # a nurse on the clinic day's shift now
    "credentialed",  # a nurse, not on this day's shift
    "peer",  # a peer supporter (the warm line)
    "health_coordinator",  # convener of the health working group
    "dispatcher",  # an aid dispatcher
    "medic",  # on the crisis team's shift, sent to the call
    "crisis_peer",  # the peer supporter sent with the medic
)


@dataclass
class ClinicWorld:
    community: Community
    day: ClinicDay
    call: CrisisCall
    referral: Referral
    roles: dict[str, TrustRole]
    crisis: Series
    users: dict[str, Any]


def earlier_now() -> tuple[dt.datetime, dt.datetime]:
    """(now, an hour before): shifts running now are planned and taken an hour before."""
    now = timezone.now()
    return now, now - dt.timedelta(hours=1)


def shift_start(earlier: dt.datetime) -> tuple[dt.date, dt.time]:
    local = timezone.localtime(earlier) + dt.timedelta(minutes=1)
    return local.date(), local.time().replace(second=0, microsecond=0)


def on_the_day(world: ClinicWorld) -> dt.datetime:
    """Noon on the world's clinic day: the day is planned for the hour before the world was made,
    so between midnight and one o'clock it is yesterday's, and "now" would find it past."""
    return timezone.make_aware(dt.datetime.combine(world.day.day, dt.time(12)))


def credential(community: Community, name: str, by: Membership) -> TrustRole:
    return activities.trust_role_create(community=community, name=name, by=by, threshold=1)


def grant(role: TrustRole, membership: Membership, by: Membership) -> None:
    activities.vouch_give(role=role, voucher=by, vouchee=membership)


def sign_up(series: Series, membership: Membership, label: str, at: dt.datetime) -> None:
    activity = series_next(series=series, now=at, limit=1)[0]
    slot = next(s for s in activity.slots.all() if s.label == label)
    activities.slot_sign_up(slot=slot, membership=membership, now=at)


def crisis_team(
    community: Community, by: Membership, roles: dict[str, TrustRole], earlier: dt.datetime
) -> Series:
    day, start = shift_start(earlier)
    series = activities.series_create(
        community=community,
        by=by,
        title="Crisis team",
        starts_on=day,
        start_time=start,
        duration_minutes=360,
        slots=[
            activities.SlotSpec("Medic", 2, roles["medic"]),
            activities.SlotSpec("Peer supporter", 2, roles["peer-supporter"]),
        ],
        now=earlier,
    )
    line_services.rota_set(community=community, kind="crisis", series=series, by=by)
    return series


def make_clinic_world(community: Community, people: dict[str, Any]) -> ClinicWorld:
    coordinator = membership_of(people["coordinator"], community)
    users = dict(people)

    def add(role: str, name: str) -> Membership:
        membership = MembershipFactory.create(
            community=community, display_name=name, role=Membership.Role.MEMBER
        )
        users[role] = membership.user
        return membership

    volunteer, credentialed, peer = add("volunteer", "Nadia"), add("credentialed", "Noor"), add("peer", "Pat")
    health, dispatcher = add("health_coordinator", "Hugo"), add("dispatcher", "Dina")
    medic, crisis_peer = add("medic", "Mo"), add("crisis_peer", "Perla")
    group = care_settings(community=community).health_group
    assert group is not None  # the starter health group
    put_in_group(group, health, convener=True)
    from dualpower.aid.services import dispatcher_grant

    dispatcher_grant(community=community, membership=dispatcher, by=None)
    roles = {
        "nurse": credential(community, "Nurse", coordinator),
        "medic": credential(community, "Medic", coordinator),
        "peer-supporter": credential(community, "Peer supporter", coordinator),
    }
    for role, who in (
        ("nurse", [volunteer, credentialed]),
        ("medic", [medic]),
        ("peer-supporter", [peer, crisis_peer]),
    ):
        for person in who:
            grant(roles[role], person, coordinator)
    _now, earlier = earlier_now()
    day_date, start = shift_start(earlier)
    day = clinic_services.clinic_day_create(
        community=community,
        by=coordinator,
        site="Hillcrest community centre",
        day=day_date,
        start_time=start,
        shifts={"nurse": 2},
        now=earlier,
    )
    assert day.series is not None
    sign_up(day.series, volunteer, "Nurse", earlier)
    crisis = crisis_team(community, coordinator, roles, earlier)
    sign_up(crisis, medic, "Medic", earlier)
    sign_up(crisis, crisis_peer, "Peer supporter", earlier)
    call = line_services.crisis_dispatch(
        community=community, by=coordinator, situation="distress", area="Los Pinos"
    )
    referral = directory_services.referral_create(
        community=community, by=coordinator, name="Eastfield Health Centre", kind="clinic", cost="Free"
    )
    return ClinicWorld(
        community=community, day=day, call=call, referral=referral, roles=roles, crisis=crisis, users=users
    )
