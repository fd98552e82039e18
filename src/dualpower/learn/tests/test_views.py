"""The learn app's pages: what each person sees, the buttons' effects, and bounded queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.learn.models import Hold, Loan
from dualpower.learn.services import learning, library
from dualpower.learn.tests.factories import lend, make_offering, make_thing
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db


def _url(community: Any, tail: str = "") -> str:
    return f"/c/{community.slug}/learn/{tail}"


@pytest.mark.parametrize("role", ["observer", "member", "facilitator", "keeper", "coordinator"])
def test_the_main_pages_open_for_everyone_admitted(
    client_as: Any, community: Any, offering: Any, thing: Any, role: str
) -> None:
    client = client_as(role)
    for tail in ("", "library/", f"library/{thing.pk}/", f"offerings/{offering.pk}/"):
        assert client.get(_url(community, tail)).status_code == 200, tail


@pytest.mark.parametrize("role", ["anonymous", "applicant", "outsider"])
def test_the_pages_are_closed_to_who_is_not_admitted(
    client_as: Any, community: Any, offering: Any, role: str
) -> None:
    response = client_as(role).get(_url(community, f"offerings/{offering.pk}/"))
    assert response.status_code in {302, 401, 403}


def test_who_attends_is_shown_to_the_facilitators_and_to_nobody_else(
    client_as: Any, everyone: dict[str, Any], community: Any, offering: Any
) -> None:
    trainee = make_membership(community, name="Zoe the trainee")
    learning.enrol(offering=offering, membership=trainee)
    page = _url(community, f"offerings/{offering.pk}/")
    assert "Zoe the trainee" in client_as("facilitator").get(page).content.decode()
    for role in ("member", "keeper", "coordinator", "observer"):
        assert "Zoe the trainee" not in client_as(role).get(page).content.decode(), role


def test_a_member_holds_a_thing_and_borrows_it_when_it_comes_back(
    client_as: Any, everyone: dict[str, Any], community: Any, thing: Any
) -> None:
    other = make_membership(community)
    lend(thing, other)
    client = client_as("member")
    response = client.post(_url(community, f"library/{thing.pk}/hold/"))
    assert response.status_code == 302
    mara = membership_of(everyone["member"], community)
    assert Hold.objects.get(thing=thing).membership_id == mara.pk
    library.loan_return(loan=Loan.objects.get(thing=thing), by=other, condition="good")
    page = client.get(_url(community, f"library/{thing.pk}/")).content.decode()
    assert "It is ready for you" in page
    client.post(_url(community, f"library/{thing.pk}/borrow/"))
    assert Loan.objects.get(thing=thing).borrower_id == mara.pk


def test_a_refusal_is_told_on_the_page_and_writes_nothing(
    client_as: Any, everyone: dict[str, Any], community: Any, thing: Any
) -> None:
    lend(make_thing(community, title="Ladder"), membership_of(everyone["member"], community), days_ago=30)
    lend(thing, make_membership(community))
    client = client_as("member")
    response = client.post(_url(community, f"library/{thing.pk}/hold/"), follow=True)
    assert "Bring back “Ladder” first" in response.content.decode()
    assert not Hold.objects.filter(thing=thing).exists()


def test_listing_a_thing_with_a_bad_number_keeps_the_form(client_as: Any, community: Any) -> None:
    response = client_as("member").post(
        _url(community, "library/new/"),
        {
            "title": "Drill",
            "category": "tools",
            "condition": "good",
            "loan_days": "0",
            "max_renewals": "1",
            "ready_days": "3",
        },
    )
    assert response.status_code == 400
    assert "Drill" in response.content.decode()


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_library_costs_the_same_queries_with_3_or_30_things(client_as: Any, community: Any) -> None:
    client = client_as("coordinator")
    borrower = make_membership(community)
    for i in range(3):
        lend(make_thing(community, title=f"Thing {i}"), borrower)
    few = _count(client, _url(community, "library/"))
    for i in range(27):
        thing = make_thing(community, title=f"More {i}")
        library.hold_place(thing=thing, membership=make_membership(community))
    assert _count(client, _url(community, "library/")) <= few


def test_the_offerings_cost_the_same_queries_with_3_or_30(client_as: Any, community: Any) -> None:
    client = client_as("coordinator")
    for i in range(3):
        make_offering(community, title=f"Offering {i}")
    few = _count(client, _url(community))
    for i in range(27):
        offering = make_offering(community, title=f"More {i}", sessions=1)
        learning.enrol(offering=offering, membership=make_membership(community))
    assert _count(client, _url(community)) <= few


def test_the_offering_page_costs_the_same_with_3_or_30_people(
    client_as: Any, community: Any, offering: Any
) -> None:
    client = client_as("facilitator")
    for _ in range(3):
        learning.enrol(offering=offering, membership=make_membership(community))
    few = _count(client, _url(community, f"offerings/{offering.pk}/"))
    for _ in range(27):
        learning.enrol(offering=offering, membership=make_membership(community))
    assert _count(client, _url(community, f"offerings/{offering.pk}/")) <= few


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_member_lists_their_own_thing_with_a_photo_and_a_script_is_refused(
    client_as: Any, everyone: dict[str, Any], community: Any, settings: Any, tmp_path: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dualpower.learn.models import Thing

    settings.MEDIA_ROOT = str(tmp_path)
    client = client_as("member")
    fields = {"title": "Sewing machine", "category": "other", "condition": "good", "loan_days": "14"}
    fields |= {"max_renewals": "2", "ready_days": "3"}
    svg = SimpleUploadedFile("photo.png", b"<svg onload='alert(1)'></svg>", content_type="image/png")
    refused = client.post(_url(community, "library/new/"), {**fields, "photo": svg})
    assert refused.status_code == 400
    assert not Thing.objects.exists()
    photo = SimpleUploadedFile("machine.html", PNG, content_type="text/html")
    assert client.post(_url(community, "library/new/"), {**fields, "photo": photo}).status_code == 302
    thing = Thing.objects.get()
    assert thing.owner_id == membership_of(everyone["member"], community).pk
    name = str(thing.photo.name)
    assert name.startswith("learn/") and name.endswith(".png")
