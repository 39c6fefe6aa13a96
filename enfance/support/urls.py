from django.urls import path

from . import queue_views, views

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
    path("demandes/<int:pk>/<slug:action>/", views.transition, name="transition"),
    path("file/", queue_views.queue, name="queue"),
    path("file/sujets/", queue_views.subjects, name="subjects"),
]
