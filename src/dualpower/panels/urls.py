from django.urls import path

from dualpower.panels import views

app_name = "panels"
urlpatterns = [
    path("", views.panel_list, name="list"),
    path("new/", views.panel_create, name="new"),
    path("<int:pk>/", views.panel_detail, name="detail"),
    path("<int:pk>/edit/", views.panel_edit, name="edit"),
    path("<int:pk>/volunteer/", views.volunteer, name="volunteer"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/seed/", views.seed, name="seed"),
    path("<int:pk>/draw/", views.draw, name="draw"),
    path("<int:pk>/volunteers/", views.volunteers, name="volunteers"),
    path("<int:pk>/reproduce/", views.reproduce, name="reproduce"),
    path("<int:pk>/export.json", views.export_json, name="export_json"),
    path("<int:pk>/pool.csv", views.export_csv, name="export_csv"),
]
