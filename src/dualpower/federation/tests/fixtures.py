"""Fixtures for tests that talk to another server, loaded for every test by the root conftest
(``pytest_plugins``). A module that needs them says so once::

    pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]

and asks for ``node`` (a real HTTP server in a thread: remote_node.py) where it needs one, and
``alice`` for a person there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from dualpower.federation.tests.remote_node import Actor, RemoteNode, remote_node


@pytest.fixture
def federation_site(settings: Any) -> None:
    """Our node is http://testserver, and may reach servers on loopback (the test's remote node)."""
    settings.SITE_URL = "http://testserver"
    settings.DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def node() -> Iterator[RemoteNode]:
    with remote_node() as running:
        yield running


@pytest.fixture
def alice(node: RemoteNode) -> Actor:
    """A person on the other server."""
    return node.actor("alice")
