from django.urls import path

from dualpower.assemblies import views

app_name = "assemblies"
urlpatterns = [
    path("", views.assembly_list, name="list"),
    path("<slug:assembly>/", views.assembly_detail, name="detail"),
    path("<slug:assembly>/policy/", views.policy_page, name="policy"),
    path("<slug:assembly>/propose/", views.proposal_new, name="new"),
    path("<slug:assembly>/delegate/", views.delegate, name="delegate"),
    path("<slug:assembly>/delegations/<int:pk>/remove/", views.delegation_remove, name="delegation_remove"),
    path("<slug:assembly>/p/<int:pk>/", views.proposal_detail, name="proposal"),
    path("<slug:assembly>/p/<int:pk>/vote/", views.vote, name="vote"),
    path("<slug:assembly>/p/<int:pk>/comment/", views.comment, name="comment"),
    path("<slug:assembly>/p/<int:pk>/amend/", views.amend, name="amend"),
    path("<slug:assembly>/p/<int:pk>/amendments/<int:aid>/", views.amendment_answer, name="amendment"),
    path("<slug:assembly>/p/<int:pk>/step/", views.step, name="step"),
    path("<slug:assembly>/p/<int:pk>/decide/", views.decide, name="decide"),
    path("<slug:assembly>/p/<int:pk>/receipt/", views.receipt_check, name="receipt"),
]
