from django.urls import path

from dualpower.meetings.views import agenda, attendance, calendars, meetings, minutes, tallies

app_name = "meetings"
urlpatterns = [
    path("", meetings.meeting_list, name="list"),
    path("new/", meetings.meeting_create, name="new"),
    path("calendar/", calendars.calendar_page, name="calendar"),
    path("calendar/rotate/", calendars.calendar_rotate, name="calendar_rotate"),
    path("feeds/<str:kind>/<str:token>.ics", calendars.feed, name="feed"),
    path("<int:pk>/", meetings.meeting_detail, name="detail"),
    path("<int:pk>/edit/", meetings.meeting_edit, name="edit"),
    path("<int:pk>/quorum/", meetings.meeting_quorum, name="quorum"),
    path("<int:pk>/cancel/", meetings.meeting_cancel, name="cancel"),
    path("<int:pk>/start/", meetings.meeting_start, name="start"),
    path("<int:pk>/end/", meetings.meeting_end, name="end"),
    path("<int:pk>/check-in/", attendance.check_in, name="check_in"),
    path("<int:pk>/attendance/", attendance.attendance_record, name="attendance"),
    path(
        "<int:pk>/attendance/<int:attendance>/remove/",
        attendance.attendance_remove,
        name="attendance_remove",
    ),
    path("<int:pk>/agenda/", agenda.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/<int:item>/", agenda.agenda_edit, name="agenda_edit"),
    path("<int:pk>/agenda/<int:item>/remove/", agenda.agenda_remove, name="agenda_remove"),
    path("<int:pk>/agenda/<int:item>/up/", agenda.agenda_move, {"direction": "up"}, name="agenda_up"),
    path(
        "<int:pk>/agenda/<int:item>/down/",
        agenda.agenda_move,
        {"direction": "down"},
        name="agenda_down",
    ),
    path("<int:pk>/items/<int:item>/tally/", tallies.tally_enter, name="tally_enter"),
    path("<int:pk>/items/<int:item>/tally/confirm/", tallies.tally_confirm, name="tally_confirm"),
    path("<int:pk>/items/<int:item>/tally/dispute/", tallies.tally_dispute, name="tally_dispute"),
    path("<int:pk>/minutes/", minutes.minutes_page, name="minutes"),
    path("<int:pk>/minutes/open/", minutes.minutes_open, name="minutes_open"),
    path("<int:pk>/minutes/adopt/", minutes.minutes_adopt, name="minutes_adopt"),
]
