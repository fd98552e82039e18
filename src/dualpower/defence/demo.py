"""demo of the defence app."""

from __future__ import annotations

import datetime as _dt

from django.utils import timezone as _timezone

from dualpower.demo import Demo as _Demo


def load_response(demo: _Demo) -> None:
    """Verifiers' and responders' rotas (the coordinator verifies today, the demo member responds in
    North), two closed incidents already reduced to counts and a false alarm, an open eviction case
    with a vigil before its hearing, a closed one with outcomes, and know-your-rights pages."""
    from dualpower.activities import selectors as activities_selectors
    from dualpower.activities import services as activities
    from dualpower.defence.models.response import LAWYER, LEGAL_OBSERVER, RESPONDER, VERIFIER
    from dualpower.defence.services import response_cases as cases
    from dualpower.defence.services import response_incidents as incidents
    from dualpower.defence.services import response_settings as settings_services
    from dualpower.groups.selectors import groups_of
    from dualpower.members.models import Membership

    community, rosa, member = demo.community, demo.coordinator, demo.member
    now = _timezone.now()
    group = groups_of(community=community).filter(slug__in=["defence", "housing", "tenants"]).first()
    settings_services.defence_settings_update(
        community=community,
        by=rosa,
        areas=["North", "Old Market", "Riverside", "Hillcrest", "Station"],
        group=group,
    )
    people = [
        m for m in demo.members if m.role != Membership.Role.OBSERVER and m.pk not in (rosa.pk, member.pk)
    ]
    roles = {
        slug: settings_services.role_for(community=community, slug=slug, by=rosa)
        for slug in settings_services.ROLE_NAMES
    }

    def grant(slug: str, who: Membership) -> None:
        for voucher in [p for p in (rosa, *people) if p.pk != who.pk][:2]:
            activities.vouch_give(role=roles[slug], voucher=voucher, vouchee=who)

    grant(VERIFIER, rosa)
    grant(VERIFIER, people[0])
    grant(RESPONDER, member)
    grant(RESPONDER, people[1])
    grant(RESPONDER, people[2])
    grant(LEGAL_OBSERVER, people[3])
    grant(LAWYER, people[4])
    # Started a minute before midnight, as if planned yesterday: today's shift exists and has people.
    planned = _timezone.make_aware(_dt.datetime.combine(activities.local_today(now), _dt.time(0, 0)))
    planned -= _dt.timedelta(minutes=1)
    # Named as the group calls them (an organiser's own words, like any activity's title).
    verifiers = settings_services.rota_start(
        community=community,
        by=rosa,
        which="verifier",
        now=planned,
        title="Hotline verifiers",
        description="Take a day: you check each report (a photo, a call back) before anyone is alerted.",
    )
    responders = settings_services.rota_start(
        community=community,
        by=rosa,
        which="responder",
        places=4,
        now=planned,
        title="Rapid response team",
        description="Take a day: if a verified alert comes from your area, go and record. Never confront.",
    )
    today = {
        s.pk: next(
            (a for a in activities_selectors.series_next(series=s, now=now, limit=1) if a.starts_at <= now),
            None,
        )
        for s in (verifiers, responders)
    }

    def shift(series_pk: int, who: Membership, label: str) -> None:
        activity = today[series_pk]
        if activity is not None:
            activities.slot_sign_up(
                slot=activity.slots.get(label=label),
                membership=who,
                now=activity.starts_at - _dt.timedelta(minutes=1),
            )

    shift(verifiers.pk, rosa, "Verifier")
    shift(responders.pk, member, "Responder")
    shift(responders.pk, people[1], "Responder")
    shift(responders.pk, people[3], "Legal observer")
    settings_services.on_call_profile_set(
        membership=member, areas=["North", "Old Market"], phone="+34 600 100 200"
    )
    settings_services.on_call_profile_set(
        membership=people[1], areas=["Riverside", "Station"], phone="+34 600 300 400"
    )
    settings_services.on_call_profile_set(membership=people[3], areas=["North", "Old Market", "Riverside"])
    settings_services.on_call_profile_set(membership=rosa, areas=[], phone="+34 600 500 600")
    if today[verifiers.pk] is not None:
        # Two incidents handled and forgotten (only their counts are left), and a false alarm.
        for kind, area, needs in (("raid", "North", ["childcare", "legal"]), ("police_stop", "Station", [])):
            made = incidents.incident_report(
                community=community,
                by=people[2],
                kind=kind,
                area=area,
                seen="(demo) vans at the corner",
                now=now,
            )
            incidents.incident_verify(incident=made, by=rosa, now=now)
            incidents.incident_close(incident=made, by=rosa, now=now)
            incidents.incident_follow_up(incident=made, by=rosa, household="HH-31", needs=needs, now=now)
            incidents.incident_reduce(incident=made)
        alarm = incidents.incident_report(
            community=community, by=people[2], kind="raid", area="Hillcrest", now=now
        )
        closed = incidents.incident_false_alarm(incident=alarm, by=rosa, now=now)
        incidents.incident_reduce(incident=closed)
    # Eviction defence: an open case with a hearing next week and its vigil; a case that ended.
    open_case = cases.case_open(
        community=community,
        by=rosa,
        household="HH-204",
        landlord="Crestline Properties",
        case_worker=people[5],
    )
    hearing = _timezone.localtime(now + _dt.timedelta(days=6)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )
    cases.court_date_add(case=open_case, by=rosa, at=hearing, place="County housing court, room 3", now=now)
    done = cases.case_open(community=community, by=rosa, household="HH-118", landlord="Crestline Properties")
    past = cases.court_date_add(case=done, by=rosa, at=now - _dt.timedelta(days=40), now=now)
    cases.court_outcome_set(court_date=past, by=rosa, outcome="postponed", now=now - _dt.timedelta(days=40))
    later = cases.court_date_add(case=done, by=rosa, at=now - _dt.timedelta(days=9), now=now)
    cases.court_outcome_set(court_date=later, by=rosa, outcome="won", now=now - _dt.timedelta(days=9))
    cases.case_close(case=done, by=rosa, status="stayed", now=now - _dt.timedelta(days=9))
    # Know your rights, written by the working group and translated.
    for language, title, body in (
        ("en", "If immigration agents come to your door", _RIGHTS_DOOR_EN),
        ("es", "Si agentes de inmigración llegan a tu puerta", _RIGHTS_DOOR_ES),
        ("en", "At an eviction", _RIGHTS_EVICTION_EN),
    ):
        slug = "at-your-door" if "door" in title or "puerta" in title else "at-an-eviction"
        cases.rights_page_save(
            community=community, by=rosa, title=title, body=body, language=language, slug=slug
        )


