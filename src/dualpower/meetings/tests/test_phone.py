"""Phone-first and finishable (issue 13): the meeting form follows the chosen assembly without
JavaScript, and ending a meeting or adopting its minutes asks first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.assemblies.models import Assembly
from dualpower.assemblies.services import assembly_create
from dualpower.groups.tests.factories import food, put_in_group
from dualpower.meetings import services
from dualpower.meetings.services import minutes_draft, minutes_open
from dualpower.meetings.tests.factories import general, make_meeting
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


def _confirm(body: str, summary: str) -> str:
    start = body.index(summary)
    start = body.rindex('<details class="confirm">', 0, start)
    return body[start : body.index("</details>", start)]


def test_the_meeting_form_suggests_the_roles_of_the_chosen_assembly(
    client_for: Any, community: Any, people: Any
) -> None:
    general(community)
    group = food(community)
    cook = put_in_group(group, make_membership(community, name="Zora the cook")).membership
    assembly_create(community=community, name="Food", kind=Assembly.Kind.WORKING_GROUP, working_group=group)
    outsider = make_membership(community, name="Ulla Onlygeneral")
    client = client_for("coordinator")

    # With more than one assembly, the first step asks which one meets.
    first = client.get("/c/riverside/meetings/new/").content.decode()
    assert "Which assembly meets?" in first
    assert 'name="assembly"' in first and "Next: time, place and roles" in first

    # The second step is the chosen assembly's: its members, its rotation, said on the page.
    food_assembly = Assembly.objects.get(working_group=group)
    page = client.get(f"/c/riverside/meetings/new/?assembly={food_assembly.slug}").content.decode()
    assert f'type="hidden" name="assembly" value="{food_assembly.slug}"' in page
    assert "The members of Food are told" in page
    if cook.user_id:
        assert "Zora the cook" in page
    assert outsider.display_name not in page


def test_ending_a_meeting_and_adopting_its_minutes_ask_first(
    client_for: Any, community: Any, people: Any
) -> None:
    general(community)
    meeting = make_meeting(community, agenda=[{"title": "Welcome"}])
    client = client_for("coordinator")
    base = f"/c/riverside/meetings/{meeting.pk}/"
    assert client.post(base + "start/").status_code == 302
    confirm = _confirm(client.get(base).content.decode(), "End the meeting…")
    assert "cannot be undone" in confirm and 'class="danger"' in confirm and "end/" in confirm
    assert client.post(base + "end/").status_code == 302
    meeting.refresh_from_db()
    minutes_draft(meeting=meeting, by=None, summary="We met.", items={})
    minutes_open(meeting=meeting, by=None, hours=1)
    services.minutes_close_windows(now=timezone.now() + timedelta(hours=2))
    body = client.get(base + "minutes/").content.decode()
    confirm = _confirm(body, "Adopt the minutes…")
    assert "nobody can change them afterwards" in confirm and 'class="danger"' in confirm
    assert 'data-label="Version"' in body


def test_the_assembly_choice_costs_the_same_queries_with_more_assemblies(
    client_for: Any, community: Any, people: Any
) -> None:
    """Query count (tests/test_query_counts.py pattern): the first step lists the assemblies one
    may schedule for; more assemblies must not cost more queries (no N+1)."""
    general(community)
    client = client_for("coordinator")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/c/riverside/meetings/new/").status_code == 200
        return len(queries)

    assembly_create(community=community, name="Spokes", kind=Assembly.Kind.SPOKESCOUNCIL)
    few = count()
    for name in ("Tenants", "Garden", "Repairs"):
        assembly_create(community=community, name=name, kind=Assembly.Kind.SPOKESCOUNCIL)
    assert count() <= few <= 25
