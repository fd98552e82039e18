"""What the inbox tests share: the settings, a remote server with an actor, and signed POSTs."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from dualpower.federation import signatures
from dualpower.federation.models import Delivery, Follower, InboxEntry, OutboundActivity, RemoteObject
from dualpower.federation.tests.remote_node import Actor

AS = "https://www.w3.org/ns/activitystreams"


def post(
    client: Any,
    activity: Any,
    *,
    signer: Actor | None,
    path: str = "/ap/inbox",
    url: str | None = None,
    now: datetime | None = None,
    body: bytes | None = None,
    tamper: bytes | None = None,
) -> Any:
    """POST ``activity`` to our inbox at ``path``, signed by ``signer`` for ``url`` (default: the
    very request); ``tamper`` replaces the body after signing."""
    data = body if body is not None else json.dumps(activity).encode()
    headers: dict[str, str] = {}
    if signer is not None:
        headers = signatures.sign_cavage(
            method="POST",
            url=url or f"http://testserver{path}",
            body=data,
            key_id=signer.key_id,
            private_key_pem=signer.private_pem,
            now=now,
            headers={"Content-Type": "application/activity+json"},
        )
        headers.pop("Content-Type", None)
    headers["Host"] = "testserver"  # what an HTTP client sends (Django's test client does not)
    return client.post(
        path,
        data=tamper if tamper is not None else data,
        content_type="application/activity+json",
        headers=headers,
    )


def activity(actor: Actor, kind: str, obj: Any, **extra: Any) -> dict[str, Any]:
    base = actor.uri.rsplit("/users/", 1)[0]
    return {
        "@context": AS,
        "id": f"{base}/activities/{uuid.uuid4()}",
        "type": kind,
        "actor": actor.uri,
        "object": obj,
        **extra,
    }


def nothing_stored() -> bool:
    return not any(
        model.objects.exists() for model in (InboxEntry, Follower, RemoteObject, OutboundActivity, Delivery)
    )
