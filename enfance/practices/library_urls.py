"""The public library's URLs, included in the ``practices`` namespace by urls.py."""

from django.urls import path

from . import library_views

urlpatterns = [
    path("", library_views.library_list, name="library"),
    path("export.csv", library_views.export_csv, name="export_csv"),
    path("export.json", library_views.export_json, name="export_json"),
    path("<int:pk>/", library_views.fiche, name="fiche"),
]
