from django.urls import path

from dualpower.aid.views import dispatch, offers, referrals, requests, summary

app_name = "aid"
urlpatterns = [
    path("", requests.request_list, name="list"),
    path("requests/new/", requests.request_new, name="request_new"),
    path("requests/<str:code>/", requests.request_detail, name="request_detail"),
    path("requests/<str:code>/accept/", requests.request_accept, name="request_accept"),
    path("requests/<str:code>/cancel/", requests.request_cancel, name="request_cancel"),
    path("matches/<int:pk>/<str:step>/", requests.match_step, name="match_step"),
    path("offers/", offers.offer_list, name="offers"),
    path("offers/new/", offers.offer_new, name="offer_new"),
    path("offers/<int:pk>/status/", offers.offer_status, name="offer_status"),
    path("summary/", summary.summary, name="summary"),
    path("export.csv", summary.export_csv, name="export"),
    path("dispatch/", dispatch.dispatch, name="dispatch"),
    path("dispatch/intake/", dispatch.intake, name="intake"),
    path("dispatch/assign/", dispatch.assign_all, name="assign"),
    path("dispatch/requests/<str:code>/", dispatch.request_dispatch, name="request_dispatch"),
    path("dispatch/requests/<str:code>/refer/", referrals.refer, name="refer"),
    path("dispatch/referrals/", referrals.referral_list, name="referrals"),
    path("dispatch/referrals/<int:pk>/answer/", referrals.referral_answer, name="referral_answer"),
    path("dispatch/dashboard/", dispatch.dashboard, name="dashboard"),
    path("dispatch/settings/", dispatch.network_settings, name="settings"),
]
