"""Changing a community: what coordinators may set, and that a bad value changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.community.models import AuditEntry, Community
from dualpower.community.services import community_create, community_update
from dualpower.errors import InvalidInput

pytestmark = pytest.mark.django_db


def test_a_new_community_is_recorded_with_its_starter_groups(db: None) -> None:
    community = community_create(name="Eastside Commons", languages=["EN", "es"])
    assert community.slug == "eastside-commons"
    assert community.languages == ["en", "es"]
    assert community.working_groups.count() == 5
    assert AuditEntry.objects.filter(community=community, action="community.create").count() == 1


def test_a_community_can_start_without_the_templates(db: None) -> None:
    assert community_create(name="Bare", with_group_templates=False).working_groups.count() == 0


def test_a_slug_is_used_once_per_node(community: Any) -> None:
    with pytest.raises(InvalidInput):
        community_create(name="Riverside", slug="riverside")


def test_a_coordinator_changes_the_policy_and_the_log_keeps_before_and_after(
    community: Any, people: Any
) -> None:
    community_update(
        community=community,
        actor_user=people["coordinator"],
        admission="trust",
        trust_threshold=5,
        languages=["en", "es", "pt-BR", "es"],
        application_questions=["  What do you bring? ", "", "Where do you live (roughly)?"],
    )
    community.refresh_from_db()
    assert community.admission == "trust"
    assert community.languages == ["en", "es", "pt-br"]
    assert community.application_questions == ["What do you bring?", "Where do you live (roughly)?"]
    entry = AuditEntry.objects.filter(action="community.update").get()
    assert entry.actor is not None
    assert entry.actor.display_name == "Cato"
    assert entry.data["before"]["trust_threshold"] == 3
    assert entry.data["after"]["trust_threshold"] == 5


def test_a_change_that_changes_nothing_is_not_recorded(community: Any, people: Any) -> None:
    community_update(community=community, actor_user=people["coordinator"], name=community.name)
    assert not AuditEntry.objects.filter(action="community.update").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": None}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"description": "x" * 5001}, "description"),
        ({"languages": ["english"]}, "languages"),
        ({"languages": ["e"]}, "languages"),
        ({"languages": "en"}, "languages"),
        ({"languages": [1]}, "languages"),
        ({"languages": [f"l{chr(97 + i)}" for i in range(21)]}, "languages"),
        ({"application_questions": ["x" * 501]}, "application_questions"),
        ({"application_questions": [f"Q{i}?" for i in range(21)]}, "application_questions"),
        ({"application_questions": "Why?"}, "application_questions"),
        ({"admission": "lottery"}, "admission"),
        ({"trust_threshold": 0}, "trust_threshold"),
        ({"trust_threshold": 101}, "trust_threshold"),
        ({"trust_threshold": True}, "trust_threshold"),
        ({"trust_threshold": "3"}, "trust_threshold"),
        ({"is_public": "no"}, "is_public"),
        ({"slug": "elsewhere"}, "slug"),
        ({"name": "Fine", "languages": ["nope!"]}, "languages"),
    ],
)
def test_a_bad_change_to_a_community_changes_nothing(
    community: Any, people: Any, changes: dict[str, Any], field: str
) -> None:
    before = Community.objects.values().get(pk=community.pk)
    with pytest.raises(InvalidInput) as exc:
        community_update(community=community, actor_user=people["coordinator"], **changes)
    assert exc.value.field == field
    assert Community.objects.values().get(pk=community.pk) == before
    assert not AuditEntry.objects.filter(action="community.update").exists()
