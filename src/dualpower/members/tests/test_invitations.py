"""Invitation links: making, revoking and using them (services), and their pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dualpower.community.models import AuditEntry, Community
from dualpower.errors import Conflict, DomainError, PermissionDenied
from dualpower.members.invitation_models import Invitation, InvitationUse
from dualpower.members.models import Application, User
from dualpower.members.services import invitations as service
from dualpower.members.tests.factories import make_user, membership_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long passphrase for tests"


def coordinator(people: dict[str, Any], community: Community) -> Any:
    return membership_of(people["coordinator"], community)


# --- Services ----------------------------------------------------------------------------------


def test_a_coordinator_makes_a_link_and_a_person_applies_through_it(
    community: Community, people: dict[str, Any]
) -> None:
    invitation = service.invitation_create(
        community=community, by=people["coordinator"], note="Street party", max_uses=2
    )
    assert len(invitation.token) >= 20 and invitation.usable()
    assert invitation.created_by == coordinator(people, community)
    newcomer = make_user("nia@example.org")
    application = service.invitation_apply(
        invitation=invitation, user=newcomer, display_name="Nia", answers=["I cook."]
    )
    assert (application.status, application.display_name) == (Application.Status.PENDING, "Nia")
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert InvitationUse.objects.get(invitation=invitation).application == application
    assert AuditEntry.objects.filter(
        community=community, action="invitation.use", target_id=str(invitation.pk)
    ).exists()


def test_only_a_coordinator_makes_or_revokes_links(community: Community, people: dict[str, Any]) -> None:
    for role in ("member", "observer", "outsider", "applicant"):
        with pytest.raises(PermissionDenied):
            service.invitation_create(community=community, by=people[role])
    invitation = service.invitation_create(community=community, by=people["coordinator"])
    with pytest.raises(PermissionDenied):
        service.invitation_revoke(invitation=invitation, by=people["member"])
    assert Invitation.objects.filter(community=community).count() == 1


def test_a_used_up_link_refuses_the_next_person(community: Community, people: dict[str, Any]) -> None:
    invitation = service.invitation_create(community=community, by=people["coordinator"], max_uses=1)
    service.invitation_apply(invitation=invitation, user=make_user(), display_name="A", answers=["x"])
    with pytest.raises(Conflict, match="as many people"):
        service.invitation_apply(invitation=invitation, user=make_user(), display_name="B", answers=["x"])
    assert Application.objects.filter(community=community, display_name="B").count() == 0
    invitation.refresh_from_db()
    assert invitation.uses == 1 and invitation.state() == "used_up"


def test_revoked_and_expired_links_refuse(community: Community, people: dict[str, Any]) -> None:
    revoked = service.invitation_create(community=community, by=people["coordinator"])
    service.invitation_revoke(invitation=revoked, by=people["coordinator"])
    with pytest.raises(Conflict, match="withdrawn"):
        service.invitation_apply(invitation=revoked, user=make_user(), display_name="A", answers=["x"])
    with pytest.raises(Conflict):
        service.invitation_revoke(invitation=revoked, by=people["coordinator"])
    expiring = service.invitation_create(
        community=community, by=people["coordinator"], expires_at=timezone.now() + timedelta(days=1)
    )
    Invitation.objects.filter(pk=expiring.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict, match="expired"):
        service.invitation_apply(invitation=expiring, user=make_user(), display_name="A", answers=["x"])
    assert not Application.objects.filter(community=community, display_name="A").exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"max_uses": 0}, "max_uses"),
        ({"max_uses": 10_001}, "max_uses"),
        ({"expires_at": "past"}, "expires_at"),
        ({"note": "x" * 121}, "note"),
    ],
)
def test_a_link_with_impossible_limits_is_refused(
    kwargs: dict[str, Any], field: str, community: Community, people: dict[str, Any]
) -> None:
    if kwargs.get("expires_at") == "past":
        kwargs = {"expires_at": timezone.now() - timedelta(hours=1)}
    with pytest.raises(DomainError) as caught:
        service.invitation_create(community=community, by=people["coordinator"], **kwargs)
    assert caught.value.field == field
    assert not Invitation.objects.filter(community=community).exists()


def test_signing_up_and_applying_is_one_step_or_nothing(community: Community, people: dict[str, Any]) -> None:
    invitation = service.invitation_create(community=community, by=people["coordinator"])
    application = service.invitation_sign_up_and_apply(
        invitation=invitation,
        email="Nia@Example.org",
        password=NEW_PASSWORD,
        password_again=NEW_PASSWORD,
        display_name="Nia",
        answers=["I cook."],
    )
    user = User.objects.get(email="nia@example.org")
    assert application.user == user and user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified is False  # allauth confirms it
    # A missing answer: neither the account nor the application is made, and the use not counted.
    with pytest.raises(DomainError):
        service.invitation_sign_up_and_apply(
            invitation=invitation,
            email="lee@example.org",
            password=NEW_PASSWORD,
            password_again=NEW_PASSWORD,
            display_name="Lee",
            answers=[],
        )
    assert not User.objects.filter(email="lee@example.org").exists()
    invitation.refresh_from_db()
    assert invitation.uses == 1


@pytest.mark.parametrize(
    ("email", "password_again", "field"),
    [
        ("not an address", NEW_PASSWORD, "email"),
        ("applicant@example.org", NEW_PASSWORD, "email"),  # an account exists: sign in instead
        ("new@example.org", "something else entirely", "password2"),
    ],
)
def test_sign_up_mistakes_are_on_their_fields(
    email: str, password_again: str, field: str, community: Community, people: dict[str, Any]
) -> None:
    invitation = service.invitation_create(community=community, by=people["coordinator"])
    with pytest.raises(DomainError) as caught:
        service.invitation_sign_up_and_apply(
            invitation=invitation,
            email=email,
            password=NEW_PASSWORD,
            password_again=password_again,
            display_name="N",
            answers=["x"],
        )
    assert caught.value.field == field


def test_the_qr_code_is_inline_svg_of_the_link() -> None:
    svg = service.invitation_qr_svg(url="https://node.example/c/riverside/join/abc/")
    assert svg.startswith("<svg") and "<path" in svg
    assert 'width="' not in svg.split(">", 1)[0]  # scales to its box on a phone


# --- Pages -------------------------------------------------------------------------------------


def test_a_coordinator_makes_a_link_and_sees_it_with_its_qr_code(
    client_for: Any, community: Community
) -> None:
    client = client_for("coordinator")
    url = reverse("members:invitations", args=[community.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Street party", "max_uses": "3", "expires_on": ""})
    invitation = Invitation.objects.get(community=community)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:invitation", args=[community.slug, invitation.pk])
    page = client.get(response["Location"]).content.decode()
    assert invitation.token in page and "<svg" in page
    listing = client.get(url).content.decode()
    assert 'data-label="Used"' in listing and "Street party" in listing


def test_a_wrong_limit_keeps_what_was_typed(client_for: Any, community: Community) -> None:
    client = client_for("coordinator")
    response = client.post(
        reverse("members:invitations", args=[community.slug]), {"note": "Street party", "max_uses": "0"}
    )
    assert response.status_code == 400
    assert 'value="Street party"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_revoking_from_the_page(client_for: Any, community: Community, people: dict[str, Any]) -> None:
    invitation = service.invitation_create(community=community, by=people["coordinator"])
    client = client_for("coordinator")
    client.post(reverse("members:invitation-revoke", args=[community.slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    opened = client_for("anonymous").get(invitation.get_absolute_url())
    assert opened.status_code == 410
    assert "no longer works" in opened.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "applicant", "observer", "member", "outsider"])
def test_only_coordinators_reach_the_invitation_pages(
    role: str, client_for: Any, community: Community, people: dict[str, Any]
) -> None:
    invitation = service.invitation_create(community=community, by=people["coordinator"])
    client = client_for(role)
    for url in (
        reverse("members:invitations", args=[community.slug]),
        reverse("members:invitation", args=[community.slug, invitation.pk]),
    ):
        assert client.get(url).status_code in (302, 401, 403)


def test_a_newcomer_opens_the_link_signs_up_and_applies_in_one_step(
    client_for: Any, community: Community, people: dict[str, Any]
) -> None:
    invitation = service.invitation_create(community=community, by=people["coordinator"])
    client = client_for("anonymous")
    page = client.get(invitation.get_absolute_url())
    assert page.status_code == 200 and "Why do you want to join?" in page.content.decode()
    response = client.post(
        invitation.get_absolute_url(),
        {
            "email": "nia@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "display_name": "Nia",
            "answer_0": "I cook for my block.",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(community=community, user__email="nia@example.org")
    assert application.status == Application.Status.PENDING
    assert InvitationUse.objects.filter(invitation=invitation, application=application).exists()
    assert any("/accounts/confirm-email/" in str(m.body) for m in mail.outbox)
    # The application is in the coordinators' queue.
    queue = client_for("coordinator").get(reverse("members:applications", args=[community.slug]))
    assert "Nia" in queue.content.decode()


def test_a_mistake_on_the_link_keeps_everything_but_the_passwords(
    client_for: Any, community: Community, people: dict[str, Any]
) -> None:
    invitation = service.invitation_create(community=community, by=people["coordinator"])
    response = client_for("anonymous").post(
        invitation.get_absolute_url(),
        {
            "email": "nia@example.org",
            "password1": "short",
            "password2": "short",
            "display_name": "Nia",
            "answer_0": "I cook.",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="nia@example.org"' in body and 'value="Nia"' in body and "I cook." in body
    assert not User.objects.filter(email="nia@example.org").exists()


def test_a_signed_in_person_only_answers_the_questions(
    client_for: Any, community: Community, people: dict[str, Any]
) -> None:
    invitation = service.invitation_create(community=community, by=people["coordinator"])
    outsider = client_for("outsider")
    page = outsider.get(invitation.get_absolute_url()).content.decode()
    assert 'name="password1"' not in page
    response = outsider.post(
        invitation.get_absolute_url(), {"display_name": "Otto", "answer_0": "Neighbour."}
    )
    assert response.status_code == 302
    assert Application.objects.filter(community=community, user=people["outsider"]).exists()


def test_a_member_opening_a_link_goes_to_the_dashboard(
    client_for: Any, community: Community, people: dict[str, Any]
) -> None:
    invitation = service.invitation_create(community=community, by=people["coordinator"])
    response = client_for("member").get(invitation.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == reverse(
        "community-dashboard", args=[community.slug]
    )


def test_an_unknown_token_is_a_404(client_for: Any, community: Community) -> None:
    response = client_for("anonymous").get(reverse("members:invitation-open", args=[community.slug, "nope"]))
    assert response.status_code == 404


# --- Query counts ------------------------------------------------------------------------------


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_invitation_pages_do_not_grow_with_the_links(
    client_for: Any, community: Community, people: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    listing = reverse("members:invitations", args=[community.slug])
    first = service.invitation_create(community=community, by=people["coordinator"])
    detail = reverse("members:invitation", args=[community.slug, first.pk])
    few = (
        _count(client, listing),
        _count(client, detail),
        _count(client_for("anonymous"), first.get_absolute_url()),
    )
    client = client_for("coordinator")
    for i in range(15):
        service.invitation_create(community=community, by=people["coordinator"], note=f"Link {i}")
    more = (
        _count(client, listing),
        _count(client, detail),
        _count(client_for("anonymous"), first.get_absolute_url()),
    )
    assert more[0] <= few[0] and more[1] <= few[1] and more[2] <= few[2], (few, more)
    assert max(more) <= 25, more
