from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("", views.index, name="index"),
    path("donnees.csv", views.download_csv, name="download_csv"),
    path("donnees.json", views.download_json, name="download_json"),
    path("<str:code>/", views.departement_page, name="departement"),
    path("<str:code>/suivi/", views.follow, name="follow"),
    path("<str:code>/saisir/", views.record, name="record"),
    path("<str:code>/importer/", views.import_file, name="import"),
]
