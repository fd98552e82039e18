from django.urls import path

from dualpower.activities import views, views_roles, views_series

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/slots/<int:slot>/sign-up/", views.slot_sign_up, name="sign_up"),
    path("<int:pk>/slots/<int:slot>/places/", views.slot_capacity, name="capacity"),
    path("<int:pk>/leave/", views.signup_leave, name="leave"),
    path("<int:pk>/calendar.ics", views.activity_calendar, name="calendar"),
    path("<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("<int:pk>/signups/<int:signup>/no-show/", views.signup_no_show, name="no_show"),
    path("<int:pk>/feedback/", views.feedback_give, name="feedback"),
    path("series/new/", views_series.series_create, name="new"),
    path("series/<int:pk>/", views_series.series_detail, name="series"),
    path("series/<int:pk>/edit/", views_series.series_edit, name="series_edit"),
    path("series/<int:pk>/schedule/", views_series.series_schedule, name="series_schedule"),
    path("series/<int:pk>/stop/", views_series.series_stop, name="series_stop"),
    path("series/<int:pk>/organisers/", views_series.organiser_add, name="organiser_add"),
    path(
        "series/<int:pk>/organisers/<int:member>/remove/",
        views_series.organiser_remove,
        name="organiser_remove",
    ),
    path("roles/", views_roles.role_list, name="roles"),
    path("roles/<slug:role>/vouch/", views_roles.vouch_give, name="vouch"),
    path("roles/<slug:role>/vouches/<int:member>/withdraw/", views_roles.vouch_withdraw, name="withdraw"),
    path("roles/<slug:role>/threshold/", views_roles.role_threshold, name="threshold"),
]
