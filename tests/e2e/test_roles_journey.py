"""An administrator logs in with the second factor and grants a role; a person with a sensitive
role and no second factor is sent to set one up."""

import re

import pyotp
from allauth.mfa.totp.internal.auth import TOTP

from enfance.accounts.models import Role
from enfance.core.models import LogEntry
from tests.factories import DepartementFactory, UserFactory, totp_now

PASSWORD = "mot-de-passe-solide-2026"


def log_in(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def test_an_administrator_logs_in_with_totp_and_grants_a_role(page, live_server):
    rhone = DepartementFactory()
    admin = UserFactory(email="admin@exemple.fr", first_name="Jeanne", last_name="Dupuis")
    secret = pyotp.random_base32()
    TOTP.activate(admin, secret)
    Role.objects.create(user=admin, kind="administrateur_national", scope_level="national")
    judge = UserFactory(email="juge@exemple.fr")

    log_in(page, live_server, "admin@exemple.fr")
    page.wait_for_url(re.compile(r"/comptes/2fa/authenticate/$"))
    page.locator("#id_code").fill(totp_now(secret))
    page.get_by_role("button", name=re.compile("Connexion|Se connecter|Valider")).click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))

    page.get_by_role("link", name="Rôles").click()
    page.wait_for_url(re.compile(r"/gestion/roles/$"))
    page.locator("#id_email").fill("juge@exemple.fr")
    page.locator("#id_kind").select_option("magistrat")
    page.locator("#id_departement").select_option(str(rhone.pk))
    page.get_by_role("button", name="Attribuer le rôle").click()
    page.get_by_text(
        "Rôle « Magistrat (tribunal pour enfants) » attribué à juge@exemple.fr."
    ).wait_for()

    assert Role.objects.active().get(user=judge).departement == rhone
    assert LogEntry.objects.filter(action="accounts.role_granted", actor=admin).exists()


def test_a_sensitive_role_without_a_second_factor_is_sent_to_set_it_up(page, live_server):
    person = UserFactory(email="controle@exemple.fr")
    Role.objects.create(user=person, kind="controleur", scope_level="national")

    log_in(page, live_server, "controle@exemple.fr")
    # allauth asks for the password again before any change of second factor.
    page.wait_for_url(re.compile(r"/comptes/reauthenticate/"))
    page.get_by_text("activez la double authentification pour continuer").wait_for()
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Confirmer").click()
    page.wait_for_url(re.compile(r"/comptes/2fa/totp/activate/$"))
    for path in ("/territoires/", "/mon-compte/"):
        response = page.goto(live_server.url + path)
        assert response.url.endswith("/comptes/2fa/totp/activate/"), response.url
