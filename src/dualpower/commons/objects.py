"""A guide on the network: the ActivityStreams object it travels as, and publishing it.

    its id         {actor}/guides/{uuid}   (served by views/objects.py: JSON for servers; public
                                            ones also as a page, peers-only ones to signed peers)
    published as   Create(Document) the first time, Update(Document) for each new version,
                   Delete(Document) when it is made members-only again; to the community's peers
                   ("peers") or to everyone ("public": its followers, and its peers as well)

The object is an AS2 ``Document`` carrying dualpower's terms (``guideKind``, ``version``,
``forkOf``) and schema.org's ``license``; the text travels twice: ``content`` as escaped HTML
paragraphs for any server, and ``source`` as the plain text it was written in, which is what a
dualpower node keeps (remote HTML is never shown). Called inside the guide services'
transactions, so the outbox row exists exactly when the version it announces does.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.html import linebreaks

from dualpower.commons.models import Guide, Licence, Visibility
from dualpower.community.models import Community
from dualpower.federation import activities, delivery, ids
from dualpower.federation import selectors as federation

DP = "https://dualpower.org/ns#"
GUIDE_CONTEXT: list[Any] = [
    activities.AS_CONTEXT,
    {
        "dp": DP,
        "sc": "http://schema.org#",
        "guideKind": "dp:guideKind",
        "version": "dp:version",
        "forkOf": "dp:forkOf",
        "license": "sc:license",
    },
]
OBJECT_TYPE = "Document"

LICENCE_URLS = {
    Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
    Licence.RESERVED: DP + "all-rights-reserved",
}
LICENCE_OF_URL = {url: licence for licence, url in LICENCE_URLS.items()}


def guide_id(guide: Guide) -> str:
    return f"{ids.community_actor_id(guide.community)}/guides/{guide.uuid}"


def _when(moment: Any) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _addressing(community: Community, audience: str) -> dict[str, list[str]]:
    if audience == Visibility.PUBLIC:
        return activities.addressing(community=community, audience="public")
    peers = list(federation.peers_active(community=community).values_list("actor__uri", flat=True))
    return activities.addressing(community=community, audience="peers", peers=peers)


def guide_object(guide: Guide, *, audience: str) -> dict[str, Any]:
    """The guide as it is now (its latest version), addressed to ``audience``."""
    community = guide.community
    document: dict[str, Any] = {
        "id": guide_id(guide),
        "type": OBJECT_TYPE,
        "name": guide.title,
        "content": linebreaks(guide.body, autoescape=True),
        "mediaType": "text/html",
        "contentMap": {guide.language: linebreaks(guide.body, autoescape=True)},
        "source": {"content": guide.body, "mediaType": "text/plain"},
        "guideKind": guide.kind,
        "version": guide.version,
        "license": LICENCE_URLS[Licence(guide.licence)],
        "attributedTo": ids.community_actor_id(community),
        "url": guide_id(guide),
        "published": _when(guide.created_at),
        "updated": _when(guide.updated_at or timezone.now()),
        **_addressing(community, audience),
    }
    if guide.is_fork:
        document["forkOf"] = {
            "id": guide.origin_uri,
            "name": guide.origin_community,
            "version": guide.origin_version,
            "license": LICENCE_URLS.get(Licence(guide.origin_licence), "")
            if guide.origin_licence in Licence.values
            else "",
        }
    return document


def _send(kind: str, guide: Guide, obj: dict[str, Any], audience: str) -> None:
    community = guide.community
    # A public guide goes to the followers, and to the peers too (who need not follow).
    for sent_to in ("public", "peers") if audience == Visibility.PUBLIC else ("peers",):
        activity = activities.activity_build(
            kind=kind, community=community, object=obj, **_addressing(community, sent_to)
        )
        activity["@context"] = GUIDE_CONTEXT
        delivery.activity_publish(community=community, activity=activity, audience=sent_to)


def guide_sync(*, guide: Guide) -> None:
    """Tell the network about the guide's latest version, in the caller's transaction: Create or
    Update to the audience it is shared with, and Delete to an audience it is no longer shared
    with. The Delete names the version withdrawn, so a node that gets it after the next version's
    Create (deliveries are not ordered) keeps the newer one."""
    shared = "" if guide.visibility == Visibility.MEMBERS else guide.visibility
    before = guide.published_audience
    if before and before != shared:
        gone = {"id": guide_id(guide), "type": OBJECT_TYPE, "version": guide.published_version}
        _send("Delete", guide, gone, before)
        before = ""
    if shared:
        _send("Update" if before else "Create", guide, guide_object(guide, audience=shared), shared)
    guide.published_audience = shared
    guide.published_version = guide.version if shared else guide.published_version
    guide.save(update_fields=["published_audience", "published_version"])
