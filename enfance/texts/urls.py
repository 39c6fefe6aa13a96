from django.urls import include, path

from .views import editing, laws, reading, taking_part

app_name = "texts"


def _text_pages(prefix: str) -> list:
    """The pages of one text, under /textes/<slug>/ or /propositions-de-loi/<slug>/; names are
    prefixed ("text_detail", "law_detail") and Text.url() picks the right one."""
    pages = [
        ("", reading.detail, "detail"),
        ("articles/<int:key>/", reading.article, "article"),
        ("articles/<int:key>/commenter/", taking_part.comment, "comment"),
        ("articles/<int:key>/proposer/", taking_part.propose, "propose"),
        ("versions/", reading.versions, "versions"),
        ("versions/<int:number>/", reading.version, "version"),
        ("comparer/", reading.compare, "compare"),
        ("modifier/", editing.edit, "edit"),
        ("propositions/<int:pk>/integrer/", editing.integrate, "integrate"),
        ("propositions/<int:pk>/ne-pas-retenir/", editing.decline, "decline"),
        ("etat/<slug:name>/", editing.transition, "transition"),
    ]
    if prefix == "law":
        pages += [
            ("versions/<int:number>/proposition-de-loi.pdf", reading.pdf, "pdf"),
            ("transmettre/", laws.transmit, "transmit"),
            ("suites/", laws.follow_up, "follow_up"),
        ]
    return [
        path(route, view, {"prefix": prefix}, name=f"{prefix}_{name}")
        for route, view, name in pages
    ]


urlpatterns = [
    path("textes/", reading.text_list, name="text_list"),
    path("textes/moderation/", taking_part.moderation, name="moderation"),
    path("textes/commentaires/<int:pk>/signaler/", taking_part.report, name="report_comment"),
    path("textes/commentaires/<int:pk>/retirer/", taking_part.remove, name="remove_comment"),
    path("textes/commentaires/<int:pk>/publier/", taking_part.publish, name="publish_comment"),
    path("textes/commentaires/<int:pk>/danger/", taking_part.flag_comment, name="flag_comment"),
    path(
        "textes/redactions-proposees/<int:pk>/danger/",
        taking_part.flag_proposal,
        name="flag_proposal",
    ),
    path("textes/<slug:slug>/", include(_text_pages("text"))),
    path("propositions-de-loi/", reading.law_list, name="law_list"),
    path("propositions-de-loi/nouvelle/", laws.law_create, name="law_create"),
    path("propositions-de-loi/<slug:slug>/", include(_text_pages("law"))),
]
