from django.urls import path

from dualpower.assemblies.views import assemblies, delegations, proposals, statements, votes

app_name = "assemblies"
urlpatterns = [
    path("", assemblies.assembly_list, name="list"),
    path("<slug:assembly>/", assemblies.assembly_detail, name="detail"),
    path("<slug:assembly>/policy/", assemblies.policy_page, name="policy"),
    path("<slug:assembly>/propose/", proposals.proposal_new, name="new"),
    path("<slug:assembly>/delegate/", delegations.delegate, name="delegate"),
    path(
        "<slug:assembly>/delegations/<int:pk>/remove/",
        delegations.delegation_remove,
        name="delegation_remove",
    ),
    path("<slug:assembly>/p/<int:pk>/", proposals.proposal_detail, name="proposal"),
    path("<slug:assembly>/p/<int:pk>/vote/", votes.vote, name="vote"),
    path("<slug:assembly>/p/<int:pk>/comment/", proposals.comment, name="comment"),
    path("<slug:assembly>/p/<int:pk>/amend/", proposals.amend, name="amend"),
    path("<slug:assembly>/p/<int:pk>/amendments/<int:aid>/", proposals.amendment_answer, name="amendment"),
    path("<slug:assembly>/p/<int:pk>/step/", proposals.step, name="step"),
    path("<slug:assembly>/p/<int:pk>/close/", proposals.close, name="close"),
    path("<slug:assembly>/p/<int:pk>/decide/", proposals.decide, name="decide"),
    path("<slug:assembly>/p/<int:pk>/receipt/", votes.receipt_check, name="receipt"),
    path(
        "<slug:assembly>/p/<int:pk>/outcome/statement/",
        statements.outcome_statement,
        name="outcome_statement",
    ),
]
