from django.urls import path

from . import views

app_name = "territories"

urlpatterns = [
    path("", views.index, name="index"),
    path("communes/suggestions/", views.commune_suggestions, name="commune_suggestions"),
    path("region/<str:code>/", views.region, name="region"),
    path("departement/<str:code>/", views.departement, name="departement"),
]