_RIGHTS_DOOR_EN = "\n\n".join(
    (
        "Do not open the door. Ask them to show a warrant through the window or under the door.",
        "An administrative warrant (form I-205) does not let them enter your home. "
        "Only a warrant signed by a judge does.",
        "You have the right to remain silent. "
        'Say: "I wish to remain silent and I want to speak to a lawyer."',
        "Call the hotline. A verifier will check, and observers will come.",
    )
)
_RIGHTS_DOOR_ES = "\n\n".join(
    (
        "No abras la puerta. Pide que te muestren una orden por la ventana o por debajo de la puerta.",
        "Una orden administrativa (formulario I-205) no les permite entrar en tu casa. "
        "Solo una orden firmada por un juez.",
        "Tienes derecho a guardar silencio. Di: «Quiero guardar silencio y quiero hablar con un abogado».",
        "Llama a la línea de emergencia. Alguien lo verificará y vendrán observadores.",
    )
)
_RIGHTS_EVICTION_EN = "\n\n".join(
    (
        "Only a court officer can carry out an eviction, and only with a court order. "
        "Your landlord cannot change the locks or remove your things.",
        "Ask to see the order. Write down names and badge numbers.",
        "Call the hotline: the tenants' union sends people to stand with you. "
        "We observe, we record, we never confront.",
    )
)
