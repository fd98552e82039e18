"""demo of the care app."""

from __future__ import annotations

import datetime as _dt
import datetime as dt

from django.utils import timezone
from django.utils import timezone as _tz

from dualpower.activities import services as _activities
from dualpower.activities.models import TrustRole as _TrustRole
from dualpower.activities.selectors import series_next as _series_next
from dualpower.activities.selectors import trust_roles as _trust_roles
from dualpower.care.models.clinics import ClinicWeek as _ClinicWeek
from dualpower.care.models.clinics import ScreeningCount as _ScreeningCount
from dualpower.care.models.clinics import WarmLineCall as _WarmLineCall
from dualpower.care.selectors import clinics as _clinic_reads
from dualpower.care.services import clinics as _clinics
from dualpower.care.services import clinics_directory as _directory
from dualpower.care.services import clinics_lines as _lines
from dualpower.demo import Demo
from dualpower.demo import Demo as _Demo
from dualpower.errors import DomainError as _DomainError
from dualpower.inventory import services as _inventory
from dualpower.members.models import Membership as _Membership

# A care circle for the demo member after surgery, with a help calendar (meals, a ride, a check-in
# call) and the coordinator in its pod; and one opened by the coordinator for someone without an
# account, known by a code. Built through the services, so notes and details are really sealed.


def load_circles(demo: Demo) -> None:
    from dualpower.care.models.circles import Helper
    from dualpower.care.services import circles as services

    person, coordinator = demo.member, demo.coordinator
    others = [m for m in demo.members if m.pk not in {person.pk, coordinator.pk}]
    circle = services.circle_open(
        community=demo.community,
        opened_by=person,
        person=person,
        kind="surgery",
        title="Meals and lifts while I recover from my knee operation",
    )
    pod = [services.helper_invite(circle=circle, by=person, membership=coordinator, sees=Helper.Sees.NOTES)]
    pod += [services.helper_invite(circle=circle, by=person, membership=m) for m in others[:2]]
    for helper in pod:
        services.helper_answer(helper=helper, accept=True)
    if len(others) > 2:
        services.helper_invite(circle=circle, by=person, membership=others[2])
    start = timezone.localtime().replace(hour=18, minute=30, second=0, microsecond=0) + dt.timedelta(days=1)
    plan = [
        ("meal", 0, "Dinner for two (vegetarian)", "Ground floor flat, ring twice; no mushrooms please"),
        ("ride", 1, "Lift to the physiotherapy appointment", "Pick-up 9:15 at home; crutches fit in a car"),
        ("meal", 2, "Dinner for two (vegetarian)", "Ground floor flat, ring twice"),
        ("call", 3, "Evening check-in call", "Call after 19:00 on the landline"),
        ("errand", 4, "Pharmacy pick-up", "Prescription is at the pharmacy on the square, under my name"),
        ("meal", 5, "Lunch for two", "Leave it by the door if nobody answers"),
    ]
    needs = [
        services.need_add(
            circle=circle,
            by=person,
            kind=kind,
            starts_at=start + dt.timedelta(days=day, hours=-9 if kind == "ride" else 0),
            label=label,
            details=details,
        )
        for kind, day, label, details in plan
    ]
    services.need_take(need=needs[0], helper=pod[0])
    if len(pod) > 1:
        services.need_take(need=needs[1], helper=pod[1])
    services.note_add(
        circle=circle,
        author=person,
        body="These first days are the hardest: please knock loudly, I may be asleep on the sofa.",
    )
    other = services.circle_open(
        community=demo.community,
        opened_by=coordinator,
        person_code="K7M-4QX",
        kind="grief",
        title="Visits and meals after a bereavement",
    )
    services.need_add(
        circle=other,
        by=coordinator,
        kind="visit",
        starts_at=start + dt.timedelta(days=2, hours=-2),
        label="An afternoon visit",
        details="Ask at the door for the family; they prefer Spanish",
    )
    # A circle that closed weeks ago and was erased: what the health group sees of it is counts.
    if len(others) > 3:
        from dualpower.care.services.circles_erase import circles_erase_expired

        old = services.circle_open(
            community=demo.community, opened_by=others[3], person=others[3], kind="birth", title="A new baby"
        )
        helper = services.helper_invite(circle=old, by=others[3], membership=others[0])
        services.helper_answer(helper=helper, accept=True)
        weeks_ago = start - dt.timedelta(days=50)
        meal = services.need_add(circle=old, by=others[3], kind="meal", starts_at=weeks_ago)
        services.need_take(need=meal, helper=helper)
        services.circle_close(circle=old, by=others[3], now=timezone.now() - dt.timedelta(days=40))
        circles_erase_expired(now=timezone.now())
    demo.say("Care circles: one for the demo member with a help calendar, one opened for a code.")


# A clinic day today with its stations, volunteers by credential and a queue; weeks of counts; a
# warm-line rota with calls logged; a crisis team with one call answered; supplies with expiry
# dates; a referral directory. (The inventory and activities demos run before this one.)


