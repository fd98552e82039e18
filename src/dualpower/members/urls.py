from django.urls import path

from dualpower.members import views

app_name = "members"
urlpatterns = [
    path("members/", views.member_list, name="list"),
    path("apply/", views.apply, name="apply"),
]
