"""The community's rules about joining, trust, roles and profiles, checked at the service layer."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.community.models import AuditEntry, Community
from dualpower.errors import InvalidInput, PermissionDenied
from dualpower.members import services
from dualpower.members.errors import (
    AlreadyMember,
    ApplicationDecided,
    ApplicationPending,
    LastCoordinator,
    TrustAlreadyGiven,
)
from dualpower.members.models import AccessToken, Application, Membership, RoleChange, Trust
from dualpower.members.tests.factories import (
    make_application,
    make_community,
    make_membership,
    make_user,
    membership_of,
)

pytestmark = pytest.mark.django_db


# --- applying ------------------------------------------------------------------------------


def test_a_newcomer_applies_with_one_answer_per_question(community: Community) -> None:
    user = make_user()
    application = services.application_submit(
        user=user, community=community, display_name="  Rosa  ", answers=["I cook for the pantry."]
    )
    assert application.status == Application.Status.PENDING
    assert application.display_name == "Rosa"
    assert application.answers == ["I cook for the pantry."]
    assert AuditEntry.objects.filter(community=community, action="application.submit").count() == 1


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ([], "answers"),
        (["one", "two"], "answers"),
        (["   "], "answers"),
        (["x" * 2001], "answers"),
        ("text", "answers"),
    ],
)
def test_an_application_must_answer_each_question_within_limits(
    community: Community, answers: Any, field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        services.application_submit(
            user=make_user(), community=community, display_name="Rosa", answers=answers
        )
    assert err.value.field == field
    assert not Application.objects.filter(display_name="Rosa").exists()


def test_an_application_needs_a_display_name_of_at_most_80_characters(community: Community) -> None:
    for name in ("", "  ", "x" * 81):
        with pytest.raises(InvalidInput) as err:
            services.application_submit(
                user=make_user(), community=community, display_name=name, answers=["a"]
            )
        assert err.value.field == "display_name"
    assert Application.objects.count() == 0


def test_a_member_cannot_apply_again(community: Community, people: dict[str, Any]) -> None:
    with pytest.raises(AlreadyMember):
        services.application_submit(
            user=people["member"], community=community, display_name="M", answers=["a"]
        )


def test_one_pending_application_at_a_time(community: Community, people: dict[str, Any]) -> None:
    with pytest.raises(ApplicationPending):
        services.application_submit(
            user=people["applicant"], community=community, display_name="A", answers=["a"]
        )
    assert Application.objects.filter(user=people["applicant"]).count() == 1


def test_a_member_of_another_community_may_apply_here(community: Community, people: dict[str, Any]) -> None:
    application = services.application_submit(
        user=people["outsider"], community=community, display_name="Otto", answers=["neighbour"]
    )
    assert application.community == community


def test_the_applicant_can_withdraw_and_apply_again(community: Community, people: dict[str, Any]) -> None:
    application = Application.objects.get(user=people["applicant"])
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application, by=people["member"])
    services.application_withdraw(application=application, by=people["applicant"])
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    again = services.application_submit(
        user=people["applicant"], community=community, display_name="Again", answers=["still here"]
    )
    assert again.status == Application.Status.PENDING


# --- deciding ------------------------------------------------------------------------------


def test_a_coordinator_admits_an_applicant_as_a_member(community: Community, people: dict[str, Any]) -> None:
    application = Application.objects.get(user=people["applicant"])
    new = services.application_admit(application=application, by=people["coordinator"])
    assert new.role == Membership.Role.MEMBER
    assert new.user == people["applicant"]
    assert new.display_name == application.display_name
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert application.decided_by == membership_of(people["coordinator"], community)
    entry = AuditEntry.objects.get(action="application.admit")
    assert entry.actor == membership_of(people["coordinator"], community)


@pytest.mark.parametrize("role", ["member", "observer", "outsider", "applicant"])
def test_only_coordinators_admit_or_decline(community: Community, people: dict[str, Any], role: str) -> None:
    application = Application.objects.get(user=people["applicant"])
    with pytest.raises(PermissionDenied):
        services.application_admit(application=application, by=people[role])
    with pytest.raises(PermissionDenied):
        services.application_decline(application=application, by=people[role], reason="no")
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING
    assert not Membership.objects.filter(user=people["applicant"]).exists()


def test_a_decision_is_taken_once(community: Community, people: dict[str, Any]) -> None:
    application = Application.objects.get(user=people["applicant"])
    services.application_decline(
        application=application, by=people["coordinator"], reason="We never met you."
    )
    with pytest.raises(ApplicationDecided):
        services.application_admit(application=application, by=people["coordinator"])
    application.refresh_from_db()
    assert application.status == Application.Status.DECLINED
    assert application.decision_reason == "We never met you."


def test_declining_needs_a_reason(community: Community, people: dict[str, Any]) -> None:
    application = Application.objects.get(user=people["applicant"])
    with pytest.raises(InvalidInput) as err:
        services.application_decline(application=application, by=people["coordinator"], reason="  ")
    assert err.value.field == "reason"
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING


# --- trust ---------------------------------------------------------------------------------


@pytest.fixture
def trust_community() -> Community:
    return make_community(
        "Karrot Street", admission="trust", trust_threshold=2, application_questions=["Why?"]
    )


def test_members_admit_by_trust_at_the_threshold(trust_community: Community) -> None:
    alice, bea = (make_membership(trust_community) for _ in range(2))
    application = make_application(trust_community, answers=["I help"])
    services.trust_give(application=application, by=alice.user)
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING
    services.trust_give(application=application, by=bea.user)
    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert (
        Membership.objects.filter(user=application.user, community=trust_community, role="member").count()
        == 1
    )
    assert AuditEntry.objects.filter(action="trust.give").count() == 2
    assert AuditEntry.objects.get(action="application.admit").data["by"] == "trust"


def test_trust_is_given_once_per_member(trust_community: Community) -> None:
    alice = make_membership(trust_community)
    application = make_application(trust_community, answers=["a"])
    services.trust_give(application=application, by=alice.user)
    with pytest.raises(TrustAlreadyGiven):
        services.trust_give(application=application, by=alice.user)
    assert Trust.objects.count() == 1


def test_observers_and_outsiders_cannot_give_trust(trust_community: Community, community: Community) -> None:
    observer = make_membership(trust_community, role=Membership.Role.OBSERVER)
    outsider = make_membership(community)
    application = make_application(trust_community, answers=["a"])
    for who in (observer.user, outsider.user):
        with pytest.raises(PermissionDenied):
            services.trust_give(application=application, by=who)
    assert Trust.objects.count() == 0


def test_trust_does_not_admit_where_coordinators_review(community: Community, people: dict[str, Any]) -> None:
    application = Application.objects.get(user=people["applicant"])
    with pytest.raises(PermissionDenied):
        services.trust_give(application=application, by=people["member"])


# --- roles ---------------------------------------------------------------------------------


def test_a_coordinator_changes_a_role_with_a_recorded_reason(
    community: Community, people: dict[str, Any]
) -> None:
    target = membership_of(people["member"], community)
    change = services.role_change(
        membership=target, role="coordinator", by=people["coordinator"], reason="Elected"
    )
    target.refresh_from_db()
    assert target.role == "coordinator"
    assert (change.role_before, change.role_after, change.reason) == ("member", "coordinator", "Elected")
    entry = AuditEntry.objects.get(action="member.role_change")
    assert entry.data["reason"] == "Elected"


def test_a_role_changes_only_with_a_reason(community: Community, people: dict[str, Any]) -> None:
    target = membership_of(people["member"], community)
    with pytest.raises(InvalidInput) as err:
        services.role_change(membership=target, role="observer", by=people["coordinator"], reason=" ")
    assert err.value.field == "reason"
    assert RoleChange.objects.count() == 0


@pytest.mark.parametrize("role", ["member", "observer", "outsider"])
def test_only_coordinators_change_roles(community: Community, people: dict[str, Any], role: str) -> None:
    target = membership_of(people["member"], community)
    with pytest.raises(PermissionDenied):
        services.role_change(membership=target, role="coordinator", by=people[role], reason="Because")
    target.refresh_from_db()
    assert target.role == "member"


def test_an_assembly_decision_can_change_a_role(community: Community, people: dict[str, Any]) -> None:
    target = membership_of(people["observer"], community)
    change = services.role_change(
        membership=target, role="member", by=None, reason="Assembly of May", decision_ref="assembly/12"
    )
    assert change.decided_by is None
    assert AuditEntry.objects.get(action="member.role_change").decision_ref == "assembly/12"


def test_the_last_coordinator_cannot_step_down(community: Community, people: dict[str, Any]) -> None:
    me = membership_of(people["coordinator"], community)
    with pytest.raises(LastCoordinator) as err:
        services.role_change(membership=me, role="member", by=people["coordinator"], reason="Tired")
    assert err.value.status == 409
    me.refresh_from_db()
    assert me.role == "coordinator"


def test_an_unknown_role_is_refused(community: Community, people: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput) as err:
        services.role_change(
            membership=membership_of(people["member"], community),
            role="king",
            by=people["coordinator"],
            reason="x",
        )
    assert err.value.field == "role"


# --- profiles ------------------------------------------------------------------------------


def test_a_member_keeps_a_minimal_profile(community: Community, people: dict[str, Any]) -> None:
    me = membership_of(people["member"], community)
    services.profile_update(
        membership=me,
        display_name="Mara P.",
        languages=["es", " en ", "es"],
        neighbourhood="Riverside",
        skills=["plumbing"],
        contact="signal: @mara",
        contact_visibility="members",
    )
    me.refresh_from_db()
    assert (me.display_name, me.languages, me.neighbourhood, me.skills) == (
        "Mara P.",
        ["es", "en"],
        "Riverside",
        ["plumbing"],
    )
    # The permanent log names the fields, never the contact details themselves.
    entry = AuditEntry.objects.get(action="member.profile_update")
    assert "signal" not in str(entry.data) + entry.summary


@pytest.mark.parametrize("place", ["12 Elm Street", "Calle Mayor 5", "221b Baker St", "Av. Corrientes 1234"])
def test_a_neighbourhood_is_never_an_address(
    community: Community, people: dict[str, Any], place: str
) -> None:
    me = membership_of(people["member"], community)
    with pytest.raises(InvalidInput) as err:
        services.profile_update(membership=me, neighbourhood=place)
    assert err.value.field == "neighbourhood"
    me.refresh_from_db()
    assert me.neighbourhood == ""


@pytest.mark.parametrize("place", ["Riverside", "District 9", "Barrio Norte", "Old Town"])
def test_a_coarse_neighbourhood_is_accepted(community: Community, people: dict[str, Any], place: str) -> None:
    me = services.profile_update(membership=membership_of(people["member"], community), neighbourhood=place)
    assert me.neighbourhood == place


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"contact": "x" * 201}, "contact"),
        ({"contact_visibility": "everyone"}, "contact_visibility"),
        ({"skills": [f"skill {i}" for i in range(21)]}, "skills"),
        ({"skills": ["x" * 41]}, "skills"),
        ({"display_name": ""}, "display_name"),
        ({"role": "coordinator"}, "role"),
    ],
)
def test_profile_input_is_checked(
    community: Community, people: dict[str, Any], changes: dict, field: str
) -> None:
    me = membership_of(people["member"], community)
    with pytest.raises(InvalidInput) as err:
        services.profile_update(membership=me, **changes)
    assert err.value.field == field
    me.refresh_from_db()
    assert me.role == "member" and me.contact == ""


# --- tokens --------------------------------------------------------------------------------


def test_only_the_hash_of_a_token_is_stored(people: dict[str, Any]) -> None:
    token, raw = services.token_create(user=people["member"], name="backup script")
    stored = AccessToken.objects.get(pk=token.pk)
    assert raw.startswith("dp_")
    assert raw not in (stored.token_hash, stored.prefix, stored.name)
    assert services.token_authenticate(raw=raw) == people["member"]
    services.token_revoke(user=people["member"], token_id=token.pk)
    assert services.token_authenticate(raw=raw) is None
