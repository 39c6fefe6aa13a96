"""PETITION_REQUIRE_FRANCECONNECT: off, signing is unchanged (and costs nothing more); on, where
FranceConnect is on, the form asks to sign in with FranceConnect, takes the names from the
identity and counts the signature once. The local provider standing for FranceConnect is
tests/oidc_provider.py's."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import caches

from enfance.petitions import services
from enfance.petitions.models import DepartementCount, Signature
from tests.factories import CommuneFactory, UserFactory
from tests.oidc_provider import switch_on

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

CITIZEN = "camille@exemple.fr"
SIGN = "/petition/signer/"


@pytest.fixture
def petition():
    return PetitionFactory()


@pytest.fixture
def lyon():
    return CommuneFactory()


@pytest.fixture
def franceconnect(settings, franceconnect_provider):
    switch_on(settings, franceconnect_provider)
    return franceconnect_provider


@pytest.fixture
def required(settings, franceconnect):
    settings.PETITION_REQUIRE_FRANCECONNECT = True
    return franceconnect


def _sign_by_email(client, email):
    return client.post(
        SIGN,
        {
            "first_name": "Camille",
            "last_name": "Dupont",
            "email": email,
            "commune": "Lyon (69001)",
            "consent": "on",
        },
    )


class CacheCalls:
    """Counts the operations on the shared and the local cache."""

    OPERATIONS = ("get", "set", "add", "incr", "delete", "get_many", "set_many", "touch")

    def __init__(self, monkeypatch):
        self.calls = []
        for alias in ("default", "local"):
            backend = caches[alias]
            for name in self.OPERATIONS:
                monkeypatch.setattr(backend, name, self._counting(alias, getattr(backend, name)))

    def _counting(self, alias, method):
        def counted(*args, **kwargs):
            self.calls.append((alias, method.__name__))
            return method(*args, **kwargs)

        return counted


def _surge_signing_cost(client, monkeypatch, django_assert_num_queries, email):
    calls = CacheCalls(monkeypatch)
    with django_assert_num_queries(1):
        assert _sign_by_email(client, email).status_code == 302
    monkeypatch.undo()
    return calls.calls


# Off -----------------------------------------------------------------------------------------


def test_off_the_form_is_unchanged_even_with_franceconnect_on(
    client, petition, lyon, franceconnect
):
    html = client.get(SIGN).content.decode()
    assert 'name="email"' in html and 'name="first_name"' in html
    assert "FranceConnect" not in html
    assert _sign_by_email(client, "premiere@exemple.fr").status_code == 302
    signature = Signature.objects.get()
    assert signature.confirmed_at is None and signature.identity_digest is None


def test_off_signing_costs_no_more_query_nor_cache_round_trip(
    client, petition, lyon, settings, monkeypatch, django_assert_num_queries, franceconnect_provider
):
    """The surge path with FranceConnect on and the setting off costs what it costs with no
    service at all: one INSERT, the same cache operations."""
    settings.PETITION_EMAIL_DRAIN_INTERVAL = 60
    services._last_drain_scheduled = 10**12  # no e-mail job enqueued during the measure
    _sign_by_email(client, "echauffement@exemple.fr")  # the petition and the commune cached
    without = _surge_signing_cost(client, monkeypatch, django_assert_num_queries, "a@exemple.fr")
    switch_on(settings, franceconnect_provider)
    _sign_by_email(client, "echauffement2@exemple.fr")
    with_service = _surge_signing_cost(
        client, monkeypatch, django_assert_num_queries, "b@exemple.fr"
    )
    assert without and with_service == without


# On --------------------------------------------------------------------------------------------


def test_on_a_visitor_is_asked_to_sign_in_with_franceconnect(client, petition, lyon, required):
    html = client.get(SIGN).content.decode()
    assert '<span class="fr-connect__brand">FranceConnect</span>' in html
    assert "Qu'est-ce que FranceConnect ?" in html
    assert 'name="email"' not in html and 'name="first_name"' not in html
    assert f'name="next" value="{SIGN}"' in html


def test_on_an_anonymous_signer_is_sent_to_franceconnect(client, petition, lyon, required):
    response = _sign_by_email(client, "anonyme@exemple.fr")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{required.issuer}/identity/o/authorize?")
    assert parse_qs(urlsplit(location).query)["client_id"] == [required.client_id]
    assert not Signature.objects.exists()


def test_on_a_password_session_is_sent_to_franceconnect_too(client, petition, lyon, required):
    client.force_login(UserFactory())
    response = _sign_by_email(client, "compte@exemple.fr")
    assert response["Location"].startswith(f"{required.issuer}/identity/o/authorize?")
    assert not Signature.objects.exists()


def test_on_a_franceconnect_signer_signs_once_with_the_identitys_names(
    client, petition, lyon, required
):
    # Pressing « S'identifier avec FranceConnect » on the form, then back to the form.
    response = client.post(
        "/comptes/etat/franceconnect/connexion/", {"process": "login", "next": SIGN}
    )
    back = required.sign_in(response["Location"], CITIZEN)
    response = client.get(back.removeprefix("http://testserver"))
    assert response["Location"] == SIGN

    html = client.get(SIGN).content.decode()
    assert "<strong>Camille Martin</strong>" in html
    assert 'name="first_name"' not in html and 'name="email"' not in html

    response = client.post(SIGN, {"commune": "Lyon (69001)", "consent": "on"})
    assert response.status_code == 200
    assert "Merci, votre signature est confirmée" in response.content.decode()
    # The same ways to share the petition as after an e-mail confirmation.
    assert 'href="mailto:?' in response.content.decode()
    signature = Signature.objects.get()
    assert (signature.first_name, signature.last_name, signature.email) == (
        "Camille",
        "Martin",
        CITIZEN,
    )
    assert signature.confirmed_at is not None and not signature.email_pending
    assert len(signature.identity_digest) == 64 and "camille" not in signature.identity_digest
    assert DepartementCount.objects.get(departement=lyon.departement).confirmed == 1

    again = client.post(SIGN, {"commune": "Lyon (69001)", "consent": "on"})
    assert "Votre signature était déjà confirmée" in again.content.decode()
    assert Signature.objects.count() == 1
    assert DepartementCount.objects.get(departement=lyon.departement).confirmed == 1


def test_the_form_explains_what_is_missing(client, petition, lyon, required):
    response = client.post(
        "/comptes/etat/franceconnect/connexion/", {"process": "login", "next": SIGN}
    )
    client.get(required.sign_in(response["Location"], CITIZEN).removeprefix("http://testserver"))
    html = client.post(SIGN, {"commune": "", "consent": ""}).content.decode()
    assert "Cochez cette case pour signer" in html
    assert not Signature.objects.exists()


def test_an_earlier_unconfirmed_email_signature_becomes_the_franceconnect_one(
    client, petition, lyon, required
):
    services.sign(
        petition, first_name="Cam", last_name="M", email=CITIZEN, commune=CommuneFactory()
    )
    services.sign_with_franceconnect(
        petition,
        first_name="Camille",
        last_name="Martin",
        email=CITIZEN,
        identity_digest="d" * 64,
        commune=lyon,
    )
    signature = Signature.objects.get()
    assert signature.confirmed_at is not None and signature.last_name == "Martin"
    assert not services.sign_with_franceconnect(
        petition,
        first_name="Camille",
        last_name="Martin",
        email="autre.adresse@exemple.fr",
        identity_digest="d" * 64,
        commune=lyon,
    )
    assert Signature.objects.count() == 1


def test_anonymisation_erases_the_identity_too(petition, lyon):
    services.sign_with_franceconnect(
        petition,
        first_name="Camille",
        last_name="Martin",
        email=CITIZEN,
        identity_digest="d" * 64,
        commune=lyon,
    )
    petition.state = "deposee"
    petition.save()
    services.anonymise(petition)
    assert Signature.objects.get().identity_digest is None
