from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("mon-compte/", views.profile, name="profile"),
    path("mon-compte/mes-donnees.json", views.export_data, name="export_data"),
    path("mon-compte/mes-donnees.pdf", views.export_data_pdf, name="export_data_pdf"),
    path("mon-compte/supprimer/", views.delete_account, name="delete_account"),
    path("gestion/roles/", views.roles, name="roles"),
    path("gestion/roles/<int:pk>/retirer/", views.withdraw_role, name="withdraw_role"),
]
