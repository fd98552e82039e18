"""Every care circle permission swept over every role (care/rules.py, the circles section): the
shared ROLES, and the circle's own — the person it is for ("member", Mara), the keeper she handed
its running to, a helper (sees the needs she takes), a helper who reads the notes, someone invited
who has not answered, a helper of another circle, the health group's convener, an aid dispatcher.
The need is the one Hana ("helper") took. A closed circle leaves only the person and the keeper."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.care.rules import CIRCLE_PERMISSIONS
from dualpower.care.services import circles as services
from dualpower.care.tests.factories_circles import (
    CIRCLE_ROLES,
    CircleWorld,
    make_world,
)
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle_world(community: Any, people: dict[str, Any], settings: Any) -> CircleWorld:
    return make_world(community, people, settings)


ALL_ROLES = (*ROLES, *CIRCLE_ROLES)
ADMITTED = {"observer", "member", "coordinator", *CIRCLE_ROLES}
MEMBERS = ADMITTED - {"observer"}
RUNS = {"member", "keeper"}
HELPERS = {"helper", "notes_helper"}
# perm -> (object, roles allowed while the circle is open)
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "care.list_circles": ("community", ADMITTED),
    "care.open_circle": ("community", MEMBERS),
    "care.open_circle_for_someone": ("community", {"dispatcher", "health_coordinator", "coordinator"}),
    "care.view_overview": ("community", {"health_coordinator", "coordinator"}),
    "care.view_circle": ("circle", RUNS | HELPERS | {"invited"}),
    "care.view_calendar": ("circle", RUNS | HELPERS),
    "care.view_need_details": ("need", RUNS | {"helper"}),
    "care.view_notes": ("circle", RUNS | {"notes_helper"}),
    "care.add_note": ("circle", RUNS | {"notes_helper"}),
    "care.manage_circle": ("circle", RUNS),
    "care.take_need": ("circle", RUNS & set() | HELPERS),
    "care.release_need": ("need", RUNS | {"helper"}),
    "care.finish_need": ("need", RUNS | {"helper"}),
    "care.answer_invitation": ("circle", {"invited"}),
    "care.leave_circle": ("circle", HELPERS | {"invited"}),
    "care.close_circle": ("circle", RUNS),
    "care.draw_on_community": ("circle", RUNS),
    "care.change_settings": ("community", {"coordinator"}),
    "care.export_circle": ("circle", RUNS | HELPERS),
}
# Once closed: only the person and the keeper still see it; nobody acts in it.
CLOSED: dict[str, set[str]] = {
    "care.view_circle": RUNS,
    "care.view_calendar": RUNS,
    "care.view_need_details": RUNS,
    "care.view_notes": RUNS,
    "care.export_circle": RUNS,
}


def test_every_permission_has_a_row() -> None:
    assert set(CIRCLE_PERMISSIONS) == set(EXPECTED)


def _objects(world: CircleWorld) -> dict[str, object]:
    return {"community": world.community, "circle": world.circle, "need": world.need}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix_of_an_open_circle(circle_world: CircleWorld, role: str) -> None:
    objects = _objects(circle_world)
    user = circle_world.users[role]
    got = {perm: user.has_perm(perm, objects[EXPECTED[perm][0]]) for perm in CIRCLE_PERMISSIONS}
    assert got == {perm: role in EXPECTED[perm][1] for perm in CIRCLE_PERMISSIONS}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix_of_a_closed_circle(circle_world: CircleWorld, role: str) -> None:
    services.circle_close(circle=circle_world.circle, by=circle_world.person)
    circle_world.circle.refresh_from_db()
    circle_world.need.circle = circle_world.circle
    objects = _objects(circle_world)
    user = circle_world.users[role]
    circle_perms = [p for p in CIRCLE_PERMISSIONS if EXPECTED[p][0] != "community"]
    got = {perm: user.has_perm(perm, objects[EXPECTED[perm][0]]) for perm in circle_perms}
    assert got == {perm: role in CLOSED.get(perm, set()) for perm in circle_perms}
