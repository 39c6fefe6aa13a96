from django.urls import path

from . import views

app_name = "safeguarding"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
]
