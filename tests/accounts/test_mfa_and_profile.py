import json

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from enfance.accounts.models import Role
from enfance.core.eventlog import verify_chain
from enfance.core.models import LogEntry
from tests.factories import CommuneFactory, DepartementFactory, UserFactory, with_totp

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kind",
    [
        "professionnel",
        "comite_selection",
        "controleur",
        "administrateur_national",
        "referent_protection",
    ],
)
def test_a_sensitive_role_without_mfa_is_sent_to_set_it_up(client, kind):
    person = UserFactory()
    Role.objects.create(user=person, kind=kind, scope_level="national")
    client.force_login(person)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/2fa/totp/activate/"
    # allauth asks for the password again before activating; that page is reachable.
    response = client.get("/comptes/2fa/totp/activate/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/comptes/reauthenticate/")


def test_a_magistrate_without_mfa_is_sent_to_set_it_up(client):

    person = UserFactory()
    Role.objects.create(
        user=person, kind="magistrat", scope_level="departement", departement=DepartementFactory()
    )
    client.force_login(person)
    assert client.get("/territoires/")["Location"] == "/comptes/2fa/totp/activate/"


def test_a_sensitive_role_with_mfa_uses_the_platform(client):
    person = with_totp(UserFactory())
    Role.objects.create(user=person, kind="controleur", scope_level="national")
    client.force_login(person)
    assert client.get("/").status_code == 200


def test_a_citizen_is_not_asked_for_mfa(client, user):
    client.force_login(user)
    assert client.get("/").status_code == 200


def test_the_profile_is_edited(client, user):
    lyon = CommuneFactory()
    client.force_login(user)
    response = client.post(
        "/mon-compte/",
        {"first_name": "Sacha", "last_name": "Durand", "commune": "Lyon (69003)"},
        follow=True,
    )
    assert "Votre profil a été mis à jour." in response.content.decode()
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.commune) == ("Sacha", "Durand", lyon)
    assert user.history.count() >= 2


def test_a_bad_profile_keeps_what_was_typed(client, user):
    client.force_login(user)
    response = client.post(
        "/mon-compte/", {"first_name": "Sacha", "last_name": "", "commune": "Nullepart"}
    )
    page = response.content.decode()
    assert 'value="Sacha"' in page and 'id="resume-erreurs"' in page


def test_the_data_export_holds_the_persons_data(client, user):
    client.force_login(user)
    response = client.get("/mon-compte/mes-donnees.json")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    data = json.loads(response.content)
    assert data["compte"]["adresse_electronique"] == user.email
    assert data["adresses_electroniques"][0]["verifiee"] is True


def test_deleting_the_account_erases_it_and_keeps_the_log_intact(client, user):

    client.force_login(user)
    assert "SUPPRIMER" in client.get("/mon-compte/supprimer/").content.decode()
    response = client.post("/mon-compte/supprimer/", {"confirmation": "supprimer"}, follow=True)
    assert "Votre compte et vos données ont été supprimés." in response.content.decode()
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    assert not get_user_model().history.filter(id=user.pk).exists()
    assert LogEntry.objects.get(action="accounts.account_deleted").actor_ref == f"user:{user.pk}"
    assert verify_chain().intact


def test_a_wrong_confirmation_deletes_nothing(client, user):
    client.force_login(user)
    response = client.post("/mon-compte/supprimer/", {"confirmation": "oui"})
    assert "Tapez exactement le mot SUPPRIMER" in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


@pytest.mark.parametrize(
    "url", ["/mon-compte/", "/mon-compte/mes-donnees.json", "/mon-compte/supprimer/"]
)
def test_account_pages_need_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")


@override_settings(DEMO_ACCOUNTS_ALLOWED=False)
def test_demo_accounts_are_refused_when_not_allowed(client):
    UserFactory(email="demo@exemple.fr", is_demo=True)
    response = client.post(
        "/comptes/login/", {"login": "demo@exemple.fr", "password": "mot-de-passe-solide-2026"}
    )
    assert response.status_code == 403
    assert "Les comptes de démonstration ne fonctionnent que sur une installation locale" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_demo_accounts_log_in_locally(client):
    UserFactory(email="demo@exemple.fr", is_demo=True)
    response = client.post(
        "/comptes/login/", {"login": "demo@exemple.fr", "password": "mot-de-passe-solide-2026"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
