"""The technical admin in a browser: a superuser who opens it is sent to the platform's login,
gives their password then their TOTP code, and only then sees the admin; the admin shows no
password form of its own."""

import re

import pyotp
from allauth.mfa.totp.internal.auth import TOTP

from tests.e2e.journeys import PASSWORD
from tests.factories import UserFactory, totp_now


def test_the_technical_admin_asks_for_the_second_factor(page, live_server):
    operator = UserFactory(email="exploitation@exemple.fr", is_staff=True, is_superuser=True)
    secret = pyotp.random_base32()
    TOTP.activate(operator, secret)

    page.goto(live_server.url + "/administration-technique/practices/")
    page.wait_for_url(re.compile(r"/comptes/login/\?next="))
    assert page.locator("#id_password").count() == 1
    page.locator("#id_login").fill(operator.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()

    # The password alone opens nothing: the platform asks for the code.
    page.wait_for_url(re.compile(r"/comptes/2fa/authenticate/$"))
    page.locator("#id_code").fill(totp_now(secret))
    page.get_by_role("button", name=re.compile("Connexion|Se connecter|Valider")).click()
    page.wait_for_url(re.compile(r"/administration-technique/practices/$"))
    assert "Administration technique" in page.title()
    assert page.locator("#site-name").inner_text() == "Administration technique"
    page.get_by_role("button", name="Déconnexion").wait_for()
