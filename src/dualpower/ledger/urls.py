from django.urls import path

from dualpower.ledger.views import accounts, admin, currencies, invoices

app_name = "ledger"
urlpatterns = [
    path("", currencies.money_home, name="list"),
    path("new/", admin.currency_create, name="new"),
    path("invoices/", invoices.invoice_list, name="invoices"),
    path("invoices/<int:pk>/", invoices.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/accept/", invoices.invoice_accept, name="invoice_accept"),
    path("invoices/<int:pk>/reject/", invoices.invoice_reject, name="invoice_reject"),
    path("invoices/<int:pk>/cancel/", invoices.invoice_cancel, name="invoice_cancel"),
    path("accounts/<int:pk>/", accounts.statement, name="statement"),
    path(
        "accounts/<int:pk>/statement.csv",
        accounts.statement,
        {"csv_file": True},
        name="statement_csv",
    ),
    path("accounts/<int:pk>/limits/", admin.account_limits, name="limits"),
    path("<slug:code>/", currencies.currency_detail, name="currency"),
    path("<slug:code>/open/", accounts.account_open, name="open"),
    path("<slug:code>/pay/", accounts.pay, name="pay"),
    path("<slug:code>/request/", accounts.request_payment, name="request"),
    path("<slug:code>/admin/", admin.currency_admin, name="admin"),
]
