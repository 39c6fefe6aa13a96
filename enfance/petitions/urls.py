from django.urls import path

from . import views

app_name = "petitions"

urlpatterns = [
    path("", views.detail, name="detail"),
    path("compteur/", views.counter, name="counter"),
    path("signer/", views.sign, name="sign"),
    path("merci/", views.thanks, name="thanks"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("confirmee/", views.confirmed, name="confirmed"),
    path("nouveau-lien/<str:token>/", views.new_link, name="new_link"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/signatures.csv", views.export, name="export"),
    path("feuilles/", views.paper_sheets, name="paper_sheets"),
    path("feuilles/<int:pk>/retirer/", views.withdraw_sheet, name="withdraw_sheet"),
    path("banc/insertion/", views.bench_insert, name="bench_insert"),
]
