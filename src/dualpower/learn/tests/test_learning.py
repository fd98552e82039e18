"""Learning together, as facilitators would state its rules."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from dualpower.activities import services as activities
from dualpower.activities.models import RoleGrant
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.groups.models import WorkingGroup
from dualpower.groups.tests.factories import food, put_in_group
from dualpower.learn import selectors
from dualpower.learn.models import Completion, Enrolment, Session
from dualpower.learn.services import learning
from dualpower.learn.tests.factories import coordinator_of, make_offering
from dualpower.members.tests.factories import make_membership
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _role_kept_by_defence(community: Any, threshold: int = 2) -> tuple[Any, Any]:
    role = activities.trust_role_create(
        community=community, name="Legal observer", by=None, threshold=threshold
    )
    defence = WorkingGroup.objects.get(community=community, slug="community-defence")
    learning.role_keeper_set(role=role, group=defence, by=coordinator_of(community))
    convener = make_membership(community, name="Cleo the convener")
    put_in_group(defence, convener, convener=True)
    return role, convener


def test_completing_a_training_proposes_the_role_and_the_vouches_still_decide(community: Any) -> None:
    role, convener = _role_kept_by_defence(community)
    holders = [make_membership(community, name=n) for n in ("Hana", "Ivo")]
    for vouchee, voucher in ((holders[0], holders[1]), (holders[1], holders[0])):
        activities.vouch_give(role=role, voucher=voucher, vouchee=vouchee)
        activities.vouch_give(role=role, voucher=convener, vouchee=vouchee)
    training = make_offering(community, by=convener)
    learning.role_link_set(offering=training, role=role, by=convener)
    trainee = make_membership(community, name="Tam")
    learning.enrol(offering=training, membership=trainee)
    completion = learning.completion_record(offering=training, membership=trainee, by=convener)
    # Nobody hears of it until the person asks for vouches.
    assert not Notification.objects.filter(kind="learn.vouch_asked").exists()
    assert selectors.vouch_requests(membership=holders[0]) == []
    learning.completion_choose(completion=completion, shown_to_members=False, asks_vouches=True)

    # Asked, not granted: the holders are asked for vouches, and the vouching rules decide.
    asked = set(Notification.objects.filter(kind="learn.vouch_asked").values_list("user_id", flat=True))
    assert {h.user_id for h in holders} <= asked
    assert trainee.user_id not in asked
    assert not RoleGrant.objects.filter(role=role, membership=trainee).exists()
    assert [a.completion.membership_id for a in selectors.vouch_requests(membership=holders[0])] == [
        trainee.pk
    ]
    activities.vouch_give(role=role, voucher=holders[0], vouchee=trainee)
    assert not RoleGrant.objects.filter(role=role, membership=trainee).exists()
    activities.vouch_give(role=role, voucher=holders[1], vouchee=trainee)
    assert RoleGrant.objects.filter(role=role, membership=trainee).exists()
    assert selectors.vouch_requests(membership=holders[0]) == []


def test_only_conveners_of_the_group_keeping_the_role_link_a_training_to_it(community: Any) -> None:
    role, convener = _role_kept_by_defence(community)
    training = make_offering(community)
    food_convener = make_membership(community)
    put_in_group(food(community), food_convener, convener=True)
    with pytest.raises(PermissionDenied, match="keeps"):
        learning.role_link_set(offering=training, role=role, by=food_convener)
    with pytest.raises(PermissionDenied):
        learning.role_link_set(offering=training, role=role, by=coordinator_of(community))
    assert learning.role_link_set(offering=training, role=role, by=convener).role_id == role.pk


def test_a_person_asked_not_to_be_proposed_is_not(community: Any) -> None:
    role, convener = _role_kept_by_defence(community, threshold=1)
    training = make_offering(community, by=convener)
    learning.role_link_set(offering=training, role=role, by=convener)
    trainee = make_membership(community)
    learning.enrol(offering=training, membership=trainee)
    completion = learning.completion_record(offering=training, membership=trainee, by=convener)
    learning.completion_choose(completion=completion, shown_to_members=False, asks_vouches=True)
    assert len(selectors.vouch_requests(membership=convener)) == 1
    learning.completion_choose(completion=completion, shown_to_members=False, asks_vouches=False)
    assert selectors.vouch_requests(membership=convener) == []


def test_completions_are_shown_only_where_the_person_chose(community: Any) -> None:
    training = make_offering(community)
    people = [make_membership(community) for _ in range(2)]
    for person in people:
        learning.enrol(offering=training, membership=person)
    facilitator = selectors.facilitators_of(offering=training)[0]
    shown = learning.completion_record(offering=training, membership=people[0], by=facilitator)
    learning.completion_record(offering=training, membership=people[1], by=facilitator)
    assert selectors.completions_shown(offering=training) == []
    learning.completion_choose(completion=shown, shown_to_members=True, asks_vouches=True)
    assert [c.membership_id for c in selectors.completions_shown(offering=training)] == [people[0].pk]


def test_the_waitlist_moves_up_when_a_place_frees(community: Any) -> None:
    circle = make_offering(community, kind="study_circle", title="Reading Freire", capacity=1)
    first, second = make_membership(community), make_membership(community)
    assert learning.enrol(offering=circle, membership=first).status == "joined"
    assert learning.enrol(offering=circle, membership=second).status == "waiting"
    with pytest.raises(Conflict):
        learning.enrol(offering=circle, membership=second)
    learning.enrol_leave(offering=circle, membership=first)
    assert Enrolment.objects.get(membership=second).status == "joined"
    assert Notification.objects.filter(user=second.user, kind="learn.place_freed").exists()


def test_only_a_training_is_completed_and_only_by_those_taking_part(community: Any) -> None:
    share = make_offering(community, kind="skill_share", title="Fix your bike", sessions=1)
    facilitator = selectors.facilitators_of(offering=share)[0]
    with pytest.raises(Conflict):
        learning.completion_record(offering=share, membership=make_membership(community), by=facilitator)
    training = make_offering(community)
    with pytest.raises(InvalidInput):
        learning.completion_record(
            offering=training,
            membership=make_membership(community),
            by=selectors.facilitators_of(offering=training)[0],
        )
    assert not Completion.objects.exists()
    with pytest.raises(Conflict, match="one session"):
        learning.session_add(offering=share, by=facilitator, title="Again", starts_at=timezone.now())


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"kind": "lecture"}, "kind", ""),
        ({"reciprocity": "hours"}, "minutes", "hours"),
        ({"reciprocity": "ask"}, "asks", "asks"),
        ({"capacity": 0}, "capacity", "from 1 to 500"),
        ({"language": "xx"}, "language", ""),
    ],
)
def test_bad_offerings_are_refused_with_a_sentence(
    community: Any, changes: dict[str, Any], field: str, words: str
) -> None:
    text = {"kind": "skill_share", "title": "Knots", **changes}
    with pytest.raises(InvalidInput, match=words or None) as refused:
        learning.offering_create(
            community=community, by=make_membership(community), text=learning.OfferingText(**text)
        )
    assert refused.value.field == field


@pytest.mark.parametrize("when", ["2027-02-31T18:00:00+00:00", "next tuesday", "2027-03-01T18:00:00"])
def test_bad_session_dates_are_refused_with_a_sentence(community: Any, when: str) -> None:
    training = make_offering(community, sessions=0)
    with pytest.raises(InvalidInput) as refused:
        learning.session_add(
            offering=training, by=selectors.facilitators_of(offering=training)[0], title="One", starts_at=when
        )
    assert refused.value.field == "starts_at"
    assert not Session.objects.filter(offering=training).exists()


def test_attendance_is_marked_only_for_people_taking_part(community: Any) -> None:
    training = make_offering(community, sessions=1)
    session = training.sessions.get()
    facilitator = selectors.facilitators_of(offering=training)[0]
    person = make_membership(community)
    with pytest.raises(InvalidInput):
        learning.attendance_set(session=session, membership=person, present=True, by=facilitator)
    learning.enrol(offering=training, membership=person)
    learning.attendance_set(session=session, membership=person, present=True, by=facilitator)
    assert selectors.my_attendance(offering=training, membership=person) == {session.pk}
    assert selectors.attendance_of(offering=training) == {(session.pk, person.pk)}


def test_readings_are_links_or_pdfs(community: Any) -> None:
    training = make_offering(community, sessions=1)
    session = training.sessions.get()
    by = selectors.facilitators_of(offering=training)[0]
    with pytest.raises(InvalidInput, match="https"):
        learning.reading_add(session=session, by=by, title="Zine", url="javascript:alert(1)")
    with pytest.raises(InvalidInput, match="link or a file"):
        learning.reading_add(session=session, by=by, title="Zine")
    assert learning.reading_add(session=session, by=by, title="Zine", url="https://example.org/zine").pk
