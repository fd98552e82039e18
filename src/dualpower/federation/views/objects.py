"""GET of one of our activities by its id ({site}/ap/c/{slug}/activities/{uuid}, or
{site}/ap/activities/{uuid}), as kept in the outbox.

Public activities are served to anyone. One shared with peers only is served to a signed request
from a peer: the peer community's actor itself, or its server's instance actor (servers sign their
fetches as the instance actor; that server already receives the activity for the peer). One sent
to a single actor is served to that actor (or its server's instance actor). Everyone else gets the
same 404 as for an id that does not exist, so nothing says the activity is there.
"""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from dualpower.federation import activities, ids, inbox
from dualpower.federation.models import OutboundActivity, Peer, RemoteActor
from dualpower.federation.views._responses import json_response

NOT_FOUND = {"detail": "not found", "code": "not_found"}


def _may_see(outbound: OutboundActivity, reader: RemoteActor) -> bool:
    if outbound.audience == OutboundActivity.Audience.PEERS:
        peers = Peer.objects.filter(community=outbound.community, state=Peer.State.ACTIVE)
        allowed = list(peers.values_list("actor__uri", "actor__host"))
    else:
        to = activities.recipients(outbound.data)
        allowed = list(RemoteActor.objects.filter(uri__in=to).values_list("uri", "host"))
    for uri, host in allowed:
        if reader.uri == uri:
            return True
        if reader.host == host and reader.kind in (RemoteActor.Kind.APPLICATION, RemoteActor.Kind.SERVICE):
            return True
    return False


def _serve(request: HttpRequest, uri: str) -> HttpResponse:
    outbound = OutboundActivity.objects.filter(uri=uri).select_related("community").first()
    if outbound is None:
        return json_response(NOT_FOUND, content_type="application/json", status=404)
    if outbound.audience != OutboundActivity.Audience.PUBLIC:
        headers = {name.lower(): value for name, value in request.headers.items()}
        reader = inbox.signer_verified(method="GET", path=request.get_full_path(), headers=headers, body=b"")
        if isinstance(reader, inbox.Received) or not _may_see(outbound, reader):
            return json_response(NOT_FOUND, content_type="application/json", status=404)
    response = json_response(outbound.data)
    response["Vary"] = "Signature, Accept"
    if outbound.audience != OutboundActivity.Audience.PUBLIC:
        response["Cache-Control"] = "private, no-store"
        del response["Access-Control-Allow-Origin"]
    return response


@require_GET
def community_activity(request: HttpRequest, slug: str, activity_uuid: UUID) -> HttpResponse:
    return _serve(request, f"{ids.site_url()}/ap/c/{slug}/activities/{activity_uuid}")


@require_GET
def instance_activity(request: HttpRequest, activity_uuid: UUID) -> HttpResponse:
    return _serve(request, f"{ids.site_url()}/ap/activities/{activity_uuid}")
