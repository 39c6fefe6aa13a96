from django.urls import path

from .views import deliberation, detail, listing, moderation, writing

app_name = "proposals"

urlpatterns = [
    path("", listing.proposal_list, name="list"),
    path("ecrire/", writing.write, name="write"),
    path("proches/", writing.similar, name="similar"),
    path("mes-propositions/", listing.my_proposals, name="mine"),
    path("moderation/", moderation.moderation, name="moderation"),
    path("<int:pk>/", detail.detail, name="detail"),
    path("<int:pk>/modifier/", writing.edit, name="edit"),
    path("<int:pk>/publier/", writing.publish, name="publish"),
    path("<int:pk>/moderer/", moderation.moderate_proposal, name="moderate"),
    path("<int:pk>/soutenir/", detail.support, name="support"),
    path("<int:pk>/suivre/", detail.follow, name="follow"),
    path("<int:pk>/commenter/", moderation.comment, name="comment"),
    path("<int:pk>/danger/", moderation.flag_proposal, name="flag"),
    path("<int:pk>/deliberation/", deliberation.take_up, name="take_up"),
    path("<int:pk>/amendements/nouveau/", deliberation.new_amendment, name="new_amendment"),
    path("<int:pk>/vote-final/", deliberation.open_decision_vote, name="open_decision"),
    path("<int:pk>/vote-final/conclure/", deliberation.conclude_decision, name="conclude_decision"),
    path("<int:pk>/transmettre/", deliberation.transmit, name="transmit"),
    path(
        "amendements/<int:pk>/vote/",
        deliberation.open_amendment_vote,
        name="open_amendment_vote",
    ),
    path(
        "amendements/<int:pk>/conclure/",
        deliberation.conclude_amendment_vote,
        name="conclude_amendment_vote",
    ),
    path("commentaires/<int:pk>/abus/", moderation.report_comment, name="report_comment"),
    path("commentaires/<int:pk>/retirer/", moderation.remove_comment, name="remove_comment"),
    path("commentaires/<int:pk>/valider/", moderation.publish_comment, name="publish_comment"),
    path("commentaires/<int:pk>/danger/", moderation.flag_comment, name="flag_comment"),
]
