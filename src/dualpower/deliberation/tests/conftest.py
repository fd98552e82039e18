"""Fixtures for the deliberation tests."""

from typing import Any

import pytest

from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
from dualpower.federation import remote
from dualpower.federation.models import Peer
from dualpower.federation.tests.remote_node import Actor, RemoteNode


@pytest.fixture
def garden(node: RemoteNode, community: Any) -> Actor:
    """A community on another node that is an active peer of ours."""
    made = node.actor("garden", kind="Group")
    Peer.objects.create(community=community, actor=remote.actor_get(made.uri), state=Peer.State.ACTIVE)
    return made
