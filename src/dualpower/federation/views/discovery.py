"""How other servers find this node and its communities: WebFinger (RFC 7033), NodeInfo 2.1 and
host-meta (RFC 6415, for the few servers that still look for WebFinger there).

WebFinger answers ``acct:<community slug>@<host>`` (the host of DP_SITE_URL), or the actor's own
URL, with the actor (``self``, application/activity+json) and the community's page; the node's
instance actor answers to ``acct:<host>@<host>``, as Mastodon's does. A member who chose to be
visible (persons.py) answers to ``acct:<handle>@<host>`` or their actor's URL; nobody else is
found here (404), and one who stopped answers 410. Handles and slugs cannot be the same name
(persons.py refuses both ways); were they ever, the community answers, as it always did.

NodeInfo's user count is unchanged by persons: it is how many people the node serves (admitted
members), whether or not they chose to be visible; a separate count of visible people would tell
other servers nothing they need.
"""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import quoteattr

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

import dualpower
from dualpower.community.models import Community
from dualpower.community.selectors import community_find
from dualpower.errors import InvalidInput, NotFound
from dualpower.federation import actors, ids, persons
from dualpower.federation.models import PersonActor
from dualpower.federation.views._responses import json_errors, json_response
from dualpower.members.selectors import people_admitted_count
from dualpower.web.permissions import check

NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"
PROFILE_PAGE = "http://webfinger.net/rel/profile-page"
AS_TYPE = "https://www.w3.org/ns/activitystreams#type"
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _not_here() -> NotFound:
    return NotFound(_("No community on this server answers to this address."))


def _resolve(resource: str) -> Community | PersonActor | None:
    """The community or person ``resource`` names (None: the instance actor); 400 if malformed,
    404 if not ours (410 for a person who stopped)."""
    if resource.startswith(("https://", "http://")):
        if resource == ids.instance_actor_id():
            return None
        community = ids.community_for_actor_id(resource)
        if community is None:
            handle = ids.person_handle_of(resource)
            if handle is not None and persons.person_find(handle) is not None:
                return persons.person_live_get(handle)
            raise _not_here()
        return community
    if not resource.startswith("acct:"):
        raise InvalidInput(
            _("Give the resource as acct:name@host or as an actor's address."), field="resource"
        )
    name, at, host = resource[len("acct:") :].rpartition("@")
    if not at or not name or not host:
        raise InvalidInput(_("Give the resource as acct:name@host."), field="resource")
    if host.lower() != ids.host():
        raise _not_here()
    community = community_find(slug=name) if _SLUG.match(name) else None
    if community is not None:
        return community
    if name.lower() == ids.host():
        return None
    if persons.person_find(name) is not None:
        return persons.person_live_get(name)
    raise _not_here()


def _jrd(community: Community | PersonActor | None) -> dict[str, Any]:
    host = ids.host()
    if isinstance(community, PersonActor):
        # No profile page: the actor is all there is of them here.
        actor_id = ids.person_actor_id(community.handle)
        return {
            "subject": f"acct:{community.handle}@{host}",
            "aliases": [actor_id],
            "properties": {AS_TYPE: "Person"},
            "links": [{"rel": "self", "type": "application/activity+json", "href": actor_id}],
        }
    if community is None:
        actor_id, name, page, kind = ids.instance_actor_id(), host, f"{ids.site_url()}/", "Application"
    else:
        actor_id, name = ids.community_actor_id(community), community.slug
        page, kind = actors.community_page_url(community), "Group"
    return {
        "subject": f"acct:{name}@{host}",
        "aliases": [actor_id, page],
        "properties": {AS_TYPE: kind},
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor_id},
            {"rel": PROFILE_PAGE, "type": "text/html", "href": page},
        ],
    }


@require_GET
@json_errors
def webfinger(request: HttpRequest) -> HttpResponse:
    check(request, "federation.view_node")
    community = _resolve(request.GET.get("resource", "").strip())
    return json_response(_jrd(community), content_type="application/jrd+json")


@require_GET
def host_meta(request: HttpRequest) -> HttpResponse:
    check(request, "federation.view_node")
    template = f"{ids.site_url()}{reverse('federation:webfinger')}?resource={{uri}}"
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" type="application/jrd+json" template={quoteattr(template)}/>\n'
        "</XRD>\n"
    )
    response = HttpResponse(body, content_type="application/xrd+xml; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def nodeinfo_links(request: HttpRequest) -> HttpResponse:
    """/.well-known/nodeinfo: where the NodeInfo document of each schema version lives."""
    check(request, "federation.view_node")
    href = f"{ids.site_url()}{reverse('federation:nodeinfo')}"
    return json_response({"links": [{"rel": NODEINFO_SCHEMA, "href": href}]}, content_type="application/json")


@require_GET
def nodeinfo(request: HttpRequest) -> HttpResponse:
    """NodeInfo 2.1: what software this is and how many people it serves. Registrations are not
    open: people join a community by applying to it, and an assembly or its members admit them."""
    check(request, "federation.view_node")
    document = {
        "version": "2.1",
        "software": {
            "name": "dualpower",
            "version": dualpower.__version__,
            "homepage": "https://dualpower.org/",
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": False,
        "usage": {"users": {"total": people_admitted_count()}, "localPosts": 0},
        "metadata": {"nodeName": ids.host()},
    }
    return json_response(document, content_type=f'application/json; profile="{NODEINFO_SCHEMA}#"')
