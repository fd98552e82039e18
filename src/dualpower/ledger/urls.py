from django.urls import path

from dualpower.ledger import admin_views, views

app_name = "ledger"
urlpatterns = [
    path("", views.money_home, name="list"),
    path("new/", admin_views.currency_create, name="new"),
    path("invoices/", views.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/accept/", views.invoice_accept, name="invoice_accept"),
    path("invoices/<int:pk>/reject/", views.invoice_reject, name="invoice_reject"),
    path("invoices/<int:pk>/cancel/", views.invoice_cancel, name="invoice_cancel"),
    path("accounts/<int:pk>/", views.statement, name="statement"),
    path("accounts/<int:pk>/limits/", admin_views.account_limits, name="limits"),
    path("<slug:code>/", views.currency_detail, name="currency"),
    path("<slug:code>/open/", views.account_open, name="open"),
    path("<slug:code>/pay/", views.pay, name="pay"),
    path("<slug:code>/request/", views.request_payment, name="request"),
    path("<slug:code>/admin/", admin_views.currency_admin, name="admin"),
]
