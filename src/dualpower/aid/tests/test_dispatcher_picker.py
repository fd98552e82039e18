"""Choosing a dispatcher by name in a long community: search, then choose, without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dualpower.aid.models import DispatcherRole
from dualpower.aid.tests.factories import AidWorld
from dualpower.assemblies.forms import LONG_LIST
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


def _coordinator(world: AidWorld) -> Client:
    client = Client()
    client.force_login(world.users["coordinator"])
    return client


def _settings(world: AidWorld) -> str:
    return f"/c/{world.community.slug}/aid/dispatch/settings/"


def _options(page: str) -> list[str]:
    picker = re.search(r'<select name="membership".*?</select>', page, re.S)
    assert picker is not None
    return [
        name
        for value, name in re.findall(r'<option value="(\d*)"[^>]*>([^<]*)</option>', picker.group(0))
        if value
    ]


def test_a_short_list_has_no_search(world: AidWorld) -> None:
    page = _coordinator(world).get(_settings(world)).content.decode()
    assert 'name="find"' not in page
    assert world.member.display_name in _options(page)


def test_a_long_list_is_searched_then_the_person_chosen(world: AidWorld) -> None:
    for n in range(LONG_LIST + 1):
        make_membership(world.community, name=f"Neighbour {n:02d}")
    rosa = make_membership(world.community, name="Rosa Delgado")
    client = _coordinator(world)
    page = client.get(_settings(world)).content.decode()
    assert 'name="find"' in page and "Search the list above by name" in page
    assert len(_options(page)) > LONG_LIST

    found = client.post(_settings(world), {"action": "search", "find": "delg"})
    assert found.status_code == 200
    assert _options(found.content.decode()) == ["Rosa Delgado"]
    assert 'value="delg"' in found.content.decode()
    assert not DispatcherRole.objects.filter(membership=rosa).exists()  # a search writes nothing

    none = client.post(_settings(world), {"action": "search", "find": "zzz"}).content.decode()
    assert _options(none) == [] and "search again" in none

    client.post(_settings(world), {"action": "grant", "membership": str(rosa.pk)})
    assert DispatcherRole.objects.filter(membership=rosa).exists()


def test_only_who_may_choose_dispatchers_may_search(world: AidWorld) -> None:
    client = Client()
    client.force_login(world.users["dispatcher"])
    assert client.post(_settings(world), {"action": "search", "find": "a"}).status_code == 403
