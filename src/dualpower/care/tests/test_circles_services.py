"""Care circles as the people in them live them: opening, the pod, the calendar, sealed notes,
handing over, closing, erasure after the retention, and drawing on the community."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dualpower.aid.models import AidRequest
from dualpower.care.models.circles import Circle, CircleTally, Helper, Need, Note
from dualpower.care.selectors import circles as selectors
from dualpower.care.services import circles as services
from dualpower.care.services import circles_community as drawing
from dualpower.care.services.circles_erase import circles_erase_expired
from dualpower.care.services.circles_settings import care_settings_update
from dualpower.care.tests.factories_circles import (
    SECRET_DETAILS,
    SECRET_NOTE,
    CircleWorld,
    make_world,
    member,
)
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput
from dualpower.inventory import services as inventory
from dualpower.ledger import services as ledger
from dualpower.ledger.models import Currency

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle_world(community: Any, people: dict[str, Any], settings: Any) -> CircleWorld:
    return make_world(community, people, settings)


def test_a_circle_is_for_a_member_or_for_a_code_never_neither(community: object) -> None:
    opener = member(community, "Dina")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as neither:
        services.circle_open(community=opener.community, opened_by=opener, kind="grief", title="Visits")
    assert neither.value.field == "person_code"
    with pytest.raises(InvalidInput):
        services.circle_open(
            community=opener.community,
            opened_by=opener,
            person=opener,
            person_code="K7M",
            kind="grief",
            title="V",
        )
    with pytest.raises(InvalidInput) as kind:
        services.circle_open(community=opener.community, opened_by=opener, person=opener, kind="x", title="V")
    assert kind.value.field == "kind"
    assert not Circle.objects.exists()
    by_code = services.circle_open(
        community=opener.community, opened_by=opener, person_code="k7m-4qx", kind="grief", title="Visits"
    )
    assert (by_code.person_id, by_code.person_code, by_code.keeper_id) == (None, "K7M-4QX", opener.pk)


def test_the_audit_log_names_the_circle_by_number_only_and_no_one_in_it(circle_world: CircleWorld) -> None:
    entries = AuditEntry.objects.filter(action__startswith="care.circle.")
    assert entries.count() > 5
    for entry in entries:
        assert entry.actor_id is None  # who acts in a circle would say who is in it
        assert circle_world.circle.title not in entry.summary
        assert entry.summary in {str(circle_world.circle.pk), str(circle_world.other_circle.pk)}


def test_a_person_invites_helpers_who_accept_or_decline(circle_world: CircleWorld) -> None:
    world = circle_world
    with pytest.raises(Conflict):
        services.helper_invite(circle=world.circle, by=world.person, membership=world.helper.membership)
    with pytest.raises(InvalidInput):
        services.helper_invite(circle=world.circle, by=world.person, membership=world.person)
    assert services.helper_answer(helper=world.invited, accept=False) is None
    assert not Helper.objects.filter(pk=world.invited.pk).exists()


def test_two_helpers_taking_one_slot_one_wins_the_other_is_told(circle_world: CircleWorld) -> None:
    world = circle_world
    services.need_take(need=world.open_need, helper=world.notes_helper)
    stale = Need.objects.get(pk=world.open_need.pk)
    stale.taken_by_id = None  # what the second helper's page still showed
    with pytest.raises(Conflict) as told:
        services.need_take(need=stale, helper=world.helper)
    assert "Someone else took this need" in told.value.detail
    assert Need.objects.get(pk=world.open_need.pk).taken_by_id == world.notes_helper.pk


def test_an_invited_helper_cannot_take_a_need(circle_world: CircleWorld) -> None:
    with pytest.raises(InvalidInput):
        services.need_take(need=circle_world.open_need, helper=circle_world.invited)
    assert Need.objects.get(pk=circle_world.open_need.pk).taken_by_id is None


def test_removing_a_helper_opens_the_needs_they_held_again(circle_world: CircleWorld) -> None:
    world = circle_world
    services.helper_remove(helper=world.helper, by=world.person)
    need = Need.objects.get(pk=world.need.pk)
    assert (need.taken_by_id, need.taken_at) == (None, None)
    assert not Helper.objects.filter(pk=world.helper.pk).exists()


def test_a_need_met_keeps_its_count_when_its_helper_leaves(circle_world: CircleWorld) -> None:
    world = circle_world
    services.need_done(need=world.need, by=world.helper.membership)
    services.helper_leave(helper=world.helper)
    need = Need.objects.get(pk=world.need.pk)
    assert need.taken_by_id is None and need.taken_at is not None and need.done_at is not None


def test_the_person_hands_the_running_over_and_keeps_her_rights(circle_world: CircleWorld) -> None:
    world = circle_world
    nico = world.notes_helper.membership
    services.circle_hand_over(circle=world.circle, by=world.person, to=nico)
    world.circle.refresh_from_db()
    assert world.circle.keeper_id == nico.pk
    assert not Helper.objects.filter(circle=world.circle, membership=nico).exists()
    assert world.users["member"].has_perm("care.manage_circle", world.circle)
    assert not world.users["keeper"].has_perm("care.manage_circle", world.circle)


def test_a_closed_circle_refuses_every_change(circle_world: CircleWorld) -> None:
    world = circle_world
    services.circle_close(circle=world.circle, by=world.person)
    before = (Need.objects.count(), Note.objects.count(), Helper.objects.count())
    with pytest.raises(Conflict):
        services.need_take(need=world.open_need, helper=world.notes_helper)
    with pytest.raises(Conflict):
        services.note_add(circle=world.circle, author=world.person, body="after")
    with pytest.raises(Conflict):
        services.circle_close(circle=world.circle, by=world.person)
    assert (Need.objects.count(), Note.objects.count(), Helper.objects.count()) == before
    assert not Helper.objects.filter(circle=world.circle, status=Helper.Status.INVITED).exists()


def test_notes_and_details_are_sealed_in_their_columns(circle_world: CircleWorld) -> None:
    note = Note.objects.get(circle=circle_world.circle)
    assert SECRET_NOTE not in note.sealed_body and note.sealed_body.startswith("gAAAA")
    need = Need.objects.get(pk=circle_world.need.pk)
    assert SECRET_DETAILS not in need.sealed_details
    assert [n.body for n in selectors.notes_of(circle=circle_world.circle)] == [SECRET_NOTE]


def test_a_helper_sees_only_the_details_of_the_need_she_took(circle_world: CircleWorld) -> None:
    world = circle_world
    rows = selectors.calendar(circle=world.circle, membership=world.helper.membership, runs=False)
    assert {r.need.pk: r.details for r in rows} == {world.need.pk: SECRET_DETAILS, world.open_need.pk: None}
    others = selectors.calendar(circle=world.circle, membership=world.notes_helper.membership, runs=False)
    assert all(r.details is None and r.taker is None for r in others)
    runner = selectors.calendar(circle=world.circle, membership=world.person, runs=True)
    assert {r.need.pk: r.taker for r in runner}[world.need.pk] == world.helper.membership.display_name


def test_a_closed_circle_is_erased_after_the_retention_leaving_only_counts(circle_world: CircleWorld) -> None:
    world = circle_world
    care_settings_update(community=world.community, by=None, retention_days=7)
    closed_at = timezone.now()
    services.need_done(need=world.need, by=world.helper.membership)
    services.circle_close(circle=world.circle, by=world.person, now=closed_at)
    assert circles_erase_expired(now=closed_at + dt.timedelta(days=6)) == 0
    assert Circle.objects.filter(pk=world.circle.pk).exists()
    assert circles_erase_expired(now=closed_at + dt.timedelta(days=7)) == 1
    assert not Circle.objects.filter(pk=world.circle.pk).exists()
    assert not Note.objects.filter(circle_id=world.circle.pk).exists()
    assert not Need.objects.filter(circle_id=world.circle.pk).exists()
    assert not Helper.objects.filter(circle_id=world.circle.pk).exists()
    tally = CircleTally.objects.get(community=world.community)
    assert (tally.kind, tally.circles, tally.helpers, tally.needs, tally.needs_met) == ("surgery", 1, 2, 2, 1)
    assert tally.week == closed_at.date() - dt.timedelta(days=closed_at.date().weekday())
    # The other circle, still open, is untouched; running the job again changes nothing.
    assert circles_erase_expired(now=closed_at + dt.timedelta(days=60)) == 0
    assert Circle.objects.filter(pk=world.other_circle.pk).exists()


def test_a_pantry_delivery_takes_stock_out_and_never_more_than_there_is(circle_world: CircleWorld) -> None:
    world = circle_world
    item = inventory.item_create(community=world.community, by=None, name="Soup", unit="tins")
    inventory.stock_in(item=item, quantity=3, by=None)
    drawing.circle_pantry_delivery(circle=world.circle, by=world.person, item=item, quantity=2)
    item.refresh_from_db()
    assert item.stock == 1
    with pytest.raises(Exception) as refused:
        drawing.circle_pantry_delivery(circle=world.circle, by=world.person, item=item, quantity=2)
    assert getattr(refused.value, "status", 500) < 500
    item.refresh_from_db()
    assert item.stock == 1


def test_an_aid_request_for_what_the_circle_cannot_cover(circle_world: CircleWorld) -> None:
    world = circle_world
    made = drawing.circle_aid_request(
        circle=world.circle,
        by=world.person,
        category="transport",
        description="A wheelchair-accessible lift",
        neighbourhood="Riverside",
    )
    assert AidRequest.objects.get(pk=made.pk).requester_id == world.person.pk
    with pytest.raises(InvalidInput):
        drawing.circle_aid_request(
            circle=world.circle, by=world.person, category="transport", description="x", neighbourhood=""
        )


def test_time_bank_hours_thank_the_helper_once_per_need(circle_world: CircleWorld) -> None:
    world = circle_world
    with pytest.raises(Conflict):  # not yet met
        drawing.circle_hours_credit(need=world.need, by=world.person, minutes=60)
    services.need_done(need=world.need, by=world.helper.membership)
    with pytest.raises(Conflict):  # no time bank
        drawing.circle_hours_credit(need=world.need, by=world.person, minutes=60)
    bank = ledger.currency_create(
        community=world.community,
        name="Hours",
        kind=Currency.Kind.TIME_BANK,
        decimals=0,
        by=None,
        default_lower_limit=-600,
        lowest_lower_limit=-600,
        default_upper_limit=600,
        highest_upper_limit=600,
    )
    transfer = drawing.circle_hours_credit(need=world.need, by=world.person, minutes=90)
    assert transfer.amount == 90
    helper_account = ledger.member_account(currency=bank, membership=world.helper.membership)
    helper_account.refresh_from_db()
    assert helper_account.balance == 90
    with pytest.raises(Conflict):
        drawing.circle_hours_credit(need=world.need, by=world.person, minutes=90)
    helper_account.refresh_from_db()
    assert helper_account.balance == 90
