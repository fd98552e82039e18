from django.urls import path

from dualpower.deliberation import views

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
]
