from django.urls import path

from dualpower.outbox import views

app_name = "outbox"
urlpatterns = [
    path("", views.mail_list, name="list"),
]
