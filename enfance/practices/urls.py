from django.urls import include, path

from . import review_views, views

app_name = "practices"

urlpatterns = [
    # The public library (search, facets, fiches, exports) lives in its own module.
    path("", include("enfance.practices.library_urls")),
    path("dispositif/", views.about, name="about"),
    path("echelle-de-preuve/", views.evidence_scale, name="evidence_scale"),
    path("distinctions/", views.highlights, name="highlights"),
    path("distinctions/<int:year>/", views.highlights, name="highlights_year"),
    path("declarer/", views.declare, name="declare"),
    path("mes-declarations/", views.mine, name="mine"),
    path("declarations/<int:pk>/modifier/", views.edit, name="edit"),
    path("declarations/<int:pk>/suivi/", review_views.review, name="review"),
    path("declarations/<int:pk>/message/", review_views.message, name="message"),
    path("declarations/<int:pk>/accord/", review_views.agreement, name="agreement"),
    path("declarations/<int:pk>/conflit/", review_views.conflict, name="conflict"),
    path("declarations/<int:pk>/preuve/", review_views.evidence, name="evidence"),
    path("declarations/<int:pk>/distinction/", review_views.mark, name="mark"),
    path("declarations/<int:pk>/<slug:name>/", review_views.transition, name="transition"),
    path("comite/", review_views.queue, name="queue"),
    path("onpe/", views.onpe_fiches, name="onpe_fiches"),
    path("onpe/nouvelle/", views.onpe_new, name="onpe_new"),
    path("listes/", views.options, name="options"),
    path("listes/<slug:list_name>/ajouter/", views.option_edit, name="option_add"),
    path("listes/<slug:list_name>/<int:pk>/", views.option_edit, name="option_edit"),
]
