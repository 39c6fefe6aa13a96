"""ProConnect and FranceConnect in a browser, against the local OpenID providers that the tests
start (tests/oidc_provider.py): a magistrate signs in through the one standing for ProConnect and
reaches their role's pages after the platform's second factor; a citizen signs in through the
one standing for FranceConnect, gets an account linked by its verified address, and logs out
through the service."""

import re

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount

from enfance.accounts.models import Role, User
from tests.factories import DepartementFactory, UserFactory, totp_now
from tests.oidc_provider import PASSWORD, switch_on


@pytest.fixture
def services(settings, live_server, proconnect_provider, franceconnect_provider):
    for provider in (proconnect_provider, franceconnect_provider):
        provider.register("http://testserver", live_server.url)
    switch_on(settings, proconnect_provider, franceconnect_provider)
    return proconnect_provider, franceconnect_provider


def sign_in_at_the_provider(page, provider, email):
    """The provider's own login page (allauth's, in English)."""
    page.wait_for_url(re.compile(rf"^{re.escape(provider.issuer)}/accounts/login/"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").click()


def test_a_magistrate_signs_in_with_proconnect_then_the_second_factor(page, live_server, services):
    proconnect, _ = services
    rhone = DepartementFactory(name="Rhône")
    judge = UserFactory(email="juge@justice.exemple.fr", first_name="Hélène")
    secret = pyotp.random_base32()
    TOTP.activate(judge, secret)
    Role.objects.create(user=judge, kind="magistrat", scope_level="departement", departement=rhone)

    page.goto(live_server.url + "/comptes/login/")
    page.get_by_role("link", name="Qu'est-ce que ProConnect ?").wait_for()
    page.get_by_role("button", name="S'identifier avec ProConnect").click()
    sign_in_at_the_provider(page, proconnect, "juge@justice.exemple.fr")

    # Back on the platform, which asks for its own second factor.
    page.wait_for_url(re.compile(r"/comptes/2fa/authenticate/$"))
    page.locator("#id_code").fill(totp_now(secret))
    page.get_by_role("button", name=re.compile("Connexion|Se connecter|Valider")).click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))
    page.get_by_text(
        re.compile(r"Magistrat \(tribunal pour enfants\) — Département .*Rhône")
    ).wait_for()
    # Past the second factor, the platform's pages open (no detour to set it up).
    response = page.goto(live_server.url + "/territoires/")
    assert response.url.endswith("/territoires/")
    assert SocialAccount.objects.get(provider="proconnect").user == judge
    assert page.js_errors == []


def test_a_citizen_signs_in_with_franceconnect_and_gets_an_account(page, live_server, services):
    _, franceconnect = services

    page.goto(live_server.url + "/comptes/login/")
    page.get_by_role("link", name="Qu'est-ce que FranceConnect ?").wait_for()
    page.get_by_role("button", name="S'identifier avec FranceConnect").click()
    sign_in_at_the_provider(page, franceconnect, "camille@exemple.fr")

    page.wait_for_url(re.compile(r"/mon-compte/$"))
    assert page.locator("#id_first_name").input_value() == "Camille"
    assert page.locator("#id_last_name").input_value() == "Martin"
    page.get_by_text("camille@exemple.fr").first.wait_for()
    citizen = User.objects.get(email="camille@exemple.fr")
    assert EmailAddress.objects.get(user=citizen).verified
    assert SocialAccount.objects.get(user=citizen).provider == "franceconnect"
    assert not Role.objects.filter(user=citizen).exists()

    # Logging out goes through FranceConnect's logout and comes back to the home page.
    page.goto(live_server.url + "/comptes/logout/")
    page.locator("main form button[type=submit]").click()
    # (the service gives back the `state` sent with the logout, as OpenID Connect says).
    page.wait_for_url(re.compile(rf"^{re.escape(live_server.url)}/(\?state=\w+)?$"))
    assert page.js_errors == []
