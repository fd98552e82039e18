"""Every federation address, under the node's root (``path("", include(...))`` in dualpower/urls.py).

The ``/.well-known/`` names and ``/nodeinfo/2.1`` are fixed by their specifications; the ActivityPub
ids live under ``/ap/`` (ids.py builds the same addresses from DP_SITE_URL: change one, change both).
"""

from __future__ import annotations

from django.urls import path

from dualpower.federation import page_urls
from dualpower.federation.views import actors, announcements, discovery, inbox, objects
from dualpower.federation.views import persons as person_views
from dualpower.federation.views import polls as poll_views

app_name = "federation"

urlpatterns = [
    # Discovery (views/discovery.py).
    path(".well-known/webfinger", discovery.webfinger, name="webfinger"),
    path(".well-known/host-meta", discovery.host_meta, name="host-meta"),
    path(".well-known/nodeinfo", discovery.nodeinfo_links, name="nodeinfo-links"),
    path("nodeinfo/2.1", discovery.nodeinfo, name="nodeinfo"),
    # The node's instance actor and shared inbox.
    path("ap/actor", actors.instance_actor, name="instance-actor"),
    path("ap/actor/outbox", actors.instance_outbox, name="instance-outbox"),
    path("ap/inbox", inbox.shared_inbox, name="shared-inbox"),
    path("ap/activities/<uuid:activity_uuid>", objects.instance_activity, name="instance-activity"),
    # Each community's Group actor (views/actors.py), its inbox (views/inbox.py) and its activities
    # at their ids (views/objects.py: members-only ones only to signed peers).
    path("ap/c/<slug:slug>", actors.community_actor, name="community-actor"),
    path("ap/c/<slug:slug>/inbox", inbox.community_inbox, name="community-inbox"),
    path(
        "ap/c/<slug:slug>/activities/<uuid:activity_uuid>",
        objects.community_activity,
        name="community-activity",
    ),
    # What a community publishes publicly at its id (views/announcements.py): Notes, Events.
    path("ap/c/<slug:slug>/notes/<uuid:note_uuid>", announcements.note, name="community-note"),
    path("ap/c/<slug:slug>/events/<uuid:event_uuid>", announcements.event, name="community-event"),
    path("ap/c/<slug:slug>/polls/<uuid:poll_uuid>", poll_views.question, name="community-poll"),
    path("ap/c/<slug:slug>/outbox", actors.outbox, name="community-outbox"),
    path("ap/c/<slug:slug>/followers", actors.followers, name="community-followers"),
    path("ap/c/<slug:slug>/following", actors.following, name="community-following"),
    # Members who chose to be visible as Person actors (views/persons.py).
    path("ap/u/<str:handle>", person_views.person_actor, name="person-actor"),
    path("ap/u/<str:handle>/inbox", person_views.person_inbox, name="person-inbox"),
    path("ap/u/<str:handle>/outbox", person_views.person_outbox, name="person-outbox"),
    path("ap/u/<str:handle>/followers", person_views.person_followers, name="person-followers"),
    # The pages for people: the community's Network page, the operators' page (F5, page_urls.py).
    *page_urls.urlpatterns,
]
