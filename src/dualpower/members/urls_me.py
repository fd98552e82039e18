from django.urls import path

from dualpower.members import views_me

app_name = "me"
urlpatterns = [
    path("", views_me.my_profile, name="profile"),
    path("tokens/", views_me.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views_me.token_revoke, name="token_revoke"),
    path("export.json", views_me.export, name="export"),
    path("delete/", views_me.delete, name="delete"),
]
