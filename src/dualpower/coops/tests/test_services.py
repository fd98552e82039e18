"""The co-op's rules as its members know them: joining, the board, capital, the register."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, transaction

from dualpower.assemblies import bodies
from dualpower.community.models import AuditEntry
from dualpower.coops import selectors, services
from dualpower.coops.models import CapitalEntry, CapitalOperation, Cooperative, CoopMember
from dualpower.coops.tests.conftest import place
from dualpower.coops.tests.factories import CooperativeFactory, CoopMemberFactory, board_of, subscribe
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


def test_a_new_coop_has_its_own_assembly_whose_voters_are_its_members(
    coop: Cooperative, coop_people: Any
) -> None:
    assert coop.assembly.kind == "coop"
    voters = set(bodies.voters_of(coop.assembly).values_list("user", flat=True))
    assert voters == {coop_people["coop_board"].pk, coop_people["coop_member"].pk}
    assert AuditEntry.objects.filter(action="coop.create").count() == 1


def test_a_pending_or_departed_member_does_not_vote(coop: Cooperative, community: Any) -> None:
    newcomer = make_membership(community, name="Nia")
    services.coop_join(coop=coop, membership=newcomer)
    assert not bodies.is_voter(coop.assembly, newcomer)


def test_observers_cannot_join(coop: Cooperative, coop_people: Any, community: Any) -> None:
    observer = coop_people["observer"].memberships.get(community=community)
    with pytest.raises(PermissionDenied):
        services.coop_join(coop=coop, membership=observer)
    assert not CoopMember.objects.filter(membership=observer).exists()


def test_someone_from_another_community_cannot_join(
    coop: Cooperative, coop_people: Any, other_community: Any
) -> None:
    outsider = coop_people["outsider"].memberships.get(community=other_community)
    with pytest.raises(PermissionDenied):
        services.coop_join(coop=coop, membership=outsider)


def test_asking_twice_is_a_conflict(coop: Cooperative, community: Any) -> None:
    newcomer = make_membership(community)
    services.coop_join(coop=coop, membership=newcomer)
    with pytest.raises(Conflict):
        services.coop_join(coop=coop, membership=newcomer)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("share_price", 0),
        ("share_price", 12.5),
        ("min_shares", -1),
        ("max_shares", 0),
        ("min_cash_percent", 101),
    ],
)
def test_bad_bylaws_are_refused_and_nothing_is_written(
    community: Any, coop_people: Any, field: str, value: Any
) -> None:
    founder = coop_people["coop_board"].memberships.get(community=community)
    with pytest.raises(InvalidInput) as error:
        CooperativeFactory.create(community=community, founder=founder, **{field: value})
    assert error.value.field == field
    assert not Cooperative.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="coop.").exists()


def test_min_above_max_is_refused(community: Any, coop_people: Any) -> None:
    founder = coop_people["coop_board"].memberships.get(community=community)
    with pytest.raises(InvalidInput):
        CooperativeFactory.create(community=community, founder=founder, min_shares=5, max_shares=2)


def test_a_subscription_goes_draft_approved_done_and_only_done_writes_the_register(
    coop: Cooperative, coop_people: Any
) -> None:
    me = place(coop, coop_people["coop_member"])
    board = board_of(coop)
    op = services.capital_operation_create(
        coop=coop, kind="subscription", member=me, shares=4, by=me.membership
    )
    assert op.status == "draft" and op.amount == 4 * 2500
    services.capital_operation_approve(operation=op, by=board)
    assert not CapitalEntry.objects.exists()
    services.capital_operation_complete(operation=op, by=board)
    assert selectors.capital_for(member=me).shares == 4
    assert selectors.capital_for(member=me).amount == 10_000


def test_a_member_cannot_draft_for_someone_else(coop: Cooperative, coop_people: Any) -> None:
    me = place(coop, coop_people["coop_member"])
    board = place(coop, coop_people["coop_board"])
    with pytest.raises(PermissionDenied):
        services.capital_operation_create(
            coop=coop, kind="subscription", member=board, shares=1, by=me.membership
        )
    assert not CapitalOperation.objects.exists()


def test_approved_operations_count_against_the_maximum(coop: Cooperative, coop_people: Any) -> None:
    me = place(coop, coop_people["coop_member"])
    board = board_of(coop)
    first = services.capital_operation_create(coop=coop, kind="subscription", member=me, shares=6, by=board)
    second = services.capital_operation_create(coop=coop, kind="subscription", member=me, shares=6, by=board)
    services.capital_operation_approve(operation=first, by=board)
    with pytest.raises(Conflict, match="at most 10 shares"):
        services.capital_operation_approve(operation=second, by=board)
    second.refresh_from_db()
    assert second.status == "draft"


def test_a_draft_beyond_the_maximum_is_refused_at_once(coop: Cooperative, coop_people: Any) -> None:
    me = place(coop, coop_people["coop_member"])
    with pytest.raises(Conflict):
        services.capital_operation_create(
            coop=coop, kind="subscription", member=me, shares=11, by=me.membership
        )
    assert not CapitalOperation.objects.exists()


@pytest.mark.parametrize("shares", [0, -3, True, 2.0, "2"])
def test_a_bad_number_of_shares_is_refused(coop: Cooperative, coop_people: Any, shares: Any) -> None:
    me = place(coop, coop_people["coop_member"])
    with pytest.raises(InvalidInput):
        services.capital_operation_create(
            coop=coop, kind="subscription", member=me, shares=shares, by=me.membership
        )
    assert not CapitalOperation.objects.exists()


def test_a_transfer_moves_shares_and_capital_between_members(coop: Cooperative, coop_people: Any) -> None:
    giver = place(coop, coop_people["coop_member"])
    taker = place(coop, coop_people["coop_board"])
    subscribe(coop, giver, 5)
    subscribe(coop, taker, 1)
    board = board_of(coop)
    op = services.capital_operation_create(
        coop=coop, kind="transfer", member=giver, to_member=taker, shares=3, by=giver.membership
    )
    services.capital_operation_approve(operation=op, by=board)
    services.capital_operation_complete(operation=op, by=board)
    assert selectors.capital_for(member=giver).shares == 2
    assert selectors.capital_for(member=taker).shares == 4
    assert selectors.coop_totals(coop=coop) == {"shares": 6, "amount": 6 * 2500}


def test_nobody_transfers_or_sells_shares_they_do_not_hold(coop: Cooperative, coop_people: Any) -> None:
    me = place(coop, coop_people["coop_member"])
    subscribe(coop, me, 2)
    with pytest.raises(Conflict, match="not enough"):
        services.capital_operation_create(coop=coop, kind="sell_back", member=me, shares=3, by=me.membership)


def test_two_approved_sell_backs_cannot_sell_the_same_shares_twice(
    coop: Cooperative, coop_people: Any
) -> None:
    me = place(coop, coop_people["coop_member"])
    subscribe(coop, me, 2)
    board = board_of(coop)
    one = services.capital_operation_create(coop=coop, kind="sell_back", member=me, shares=2, by=board)
    two = services.capital_operation_create(coop=coop, kind="sell_back", member=me, shares=2, by=board)
    services.capital_operation_approve(operation=one, by=board)
    with pytest.raises(Conflict):
        services.capital_operation_approve(operation=two, by=board)


def test_selling_back_below_the_minimum_but_not_to_zero_is_refused(community: Any, coop_people: Any) -> None:
    founder = coop_people["coop_board"].memberships.get(community=community)
    coop = CooperativeFactory.create(community=community, founder=founder, min_shares=3, max_shares=10)
    me = CoopMemberFactory.create(coop=coop)
    subscribe(coop, me, 5)
    with pytest.raises(Conflict, match="at least 3 shares or none"):
        services.capital_operation_create(coop=coop, kind="sell_back", member=me, shares=3, by=me.membership)
    services.capital_operation_create(coop=coop, kind="sell_back", member=me, shares=5, by=me.membership)


def test_a_transfer_needs_another_member_of_the_same_coop(
    coop: Cooperative, coop_people: Any, community: Any
) -> None:
    me = place(coop, coop_people["coop_member"])
    subscribe(coop, me, 2)
    other = CooperativeFactory.create(
        community=community, founder=make_membership(community), name="Other co-op"
    )
    stranger = CoopMember.objects.get(coop=other)
    with pytest.raises(InvalidInput):
        services.capital_operation_create(
            coop=coop, kind="transfer", member=me, to_member=stranger, shares=1, by=me.membership
        )
    with pytest.raises(InvalidInput):
        services.capital_operation_create(
            coop=coop, kind="transfer", member=me, to_member=me, shares=1, by=me.membership
        )
    with pytest.raises(InvalidInput):
        services.capital_operation_create(coop=coop, kind="transfer", member=me, shares=1, by=me.membership)
    assert not CapitalOperation.objects.filter(kind="transfer").exists()


def test_the_register_is_append_only_in_the_database(coop: Cooperative, coop_people: Any) -> None:
    subscribe(coop, place(coop, coop_people["coop_member"]), 2)
    entry = CapitalEntry.objects.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        CapitalEntry.objects.filter(pk=entry.pk).update(shares=200)
    with pytest.raises(DatabaseError), transaction.atomic():
        CapitalEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.shares == 2


def test_only_an_approved_operation_is_done_and_a_done_one_is_not_cancelled(
    coop: Cooperative, coop_people: Any
) -> None:
    me = place(coop, coop_people["coop_member"])
    board = board_of(coop)
    op = services.capital_operation_create(coop=coop, kind="subscription", member=me, shares=1, by=board)
    with pytest.raises(Conflict):
        services.capital_operation_complete(operation=op, by=board)
    subscribe(coop, me, 1)
    done = CapitalOperation.objects.filter(status="done").get()
    with pytest.raises(Conflict):
        services.capital_operation_cancel(operation=done, by=board)


def test_a_member_cancels_their_own_draft_but_not_an_approved_operation(
    coop: Cooperative, coop_people: Any
) -> None:
    me = place(coop, coop_people["coop_member"])
    op = services.capital_operation_create(
        coop=coop, kind="subscription", member=me, shares=1, by=me.membership
    )
    services.capital_operation_cancel(operation=op, by=me.membership)
    op2 = services.capital_operation_create(
        coop=coop, kind="subscription", member=me, shares=1, by=me.membership
    )
    services.capital_operation_approve(operation=op2, by=board_of(coop))
    with pytest.raises(PermissionDenied):
        services.capital_operation_cancel(operation=op2, by=me.membership)


def test_nobody_leaves_holding_capital(coop: Cooperative, coop_people: Any) -> None:
    me = place(coop, coop_people["coop_member"])
    subscribe(coop, me, 2)
    with pytest.raises(Conflict, match="sell it back"):
        services.coop_leave(place=me, by=me.membership)
    board = board_of(coop)
    op = services.capital_operation_create(coop=coop, kind="sell_back", member=me, shares=2, by=board)
    services.capital_operation_approve(operation=op, by=board)
    services.capital_operation_complete(operation=op, by=board)
    services.coop_leave(place=me, by=me.membership)
    assert CoopMember.objects.get(pk=me.pk).status == "left"


def test_the_last_board_member_names_a_successor_before_leaving(coop: Cooperative, coop_people: Any) -> None:
    board = place(coop, coop_people["coop_board"])
    with pytest.raises(Conflict, match="last board member"):
        services.coop_leave(place=board, by=board.membership)
    with pytest.raises(Conflict):
        services.coop_board_set(place=board, is_board=False, by=board.membership)
    services.coop_board_set(place=place(coop, coop_people["coop_member"]), is_board=True, by=board.membership)
    services.coop_leave(place=board, by=board.membership)


def test_bylaws_changes_are_checked_and_audited(coop: Cooperative, coop_people: Any) -> None:
    board = board_of(coop)
    with pytest.raises(InvalidInput):
        services.coop_update(coop=coop, by=board, min_shares=20)
    services.coop_update(coop=coop, by=board, share_price=3000)
    coop.refresh_from_db()
    assert coop.share_price == 3000
    assert AuditEntry.objects.filter(action="coop.update").count() == 1


def test_a_price_change_does_not_change_capital_already_paid(coop: Cooperative, coop_people: Any) -> None:
    me = place(coop, coop_people["coop_member"])
    subscribe(coop, me, 2)
    services.coop_update(coop=coop, by=board_of(coop), share_price=3000)
    subscribe(coop, me, 1)
    assert selectors.capital_for(member=me).amount == 2 * 2500 + 3000


def test_membership_of_former_members_is_kept(coop: Cooperative, coop_people: Any) -> None:
    me = place(coop, coop_people["coop_member"])
    services.coop_leave(place=me, by=me.membership)
    again = services.coop_join(coop=coop, membership=me.membership)
    assert again.pk == me.pk and again.status == "pending"
    assert Membership.objects.filter(pk=me.membership_id).exists()


def test_a_new_coop_gets_an_account_in_each_currency_in_use(community: Any, coop_people: Any) -> None:
    from dualpower.ledger.services import currency_create

    founder = coop_people["coop_board"].memberships.get(community=community)
    currency_create(community=community, name="Roots", code="roots", by=None)
    coop = CooperativeFactory.create(community=community, founder=founder)
    accounts = selectors.ledger_accounts(coop=coop)
    assert [a.currency.code for a in accounts] == ["roots"]
    currency_create(community=community, name="Hours", code="hours", kind="time_bank", by=None)
    services.coop_accounts_open(coop=coop, by=founder)
    services.coop_accounts_open(coop=coop, by=founder)  # safe to repeat
    assert sorted(a.currency.code for a in selectors.ledger_accounts(coop=coop)) == ["hours", "roots"]
