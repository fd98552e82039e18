"""Duress: the second password opens an empty account, signs the real one out everywhere and
alerts the people chosen; nothing of this is possible with wrong input."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from dualpower.defence.models.exposure import DuressPassword
from dualpower.defence.services.exposure import ALERT_KIND, duress_remove, duress_set
from dualpower.errors import InvalidInput
from dualpower.members import services as members
from dualpower.members.models import AccessToken, User
from dualpower.members.tests.factories import PASSWORD, make_membership, membership_of
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db

DURESS = "blue heron at the crossing"


def _sign_in(email: str, password: str) -> Client:
    client = Client()
    answer = client.post(reverse("account_login"), {"login": email, "password": password})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    welcome = [str(m) for m in client.get(answer["Location"], follow=True).context["messages"]]
    assert welcome == [f"Successfully signed in as {email}."]
    return client


@pytest.fixture
def mara(people: dict[str, Any], community: Any) -> Any:
    return membership_of(people["member"], community)


@pytest.fixture
def cato(people: dict[str, Any], community: Any) -> Any:
    return membership_of(people["coordinator"], community)


@pytest.fixture
def duress(mara: Any, cato: Any) -> DuressPassword:
    return duress_set(membership=mara, current_password=PASSWORD, password=DURESS, alert_to=[cato])


def test_a_duress_sign_in_opens_an_empty_account_and_signs_the_real_one_out(
    mara: Any, cato: Any, community: Any, duress: DuressPassword
) -> None:
    email = mara.user.email
    real = _sign_in(email, PASSWORD)
    assert community.name in real.get(reverse("me:profile")).content.decode()
    members.token_create(user=mara.user, name="script", scope="read")

    forced = _sign_in(email, DURESS)

    assert int(forced.session[SESSION_KEY]) == duress.decoy_id != mara.user_id
    page = forced.get(reverse("me:profile")).content.decode()
    assert community.name not in page and mara.display_name not in page
    # It shows the address typed, not the empty account's own: nothing gives it away at a glance.
    assert f"Signed in as {email}." in page
    assert duress.decoy.email not in page
    assert forced.get(reverse("defence:exposure", args=[community.slug])).status_code == 403
    # Every session of the real account has ended, and its tokens with them.
    assert real.get(reverse("me:profile")).status_code == 302
    assert not AccessToken.objects.filter(user=mara.user, revoked_at__isnull=True).exists()
    # The chosen person is told; nobody else.
    alerts = Notification.objects.filter(kind=ALERT_KIND)
    assert [n.user_id for n in alerts] == [cato.user_id]
    assert mara.display_name in alerts[0].title
    # A new sign-in with the real password works again (the person is not locked out).
    assert community.name in _sign_in(email, PASSWORD).get(reverse("me:profile")).content.decode()


def test_the_real_password_alerts_nobody_and_ends_no_session(mara: Any, duress: DuressPassword) -> None:
    first = _sign_in(mara.user.email, PASSWORD)
    _sign_in(mara.user.email, PASSWORD)
    assert first.get(reverse("me:profile")).status_code == 200
    assert not Notification.objects.filter(kind=ALERT_KIND).exists()


def test_a_wrong_password_is_refused_as_ever(mara: Any, duress: DuressPassword) -> None:
    answer = Client().post(reverse("account_login"), {"login": mara.user.email, "password": "not it at all"})
    assert answer.status_code == 200  # the form again, with its error
    assert not Notification.objects.filter(kind=ALERT_KIND).exists()


def test_the_duress_password_of_one_account_does_not_open_another(
    mara: Any, cato: Any, duress: DuressPassword
) -> None:
    answer = Client().post(reverse("account_login"), {"login": cato.user.email, "password": DURESS})
    assert answer.status_code == 200
    assert not Notification.objects.filter(kind=ALERT_KIND).exists()


def test_the_password_is_stored_as_a_hash(duress: DuressPassword) -> None:
    assert DURESS not in duress.password
    assert duress.password.startswith(("md5$", "pbkdf2", "argon2", "scrypt", "bcrypt"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"current_password": "wrong"}, "current_password"),
        ({"password": PASSWORD}, "password"),  # the real password itself
        ({"password": "short"}, "password"),
        ({"password": ""}, "password"),
        ({"password": 12345678901}, "password"),
        ({"alert_to": "outsider"}, "alert_to"),
        ({"alert_to": "self"}, "alert_to"),
    ],
)
def test_bad_input_is_refused_with_a_sentence_and_nothing_written(
    mara: Any, cato: Any, people: dict[str, Any], other_community: Any, change: dict[str, Any], field: str
) -> None:
    args: dict[str, Any] = {"current_password": PASSWORD, "password": DURESS, "alert_to": [cato]}
    args.update(change)
    if args["alert_to"] == "outsider":
        args["alert_to"] = [membership_of(people["outsider"], other_community)]
    elif args["alert_to"] == "self":
        args["alert_to"] = [mara]
    users = User.objects.count()
    with pytest.raises(InvalidInput) as refused:
        duress_set(membership=mara, **args)
    assert refused.value.field == field
    assert str(refused.value.detail)
    assert not DuressPassword.objects.exists()
    assert User.objects.count() == users


def test_removing_it_removes_the_empty_account(mara: Any, duress: DuressPassword) -> None:
    assert duress_remove(user=mara.user)
    assert not User.objects.filter(pk=duress.decoy_id).exists()
    answer = Client().post(reverse("account_login"), {"login": mara.user.email, "password": DURESS})
    assert answer.status_code == 200
    assert not duress_remove(user=mara.user)


def test_deleting_the_account_deletes_the_empty_one(mara: Any, duress: DuressPassword) -> None:
    members.account_delete(user=mara.user, confirm_email=mara.user.email)
    assert not User.objects.filter(pk=duress.decoy_id).exists()


def test_the_empty_account_of_someone_in_a_community_is_never_deleted(mara: Any, community: Any) -> None:
    members.decoy_account_delete(user_id=mara.user_id)
    assert User.objects.filter(pk=mara.user_id).exists()


def test_the_page_sets_changes_and_removes_it(client_for: Any, community: Any, mara: Any, cato: Any) -> None:
    client = client_for("member")
    url = reverse("defence:duress", args=[community.slug])
    page = client.get(url)
    assert page.status_code == 200 and cato.display_name in page.content.decode()
    answer = client.post(url, {"current_password": PASSWORD, "password": DURESS, "alert_to": [cato.pk]})
    assert answer.status_code == 302
    duress = DuressPassword.objects.get(user=mara.user)
    assert list(duress.alert_to.all()) == [cato]
    refused = client.post(url, {"current_password": "nope", "password": DURESS})
    assert refused.status_code == 400 and "not your password" in refused.content.decode()
    assert client.post(reverse("defence:duress_remove", args=[community.slug])).status_code == 302
    assert not DuressPassword.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "applicant", "outsider"])
def test_who_is_not_admitted_cannot_open_the_page(client_for: Any, community: Any, role: str) -> None:
    answer = client_for(role).get(reverse("defence:duress", args=[community.slug]))
    assert answer.status_code in {302, 401, 403}


def test_the_seizure_page_counts_duress_passwords(
    client_for: Any, community: Any, duress: DuressPassword, mara: Any
) -> None:
    make_membership(community, name="Nobody chose")
    html = client_for("observer").get(reverse("defence:exposure", args=[community.slug])).content.decode()
    assert 'data-count="defence.duress:0">1<' in html
    assert 'data-count="defence.duress:1">1<' in html


def test_the_page_finds_people_by_name_and_keeps_those_chosen(
    client_for: Any, community: Any, mara: Any, cato: Any, duress: DuressPassword
) -> None:
    make_membership(community, name="Zenaida")
    make_membership(community, name="Yusuf")
    page = client_for("member").get(reverse("defence:duress", args=[community.slug]), {"q": "zena"})
    html = page.content.decode()
    assert "Zenaida" in html and "Yusuf" not in html
    assert cato.display_name in html  # chosen already: still shown, still ticked
