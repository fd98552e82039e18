from django.urls import path

from dualpower.budgeting import views, views_results, views_voting

app_name = "budgeting"
urlpatterns = [
    path("", views.cycle_list, name="list"),
    path("new/", views.cycle_create, name="new"),
    path("import/", views_results.import_file, name="import"),
    path("<slug:cycle>/", views.cycle_detail, name="detail"),
    path("<slug:cycle>/advance/", views.cycle_advance, name="advance"),
    path("<slug:cycle>/ideas/", views.idea_list, name="ideas"),
    path("<slug:cycle>/proposals/", views.proposal_list, name="proposals"),
    path("<slug:cycle>/proposals/<str:code>/", views.proposal_detail, name="proposal"),
    path("<slug:cycle>/vote/", views_voting.vote, name="vote"),
    path("<slug:cycle>/vote/check/", views_voting.vote_check, name="vote-check"),
    path("<slug:cycle>/booth/", views_voting.booth, name="booth"),
    path("<slug:cycle>/paper/", views_voting.paper, name="paper"),
    path("<slug:cycle>/codes/", views_voting.codes, name="codes"),
    path("<slug:cycle>/results/", views_results.results, name="results"),
    path("<slug:cycle>/results/<str:area>.pb", views_results.ballot_file, name="ballot-file"),
    path("<slug:cycle>/implementation/", views_results.implementation, name="implementation"),
]