_CREDENTIALS = (
    ("Nurse", "A registered or retired nurse: triage and screenings at clinic days."),
    ("Medic", "Street medic or EMT training: crisis calls and first aid."),
    ("Interpreter", "Interprets at clinic days and on calls."),
    ("Peer supporter", "Trained peer supporter with lived experience: the warm line and crisis calls."),
)
_REFERRALS = (
    (
        "Eastfield Community Health Centre",
        "clinic",
        "Sliding scale; free without insurance",
        "English, Spanish",
        "Mon–Fri 8:00–18:00",
        "Step-free entrance; interpreters by phone",
        "Walk in, or call the front desk",
    ),
    (
        "Riverside Counselling Collective",
        "counselling",
        "Free",
        "English, Spanish, Korean",
        "Tue and Thu evenings",
        "Ground floor; quiet room",
        "Email the intake volunteer",
    ),
    (
        "Smile Bus dental van",
        "dental",
        "Free",
        "English, Spanish",
        "First Saturday of the month",
        "Wheelchair lift",
        "Parks at the Old Market on its day",
    ),
    (
        "Northbank Legal Aid",
        "legal",
        "Free",
        "English, Portuguese",
        "Wednesdays 10:00–14:00",
        "Second floor, lift",
        "Drop in",
    ),
    (
        "Harbour harm reduction",
        "substance",
        "Free, anonymous",
        "English, Spanish",
        "Every day 12:00–20:00",
        "Step-free",
        "Walk in",
    ),
)
_SUPPLIES = (
    # name, unit, low level, [(lot, days to expiry, quantity)]
    ("Rapid HIV tests", "tests", 10, [("HT-2291", 12, 8), ("HT-2407", 200, 40)]),
    ("Blood glucose strips", "strips", 50, [("GS-118", 90, 120)]),
    ("Paracetamol 500 mg", "packs", 20, [("PA-5530", 300, 60)]),
    ("First-aid kits", "kits", 5, [("FA-01", 400, 4)]),
)


def _credential_roles(demo: _Demo, people: list[_Membership]) -> dict[str, _TrustRole]:
    roles: dict[str, _TrustRole] = {}
    existing = {role.slug: role for role in _trust_roles(community=demo.community)}
    for name, description in _CREDENTIALS:
        slug = name.lower().replace(" ", "-")
        role = existing.get(slug) or _activities.trust_role_create(
            community=demo.community, name=name, description=description, threshold=1, by=demo.coordinator
        )
        roles[slug] = role
    # Two people hold each credential (vouched by the coordinator); the coordinator is a nurse.
    holders = {
        "nurse": [people[0], demo.coordinator],
        "medic": [people[1], people[2]],
        "interpreter": [people[3], people[4]],
        "peer-supporter": [people[5], people[6], demo.member],
    }
    for slug, who in holders.items():
        for person in who:
            voucher = demo.coordinator if person.pk != demo.coordinator.pk else people[7]
            try:
                _activities.vouch_give(role=roles[slug], voucher=voucher, vouchee=person)
            except _DomainError:
                continue
    return roles


def _sign_up(series: object, takers: dict[str, list[_Membership]], now: _dt.datetime) -> None:
    for activity in _series_next(series=series, now=now, limit=1):  # type: ignore[arg-type]
        for slot in activity.slots.all():
            for person in takers.get(slot.label, []):
                try:
                    _activities.slot_sign_up(slot=slot, membership=person, now=now)
                except _DomainError:
                    continue


