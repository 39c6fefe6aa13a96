from django.urls import path

from . import consultation_views, group_views, live_views, queue_views, views

app_name = "support"

urlpatterns = [
    path("", views.home, name="home"),
    path("demandes/nouvelle/", views.new_request, name="new"),
    path("demandes/<int:pk>/", views.request_page, name="request"),
    path("demandes/<int:pk>/message/", views.message, name="message"),
    path("demandes/<int:pk>/donnees.json", views.download_json, name="download_json"),
    path("demandes/<int:pk>/donnees.pdf", views.download_pdf, name="download_pdf"),
    path("demandes/<int:pk>/supprimer/", views.delete, name="delete"),
    path("demandes/<int:pk>/danger/", views.disclose, name="disclose"),
    path("pieces/<int:pk>/", views.attachment, name="attachment"),
    path("demandes/<int:pk>/temoignage/", views.testimony, name="testimony"),
    path(
        "temoignages/<int:pk>/<slug:decision>/",
        views.testimony_decision,
        name="testimony_decision",
    ),
    path("demandes/<int:pk>/<slug:action>/", views.transition, name="transition"),
    path("consultation/", consultation_views.consultation_page, name="consultation"),
    path("consultation/lettre.pdf", consultation_views.letter, name="consultation_letter"),
    path("consultation/<int:pk>/suite/", consultation_views.outcome, name="consultation_outcome"),
    path("consultation/<int:pk>/retirer/", consultation_views.remove, name="consultation_remove"),
    path("chiffres/", live_views.figures, name="figures"),
    path("chiffres/delais.csv", live_views.figures_csv, name="figures_csv"),
    path("lives/", live_views.lives_page, name="lives"),
    path("lives/<int:pk>/", live_views.live_page, name="live"),
    path("lives/<int:pk>/question/", live_views.ask, name="ask"),
    path("lives/<int:pk>/synthese/", live_views.record, name="record"),
    path(
        "lives/<int:pk>/questions/<int:question_pk>/<slug:action>/",
        live_views.question_action,
        name="question_action",
    ),
    path("groupes/", group_views.groups_page, name="groups"),
    path("groupes/nouveau/", group_views.new_group, name="group_new"),
    path("groupes/<int:pk>/", group_views.group_page, name="group"),
    path("groupes/<int:pk>/rejoindre/", group_views.join, name="group_join"),
    path("groupes/<int:pk>/quitter/", group_views.leave, name="group_leave"),
    path("groupes/<int:pk>/annonce/", group_views.announce, name="group_announce"),
    path("groupes/<int:pk>/seance/", group_views.new_session, name="group_session"),
    path("groupes/<int:pk>/clore/", group_views.close, name="group_close"),
    path(
        "groupes/<int:pk>/membres/<int:membership_pk>/retirer/",
        group_views.remove_member,
        name="group_remove",
    ),
    path("file/", queue_views.queue, name="queue"),
    path("file/sujets/", queue_views.subjects, name="subjects"),
]
