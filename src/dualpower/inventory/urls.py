from django.urls import path

from dualpower.inventory import views

app_name = "inventory"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/lots/<int:lot_id>/discard/", views.lot_discard, name="lot_discard"),
]
