from django.urls import path

from dualpower.deliberation.views import deliberations as views
from dualpower.deliberation.views import links, peers

app_name = "deliberation"
urlpatterns = [
    path("", views.deliberation_list, name="list"),
    path("new/", views.deliberation_new, name="new"),
    path("<int:pk>/", views.deliberation_detail, name="detail"),
    path("<int:pk>/statements/<int:number>/vote/", views.statement_vote, name="vote"),
    path("<int:pk>/statements/new/", views.statement_new, name="statement_new"),
    path("<int:pk>/mine/", views.my_votes, name="mine"),
    path("<int:pk>/moderate/", views.moderate, name="moderate"),
    path("<int:pk>/propose/", views.proposal_start, name="propose"),
    path("<int:pk>/close/", views.deliberation_close, name="close"),
    path("<int:pk>/votes.csv", views.votes_csv, name="votes_csv"),
    path("<int:pk>/peers/", peers.peers_set, name="peers_set"),
    path("peer/<int:peer_pk>/", peers.peer_detail, name="peer"),
    path("peer/<int:peer_pk>/statements/<int:number>/vote/", peers.peer_vote, name="peer_vote"),
    path("peer/<int:peer_pk>/statements/new/", peers.peer_statement_new, name="peer_statement_new"),
    path("peer/<int:peer_pk>/erase/", peers.peer_erase, name="peer_erase"),
    path("<int:pk>/link/", links.link_set, name="link_set"),
    path("<int:pk>/with/<str:token>/", links.link_page, name="link"),
    path("<int:pk>/with/<str:token>/statements/<int:number>/vote/", links.link_vote, name="link_vote"),
    path("<int:pk>/with/<str:token>/statements/new/", links.link_statement_new, name="link_statement_new"),
    path("<int:pk>/with/<str:token>/mine/", links.link_mine, name="link_mine"),
    path("<int:pk>/with/<str:token>/erase/", links.link_erase, name="link_erase"),
]
