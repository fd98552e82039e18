"""The guided set-up of a new community (ops/views.py), under /setup/."""

from django.urls import path

from dualpower.ops import views

app_name = "setup"
urlpatterns = [
    path("", views.setup_place, name="place"),
    path("groups/", views.setup_groups, name="groups"),
    path("decisions/", views.setup_decisions, name="decisions"),
    path("money/", views.setup_money, name="money"),
    path("discard/", views.setup_discard, name="discard"),
    path("<slug:community>/invitations/", views.setup_invitations, name="invitations"),
]
