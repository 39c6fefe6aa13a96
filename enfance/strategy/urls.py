from django.urls import path

from . import views

app_name = "strategy"

urlpatterns = [
    path("", views.home, name="home"),
    path("deploiement/", views.deployment_page, name="deployment"),
    path("engagements/<int:number>/", views.engagement, name="engagement"),
    path("mesures/<slug:number>/", views.measure, name="measure"),
]
