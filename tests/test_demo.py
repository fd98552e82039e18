"""The demo community: believable, deterministic, and the two published logins work."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from dualpower import demo
from dualpower.cli import main
from dualpower.community.models import AuditEntry, Community
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.models import Application, Membership, RoleChange
from dualpower.ops.demo import demo_load


def quiet(_: str) -> None:
    pass


@pytest.fixture
def loaded(db: None) -> demo.Demo:
    return demo_load(seed=7, say=quiet)


def test_the_demo_community_has_sixty_members_across_eight_neighbourhoods(loaded: demo.Demo) -> None:
    community = Community.objects.get(slug=demo.DEMO_SLUG)
    members = Membership.objects.filter(community=community, status=Membership.Status.ACTIVE)
    assert members.count() == 60
    assert len(set(members.values_list("neighbourhood", flat=True))) == 8
    assert all(m.skills for m in members)
    speaks_spanish = [m for m in members if "es" in m.languages]
    assert 15 <= len(speaks_spanish) < 60


def test_roles_were_granted_by_recorded_decisions(loaded: demo.Demo) -> None:
    roles = {
        role: Membership.objects.filter(community=loaded.community, role=role).count()
        for role in Membership.Role.values
    }
    assert roles == {"coordinator": 3, "observer": 3, "member": 54}
    assert RoleChange.objects.filter(membership__community=loaded.community).count() == 5


def test_the_five_working_groups_have_members_and_conveners(loaded: demo.Demo) -> None:
    groups = WorkingGroup.objects.filter(community=loaded.community)
    assert sorted(groups.values_list("slug", flat=True)) == [
        "community-defence",
        "education",
        "food",
        "health",
        "housing",
    ]
    for group in groups:
        in_group = GroupMembership.objects.filter(group=group, status=GroupMembership.Status.ACTIVE)
        assert in_group.count() >= 7, group.slug
        assert in_group.filter(is_convener=True).exists(), group.slug
    assert not GroupMembership.objects.filter(membership__role=Membership.Role.OBSERVER).exists()


def test_four_people_are_waiting_for_a_decision(loaded: demo.Demo) -> None:
    pending = Application.objects.filter(community=loaded.community, status=Application.Status.PENDING)
    assert pending.count() == 4
    assert all(len(a.answers) == len(loaded.community.application_questions) for a in pending)


def test_the_demo_is_written_through_the_services_and_audited(loaded: demo.Demo) -> None:
    actions = set(AuditEntry.objects.filter(community=loaded.community).values_list("action", flat=True))
    assert {"application.submit", "application.admit", "member.role_change", "group.join"} <= actions
    assert "group.convener_set" in actions


@pytest.mark.parametrize(("role", "email", "password"), demo.LOGINS)
def test_the_published_demo_logins_work(
    loaded: demo.Demo, client: Any, role: str, email: str, password: str
) -> None:
    response = client.post(reverse("account_login"), {"login": email, "password": password})
    assert response.status_code == 302, response.content[:500]
    membership = Membership.objects.get(user__email=email, community=loaded.community)
    assert membership.role == role
    assert client.get("/").url.endswith(f"/c/{demo.DEMO_SLUG}/")


def test_the_demo_member_is_in_a_group(loaded: demo.Demo) -> None:
    assert GroupMembership.objects.filter(membership=loaded.member, group__slug="food").exists()


def test_the_demo_is_the_same_for_the_same_seed(db: None) -> None:
    def people() -> list[tuple[str, str, tuple[str, ...]]]:
        return sorted(
            (m.display_name, m.neighbourhood, tuple(m.skills))
            for m in Membership.objects.filter(community__slug=demo.DEMO_SLUG)
        )

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            demo_load(seed=7, say=quiet)
            first = people()
            raise Undo
    except Undo:
        pass
    demo_load(seed=7, say=quiet)
    assert people() == first


def test_later_apps_extend_the_demo_through_the_registry(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(demo, "LOADERS", [])
    demo.register(lambda d: seen.append(d.community.slug))
    demo.register(demo.LOADERS[0])  # registering twice runs it once
    demo_load(seed=7, say=quiet)
    assert seen == [demo.DEMO_SLUG]


def test_demo_twice_is_refused(loaded: demo.Demo, capsys: Any) -> None:
    assert main(["demo"]) == 2
    assert "already loaded" in capsys.readouterr().err


def test_demo_if_empty_leaves_a_community_with_data_alone(community: Community, capsys: Any) -> None:
    assert main(["demo", "--if-empty"]) == 0
    assert "not loaded" in capsys.readouterr().out
    assert not Community.objects.filter(slug=demo.DEMO_SLUG).exists()


def test_demo_if_empty_loads_into_an_empty_node_and_prints_the_logins(db: None, capsys: Any) -> None:
    assert main(["demo", "--if-empty"]) == 0
    out = capsys.readouterr().out
    assert demo.COORDINATOR_EMAIL in out and demo.MEMBER_PASSWORD in out
    assert Community.objects.filter(slug=demo.DEMO_SLUG).exists()
