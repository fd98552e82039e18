"""Advisory polls on the fediverse (federation/polls.py): the Question's FEP-9967 shape, answers
taken through the inbox and counted apart, refusals that keep nothing, the Update(Question) owed
and the closing one, the members' decision untouched, the proposal page showing both apart, who
may publish, and a page whose query count does not grow with the answers."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.assemblies import processes, services
from dualpower.assemblies.models import Outcome, Proposal, Vote
from dualpower.assemblies.tests.factories import after_close, general, open_proposal, voters
from dualpower.errors import Conflict, InvalidInput
from dualpower.federation import activities, ids, polls
from dualpower.federation.models import (
    InboxEntry,
    OutboundActivity,
    PollAnswer,
    PublicPoll,
    RemoteActor,
    RemoteObject,
)
from dualpower.federation.tests.inbox_helpers import activity, post
from dualpower.federation.tests.remote_node import Actor, RemoteNode
from dualpower.members.tests.factories import ROLES, membership_of

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("federation_site")]

JSON = {"Accept": "application/activity+json"}
HEADING = "Answers from the fediverse (advisory, not counted in the decision)"


def _proposal(people: dict[str, Any], community: Any, *, process: str = "approval", **kw: Any) -> Proposal:
    author = membership_of(people["member"], community)
    options = ["Apples", "Beans", "Carrots"] if processes.get(process).has_options else []
    return open_proposal(general(community), author, process=process, options=options, **kw)


def _publish(people: dict[str, Any], community: Any, **kw: Any) -> PublicPoll:
    proposal = _proposal(people, community, **kw)
    return polls.poll_publish(proposal=proposal, by=membership_of(people["coordinator"], community))


def _question(client: Any, poll: PublicPoll) -> dict[str, Any]:
    path = polls.poll_id(poll).removeprefix("http://testserver")
    answered = client.get(path, headers=JSON)
    assert answered.status_code == 200 and answered["Content-Type"] == "application/activity+json"
    return json.loads(answered.content)


def _answer(client: Any, voter: Actor, poll: PublicPoll, name: Any, *, note_id: str = "") -> Any:
    note: dict[str, Any] = {
        "id": note_id or f"{voter.uri}#votes/{uuid.uuid4()}",
        "type": "Note",
        "attributedTo": voter.uri,
        "inReplyTo": polls.poll_id(poll),
        "to": [ids.community_actor_id(poll.community)],
    }
    if name is not None:
        note["name"] = name
    return post(client, activity(voter, "Create", note), signer=voter)


def test_the_question_has_fep_9967s_shape_and_is_served_at_its_id(
    client: Any, people: dict[str, Any], community: Any
) -> None:
    poll = _publish(people, community)
    question = _question(client, poll)
    assert question["@context"] == polls.POLL_CONTEXT
    assert question["type"] == "Question" and question["id"] == polls.poll_id(poll)
    assert question["attributedTo"] == ids.community_actor_id(community)
    # An approval poll ticks several options: anyOf, each a Note with its count of answers.
    assert "oneOf" not in question
    assert question["anyOf"] == [
        {"type": "Note", "name": name, "replies": {"type": "Collection", "totalItems": 0}}
        for name in ("Apples", "Beans", "Carrots")
    ]
    assert question["votersCount"] == 0 and "closed" not in question
    closes = poll.proposal.voting_closes_at
    assert closes is not None and question["endTime"] == closes.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert question["to"] == [activities.PUBLIC] and question["cc"] == [
        f"{ids.community_actor_id(community)}/followers"
    ]
    assert (
        "Open a tool library" in question["content"] and poll.proposal.get_absolute_url() in question["url"]
    )
    # Published once, as Create(Question) to the public, carrying the same object.
    sent = OutboundActivity.objects.get(kind="Create")
    assert sent.audience == "public" and sent.data["object"]["id"] == question["id"]
    assert sent.data["object"]["anyOf"] == question["anyOf"]
    # A browser at the id is sent to the proposal's page.
    page = client.get(polls.poll_id(poll).removeprefix("http://testserver"), headers={"Accept": "text/html"})
    assert page.status_code == 302 and page["Location"] == poll.proposal.get_absolute_url()


def test_a_ranked_vote_asks_the_fediverse_for_one_choice(people: dict[str, Any], community: Any) -> None:
    poll = _publish(people, community, process="ranked")
    assert not poll.multiple and "oneOf" in poll.data and "anyOf" not in poll.data


@pytest.mark.parametrize("case", ["positions", "secret", "not_voting", "again"])
def test_what_cannot_be_an_advisory_poll_is_refused_and_nothing_is_sent(
    people: dict[str, Any], community: Any, case: str
) -> None:
    coordinator = membership_of(people["coordinator"], community)
    if case == "positions":
        proposal = _proposal(people, community, process="majority")
    elif case == "secret":
        general(community, secret_ballots=True)
        proposal = _proposal(people, community)
    elif case == "not_voting":
        proposal = _proposal(people, community)
        services.proposal_close(proposal=proposal, now=after_close(proposal))
    else:
        proposal = _proposal(people, community)
        polls.poll_publish(proposal=proposal, by=coordinator)
    sent_before = OutboundActivity.objects.count()
    with pytest.raises(Conflict if case == "again" else InvalidInput):
        polls.poll_publish(proposal=proposal, by=coordinator)
    assert PublicPoll.objects.count() == (1 if case == "again" else 0)
    assert OutboundActivity.objects.count() == sent_before


def test_answers_are_counted_apart_and_never_kept_as_replies(
    client: Any, people: dict[str, Any], community: Any, node: RemoteNode, alice: Actor
) -> None:
    poll = _publish(people, community)
    bob = node.actor("bob")
    assert _answer(client, alice, poll, "Beans").status_code == 202
    assert _answer(client, bob, poll, "Beans").status_code == 202
    assert _answer(client, bob, poll, "Carrots").status_code == 202  # anyOf: one per option
    question = _question(client, poll)
    assert [o["replies"]["totalItems"] for o in question["anyOf"]] == [0, 2, 1]
    assert question["votersCount"] == 2
    assert set(PollAnswer.objects.values_list("actor__uri", "option")) == {
        (alice.uri, 1),
        (bob.uri, 1),
        (bob.uri, 2),
    }
    assert not RemoteObject.objects.exists()  # an answer is not a reply
    assert not Vote.objects.exists()  # nor a member's vote


@pytest.mark.parametrize(
    "case", ["again", "same_note", "second_choice_of_one_of", "unknown", "no_name", "late"]
)
def test_a_doubtful_answer_is_refused_and_nothing_is_stored(
    client: Any, people: dict[str, Any], community: Any, alice: Actor, case: str
) -> None:
    poll = _publish(people, community, process="ranked" if case == "second_choice_of_one_of" else "approval")
    first = f"{alice.uri}#votes/1"
    assert _answer(client, alice, poll, "Apples", note_id=first).status_code == 202
    answers, entries = PollAnswer.objects.count(), InboxEntry.objects.count()
    if case == "late":
        PublicPoll.objects.filter(pk=poll.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    name = {"unknown": "Durian", "no_name": None, "second_choice_of_one_of": "Beans"}.get(case, "Apples")
    answered = _answer(client, alice, poll, name, note_id=first if case == "same_note" else "")
    if case == "no_name":
        # Without a name it is no answer: a reply to the poll, kept as replies are, never counted.
        assert answered.status_code == 202 and RemoteObject.objects.get().in_reply_to == polls.poll_id(poll)
    else:
        assert answered.status_code in (409, 422), answered.content
        assert InboxEntry.objects.count() == entries  # refused whole: the activity is not taken
    assert PollAnswer.objects.count() == answers


def test_counts_are_sent_at_most_every_few_minutes_and_once_more_when_the_vote_closes(
    client: Any, people: dict[str, Any], community: Any, node: RemoteNode, alice: Actor
) -> None:
    poll = _publish(people, community)
    now = timezone.now()
    assert polls.polls_due(now) == ""  # nothing owed yet: nothing sent
    assert _answer(client, alice, poll, "Apples").status_code == 202
    assert _answer(client, node.actor("bob"), poll, "Apples").status_code == 202
    poll.refresh_from_db()
    assert poll.update_due_at is not None and poll.update_due_at <= now + polls.UPDATE_EVERY + timedelta(
        minutes=1
    )
    assert polls.polls_due(poll.update_due_at - timedelta(seconds=1)) == ""
    assert polls.polls_due(poll.update_due_at) == "1 polls updated, 0 closed"
    update = OutboundActivity.objects.get(kind="Update")  # two answers, one Update
    assert update.data["object"]["anyOf"][0]["replies"]["totalItems"] == 2
    assert update.data["object"]["votersCount"] == 2 and "closed" not in update.data["object"]
    assert polls.polls_due(timezone.now()) == ""  # nothing owed any more
    closes = after_close(poll.proposal)
    assert polls.polls_due(closes) == "0 polls updated, 1 closed"
    last = OutboundActivity.objects.filter(kind="Update").latest("pk")
    assert last.data["object"]["closed"] == poll.ends_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert polls.polls_due(closes + timedelta(minutes=5)) == ""
    assert _question(client, poll)["closed"] == last.data["object"]["closed"]


def test_the_members_decision_is_not_touched_by_the_fediverse(
    client: Any, people: dict[str, Any], community: Any, node: RemoteNode
) -> None:
    poll = _publish(people, community, process="ranked")
    proposal = poll.proposal
    apples, beans, _carrots = (
        str(pk) for pk in proposal.options.order_by("position").values_list("pk", flat=True)
    )
    members = voters(community, 3)
    for member in members:
        services.vote_cast(proposal=proposal, by=member, choices=[apples, beans])
    for n in range(4):  # more people elsewhere prefer beans
        assert _answer(client, node.actor(f"fan{n}"), poll, "Beans").status_code == 202
    outcome = services.proposal_close(proposal=proposal, now=after_close(proposal))
    assert outcome.winners == ["Apples"]
    assert outcome.participants == 3 and Outcome.objects.get(proposal=proposal).participants == 3
    assert Vote.objects.filter(proposal=proposal).count() == 3
    assert PollAnswer.objects.filter(poll=poll).count() == 4


def test_the_page_shows_the_fediverse_apart_and_only_coordinators_publish(
    client: Any, people: dict[str, Any], community: Any, alice: Actor
) -> None:
    proposal = _proposal(people, community)
    publish = f"/c/{community.slug}/network/polls/{proposal.assembly.slug}/{proposal.pk}/publish/"
    client.force_login(people["member"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert HEADING not in page and publish not in page  # nothing to show a member yet
    assert client.post(publish).status_code == 403 and not PublicPoll.objects.exists()
    client.force_login(people["coordinator"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "Publish as an advisory poll on the fediverse" in page and publish in page
    assert client.post(publish).status_code == 302
    poll = PublicPoll.objects.get(proposal=proposal)
    client.logout()
    assert _answer(client, alice, poll, "Carrots").status_code == 202
    client.force_login(people["member"])
    page = client.get(proposal.get_absolute_url()).content.decode()
    panel = page[page.index(HEADING) :]
    assert "1 person answered on the fediverse" in panel
    assert 'data-label="Answers">1</td>' in panel and "Publish as an advisory poll" not in page
    # The members' own count is elsewhere on the page, before the panel, under its own heading.
    assert page.index("Results are shown when the vote closes.") < page.index(HEADING)


@pytest.mark.parametrize("role", ROLES)
def test_who_may_publish_a_proposal_as_a_poll(people: dict[str, Any], community: Any, role: str) -> None:
    proposal = _proposal(people, community)
    assert people[role].has_perm("federation.publish_poll", proposal) is (role == "coordinator")


def test_the_proposal_page_costs_the_same_queries_with_many_answers(
    client: Any, people: dict[str, Any], community: Any
) -> None:
    poll = _publish(people, community)
    client.force_login(people["member"])

    def answers(n: int, start: int) -> None:
        for i in range(start, start + n):
            actor = RemoteActor.objects.create(
                uri=f"https://far{i}.example/users/x",
                host=f"far{i}.example",
                kind=RemoteActor.Kind.PERSON,
                inbox=f"https://far{i}.example/inbox",
                fetched_at=timezone.now(),
            )
            PollAnswer.objects.create(
                poll=poll, actor=actor, option=i % 3, uri=f"{actor.uri}#v", activity_id=f"{actor.uri}#a"
            )

    def counted() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(poll.proposal.get_absolute_url()).status_code == 200
        return len(queries)

    answers(1, 0)
    few = counted()
    answers(12, 1)
    assert counted() <= few


def test_a_withdrawn_proposal_closes_its_poll_at_once_and_takes_no_more_answers(
    client: Any, people: dict[str, Any], community: Any, alice: Actor
) -> None:
    poll = _publish(people, community)
    services.proposal_withdraw(proposal=poll.proposal, by=membership_of(people["coordinator"], community))
    answered = _answer(client, alice, poll, "Apples")
    assert answered.status_code == 422 and not PollAnswer.objects.exists()
    now = timezone.now()
    assert now < poll.ends_at and polls.polls_due(now) == "0 polls updated, 1 closed"
    closing = OutboundActivity.objects.get(kind="Update").data["object"]
    assert closing["closed"] == now.strftime("%Y-%m-%dT%H:%M:%SZ") and closing["votersCount"] == 0
