from django.urls import URLPattern, URLResolver, path

from dualpower.care.views import circles as circle_views
from dualpower.care.views import clinics as clinic_views
from dualpower.care.views import clinics_directory as directory_views
from dualpower.care.views import clinics_lines as line_views

app_name = "care"
urlpatterns: list[URLPattern | URLResolver] = []


urlpatterns += [
    path("circles/", circle_views.circle_list, name="circles"),
    path("circles/new/", circle_views.circle_new, name="circle_new"),
    path("circles/overview/", circle_views.circles_overview, name="circles_overview"),
    path("circles/settings/", circle_views.circles_settings, name="circles_settings"),
    path("circles/<int:pk>/", circle_views.circle_detail, name="circle"),
    path("circles/<int:pk>/invite/", circle_views.circle_invite, name="circle_invite"),
    path("circles/<int:pk>/answer/", circle_views.circle_answer, name="circle_answer"),
    path("circles/<int:pk>/leave/", circle_views.circle_leave, name="circle_leave"),
    path("circles/<int:pk>/handover/", circle_views.circle_handover, name="circle_handover"),
    path("circles/<int:pk>/close/", circle_views.circle_close, name="circle_close"),
    path("circles/<int:pk>/draw/", circle_views.circle_draw, name="circle_draw"),
    path(
        "circles/<int:pk>/export.<str:fmt>",
        circle_views.circle_export,
        name="circle_export",
    ),
    path("circles/<int:pk>/notes/", circle_views.note_new, name="circle_note"),
    path("circles/<int:pk>/needs/", circle_views.need_new, name="circle_need"),
    path("circles/<int:pk>/needs/<int:nid>/<str:step>/", circle_views.need_step, name="circle_need_step"),
    path(
        "circles/<int:pk>/helpers/<int:hid>/<str:step>/", circle_views.helper_step, name="circle_helper_step"
    ),
]


urlpatterns += [
    path("clinics/", clinic_views.clinic_list, name="clinics"),
    path("clinics/<int:pk>/", clinic_views.clinic_day, name="clinic_day"),
    path("clinics/<int:pk>/board/", clinic_views.clinic_board, name="clinic_board"),
    path("clinics/<int:pk>/join/", clinic_views.queue_join, name="queue_join"),
    path("clinics/<int:pk>/move/", clinic_views.queue_move, name="queue_move"),
    path("clinics/<int:pk>/finish/", clinic_views.queue_finish, name="queue_finish"),
    path("clinics/<int:pk>/screening/", clinic_views.screening_new, name="screening_new"),
    path("clinics/<int:pk>/close/", clinic_views.clinic_close, name="clinic_close"),
    path("supplies/", directory_views.supplies, name="supplies"),
    path("referrals/", directory_views.referral_list, name="referrals"),
    path("referrals/<int:pk>/edit/", directory_views.referral_edit, name="referral_edit"),
    path("referrals/<int:pk>/remove/", directory_views.referral_remove, name="referral_remove"),
    path("warm-line/", line_views.warm_line, name="warm_line"),
    path("rota/", line_views.rota_set, name="rota_set"),
    path("crisis/", line_views.crisis, name="crisis"),
    path("crisis/<int:pk>/", line_views.crisis_call, name="crisis_call"),
    path("crisis/<int:pk>/<str:step>/", line_views.crisis_step, name="crisis_step"),
]
