from django.urls import path

from dualpower.members import views

app_name = "me"
urlpatterns = [
    path("", views.my_profile, name="profile"),
]
