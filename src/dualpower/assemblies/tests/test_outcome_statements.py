"""The outcome statement (Loomio's outcome): written after the vote by whoever steers the proposal,
kept with its history (append-only), audit-logged, told once to the members who voted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import DatabaseError, transaction

from dualpower.assemblies import services
from dualpower.assemblies.models import OutcomeStatement, Proposal
from dualpower.assemblies.tests.factories import after_close, general, open_proposal, voters
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.tests.factories import membership_of
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "applicant", "observer", "member", "coordinator", "outsider"]
BASE = "/c/riverside/assemblies/general"
API = "/api/v1/communities/riverside/assemblies/general"


@pytest.fixture
def decided(community: Any, people: Any) -> Proposal:
    """A majority vote by the member (its author), decided: Mara and Cato voted, Olu looked on."""
    p = open_proposal(general(community), membership_of(people["member"], community), process="majority")
    services.vote_cast(proposal=p, by=membership_of(people["member"], community), position="agree")
    services.vote_cast(proposal=p, by=membership_of(people["coordinator"], community), position="agree")
    services.proposal_close(proposal=p, now=after_close(p))
    p.refresh_from_db()
    assert p.state == Proposal.State.CLOSED
    return p


def _write(p: Proposal, who: Any, text: str) -> OutcomeStatement:
    return services.outcome_statement_write(
        proposal=p, by=membership_of(who, p.assembly.community), text=text
    )


# Services ----------------------------------------------------------------------------------------


def test_the_author_writes_then_edits_and_every_version_is_kept(decided: Proposal, people: Any) -> None:
    first = _write(decided, people["member"], "  We open the tool library in March.  ")
    second = _write(decided, people["coordinator"], "We open the tool library on 1 March, in the shed.")
    versions = list(OutcomeStatement.objects.filter(outcome__proposal=decided))
    assert [v.pk for v in versions] == [second.pk, first.pk]  # newest first
    assert first.text == "We open the tool library in March."  # trimmed
    assert second.author.display_name == "Cato" and first.author.display_name == "Mara"
    actions = list(
        AuditEntry.objects.filter(action__startswith="outcome.statement").values_list("action", flat=True)
    )
    assert sorted(actions) == ["outcome.statement", "outcome.statement_edit"]


def test_a_version_cannot_be_changed_in_the_database(decided: Proposal, people: Any) -> None:
    version = _write(decided, people["member"], "Decided.")
    with pytest.raises(DatabaseError), transaction.atomic():
        OutcomeStatement.objects.filter(pk=version.pk).update(text="Rewritten history")
    version.refresh_from_db()
    assert version.text == "Decided."


def test_the_first_statement_tells_the_voters_once_and_edits_tell_nobody(
    decided: Proposal, people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _write(decided, people["member"], "Decided.")
    told = Notification.objects.filter(kind="assemblies.outcome_statement")
    # Cato voted; Mara voted too but wrote it; Olu (observer) did not vote.
    assert [n.user_id for n in told] == [people["coordinator"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        _write(decided, people["coordinator"], "Decided, and here is how.")
    assert told.count() == 1


def test_a_secret_ballots_voters_are_told_from_who_took_part(community: Any, people: Any) -> None:
    p = open_proposal(
        general(community, secret_ballots=True),
        membership_of(people["member"], community),
        process="majority",
    )
    group = voters(community, 2)
    for v in group:
        services.vote_cast(proposal=p, by=v, position="agree")
    services.proposal_close(proposal=p, now=after_close(p))
    _write(p, people["member"], "Passed by secret ballot.")
    told = set(
        Notification.objects.filter(kind="assemblies.outcome_statement").values_list("user_id", flat=True)
    )
    assert told == {v.user_id for v in group}


def test_refusals(decided: Proposal, people: Any, community: Any) -> None:
    with pytest.raises(InvalidInput) as empty:
        _write(decided, people["member"], "   ")
    assert empty.value.field == "text"
    with pytest.raises(InvalidInput):
        _write(decided, people["member"], "x" * 5001)
    with pytest.raises(PermissionDenied):
        _write(decided, people["observer"], "Not mine to say.")
    with pytest.raises(PermissionDenied):
        services.outcome_statement_write(proposal=decided, by=None, text="Anonymous")
    _write(decided, people["member"], "Decided.")
    with pytest.raises(Conflict):
        _write(decided, people["member"], "Decided.")  # unchanged: no empty version
    assert OutcomeStatement.objects.count() == 1


def test_a_member_who_is_not_the_author_may_not_write_it(decided: Proposal, community: Any) -> None:
    (other,) = voters(community, 1)
    with pytest.raises(PermissionDenied):
        services.outcome_statement_write(proposal=decided, by=other, text="I say so.")


def test_not_before_the_vote_closes(community: Any, people: Any) -> None:
    p = open_proposal(general(community), membership_of(people["member"], community), process="majority")
    with pytest.raises(Conflict):
        _write(p, people["member"], "Too early.")
    assert not OutcomeStatement.objects.exists()


# API ---------------------------------------------------------------------------------------------

POST = {
    "anonymous": 401,
    "applicant": 403,
    "observer": 403,
    "member": 201,
    "coordinator": 201,
    "outsider": 403,
}
GET = {**POST, "observer": 200, "member": 200, "coordinator": 200}


@pytest.mark.parametrize("role", ROLES)
def test_api_by_role(client_for: Any, decided: Proposal, role: str) -> None:
    client = client_for(role)
    url = f"{API}/proposals/{decided.pk}/outcome/statements"
    response = client.post(
        url, data=json.dumps({"text": f"Said by {role}."}), content_type="application/json"
    )
    assert response.status_code == POST[role], response.content
    assert OutcomeStatement.objects.count() == (1 if POST[role] == 201 else 0)
    listed = client.get(url)
    assert listed.status_code == GET[role]
    if GET[role] == 200:
        body = listed.json()
        assert [v["text"] for v in body] == ([f"Said by {role}."] if POST[role] == 201 else [])


def test_api_lists_versions_newest_first_and_refuses_bad_input(
    client_for: Any, decided: Proposal, community: Any
) -> None:
    client = client_for("member")
    url = f"{API}/proposals/{decided.pk}/outcome/statements"
    for text in ("First.", "Second."):
        assert (
            client.post(url, data=json.dumps({"text": text}), content_type="application/json").status_code
            == 201
        )
    body = client.get(url).json()
    assert [(v["text"], v["current"], v["author"]) for v in body] == [
        ("Second.", True, "Mara"),
        ("First.", False, "Mara"),
    ]
    blank = client.post(url, data=json.dumps({"text": " "}), content_type="application/json")
    assert blank.status_code == 400 and blank.json()["detail"]
    same = client.post(url, data=json.dumps({"text": "Second."}), content_type="application/json")
    assert same.status_code == 409
    assert OutcomeStatement.objects.count() == 2


def test_api_before_the_vote_closes(client_for: Any, community: Any, people: Any) -> None:
    p = open_proposal(general(community), membership_of(people["member"], community), process="majority")
    url = f"{API}/proposals/{p.pk}/outcome/statements"
    client = client_for("member")
    assert client.get(url).status_code == 404
    assert (
        client.post(url, data=json.dumps({"text": "Early"}), content_type="application/json").status_code
        == 409
    )


# Pages -------------------------------------------------------------------------------------------


def test_the_page_form_writes_and_the_proposal_shows_it_with_its_history(
    client_for: Any, decided: Proposal
) -> None:
    client = client_for("member")
    page = client.get(decided.get_absolute_url()).content.decode()
    form_url = f"{BASE}/p/{decided.pk}/outcome/statement/"
    assert form_url in page and "Write the outcome statement" in page
    assert client.get(form_url).status_code == 200
    assert client.post(form_url, {"text": "We open in March."}).status_code == 302
    assert client.post(form_url, {"text": "We open on 1 March."}).status_code == 302
    page = client.get(decided.get_absolute_url()).content.decode()
    assert "We open on 1 March." in page and "Edit the outcome statement" in page
    history = page[page.index("<details><summary>History") :]
    assert "We open in March." in history[: history.index("</details>")]
    # The form starts from the current version.
    assert "We open on 1 March." in client.get(form_url).content.decode()


def test_the_page_form_keeps_what_was_typed_with_an_error_summary(client_for: Any, decided: Proposal) -> None:
    client = client_for("member")
    form_url = f"{BASE}/p/{decided.pk}/outcome/statement/"
    client.post(form_url, {"text": "Same words."})
    response = client.post(form_url, {"text": "Same words."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "nothing was changed" in html and "Same words." in html
    assert 'class="error-summary"' in html and 'href="#id_text"' in html
    assert OutcomeStatement.objects.count() == 1


@pytest.mark.parametrize("role", ["observer", "outsider", "anonymous"])
def test_the_page_form_is_refused_to_others(client_for: Any, decided: Proposal, role: str) -> None:
    client = client_for(role)
    form_url = f"{BASE}/p/{decided.pk}/outcome/statement/"
    assert client.post(form_url, {"text": "Mine now."}).status_code in (302, 401, 403)
    assert not OutcomeStatement.objects.exists()
    if role == "observer":
        assert form_url not in client.get(decided.get_absolute_url()).content.decode()
