from django.urls import path

from dualpower.meetings import views, views_agenda, views_minutes

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="new"),
    path("calendar/", views_minutes.calendar_page, name="calendar"),
    path("calendar/rotate/", views_minutes.calendar_rotate, name="calendar_rotate"),
    path("feeds/<str:kind>/<str:token>.ics", views_minutes.feed, name="feed"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/quorum/", views.meeting_quorum, name="quorum"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/start/", views.meeting_start, name="start"),
    path("<int:pk>/end/", views.meeting_end, name="end"),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path("<int:pk>/attendance/", views.attendance_record, name="attendance"),
    path("<int:pk>/attendance/<int:attendance>/remove/", views.attendance_remove, name="attendance_remove"),
    path("<int:pk>/agenda/", views_agenda.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item>/", views_agenda.agenda_edit, name="agenda_edit"),
    path("<int:pk>/agenda/<int:item>/remove/", views_agenda.agenda_remove, name="agenda_remove"),
    path("<int:pk>/agenda/<int:item>/up/", views_agenda.agenda_move, {"direction": "up"}, name="agenda_up"),
    path(
        "<int:pk>/agenda/<int:item>/down/",
        views_agenda.agenda_move,
        {"direction": "down"},
        name="agenda_down",
    ),
    path("<int:pk>/items/<int:item>/tally/", views_minutes.tally_enter, name="tally_enter"),
    path("<int:pk>/items/<int:item>/tally/confirm/", views_minutes.tally_confirm, name="tally_confirm"),
    path("<int:pk>/items/<int:item>/tally/dispute/", views_minutes.tally_dispute, name="tally_dispute"),
    path("<int:pk>/minutes/", views_minutes.minutes_page, name="minutes"),
    path("<int:pk>/minutes/open/", views_minutes.minutes_open, name="minutes_open"),
    path("<int:pk>/minutes/adopt/", views_minutes.minutes_adopt, name="minutes_adopt"),
]
