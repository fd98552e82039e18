from django.urls import path

from dualpower.activities.views import activities, roles, series

app_name = "activities"
urlpatterns = [
    path("", activities.activity_list, name="list"),
    path("<int:pk>/", activities.activity_detail, name="detail"),
    path("<int:pk>/slots/<int:slot>/sign-up/", activities.slot_sign_up, name="sign_up"),
    path("<int:pk>/slots/<int:slot>/places/", activities.slot_capacity, name="capacity"),
    path("<int:pk>/leave/", activities.signup_leave, name="leave"),
    path("<int:pk>/calendar.ics", activities.activity_calendar, name="calendar"),
    path("<int:pk>/cancel/", activities.activity_cancel, name="cancel"),
    path("<int:pk>/signups/<int:signup>/no-show/", activities.signup_no_show, name="no_show"),
    path("<int:pk>/feedback/", activities.feedback_give, name="feedback"),
    path("series/new/", series.series_create, name="new"),
    path("series/<int:pk>/", series.series_detail, name="series"),
    path("series/<int:pk>/edit/", series.series_edit, name="series_edit"),
    path("series/<int:pk>/schedule/", series.series_schedule, name="series_schedule"),
    path("series/<int:pk>/stop/", series.series_stop, name="series_stop"),
    path("series/<int:pk>/organisers/", series.organiser_add, name="organiser_add"),
    path(
        "series/<int:pk>/organisers/<int:member>/remove/",
        series.organiser_remove,
        name="organiser_remove",
    ),
    path("roles/", roles.role_list, name="roles"),
    path("roles/<slug:role>/vouch/", roles.vouch_give, name="vouch"),
    path("roles/<slug:role>/vouches/<int:member>/withdraw/", roles.vouch_withdraw, name="withdraw"),
    path("roles/<slug:role>/threshold/", roles.role_threshold, name="threshold"),
]
