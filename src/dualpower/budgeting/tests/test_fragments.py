"""The cycle's page and its results keep what they show while the data is unchanged
(web/fragments.py): a second visit, with nothing written between, asks the database for the
visitor's session alone (nothing of the cycle's districts, categories, results or ballots), a write
shows on the next visit, and what one person was shown is never served to another who may do
something else (run the cycle, vote) or whose share paid for other projects.

Transactional tests: inside an ordinary test's transaction no fragment is kept."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.budgeting import selectors, services
from dualpower.budgeting.models import Phase
from dualpower.budgeting.tests.factories import make_cycle
from dualpower.members.tests.factories import make_membership, membership_of
from dualpower.web.tests.kept import SESSION_ALONE, signed_in, visit, without_tokens

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_log_emptied_after"),
]


def page(cycle: Any, part: str = "") -> str:
    return f"/c/{cycle.community.slug}/budgets/{cycle.slug}/{part}"


def my_share(html: str) -> str:
    found = re.search(r'<section aria-labelledby="my-share">.*?</section>', html, re.S)
    return found.group(0) if found else ""


def test_the_cycle_page_is_kept_until_a_write(community: Any, people: dict[str, Any]) -> None:
    cycle = make_cycle(community, phase=Phase.IDEAS)
    services.category_add(cycle=cycle, name="Parks", max_share_percent=None, by=None)
    (client,) = signed_in(people["coordinator"])
    _, shown = visit(client, page(cycle))
    second, again = visit(client, page(cycle))
    assert second == SESSION_ALONE
    assert without_tokens(again) == without_tokens(shown)
    assert "Parks" in again and "Youth" not in again
    # Writes through the services show on the next visit: a category, the next phase.
    services.category_add(cycle=cycle, name="Youth", max_share_percent=20, by=None)
    _, after = visit(client, page(cycle))
    assert "Parks" in after and "Youth (at most 20%)" in after
    services.cycle_advance(cycle=cycle, by=None)
    _, moved = visit(client, page(cycle))
    assert "Move to the next phase: Proposal development…" in after
    assert "Move to the next phase: Feasibility review…" in moved


def test_what_the_coordinator_was_shown_is_not_served_to_a_member_or_an_observer(
    community: Any, people: dict[str, Any]
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    # Everyone signs in first: signing in writes (the last login), which would drop what is kept.
    runner, member, observer = signed_in(*(people[r] for r in ("coordinator", "member", "observer")))
    visit(runner, page(cycle))
    _, seen = visit(runner, page(cycle))
    assert "Move to the next phase: Results…" in seen
    _, members = visit(member, page(cycle))
    assert "Move to the next phase" not in members
    assert f'href="{page(cycle, "vote/")}"' in members
    _, observers = visit(observer, page(cycle))
    assert "Move to the next phase" not in observers
    assert f'href="{page(cycle, "vote/")}"' not in observers


def counted(community: Any) -> tuple[Any, list[Any]]:
    """A cycle counted with equal shares: six voters chose projects 1 and 4, four chose 2 and 3."""
    cycle = make_cycle(community, phase=Phase.VOTING)
    voters = []
    for i, codes in enumerate([["1", "4"]] * 6 + [["2", "3"]] * 4):
        voter = make_membership(community, name=f"Voter {i}")
        services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[(c, 1) for c in codes])
        voters.append(voter)
    services.cycle_advance(cycle=cycle, by=None)
    return cycle, voters


def test_the_results_are_kept_until_a_write(community: Any, people: dict[str, Any]) -> None:
    cycle, voters = counted(community)
    (client,) = signed_in(voters[0].user)
    selectors._EXPLAINED.clear()  # their share explained afresh (kept per process), not by an earlier test
    _, shown = visit(client, page(cycle, "results/"))
    second, again = visit(client, page(cycle, "results/"))
    assert second == SESSION_ALONE
    assert without_tokens(again) == without_tokens(shown)
    assert "What your share paid for" in again and "Food bank" in again
    assert "The assembly decides whether to adopt this result." in again
    # The assembly adopts the result: the next visit says so.
    services.result_adopt(cycle=cycle, decision_ref="Assembly, 3 May")
    _, after = visit(client, page(cycle, "results/"))
    assert "The assembly has adopted this result." in after
    assert "The assembly decides whether to adopt this result." not in after


def test_each_voter_is_shown_their_own_share(community: Any, people: dict[str, Any]) -> None:
    cycle, voters = counted(community)
    first, last = voters[0], voters[-1]  # projects 1 and 4; projects 2 and 3
    ones, others, nobody = signed_in(first.user, last.user, people["coordinator"])
    visit(ones, page(cycle, "results/"))
    _, mine = visit(ones, page(cycle, "results/"))
    _, theirs = visit(others, page(cycle, "results/"))
    _, none = visit(nobody, page(cycle, "results/"))
    assert my_share(mine) and my_share(theirs)
    assert my_share(mine) != my_share(theirs)
    assert "Playground" in my_share(mine) and "Playground" not in my_share(theirs)
    assert not my_share(none) and "What your share paid for" not in none
    assert membership_of(people["coordinator"], community) not in voters
