from django.urls import URLPattern, path

from dualpower.learn.views import learning, library

app_name = "learn"
urlpatterns: list[URLPattern] = [
    path("", learning.offerings, name="offerings"),
    path("offerings/new/", learning.offering_new, name="offering_new"),
    path("offerings/<int:pk>/", learning.offering_detail, name="offering"),
    path("offerings/<int:pk>/enrol/", learning.enrol, name="enrol"),
    path("offerings/<int:pk>/leave/", learning.leave, name="leave"),
    path("offerings/<int:pk>/sessions/new/", learning.session_new, name="session_new"),
    path("offerings/<int:pk>/complete/", learning.complete, name="complete"),
    path("offerings/<int:pk>/completion/", learning.completion_choose, name="completion_choose"),
    path("offerings/<int:pk>/role/", learning.role_link, name="role_link"),
    path("sessions/<int:pk>/reading/", learning.reading_new, name="reading_new"),
    path("sessions/<int:pk>/notes/", learning.notes, name="notes"),
    path("sessions/<int:pk>/attendance/", learning.attendance, name="attendance"),
    path("vouches/", learning.vouches, name="vouches"),
    path("vouches/<slug:slug>/<int:member>/", learning.vouch, name="vouch"),
    path("library/", library.library, name="library"),
    path("library/new/", library.thing_new, name="thing_new"),
    path("library/keepers/", library.keepers, name="keepers"),
    path("library/<int:pk>/", library.thing_detail, name="thing"),
    path("library/<int:pk>/hold/", library.hold_place, name="hold"),
    path("library/<int:pk>/hold/cancel/", library.hold_cancel, name="hold_cancel"),
    path("library/<int:pk>/hold/pause/", library.hold_pause, name="hold_pause"),
    path("library/<int:pk>/borrow/", library.borrow, name="borrow"),
    path("library/<int:pk>/renew/", library.renew, name="renew"),
    path("library/<int:pk>/return/", library.give_back, name="return"),
    path("library/<int:pk>/lendable/", library.lendable, name="lendable"),
]
