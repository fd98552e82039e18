"""The guided set-up's pages: a step a page, Back and Next keep what was typed, errors stay on
the page, a draft resumes, and the last step creates the community."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dualpower.assemblies.models import Assembly
from dualpower.community.models import Community
from dualpower.groups.models import WorkingGroup
from dualpower.ledger.models import Currency
from dualpower.members.invitation_models import Invitation
from dualpower.members.models import Membership, User
from dualpower.members.tests.factories import make_user

pytestmark = pytest.mark.django_db

PLACE = {
    "name": "Riverside Commons",
    "place": "Riverside, Leeds",
    "description": "",
    "display_name": "Rosa",
    "admission": "coordinators",
    "questions": "Which street do you live on?",
    "slug": "",
}
GROUPS = {"groups": ["food", "housing"], "other_groups": "Childcare"}
DECISIONS = {"preset": "consensus_fallback"}
MONEY = {
    "money": "on",
    "money_name": "Roots",
    "money_symbol": "R",
    "money_credit": "50",
    "time_bank": "on",
    "time_bank_name": "Time bank",
    "time_bank_hours": "5",
}


@pytest.fixture
def operator(client: Any) -> Any:
    user: User = make_user("operator@example.org")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client.force_login(user)
    return client


def url(step: str) -> str:
    return reverse(f"setup:{step}")


def test_the_whole_set_up_creates_the_community_and_its_first_link(operator: Any) -> None:
    page = operator.get(url("place")).content.decode()
    assert "Step 1 of 5" in page
    assert operator.post(url("place"), {**PLACE, "go": "next"})["Location"] == url("groups")
    assert "Step 2 of 5" in operator.get(url("groups")).content.decode()
    assert operator.post(url("groups"), {**GROUPS, "go": "next"})["Location"] == url("decisions")
    decisions = operator.get(url("decisions")).content.decode()
    assert "Step 3 of 5" in decisions and "Majority with a quorum" in decisions
    assert "if at least a quarter of the members vote" in decisions  # each preset says what it means
    assert operator.post(url("decisions"), {**DECISIONS, "go": "next"})["Location"] == url("money")
    assert not Community.objects.filter(name="Riverside Commons").exists()  # nothing made yet
    done = operator.post(url("money"), {**MONEY, "go": "next"})
    community = Community.objects.get(name="Riverside Commons")
    assert done["Location"] == reverse("setup:invitations", args=[community.slug])
    assert Membership.objects.get(community=community).role == Membership.Role.COORDINATOR
    assert set(WorkingGroup.objects.filter(community=community).values_list("name", flat=True)) == {
        "Food",
        "Housing",
        "Childcare",
    }
    assert Assembly.objects.get(community=community).policy.default_process == "modified_consensus"
    assert Currency.objects.filter(community=community).count() == 2
    step5 = reverse("setup:invitations", args=[community.slug])
    assert "Step 5 of 5" in operator.get(step5).content.decode()
    operator.post(step5, {"note": "", "max_uses": "", "expires_on": ""})
    invitation = Invitation.objects.get(community=community)
    page = operator.get(step5).content.decode()
    assert invitation.token in page and "<svg" in page
    dashboard = operator.get(reverse("community-dashboard", args=[community.slug])).content.decode()
    assert "How this community is set up" in dashboard
    assert (
        "Consensus, then a two-thirds vote" in dashboard and "Roots" in dashboard and "Childcare" in dashboard
    )
    # The draft is gone: a new set-up starts empty.
    assert 'value="Riverside Commons"' not in operator.get(url("place")).content.decode()


def test_back_keeps_what_was_typed_even_unchecked(operator: Any) -> None:
    operator.post(url("place"), {**PLACE, "go": "next"})
    operator.post(url("groups"), {"groups": ["food"], "other_groups": "Childcare\nChildcare", "go": "back"})
    page = operator.get(url("groups")).content.decode()
    assert "Childcare\nChildcare" in page
    assert page.count("checked") == 1  # only food, as typed
    place = operator.get(url("place")).content.decode()
    assert 'value="Riverside Commons"' in place and 'value="Rosa"' in place


def test_an_error_stays_on_its_step_with_everything_typed(operator: Any) -> None:
    Community.objects.create(name="Riverside", slug="riverside-commons")
    response = operator.post(url("place"), {**PLACE, "go": "next"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "already exists" in body and 'value="Riverside, Leeds"' in body and "Which street" in body
    assert 'class="error-summary"' in body or "There is a problem" in body
    operator.post(url("place"), {**PLACE, "slug": "riverside-2", "go": "next"})
    operator.post(url("groups"), {**GROUPS, "go": "next"})
    operator.post(url("decisions"), {**DECISIONS, "go": "next"})
    wrong = operator.post(url("money"), {**MONEY, "money_credit": "lots", "go": "next"})
    assert wrong.status_code == 400 and 'value="lots"' in wrong.content.decode()
    assert not Community.objects.filter(slug="riverside-2").exists()


def test_a_later_step_waits_for_the_earlier_ones_and_a_draft_resumes(operator: Any) -> None:
    assert operator.get(url("money"))["Location"] == url("place")
    operator.post(url("place"), {**PLACE, "go": "next"})
    operator.post(url("groups"), {**GROUPS, "go": "next"})
    assert operator.get(url("money"))["Location"] == url("decisions")
    start = operator.get(url("place")).content.decode()
    assert "Continue where you left off" in start and f'href="{url("decisions")}"' in start
    operator.post(url("discard"))
    assert "Continue where you left off" not in operator.get(url("place")).content.decode()


@pytest.mark.parametrize("role", ["anonymous", "applicant", "observer", "member", "coordinator", "outsider"])
def test_only_the_node_operator_starts_a_community(role: str, client_for: Any) -> None:
    client = client_for(role)
    for step in ("place", "groups", "decisions", "money"):
        assert client.get(url(step)).status_code in (302, 401, 403)
    client.post(url("place"), {**PLACE, "go": "next"})
    assert client.session.get("dp_community_setup") is None


def test_step_five_belongs_to_the_new_communitys_coordinators(client_for: Any, community: Community) -> None:
    step5 = reverse("setup:invitations", args=[community.slug])
    assert client_for("coordinator").get(step5).status_code == 200
    for role in ("anonymous", "member", "outsider"):
        assert client_for(role).get(step5).status_code in (302, 401, 403)


def test_the_set_up_pages_cost_few_queries(operator: Any) -> None:
    counts = {}
    for step, data in (("place", PLACE), ("groups", GROUPS), ("decisions", DECISIONS), ("money", MONEY)):
        with CaptureQueriesContext(connection) as queries:
            assert operator.get(url(step)).status_code == 200
        counts[step] = len(queries)
        operator.post(url(step), {**data, "go": "back" if step == "money" else "next"})
    assert max(counts.values()) <= 12, counts
