"""The commons' writes: every save a version, sharing sends the version in the same transaction,
a copy keeps its origin, the licence decides whether a copy may be made, adoption is a decision."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.assemblies import services as assemblies
from dualpower.assemblies.models import Outcome
from dualpower.assemblies.tests.factories import after_close, general, open_proposal
from dualpower.commons import selectors, services
from dualpower.commons.errors import LicenceForbidsCopy
from dualpower.commons.models import Guide, GuideVersion, Licence, Visibility
from dualpower.commons.tests.factories import make_guide, make_received, text
from dualpower.community.models import AuditEntry
from dualpower.errors import InvalidInput
from dualpower.federation import remote
from dualpower.federation.models import OutboundActivity, Peer, RemoteActor
from dualpower.federation.tests.remote_node import remote_node
from dualpower.members.tests.factories import membership_of

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("federation_site")]


@pytest.fixture
def peer(community: Any) -> Any:
    with remote_node() as node:
        garden = node.actor("garden", kind="Group")
        actor = remote.actor_get(garden.uri)
        Peer.objects.create(community=community, actor=actor, state=Peer.State.ACTIVE)
        yield actor


def _sent() -> list[tuple[str, str, dict[str, Any]]]:
    return [(o.kind, o.audience, o.data) for o in OutboundActivity.objects.order_by("pk")]


def test_each_save_is_a_version_and_the_history_keeps_them_all(community: Any, people: Any) -> None:
    mara = membership_of(people["member"], community)
    guide = make_guide(community, mara)
    services.guide_edit(
        guide=guide, by=mara, text=text(body="Agenda two weeks ahead."), note="More notice for everyone"
    )
    guide.refresh_from_db()
    assert guide.version == 2 and guide.body == "Agenda two weeks ahead."
    history = selectors.versions_of(guide=guide)
    assert [(v.number, v.note, v.by) for v in history] == [
        (2, "More notice for everyone", mara),
        (1, "First version", mara),
    ]
    assert selectors.version_get(guide=guide, number=1).body.startswith("Agenda a week ahead.")


def test_an_edit_that_changes_nothing_is_refused(community: Any) -> None:
    guide = make_guide(community)
    with pytest.raises(InvalidInput):
        services.guide_edit(guide=guide, by=None, text=text(), note="")
    assert GuideVersion.objects.filter(guide=guide).count() == 1


@pytest.mark.parametrize(
    "bad",
    [{"title": "  "}, {"kind": "novel"}, {"licence": "gpl"}, {"language": "xx"}, {"visibility": "all"}],
)
def test_bad_input_is_refused_with_nothing_written(community: Any, bad: dict[str, str]) -> None:
    with pytest.raises(InvalidInput):
        services.guide_create(community=community, by=None, text=text(**bad))
    assert not Guide.objects.exists() and not AuditEntry.objects.filter(action__startswith="commons").exists()


def test_a_members_only_guide_is_sent_nowhere(community: Any) -> None:
    make_guide(community)
    assert not OutboundActivity.objects.exists()


def test_sharing_with_peers_sends_create_then_update_then_delete(community: Any, peer: RemoteActor) -> None:
    guide = make_guide(community, visibility=Visibility.PEERS)
    services.guide_edit(guide=guide, by=None, text=text(visibility=Visibility.PEERS, body="New text."))
    services.guide_edit(guide=guide, by=None, text=text(visibility=Visibility.MEMBERS, body="New text."))
    sent = _sent()
    assert [(kind, audience) for kind, audience, _data in sent] == [
        ("Create", "peers"),
        ("Update", "peers"),
        ("Delete", "peers"),
    ]
    created = sent[0][2]["object"]
    assert created["type"] == "Document" and created["version"] == 1 and created["to"] == [peer.uri]
    assert created["license"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert created["source"] == {"content": guide.body, "mediaType": "text/plain"}
    assert "https://www.w3.org/ns/activitystreams#Public" not in sent[0][2]["to"]
    assert sent[1][2]["object"]["version"] == 2
    # The Delete names the version withdrawn, so a later version arriving first is kept.
    assert sent[2][2]["object"] == {"id": created["id"], "type": "Document", "version": 2}


def test_a_public_guide_goes_to_followers_and_to_peers(community: Any, peer: RemoteActor) -> None:
    make_guide(community, visibility=Visibility.PUBLIC)
    sent = _sent()
    assert [(kind, audience) for kind, audience, _data in sent] == [("Create", "public"), ("Create", "peers")]
    assert "https://www.w3.org/ns/activitystreams#Public" in sent[0][2]["object"]["to"]


def test_a_copy_keeps_its_origin_and_grows_its_own_versions(community: Any, people: Any) -> None:
    mara = membership_of(people["member"], community)
    received = make_received(community)
    copy = services.guide_copy(received=received, by=mara)
    assert (copy.origin_uri, copy.origin_community, copy.origin_licence, copy.origin_version) == (
        received.uri,
        "Garden Collective",
        Licence.CC_BY_SA,
        3,
    )
    assert copy.visibility == Visibility.MEMBERS and copy.state == Guide.State.DRAFT
    services.guide_edit(guide=copy, by=mara, text=text(title=copy.title, body="Borrow for two weeks."))
    assert [v.number for v in selectors.versions_of(guide=copy)] == [2, 1]
    assert selectors.version_get(guide=copy, number=1).body == received.body
    assert "Garden Collective" in selectors.version_get(guide=copy, number=1).note


def test_all_rights_reserved_cannot_be_copied(community: Any) -> None:
    received = make_received(community, licence=Licence.RESERVED)
    with pytest.raises(LicenceForbidsCopy) as refused:
        services.guide_copy(received=received, by=None)
    assert refused.value.status == 403 and "all rights reserved" in refused.value.detail
    assert not Guide.objects.exists()


def test_the_assembly_adopts_a_guide_by_decision(
    community: Any, people: Any, django_capture_on_commit_callbacks: Any
) -> None:
    mara = membership_of(people["member"], community)
    guide = make_guide(community, mara)
    services.guide_edit(guide=guide, by=mara, text=text(body="Version two."))
    proposal = open_proposal(
        general(community),
        mara,
        process="majority",
        actions=[{"kind": "commons.adopt", "params": {"guide": guide.pk}}],
    )
    assemblies.vote_cast(proposal=proposal, by=mara, position="agree")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = assemblies.proposal_close(proposal=proposal, now=after_close(proposal))
    assert outcome.actions_status == Outcome.ActionsStatus.DONE, outcome
    guide.refresh_from_db()
    assert (guide.state, guide.adopted_version, guide.adopted_decision_ref) == (
        Guide.State.ADOPTED,
        2,
        f"proposal:{proposal.pk}",
    )
    entry = AuditEntry.objects.get(action="commons.guide_adopt")
    assert entry.decision_ref == f"proposal:{proposal.pk}"


def test_the_adopt_action_refuses_a_guide_of_another_community(community: Any, other_community: Any) -> None:
    from dualpower.commons import actions

    theirs = make_guide(other_community)
    with pytest.raises(InvalidInput):
        actions.validate_adopt(community, {"guide": theirs.pk})


def test_search_finds_ours_and_received_by_words_kind_and_language(
    community: Any, other_community: Any
) -> None:
    make_guide(community, title="Quorum rules")
    make_guide(community, title="Childcare at meetings", language="es")
    make_received(community, 1, title="Tool library", body="Quorum of three")
    make_received(community, 2, title="Rent strike", kind="guide")
    make_received(other_community, 3, title="Quorum elsewhere")  # another community's: never shown
    found = selectors.Search(query="quorum")
    assert [g.title for g in selectors.guides_search(community=community, search=found).rows] == [
        "Quorum rules"
    ]
    assert [g.title for g in selectors.received_search(community=community, search=found).rows] == [
        "Tool library"
    ]
    spanish = selectors.guides_search(community=community, search=selectors.Search(language="es"))
    assert [g.title for g in spanish.rows] == ["Childcare at meetings"]
    guides = selectors.received_search(community=community, search=selectors.Search(kind="guide"))
    assert [g.title for g in guides.rows] == ["Rent strike"]


def test_search_pages_by_keyset(community: Any) -> None:
    for n in range(5):
        make_received(community, n)
    first = selectors.received_search(community=community, search=selectors.Search(), size=2)
    second = selectors.received_search(
        community=community, search=selectors.Search(), before=first.next_before, size=2
    )
    last = selectors.received_search(
        community=community, search=selectors.Search(), before=second.next_before, size=2
    )
    titles = [g.title for page in (first, second, last) for g in page.rows]
    assert titles == [f"Tool library rules {n}" for n in (4, 3, 2, 1, 0)]
    assert last.next_before is None


def test_the_diff_shows_what_was_added_and_removed(community: Any) -> None:
    guide = make_guide(community, body="one\ntwo\nthree")
    services.guide_edit(guide=guide, by=None, text=text(body="one\n2\nthree"))
    lines = selectors.diff(
        selectors.version_get(guide=guide, number=1), selectors.version_get(guide=guide, number=2)
    )
    changed = [(line.kind, line.text) for line in lines if line is not None and line.kind != "same"]
    assert changed == [("removed", "two"), ("added", "2")]
