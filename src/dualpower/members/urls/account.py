"""My account across communities, at /me/."""

from django.urls import path

from dualpower.members.views import account

app_name = "me"
urlpatterns = [
    path("", account.my_profile, name="profile"),
    path("tokens/", account.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", account.token_revoke, name="token_revoke"),
    path("export.json", account.export, name="export"),
    path("delete/", account.delete, name="delete"),
]
