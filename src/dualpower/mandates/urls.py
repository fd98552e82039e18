from django.urls import path

from dualpower.mandates import views

app_name = "mandates"
urlpatterns = [
    path("", views.delegate_list, name="list"),
    path("assemblies/<slug:assembly>/", views.assembly_delegates, name="assembly"),
    path("assemblies/<slug:assembly>/mandates/new/", views.mandate_draft, name="draft"),
    path("seats/<int:pk>/", views.seat_detail, name="seat"),
    path("proposals/<int:pk>/", views.proposal_mandates, name="proposal"),
]
