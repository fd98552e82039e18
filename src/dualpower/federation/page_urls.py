"""The pages of federation (views/pages.py), with their full paths: included by
``federation/urls.py`` at the site's root inside the ``federation`` namespace."""

from __future__ import annotations

from django.urls import path

from dualpower.federation.views import announcements, pages
from dualpower.federation.views import persons as person_views
from dualpower.federation.views import polls as poll_views

urlpatterns = [
    path("c/<slug:community>/network/", pages.network, name="network"),
    path("c/<slug:community>/network/following/<int:pk>/stop/", pages.following_stop, name="following_stop"),
    path(
        "c/<slug:community>/network/followers/<int:pk>/remove/", pages.follower_remove, name="follower_remove"
    ),
    # Public announcements (F8, views/announcements.py).
    path("c/<slug:community>/network/announcements/", announcements.announcement_list, name="announcements"),
    path(
        "c/<slug:community>/network/announcements/<uuid:uuid>/delete/",
        announcements.announcement_delete,
        name="announcement_delete",
    ),
    # Advisory polls (views/polls.py): a coordinator publishes a proposal as a fediverse poll.
    path(
        "c/<slug:community>/network/polls/<slug:assembly>/<int:pk>/publish/",
        poll_views.poll_publish,
        name="poll_publish",
    ),
    # A member's own choice to be visible on the fediverse (views/persons.py).
    path("c/<slug:community>/network/me/", person_views.me, name="person_me"),
    path("c/<slug:community>/network/me/stop/", person_views.me_stop, name="person_stop"),
    # The node's operators: every community on the node is concerned, so not under a community.
    path("setup/federation/", pages.operator, name="operator"),
    path("setup/federation/hosts/<int:pk>/unblock/", pages.host_unblock, name="host_unblock"),
    path("setup/federation/dead/<int:pk>/retry/", pages.dead_letter_retry, name="dead_letter_retry"),
    path("setup/federation/dead/retry/", pages.dead_letters_retry_all, name="dead_letters_retry_all"),
]

# The directory (views/directory.py): the network this node knows, as a list and a map.
from dualpower.federation.views import directory as directory_views  # noqa: E402 - one block per concern

urlpatterns += [
    path("c/<slug:community>/network/directory/", directory_views.directory_page, name="directory"),
    path(
        "c/<slug:community>/network/directory/profile/",
        directory_views.profile_edit,
        name="directory_profile",
    ),
    path("c/<slug:community>/network/directory/lookup/", directory_views.lookup, name="directory_lookup"),
]
