from django.urls import path

from dualpower.aid import views, views_dispatch

app_name = "aid"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<str:code>/", views.request_detail, name="request_detail"),
    path("requests/<str:code>/accept/", views.request_accept, name="request_accept"),
    path("requests/<str:code>/cancel/", views.request_cancel, name="request_cancel"),
    path("matches/<int:pk>/<str:step>/", views.match_step, name="match_step"),
    path("offers/", views.offer_list, name="offers"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<int:pk>/status/", views.offer_status, name="offer_status"),
    path("summary/", views.summary, name="summary"),
    path("export.csv", views.export_csv, name="export"),
    path("dispatch/", views_dispatch.dispatch, name="dispatch"),
    path("dispatch/intake/", views_dispatch.intake, name="intake"),
    path("dispatch/assign/", views_dispatch.assign_all, name="assign"),
    path("dispatch/requests/<str:code>/", views_dispatch.request_dispatch, name="request_dispatch"),
    path("dispatch/dashboard/", views_dispatch.dashboard, name="dashboard"),
    path("dispatch/settings/", views_dispatch.network_settings, name="settings"),
]
