"""ProConnect and FranceConnect against local OpenID providers started by the tests
(tests/oidc_provider.py): the buttons, how an identity meets an account, the second factor, the
logout. Each flow is the real one: the platform's redirect, the provider's login form, the
return with a code exchanged for tokens over HTTP."""

import re
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from allauth.socialaccount.models import SocialAccount
from django.core import mail

from enfance.accounts.models import Role
from enfance.accounts.state_signin import identity
from enfance.core.models import LogEntry
from tests.factories import DepartementFactory, UserFactory, totp_now
from tests.oidc_provider import switch_on

pytestmark = pytest.mark.django_db

JUDGE = "juge@justice.exemple.fr"
AGENT = "agent@departement.exemple.fr"
UNVERIFIED_AGENT = "non.verifie@departement.exemple.fr"
CITIZEN = "camille@exemple.fr"
UNVERIFIED_CITIZEN = "non.verifiee@exemple.fr"


@pytest.fixture
def services(settings, proconnect_provider, franceconnect_provider):
    switch_on(settings, proconnect_provider, franceconnect_provider)
    return {"proconnect": proconnect_provider, "franceconnect": franceconnect_provider}


def start(client, provider, **data):
    response = client.post(
        f"/comptes/etat/{provider.provider_id}/connexion/", {"process": "login", **data}
    )
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def sign_in_through(client, provider, email, **data):
    """Press the service's button, sign in at the provider, come back: the platform's answer."""
    back = provider.sign_in(start(client, provider, **data), email)
    assert back.startswith("http://testserver/comptes/etat/"), back
    return client.get(back.removeprefix("http://testserver"))


# The buttons ------------------------------------------------------------------------------------


def test_no_button_and_no_address_while_the_services_are_off(client):
    page = client.get("/comptes/login/").content.decode()
    assert "ProConnect" not in page and "FranceConnect" not in page
    assert client.post("/comptes/etat/proconnect/connexion/").status_code == 404
    assert client.get("/comptes/etat/franceconnect/retour/").status_code == 404


def test_the_login_page_shows_each_service_with_its_official_wording(
    client, services, django_assert_max_num_queries
):
    with django_assert_max_num_queries(0):
        page = client.get("/comptes/login/").content.decode()
    # FranceConnect: the DSFR's own button; ProConnect: a DSFR button with its wording.
    assert '<span class="fr-connect__login">S\'identifier avec</span>' in page
    assert '<span class="fr-connect__brand">FranceConnect</span>' in page
    assert "S'identifier avec ProConnect</button>" in page
    assert "Qu'est-ce que FranceConnect ?" in page
    assert "Qu'est-ce que ProConnect ?" in page
    # Only what is switched on: FranceConnect alone shows no ProConnect button.


def test_only_the_services_switched_on_show(client, settings, franceconnect_provider):
    switch_on(settings, franceconnect_provider)
    page = client.get("/comptes/login/").content.decode()
    assert "FranceConnect" in page
    assert "ProConnect" not in page
    assert client.post("/comptes/etat/proconnect/connexion/").status_code == 404


def test_the_request_carries_a_nonce_and_franceconnect_asks_for_eidas1(client, services):
    query = parse_qs(urlsplit(start(client, services["franceconnect"])).query)
    assert len(query["nonce"][0]) >= 32
    assert query["acr_values"] == ["eidas1"]
    assert query["redirect_uri"] == ["http://testserver/comptes/etat/franceconnect/retour/"]
    assert set(query["scope"][0].split()) >= {"openid", "email", "given_name", "family_name"}


# How an identity meets an account ----------------------------------------------------------------


def test_a_verified_address_signs_in_to_its_account_and_links_it(client, services):
    agent = UserFactory(email=AGENT, first_name="Karim", last_name="Benali")
    response = sign_in_through(client, services["proconnect"], AGENT)
    assert response.status_code == 302
    assert response["Location"] == "/mon-compte/"
    assert client.get("/mon-compte/").context["user"] == agent
    account = SocialAccount.objects.get(user=agent)
    assert account.provider == "proconnect"
    assert LogEntry.objects.filter(action="accounts.identity_linked", actor=agent).exists()
    # Signed in again: the same link, no second one.
    client.logout()
    sign_in_through(client, services["proconnect"], AGENT)
    assert SocialAccount.objects.filter(user=agent).count() == 1


def test_a_new_person_gets_an_account_with_the_identitys_names_and_no_role(client, services):
    response = sign_in_through(client, services["franceconnect"], CITIZEN)
    assert response.status_code == 302
    person = client.get("/mon-compte/").context["user"]
    assert (person.email, person.first_name, person.last_name) == (
        CITIZEN,
        "Camille",
        "Martin",
    )
    assert EmailAddress.objects.get(user=person, email=CITIZEN).verified
    assert not person.has_usable_password()
    # The provider says « roles: magistrat, administrateur_national »: the platform ignores it.
    assert not Role.objects.filter(user=person).exists()
    assert not person.is_staff and not person.is_superuser
    assert LogEntry.objects.filter(action="accounts.identity_signup", actor=person).exists()


def test_proconnects_usual_name_is_the_family_name(client, services):
    sign_in_through(client, services["proconnect"], JUDGE)
    person = client.get("/mon-compte/").context["user"]
    assert (person.first_name, person.last_name) == ("Hélène", "Marchand")