def load_clinics(demo: _Demo) -> None:
    community, rosa = demo.community, demo.coordinator
    people = [
        m for m in demo.members if m.role == _Membership.Role.MEMBER and m.pk not in (rosa.pk, demo.member.pk)
    ][-10:]
    now = _tz.now()
    today = _tz.localdate(now)
    # Shifts running now were planned (and taken) a little earlier.
    earlier = now - _dt.timedelta(hours=2)
    if _tz.localdate(earlier) != today:  # shortly after midnight: today's shifts start at 00:00
        earlier = _tz.make_aware(_dt.datetime.combine(today, _dt.time(0, 0))) - _dt.timedelta(minutes=1)
    start = (_tz.localtime(earlier) + _dt.timedelta(minutes=1)).time().replace(second=0, microsecond=0)
    roles = _credential_roles(demo, people)
    names = {slug: role.name for slug, role in roles.items()}

    # A clinic day today: volunteers on shift from an hour ago, a queue moving through.
    day = _clinics.clinic_day_create(
        community=community,
        by=rosa,
        site="Hillcrest community centre",
        day=today,
        start_time=start,
        duration_minutes=360,
        shifts={"nurse": 2, "medic": 1, "interpreter": 1, "peer-supporter": 1},
        now=earlier,
    )
    _sign_up(
        day.series,
        {
            names["nurse"]: [people[0], rosa],
            names["medic"]: [people[1]],
            names["interpreter"]: [people[3]],
            names["peer-supporter"]: [people[5]],
        },
        earlier,
    )
    stations = _clinic_reads.stations_of(day=day)
    codes = [_clinics.queue_join(day=day, by=rosa).code for _n in range(7)]
    for code, steps in zip(codes, (4, 3, 2, 2, 1, 1, 0), strict=True):
        for station in stations[1 : steps + 1]:
            _clinics.queue_move(day=day, code=code, to=station, by=rosa)
    _clinics.queue_finish(day=day, code=codes[0], by=rosa)
    _clinics.screening_record(day=day, kind="blood_pressure", positive=True, by=rosa)
    _clinics.screening_record(day=day, kind="blood_pressure", positive=False, by=rosa)
    _clinics.screening_record(day=day, kind="blood_sugar", positive=False, by=rosa)
    # What earlier clinic days left: only counts, by week.
    this_week = _clinics.monday(today)
    for weeks_ago, seen, screened in (
        (1, 34, {"blood_pressure": (21, 6), "hiv": (9, 0), "blood_sugar": (14, 2)}),
        (2, 27, {"blood_pressure": (18, 4), "vision": (11, 3)}),
        (4, 41, {"blood_pressure": (25, 7), "hepatitis_c": (8, 1), "depression": (12, 3)}),
    ):
        week = this_week - _dt.timedelta(weeks=weeks_ago)
        _ClinicWeek.objects.create(community=community, week=week, people_seen=seen)
        for kind, (done, positives) in screened.items():
            _ScreeningCount.objects.create(
                community=community, week=week, kind=kind, done=done, positives=positives
            )

    # The warm line: every evening, one peer supporter per shift; a week of calls logged.
    warm = _activities.series_create(
        community=community,
        by=rosa,
        title="Warm line",
        description="Answer the peer warm line from home: a phone and a quiet room.",
        repeat="weekly",
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        starts_on=today,
        start_time=_dt.time(18, 0),
        duration_minutes=240,
        slots=[_activities.SlotSpec(names["peer-supporter"], 1, roles["peer-supporter"])],
    )
    _lines.rota_set(community=community, kind="warm_line", series=warm, by=rosa)
    _sign_up(warm, {names["peer-supporter"]: [people[6]]}, now)
    topics = (
        "loneliness",
        "anxiety",
        "low_mood",
        "loneliness",
        "relationships",
        "grief",
        "money_housing",
        "anxiety",
    )
    for n, topic in enumerate(topics):
        _lines.call_log(
            community=community,
            by=people[5],
            started_at=now - _dt.timedelta(days=n % 6, hours=2 + n % 3),
            duration_minutes=10 + 7 * n,
            topic=topic,
        )
    for weeks_ago in (1, 2, 3):
        for n, topic in enumerate(topics[: 4 + weeks_ago]):
            _WarmLineCall.objects.create(
                community=community,
                started_at=now - _dt.timedelta(weeks=weeks_ago, hours=n * 5),
                duration_minutes=15 + 4 * n,
                topic=topic,
            )

    # The crisis team on shift all day today: one call answered and closed, another on its way.
    crisis = _activities.series_create(
        community=community,
        by=rosa,
        title="Crisis team",
        description="A medic and a peer supporter on call together; never the police by default.",
        repeat="weekly",
        weekdays=[0, 1, 2, 3, 4, 5, 6],
        starts_on=today,
        start_time=start,
        duration_minutes=12 * 60,
        now=earlier,
        slots=[
            _activities.SlotSpec(names["medic"], 2, roles["medic"]),
            _activities.SlotSpec(names["peer-supporter"], 2, roles["peer-supporter"]),
        ],
    )
    _lines.rota_set(community=community, kind="crisis", series=crisis, by=rosa)
    _sign_up(
        crisis,
        {names["medic"]: [people[1], people[2]], names["peer-supporter"]: [people[5], people[6]]},
        earlier,
    )
    try:
        answered = _lines.crisis_dispatch(
            community=community, by=rosa, situation="distress", area="Los Pinos, by the bus depot"
        )
        _lines.crisis_arrive(call=answered, by=answered.medic)  # type: ignore[arg-type]
        _lines.crisis_close(call=answered, by=answered.medic, outcome="safety_plan")  # type: ignore[arg-type]
        _lines.crisis_dispatch(
            community=community, by=rosa, situation="welfare", area="Station Quarter, the library steps"
        )
    except _DomainError:
        pass  # the demo was loaded in the last minute of the day: no shift is running

    # Supplies kept by lot, one lot expiring soon.
    for name, unit, low, lots in _SUPPLIES:
        item = _inventory.item_create(
            community=community,
            by=rosa,
            name=name,
            unit=unit,
            low_threshold=low,
            location="Clinic cupboard",
            expiry_warning_days=30,
        )
        for code, days, quantity in lots:
            _inventory.stock_in(
                item=item,
                quantity=quantity,
                by=rosa,
                reason="Donation",
                lot=code,
                expires_on=today + _dt.timedelta(days=days),
            )

    for name, kind, cost, languages, hours, access, contact in _REFERRALS:
        _directory.referral_create(
            community=community,
            by=rosa,
            name=name,
            kind=kind,
            cost=cost,
            languages=languages,
            hours=hours,
            accessibility=access,
            contact=contact,
        )
    demo.say("Care: a clinic day with a queue, the warm line, the crisis team, supplies by lot, referrals.")
