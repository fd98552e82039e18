from django.urls import path

from dualpower.community import views

urlpatterns = [
    path("", views.community_dashboard, name="community-dashboard"),
    path("about/", views.community_about, name="community-about"),
    path("audit/", views.audit_log, name="community-audit"),
    path("settings/", views.community_edit, name="community-edit"),
]
