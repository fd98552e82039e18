from django.urls import path

from dualpower.commons import views

app_name = "commons"
urlpatterns = [
    path("", views.guide_list, name="list"),
    path("new/", views.guide_new, name="new"),
    path("<int:pk>/", views.guide_detail, name="detail"),
    path("<int:pk>/edit/", views.guide_edit, name="edit"),
    path("<int:pk>/history/", views.guide_history, name="history"),
    path("received/<int:pk>/", views.received_detail, name="received"),
    path("received/<int:pk>/copy/", views.received_copy, name="copy"),
]
