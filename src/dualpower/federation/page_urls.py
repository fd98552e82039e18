"""The pages of federation (views/pages.py), with their full paths: included by
``federation/urls.py`` at the site's root inside the ``federation`` namespace."""

from __future__ import annotations

from django.urls import path

from dualpower.federation.views import announcements, pages

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
    # The node's operators: every community on the node is concerned, so not under a community.
    path("setup/federation/", pages.operator, name="operator"),
    path("setup/federation/hosts/<int:pk>/unblock/", pages.host_unblock, name="host_unblock"),
    path("setup/federation/dead/<int:pk>/retry/", pages.dead_letter_retry, name="dead_letter_retry"),
    path("setup/federation/dead/retry/", pages.dead_letters_retry_all, name="dead_letters_retry_all"),
]
