from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("", views.proposal_list, name="list"),
    path("ecrire/", views.write, name="write"),
    path("proches/", views.similar, name="similar"),
    path("mes-propositions/", views.my_proposals, name="mine"),
    path("moderation/", views.moderation, name="moderation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/publier/", views.publish, name="publish"),
    path("<int:pk>/moderer/", views.moderate_proposal, name="moderate"),
    path("<int:pk>/soutenir/", views.support, name="support"),
    path("<int:pk>/suivre/", views.follow, name="follow"),
    path("<int:pk>/commenter/", views.comment, name="comment"),
    path("<int:pk>/danger/", views.flag_proposal, name="flag"),
    path("<int:pk>/deliberation/", views.take_up, name="take_up"),
    path("<int:pk>/amendements/nouveau/", views.new_amendment, name="new_amendment"),
    path("<int:pk>/vote-final/", views.open_decision_vote, name="open_decision"),
    path("<int:pk>/vote-final/conclure/", views.conclude_decision, name="conclude_decision"),
    path("<int:pk>/transmettre/", views.transmit, name="transmit"),
    path("amendements/<int:pk>/vote/", views.open_amendment_vote, name="open_amendment_vote"),
    path(
        "amendements/<int:pk>/conclure/",
        views.conclude_amendment_vote,
        name="conclude_amendment_vote",
    ),
    path("commentaires/<int:pk>/abus/", views.report_comment, name="report_comment"),
    path("commentaires/<int:pk>/retirer/", views.remove_comment, name="remove_comment"),
    path("commentaires/<int:pk>/valider/", views.approve_comment, name="approve_comment"),
    path("commentaires/<int:pk>/danger/", views.flag_comment, name="flag_comment"),
]
