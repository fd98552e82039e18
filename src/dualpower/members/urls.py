from django.urls import path

from dualpower.members import views

app_name = "members"
urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/withdraw/", views.withdraw, name="withdraw"),
    path("members/", views.member_list, name="list"),
    path("members/<int:member_id>/", views.member_detail, name="detail"),
    path("members/<int:member_id>/role/", views.role_change, name="role"),
    path("profile/", views.profile_edit, name="profile"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:application_id>/admit/", views.admit, name="admit"),
    path("applications/<int:application_id>/decline/", views.decline, name="decline"),
    path("applications/<int:application_id>/trust/", views.trust, name="trust"),
]
