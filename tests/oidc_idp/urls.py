from django.urls import include, path

from . import views

urlpatterns = [
    path("identity/o/api/userinfo.jwt", views.userinfo_jwt, name="userinfo_jwt"),
    path("", include("allauth.idp.urls")),
    path("accounts/", include("allauth.urls")),
]
