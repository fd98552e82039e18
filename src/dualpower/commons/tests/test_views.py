"""The commons' pages as people use them: search, write, edit (a version each time), history with
the difference, copy of a received guide (refused by its licence when it says so), a link to
propose adopting; who sees which button; and pages that fit a phone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.assemblies.tests.factories import general
from dualpower.commons.models import Guide, Licence, Visibility
from dualpower.commons.tests.factories import make_guide, make_received
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db


def url(community: Any, rest: str = "") -> str:
    return f"/c/{community.slug}/commons/{rest}"


FORM = {
    "title": "Childcare at meetings",
    "kind": "guide",
    "body": "Ask ahead.\n\nTwo volunteers per meeting.",
    "licence": "cc-by-sa-4.0",
    "language": "en",
    "visibility": "members",
    "note": "",
}


def test_a_member_writes_edits_and_reads_the_difference(client_for: Any, community: Any) -> None:
    client = client_for("member")
    response = client.post(url(community, "new/"), FORM)
    assert response.status_code == 302
    guide = Guide.objects.get()
    assert response["Location"] == url(community, f"{guide.pk}/")
    edited = {**FORM, "body": "Ask ahead.\n\nThree volunteers per meeting.", "note": "One more volunteer"}
    assert client.post(url(community, f"{guide.pk}/edit/"), edited).status_code == 302
    history = client.get(url(community, f"{guide.pk}/history/")).content.decode()
    assert "One more volunteer" in history
    assert "<del>" in history and "Two volunteers per meeting." in history
    assert "<ins>" in history and "Three volunteers per meeting." in history


def test_a_member_cannot_share_a_guide_only_a_coordinator_can(client_for: Any, community: Any) -> None:
    response = client_for("member").post(url(community, "new/"), {**FORM, "visibility": "peers"})
    assert response.status_code == 400 and not Guide.objects.exists()
    assert (
        client_for("coordinator").post(url(community, "new/"), {**FORM, "visibility": "peers"}).status_code
        == 302
    )
    assert Guide.objects.get().visibility == Visibility.PEERS


def test_bad_input_shows_the_form_again_with_the_error(client_for: Any, community: Any) -> None:
    response = client_for("member").post(url(community, "new/"), {**FORM, "title": ""})
    assert response.status_code == 400 and not Guide.objects.exists()
    assert 'id="error-summary"' in response.content.decode() or "error" in response.content.decode()


def test_search_finds_received_guides_by_their_words(client_for: Any, community: Any) -> None:
    make_received(community, 1, title="Tool library rules")
    make_received(community, 2, title="Rent strike handbook")
    page = client_for("observer").get(url(community), {"q": "tool"}).content.decode()
    assert "Tool library rules" in page and "Rent strike handbook" not in page


def test_copy_then_propose_adopting(client_for: Any, community: Any, people: Any) -> None:
    general(community)
    received = make_received(community)
    client = client_for("member")
    response = client.post(url(community, f"received/{received.pk}/copy/"))
    copy = Guide.objects.get()
    assert response["Location"] == url(community, f"{copy.pk}/")
    page = client.get(url(community, f"{copy.pk}/")).content.decode()
    assert "Garden Collective" in page and "their version 3" in page
    link = re.search(r'href="([^"]+action=commons\.adopt[^"]+)"', page)
    assert link and f"a_guide={copy.pk}" in link.group(1)
    form = client.get(link.group(1).replace("&amp;", "&")).content.decode()
    assert f'value="{copy.pk}" selected' in form


def test_all_rights_reserved_is_not_offered_and_refused_with_a_sentence(
    client_for: Any, community: Any
) -> None:
    received = make_received(community, licence=Licence.RESERVED)
    client = client_for("member")
    page = client.get(url(community, f"received/{received.pk}/")).content.decode()
    assert "Copy to our commons" not in page and "does not allow copies" in page
    response = client.post(url(community, f"received/{received.pk}/copy/"), follow=True)
    assert "its licence does not allow copies" in response.content.decode()
    assert not Guide.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 403), ("outsider", 403), ("observer", 200), ("member", 200)],
)
def test_who_opens_the_commons(client_for: Any, community: Any, role: str, status: int) -> None:
    assert client_for(role).get(url(community)).status_code == status


def test_an_observer_reads_but_gets_no_writing_buttons(client_for: Any, community: Any, people: Any) -> None:
    guide = make_guide(community, membership_of(people["member"], community))
    received = make_received(community)
    client = client_for("observer")
    assert "Write a guide" not in client.get(url(community)).content.decode()
    assert ">Edit<" not in client.get(url(community, f"{guide.pk}/")).content.decode()
    assert (
        "Copy to our commons" not in client.get(url(community, f"received/{received.pk}/")).content.decode()
    )
    assert client.post(url(community, f"received/{received.pk}/copy/")).status_code == 403
    assert client.get(url(community, f"{guide.pk}/edit/")).status_code == 403


def test_another_community_s_guide_is_not_found(
    client_for: Any, community: Any, other_community: Any
) -> None:
    theirs = make_guide(other_community)
    assert client_for("member").get(url(community, f"{theirs.pk}/")).status_code == 404


def test_the_pages_fit_a_phone(client_for: Any, community: Any, people: Any) -> None:
    guide = make_guide(community, membership_of(people["member"], community))
    client = client_for("member")
    client.post(url(community, f"{guide.pk}/edit/"), {**FORM, "note": "x"})
    received = make_received(community)
    for path in ("", "new/", f"{guide.pk}/", f"{guide.pk}/history/", f"received/{received.pk}/"):
        page = client.get(url(community, path)).content.decode()
        # Tables stack on a phone: each cell says what it is.
        cells = re.findall(r"<td(?: [^>]*)?>", page)
        assert all("data-label" in cell for cell in cells), path
        assert 'name="viewport"' in page


def _queries(client: Any, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries.captured_queries)


def test_the_history_reads_the_same_number_of_rows_whatever_its_length(
    client_for: Any, community: Any, people: Any
) -> None:
    from dualpower.commons import services
    from dualpower.commons.tests.factories import text

    mara = membership_of(people["member"], community)
    guide = make_guide(community, mara)
    client = client_for("member")
    path = url(community, f"{guide.pk}/history/")
    services.guide_edit(guide=guide, by=mara, text=text(body="two"))
    client.get(path)
    few = _queries(client, path)
    for n in range(10):
        services.guide_edit(guide=guide, by=mara, text=text(body=f"version {n + 3}"))
    assert _queries(client, path) <= few


def test_a_shared_guide_offers_edit_only_to_who_may_edit_it(client_for: Any, community: Any) -> None:
    # A member may edit a members-only guide, not one the community shares: no dead link to a 403.
    shared = make_guide(community, visibility=Visibility.PEERS)
    own = make_guide(community, title="Members only")
    edit = f'href="{url(community, f"{shared.pk}/edit/")}"'
    member = client_for("member")
    assert edit not in member.get(url(community, f"{shared.pk}/")).content.decode()
    assert member.get(url(community, f"{shared.pk}/edit/")).status_code == 403
    assert (
        f'href="{url(community, f"{own.pk}/edit/")}"'
        in member.get(url(community, f"{own.pk}/")).content.decode()
    )
    assert edit in client_for("coordinator").get(url(community, f"{shared.pk}/")).content.decode()
