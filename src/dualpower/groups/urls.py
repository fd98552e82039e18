from django.urls import path

from dualpower.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="new"),
    path("<slug:group>/", views.group_detail, name="detail"),
    path("<slug:group>/edit/", views.group_edit, name="edit"),
    path("<slug:group>/delete/", views.group_delete, name="delete"),
    path("<slug:group>/join/", views.group_join, name="join"),
    path("<slug:group>/leave/", views.group_leave, name="leave"),
    path("<slug:group>/requests/<int:pk>/approve/", views.request_approve, name="approve"),
    path("<slug:group>/requests/<int:pk>/decline/", views.request_decline, name="decline"),
    path("<slug:group>/members/<int:pk>/convener/", views.convener_set, name="convener"),
    path("<slug:group>/members/<int:pk>/remove/", views.member_remove, name="remove"),
]
