from django.urls import path

from dualpower.budgeting.views import ballots, cycles, proposals, results

app_name = "budgeting"
urlpatterns = [
    path("", cycles.cycle_list, name="list"),
    path("new/", cycles.cycle_create, name="new"),
    path("import/", results.import_file, name="import"),
    path("<slug:cycle>/", cycles.cycle_detail, name="detail"),
    path("<slug:cycle>/advance/", cycles.cycle_advance, name="advance"),
    path("<slug:cycle>/ideas/", proposals.idea_list, name="ideas"),
    path("<slug:cycle>/proposals/", proposals.proposal_list, name="proposals"),
    path("<slug:cycle>/proposals/<str:code>/", proposals.proposal_detail, name="proposal"),
    path("<slug:cycle>/vote/", ballots.vote, name="vote"),
    path("<slug:cycle>/vote/check/", ballots.vote_check, name="vote-check"),
    path("<slug:cycle>/booth/", ballots.booth, name="booth"),
    path("<slug:cycle>/paper/", ballots.paper, name="paper"),
    path("<slug:cycle>/codes/", ballots.codes, name="codes"),
    path("<slug:cycle>/results/", results.results, name="results"),
    path("<slug:cycle>/results/<str:area>.pb", results.ballot_file, name="ballot-file"),
    path("<slug:cycle>/implementation/", results.implementation, name="implementation"),
]
