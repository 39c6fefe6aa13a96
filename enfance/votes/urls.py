from django.urls import path

from . import views

app_name = "votes"

urlpatterns = [
    path("<int:pk>/", views.ballot_detail, name="ballot"),
    path("<int:pk>/resultats/", views.results, name="results"),
    path("<int:pk>/recu/", views.verify_receipt, name="verify_receipt"),
    path("<int:pk>/gestion/", views.manage, name="manage"),
    path("<int:pk>/gestion/<str:name>/", views.transition, name="transition"),
    path("consultations/<int:pk>/", views.consultation, name="consultation"),
]
