from django.urls import path

from dualpower.land import views

app_name = "land"
urlpatterns = [
    path("", views.home_list, name="homes"),
    path("parcels/new/", views.parcel_create, name="parcel_new"),
    path("homes/new/", views.home_create, name="home_new"),
    path("homes/<int:pk>/", views.home_detail, name="home"),
    path("homes/<int:pk>/announce/", views.allocation_announce, name="announce"),
    path("leases/", views.lease_list, name="leases"),
    path("leases/new/", views.lease_create, name="lease_new"),
    path("leases/<int:pk>/", views.lease_detail, name="lease"),
    path("leases/<int:pk>/end/", views.lease_end, name="lease_end"),
    path("waitlist/", views.waitlist_page, name="waitlist"),
    path("waitlist/<int:pk>/withdraw/", views.waitlist_withdraw, name="withdraw"),
    path("settings/", views.trust_settings, name="settings"),
    path("allocations/", views.allocation_list, name="allocations"),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation"),
    path("allocations/<int:pk>/<slug:verb>/", views.allocation_action, name="allocation_action"),
]
