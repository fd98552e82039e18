"""A community's pages about people: /c/<community>/apply/, members/, profile/, applications/."""

from django.urls import path

from dualpower.members.views import applications, invitations, people

app_name = "members"
urlpatterns = [
    path("apply/", applications.apply, name="apply"),
    path("apply/withdraw/", applications.withdraw, name="withdraw"),
    path("members/", people.member_list, name="list"),
    path("members/<int:member_id>/", people.member_detail, name="detail"),
    path("members/<int:member_id>/role/", people.role_change, name="role"),
    path("profile/", people.profile_edit, name="profile"),
    path("applications/", applications.applications, name="applications"),
    path("applications/<int:application_id>/admit/", applications.admit, name="admit"),
    path("applications/<int:application_id>/decline/", applications.decline, name="decline"),
    path("applications/<int:application_id>/trust/", applications.trust, name="trust"),
    path("invitations/", invitations.invitation_list, name="invitations"),
    path("invitations/<int:invitation_id>/", invitations.invitation_detail, name="invitation"),
    path("invitations/<int:invitation_id>/revoke/", invitations.invitation_revoke, name="invitation-revoke"),
    path("join/<str:token>/", invitations.invitation_open, name="invitation-open"),
]
