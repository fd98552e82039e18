"""A member's own data: exporting all of it, and deleting the account while shared records keep an author."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress

from dualpower.community.models import AuditEntry, Community
from dualpower.errors import InvalidInput
from dualpower.members import services
from dualpower.members.models import AccessToken, Application, Membership, RoleChange, Trust, User
from dualpower.members.selectors import account_export
from dualpower.members.tests.factories import make_application, make_community, make_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_member(community: Community, people: dict[str, Any]) -> User:
    """Mara: a profile with contact details, an application elsewhere, trust given, a role change, a token."""
    user = people["member"]
    mara = Membership.objects.get(user=user, community=community)
    services.profile_update(
        membership=mara, neighbourhood="Riverside", skills=["plumbing"], contact="+34 600", languages=["es"]
    )
    services.role_change(
        membership=mara, role="coordinator", by=people["coordinator"], reason="Elected in March"
    )
    trusting = make_community("Karrot Street", admission="trust", trust_threshold=5)
    make_membership(trusting, user=user, name="Mara K.")
    services.trust_give(application=make_application(trusting, answers=[]), by=user)
    hilltop = Community.objects.get(slug="hilltop")
    services.application_submit(user=user, community=hilltop, display_name="Mara H.", answers=[])
    services.token_create(user=user, name="my script")
    return user


def test_the_export_holds_everything_about_me(busy_member: User) -> None:
    data = account_export(user=busy_member)
    json.dumps(data)  # JSON-ready as it is
    assert data["account"]["email"] == busy_member.email
    assert {m["community"] for m in data["memberships"]} == {"riverside", "karrot-street"}
    riverside = next(m for m in data["memberships"] if m["community"] == "riverside")
    assert (riverside["contact"], riverside["skills"], riverside["role"]) == (
        "+34 600",
        ["plumbing"],
        "coordinator",
    )
    assert [a["community"] for a in data["applications"]] == ["hilltop"]
    assert len(data["trust_given"]) == 1
    assert data["role_changes"][0]["reason"] == "Elected in March"
    assert data["tokens"][0]["name"] == "my script"
    assert "token_hash" not in json.dumps(data)
    assert AccessToken.objects.get().token_hash not in json.dumps(data)
    assert {"member.profile_update", "trust.give"} <= {e["action"] for e in data["audit_entries"]}


def test_the_export_has_nothing_of_other_people(busy_member: User, people: dict[str, Any]) -> None:
    text = json.dumps(account_export(user=busy_member))
    assert people["coordinator"].email not in text
    assert "Cato" not in text


def test_deleting_my_account_keeps_memberships_as_former_member(
    busy_member: User, community: Community
) -> None:
    mara_id = Membership.objects.get(user=busy_member, community=community).pk
    audit_before = list(AuditEntry.objects.order_by("id").values())
    services.account_delete(user=busy_member, confirm_email=busy_member.email)

    assert not User.objects.filter(pk=busy_member.pk).exists()
    assert not EmailAddress.objects.filter(email=busy_member.email).exists()
    assert not AccessToken.objects.exists()
    assert not Application.objects.filter(display_name="Mara H.").exists()
    former = Membership.objects.get(pk=mara_id)
    assert (former.user, former.status, former.display_name) == (None, "former", "former member")
    assert (former.contact, former.skills, former.neighbourhood, former.languages) == ("", [], "", [])
    # Shared records keep their (now anonymous) author; the log's earlier entries are untouched.
    assert Trust.objects.count() == 1
    assert RoleChange.objects.get().membership_id == mara_id
    assert list(AuditEntry.objects.order_by("id").values())[: len(audit_before)] == audit_before
    assert AuditEntry.objects.filter(action="member.leave").count() == 2


def test_deleting_needs_my_email_typed(busy_member: User) -> None:
    with pytest.raises(InvalidInput) as err:
        services.account_delete(user=busy_member, confirm_email="not-me@example.org")
    assert err.value.field == "confirm_email"
    assert User.objects.filter(pk=busy_member.pk).exists()
    assert Membership.objects.filter(user=busy_member).count() == 2
