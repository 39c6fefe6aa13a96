from django.urls import path

from . import views

app_name = "interpellations"

urlpatterns = [
    path("", views.interpellation_list, name="list"),
    path("nouvelle/", views.create, name="create"),
    path("mes-instances/", views.mine, name="mine"),
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/<int:pk>/", views.institution, name="institution"),
    path("reponse/<str:token>/", views.answer, name="answer"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/merci/", views.answer_thanks, name="answer_thanks"),
    path("<int:pk>/modifier/", views.edit, name="edit"),
    path("<int:pk>/vote/", views.submit_to_vote, name="submit_to_vote"),
    path("<int:pk>/resultat/", views.conclude, name="conclude"),
    path("<int:pk>/brouillon/", views.back_to_draft, name="back_to_draft"),
    path("<int:pk>/envoi/", views.send, name="send"),
    path("<int:pk>/reponse-courrier/", views.postal_answer, name="postal_answer"),
]
