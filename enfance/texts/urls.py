from django.urls import include, path

from . import views

app_name = "texts"


def _text_pages(prefix: str) -> list:
    """The pages of one text, under /textes/<slug>/ or /propositions-de-loi/<slug>/; names are
    prefixed ("text_detail", "law_detail") and Text.url() picks the right one."""
    pages = [
        ("", views.detail, "detail"),
        ("articles/<int:key>/", views.article, "article"),
        ("articles/<int:key>/commenter/", views.comment, "comment"),
        ("articles/<int:key>/proposer/", views.propose, "propose"),
        ("versions/", views.versions, "versions"),
        ("versions/<int:number>/", views.version, "version"),
        ("comparer/", views.compare, "compare"),
        ("modifier/", views.edit, "edit"),
        ("propositions/<int:pk>/integrer/", views.integrate, "integrate"),
        ("propositions/<int:pk>/ne-pas-retenir/", views.decline, "decline"),
        ("etat/<slug:name>/", views.transition, "transition"),
    ]
    if prefix == "law":
        pages += [
            ("versions/<int:number>/proposition-de-loi.pdf", views.pdf, "pdf"),
            ("transmettre/", views.transmit, "transmit"),
            ("suites/", views.follow_up, "follow_up"),
        ]
    return [
        path(route, view, {"prefix": prefix}, name=f"{prefix}_{name}")
        for route, view, name in pages
    ]


urlpatterns = [
    path("textes/", views.text_list, name="text_list"),
    path("textes/commentaires/<int:pk>/signaler/", views.report, name="report_comment"),
    path("textes/commentaires/<int:pk>/retirer/", views.hide, name="hide_comment"),
    path("textes/commentaires/<int:pk>/danger/", views.flag_comment, name="flag_comment"),
    path(
        "textes/redactions-proposees/<int:pk>/danger/",
        views.flag_proposal,
        name="flag_proposal",
    ),
    path("textes/<slug:slug>/", include(_text_pages("text"))),
    path("propositions-de-loi/", views.law_list, name="law_list"),
    path("propositions-de-loi/nouvelle/", views.law_create, name="law_create"),
    path("propositions-de-loi/<slug:slug>/", include(_text_pages("law"))),
]