def test_an_unverified_address_never_links_an_existing_account(client, services):
    """The person is asked to sign in to that account first; nothing is linked, the account's
    password still works."""
    owner = UserFactory(email=UNVERIFIED_AGENT)
    response = sign_in_through(client, services["proconnect"], UNVERIFIED_AGENT)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()
    owner.refresh_from_db()
    assert owner.has_usable_password()


def test_an_unverified_address_of_a_new_person_must_be_confirmed_first(
    client, services, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in_through(client, services["franceconnect"], UNVERIFIED_CITIZEN)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    address = EmailAddress.objects.get(email=UNVERIFIED_CITIZEN)
    assert not address.verified
    assert [message.to for message in mail.outbox] == [[UNVERIFIED_CITIZEN]]
    assert "/comptes/confirm-email/" in mail.outbox[0].body


def test_a_code_obtained_for_another_request_is_refused(client, services):
    """The nonce: a code from another sign-in (say, an attacker's own) is of no use here."""
    provider = services["proconnect"]
    other = provider.sign_in(start(client, provider), AGENT)
    mine = provider.sign_in(start(client, provider), AGENT)
    swapped = f"{mine.split('?')[0]}?code={parse_qs(urlsplit(other).query)['code'][0]}"
    swapped += f"&state={parse_qs(urlsplit(mine).query)['state'][0]}"
    response = client.get(swapped.removeprefix("http://testserver"))
    assert response.status_code == 401
    assert "nonce" in str(response.context["auth_error"]["exception"])
    assert "Connexion impossible" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not SocialAccount.objects.exists()


def test_a_lower_level_of_assurance_than_asked_is_refused(client, settings, services):
    """Asked eidas2, the provider answers eidas1: nobody is signed in."""
    provider = services["franceconnect"]
    app = provider.app()
    app["settings"]["auth_params"] = {"acr_values": "eidas2"}
    settings.SOCIALACCOUNT_PROVIDERS = {"etat": {"APPS": [app]}}
    response = sign_in_through(client, provider, CITIZEN)
    assert response.status_code == 401
    assert "acr" in str(response.context["auth_error"]["exception"])
    assert "_auth_user_id" not in client.session


# Roles and the second factor ---------------------------------------------------------------------


def test_a_magistrate_still_passes_the_platforms_second_factor(client, services):
    judge = UserFactory(email=JUDGE)
    secret = pyotp.random_base32()
    TOTP.activate(judge, secret)
    Role.objects.create(
        user=judge, kind="magistrat", scope_level="departement", departement=DepartementFactory()
    )
    response = sign_in_through(client, services["proconnect"], JUDGE)
    assert response["Location"] == "/comptes/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    assert client.get("/mon-compte/").status_code == 302
    response = client.post("/comptes/2fa/authenticate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    page = client.get("/mon-compte/")
    assert page.context["user"] == judge
    assert "Magistrat (tribunal pour enfants)" in page.content.decode()
    assert identity.current(page.wsgi_request, "proconnect") is not None


def test_a_sensitive_role_without_a_second_factor_is_sent_to_set_it_up(client, services):
    agent = UserFactory(email=AGENT)
    Role.objects.create(user=agent, kind="controleur", scope_level="national")
    sign_in_through(client, services["proconnect"], AGENT)
    response = client.get("/territoires/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/2fa/totp/activate/"


def test_an_account_opened_by_proconnect_then_given_a_sensitive_role_can_set_up_totp(
    client, services
):
    """No password to confirm: having just signed in through the service is enough for allauth
    to let them set up the second factor."""
    sign_in_through(client, services["proconnect"], AGENT)
    agent = client.get("/mon-compte/").context["user"]
    assert not agent.has_usable_password()
    Role.objects.create(user=agent, kind="controleur", scope_level="national")
    assert client.get("/territoires/")["Location"] == "/comptes/2fa/totp/activate/"
    page = client.get("/comptes/2fa/totp/activate/")
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()


# Linking from « Mon compte », logging out -------------------------------------------------------


def test_a_person_links_a_service_from_their_account(client, services):
    person = UserFactory(email="autre.adresse@exemple.fr")
    client.force_login(person)
    page = client.get("/mon-compte/").content.decode()
    assert "Services de connexion de l'État" in page
    connections = client.get("/comptes/3rdparty/").content.decode()
    assert "Aucun service n'est relié à votre compte." in connections
    response = sign_in_through(client, services["franceconnect"], CITIZEN, process="connect")
    assert response.status_code == 302
    account = SocialAccount.objects.get(user=person)
    assert account.provider == "franceconnect"
    connections = client.get("/comptes/3rdparty/").content.decode()
    assert "FranceConnect, relié le" in connections
    # FranceConnect now opens this account, whatever its address.
    client.logout()
    sign_in_through(client, services["franceconnect"], CITIZEN)
    assert client.get("/mon-compte/").context["user"] == person


def test_logging_out_goes_through_the_services_logout(client, services):
    provider = services["franceconnect"]
    sign_in_through(client, provider, CITIZEN)
    response = client.post("/comptes/logout/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{provider.issuer}/identity/o/logout?")
    query = parse_qs(urlsplit(location).query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert re.fullmatch(r"[\w-]+\.[\w-]+\.[\w-]+", query["id_token_hint"][0])
    assert "_auth_user_id" not in client.session


def test_a_password_login_logs_out_as_before(client, services, user):
    client.force_login(user)
    response = client.post("/comptes/logout/")
    assert response["Location"] == "/"
