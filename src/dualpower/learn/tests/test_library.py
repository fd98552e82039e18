"""The library of things, as its keepers would state its rules."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from dualpower.activities import services as activities
from dualpower.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from dualpower.learn import selectors
from dualpower.learn.errors import HeldForSomeoneElse, Overdue
from dualpower.learn.models import Hold, Loan, LoanTally, Thing
from dualpower.learn.services import library
from dualpower.learn.tests.factories import lend, make_thing
from dualpower.ledger.selectors import accounts_of
from dualpower.ledger.tests.factories import CurrencyFactory
from dualpower.members.tests.factories import make_membership
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _hold_race(thing: Thing, people: list[Any]) -> list[str]:
    barrier = threading.Barrier(len(people), timeout=10)
    outcomes: list[str] = []

    def hold(person: Any) -> None:
        try:
            barrier.wait()
            library.hold_place(thing=thing, membership=person)
            outcomes.append("held")
        except Exception as exc:  # reported below: any error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=hold, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_three_members_holding_at_once_are_served_in_the_order_they_arrived(community: Any) -> None:
    thing = make_thing(community)
    lend(thing, make_membership(community, name="Ada"))
    people = [make_membership(community, name=name) for name in ("Bo", "Cy", "Di")]
    assert _hold_race(thing, people) == ["held"] * 3
    order = list(Hold.objects.filter(thing=thing).order_by("id").values_list("membership_id", flat=True))
    assert sorted(order) == sorted(p.pk for p in people)
    places = [selectors.thing_state(thing=thing, membership=p).my_place for p in people]
    assert sorted(places) == [1, 2, 3]  # type: ignore[type-var]
    # Each return offers the thing to the next in arrival order, and only to them.
    for expected in order:
        library.loan_return(loan=Loan.objects.get(thing=thing), by=people[0], condition="good")
        ready = Hold.objects.get(thing=thing, status=Hold.Status.READY)
        assert ready.membership_id == expected
        lend(thing, ready.membership)
    assert not Hold.objects.filter(thing=thing).exists()


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_holding_a_thing_that_is_in_at_once_keeps_it_for_one_member(community: Any) -> None:
    thing = make_thing(community)
    people = [make_membership(community) for _ in range(3)]
    assert _hold_race(thing, people) == ["held"] * 3
    holds = list(Hold.objects.filter(thing=thing).order_by("id"))
    assert [h.status for h in holds] == ["ready", "waiting", "waiting"]


def test_an_overdue_item_blocks_new_holds_and_loans(community: Any) -> None:
    late_one = make_membership(community)
    ladder = make_thing(community, title="Ladder")
    drill = make_thing(community, title="Drill")
    lend(ladder, late_one, days_ago=20)
    lend(drill, make_membership(community))
    with pytest.raises(Overdue, match="Ladder"):
        library.hold_place(thing=drill, membership=late_one)
    with pytest.raises(Overdue):
        library.loan_start(thing=make_thing(community, title="Saw"), borrower=late_one, by=late_one)
    assert not Hold.objects.filter(membership=late_one).exists()
    assert Loan.objects.filter(borrower=late_one).count() == 1
    library.loan_return(loan=Loan.objects.get(thing=ladder), by=late_one, condition="good")
    assert library.hold_place(thing=drill, membership=late_one).status == "waiting"


def _balance(community: Any, currency: Any, **kw: Any) -> int:
    return sum(a.balance for a in accounts_of(community=community, currency=currency, **kw))


def test_a_deposit_goes_through_the_ledger_and_comes_back_on_return(community: Any) -> None:
    roots = CurrencyFactory.create(community=community)
    borrower = make_membership(community)
    drill = make_thing(community, deposit=2_000, deposit_currency=roots)
    lend(drill, borrower)
    assert _balance(community, roots, membership=borrower) == -2_000
    assert _balance(community, roots, owner_kind="community") == 2_000
    library.loan_return(loan=Loan.objects.get(thing=drill), by=borrower, condition="good")
    assert _balance(community, roots, membership=borrower) == 0
    assert _balance(community, roots, owner_kind="community") == 0


def test_a_deposit_beyond_the_members_credit_refuses_the_loan_and_writes_nothing(community: Any) -> None:
    roots = CurrencyFactory.create(community=community, default_lower_limit=-1_000)
    borrower = make_membership(community)
    drill = make_thing(community, deposit=5_000, deposit_currency=roots)
    with pytest.raises(DomainError):
        lend(drill, borrower)
    assert not Loan.objects.filter(thing=drill).exists()
    assert _balance(community, roots, owner_kind="community") == 0


def test_a_return_forgets_who_borrowed_and_keeps_the_counts(community: Any) -> None:
    borrower = make_membership(community)
    drill = make_thing(community)
    lend(drill, borrower, days_ago=20)
    library.loan_return(loan=Loan.objects.get(thing=drill), by=borrower, condition="worn")
    drill.refresh_from_db()
    assert not Loan.objects.filter(thing=drill).exists()
    assert (drill.times_lent, drill.condition) == (1, "worn")
    tally = LoanTally.objects.get(community=community)
    assert (tally.returned, tally.late) == (1, 1)


def test_a_ready_hold_expires_and_the_next_member_is_told(community: Any) -> None:
    drill = make_thing(community, ready_days=2)
    first, second = make_membership(community), make_membership(community)
    lend(drill, make_membership(community))
    library.hold_place(thing=drill, membership=first)
    library.hold_place(thing=drill, membership=second)
    library.loan_return(loan=Loan.objects.get(thing=drill), by=first, condition="good")
    assert Hold.objects.get(membership=first).status == "ready"
    library.holds_expire(timezone.now() + dt.timedelta(days=1))
    assert Hold.objects.get(membership=first).status == "ready"  # not yet
    library.holds_expire(timezone.now() + dt.timedelta(days=3))
    assert not Hold.objects.filter(membership=first).exists()
    assert Hold.objects.get(membership=second).status == "ready"
    assert Notification.objects.filter(user=second.user, kind="learn.hold_ready").count() == 1
    with pytest.raises(HeldForSomeoneElse):
        library.loan_start(thing=drill, borrower=first, by=first)


def test_pausing_my_hold_keeps_my_place_and_lets_the_next_go_first(community: Any) -> None:
    drill = make_thing(community)
    me, next_one = make_membership(community), make_membership(community)
    lend(drill, make_membership(community))
    mine = library.hold_place(thing=drill, membership=me)
    library.hold_place(thing=drill, membership=next_one)
    library.hold_pause(hold=mine, by=me, until=timezone.localdate() + dt.timedelta(days=10))
    library.loan_return(loan=Loan.objects.get(thing=drill), by=me, condition="good")
    assert Hold.objects.get(membership=next_one).status == "ready"
    assert selectors.thing_state(thing=drill, membership=me).my_place == 1
    with pytest.raises(InvalidInput, match="after today"):
        library.hold_pause(hold=mine, by=me, until=timezone.localdate() - dt.timedelta(days=1))


def test_renewing_is_refused_when_someone_waits_or_past_the_renewals(community: Any) -> None:
    borrower = make_membership(community)
    drill = make_thing(community, max_renewals=1, loan_days=7)
    loan = lend(drill, borrower)
    renewed = library.loan_renew(loan=loan, by=borrower)
    assert renewed.due_on == timezone.localdate() + dt.timedelta(days=14)
    with pytest.raises(Conflict, match="renewed as often"):
        library.loan_renew(loan=renewed, by=borrower)
    other = make_thing(community, title="Saw")
    loan2 = lend(other, borrower)
    library.hold_place(thing=other, membership=make_membership(community))
    with pytest.raises(Conflict, match="waiting"):
        library.loan_renew(loan=loan2, by=borrower)


def test_a_valuable_thing_needs_the_trust_role(community: Any) -> None:
    role = activities.trust_role_create(community=community, name="Trusted borrower", by=None, threshold=1)
    canner = make_thing(community, title="Pressure canner", trust_role=role)
    borrower = make_membership(community)
    with pytest.raises(PermissionDenied, match="Trusted borrower"):
        lend(canner, borrower)
    activities.vouch_give(role=role, voucher=make_membership(community), vouchee=borrower)
    assert lend(canner, borrower).borrower_id == borrower.pk


def test_members_lend_their_own_things_with_the_same_rules(community: Any) -> None:
    owner = make_membership(community)
    trailer = make_thing(community, title="Bike trailer", owner=owner, by=owner)
    with pytest.raises(Conflict, match="yours"):
        lend(trailer, owner)
    assert lend(trailer, make_membership(community)).thing_id == trailer.pk


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("loan_days", 0, "from 1 to 90"),
        ("loan_days", "two weeks", "whole number"),
        ("deposit", -5, "from 0"),
        ("max_renewals", 99, "from 0 to 10"),
        ("title", "", "needed"),
    ],
)
def test_bad_quantities_are_refused_with_a_sentence(
    community: Any, field: str, value: Any, words: str
) -> None:
    text = {"title": "Drill", field: value}
    with pytest.raises(InvalidInput, match=words) as refused:
        library.thing_create(
            community=community,
            by=make_membership(community),
            text=library.ThingText(**text),
        )
    assert refused.value.field == field
    assert not Thing.objects.filter(community=community).exists()


def test_reminders_are_sent_once_before_the_due_date_and_once_when_late(community: Any) -> None:
    borrower = make_membership(community)
    loan = lend(make_thing(community, loan_days=7), borrower)
    day_before = timezone.now() + dt.timedelta(days=6)
    library.loans_remind(day_before)
    library.loans_remind(day_before)
    late = timezone.now() + dt.timedelta(days=9)
    library.loans_remind(late)
    library.loans_remind(late)
    kinds = list(Notification.objects.filter(user=borrower.user).values_list("kind", flat=True))
    assert sorted(kinds) == ["learn.loan_due", "learn.loan_late"]
    assert Loan.objects.get(pk=loan.pk).overdue_told_on is not None
