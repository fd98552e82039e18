from django.urls import path

from dualpower.coops import views

app_name = "coops"
urlpatterns = [
    path("", views.coop_list, name="list"),
    path("new/", views.coop_create, name="new"),
    path("<slug:coop>/", views.coop_detail, name="detail"),
    path("<slug:coop>/edit/", views.coop_edit, name="edit"),
    path("<slug:coop>/accounts/", views.accounts_open, name="accounts_open"),
    path("<slug:coop>/join/", views.coop_join, name="join"),
    path("<slug:coop>/leave/", views.coop_leave, name="leave"),
    path("<slug:coop>/requests/<int:pk>/approve/", views.request_approve, name="approve"),
    path("<slug:coop>/requests/<int:pk>/decline/", views.request_decline, name="decline"),
    path("<slug:coop>/members/<int:pk>/board/", views.board_set, name="board"),
    path("<slug:coop>/capital/", views.capital_page, name="capital"),
    path("<slug:coop>/capital/<int:pk>/<slug:verb>/", views.operation_action, name="operation"),
    path("<slug:coop>/patronage/", views.patronage_page, name="patronage"),
    path("<slug:coop>/patronage/<int:pk>/adopt/", views.patronage_adopt, name="patronage_adopt"),
]
