import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from enfance.accounts.models import User
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_URL = "/comptes/signup/"


def _form(**overrides):
    data = {
        "first_name": "Nadia",
        "last_name": "Benali",
        "email": "nadia.benali@exemple.fr",
        "commune": "Lyon (69001)",
        "password1": "un-mot-de-passe-robuste-42",
        "password2": "un-mot-de-passe-robuste-42",
    }
    data.update(overrides)
    return data


@pytest.fixture
def lyon():
    return CommuneFactory()


def test_signup_creates_an_unverified_account_and_sends_the_verification_email(
    client, lyon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP_URL, _form())
    assert response.status_code == 302
    user = User.objects.get(email="nadia.benali@exemple.fr")
    assert (user.first_name, user.last_name, user.commune) == ("Nadia", "Benali", lyon)
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia.benali@exemple.fr"]
    assert "/comptes/confirm-email/" in mail.outbox[0].body


def test_the_verification_link_verifies_the_address(
    client, lyon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, _form())
    link = re.search(r"https?://[^/]+(/comptes/confirm-email/[^\s]+)", mail.outbox[0].body)[1]
    assert client.get(link).status_code == 200
    client.post(link)
    assert EmailAddress.objects.get(email="nadia.benali@exemple.fr").verified


def test_a_tampered_verification_link_shows_a_clear_page_and_changes_nothing(
    client, lyon, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGNUP_URL, _form())
    link = re.search(r"https?://[^/]+(/comptes/confirm-email/[^\s]+)", mail.outbox[0].body)[1]
    tampered = link.rstrip("/")[:-4] + "abcd/"
    response = client.get(tampered)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Ce lien de confirmation d'adresse e-mail a expiré ou n'est pas valide" in page
    client.post(tampered)
    assert not EmailAddress.objects.get(email="nadia.benali@exemple.fr").verified


def test_login_is_refused_until_the_address_is_verified(client, lyon):
    client.post(SIGNUP_URL, _form())
    client.logout()
    response = client.post(
        "/comptes/login/",
        {"login": "nadia.benali@exemple.fr", "password": "un-mot-de-passe-robuste-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/comptes/confirm-email/"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse de courriel valide."),
        ({"password1": "azerty", "password2": "azerty"}, "password1", "trop court"),
        (
            {"password2": "autre-mot-de-passe-99"},
            "password2",
            "Vous devez saisir deux fois le même mot de passe.",
        ),
        (
            {"commune": "Trifouillis-les-Oies"},
            "commune",
            "Nous ne trouvons pas de commune « Trifouillis-les-Oies »",
        ),
        ({"first_name": ""}, "first_name", "Ce champ est obligatoire."),
    ],
)
def test_bad_input_is_explained_in_french_and_the_rest_is_kept(
    client, lyon, overrides, field, message
):
    response = client.post(SIGNUP_URL, _form(**overrides))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert message in page
    assert 'id="resume-erreurs"' in page
    assert f'href="#id_{field}"' in page
    if field != "last_name":
        assert 'value="Benali"' in page
    assert not User.objects.filter(last_name="Benali").exists()


def test_an_address_already_used_is_refused(client, lyon):
    UserFactory(email="nadia.benali@exemple.fr")
    response = client.post(SIGNUP_URL, _form(email="Nadia.Benali@exemple.fr"))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Un autre utilisateur utilise déjà cette adresse" in page
    assert User.objects.filter(email__iexact="nadia.benali@exemple.fr").count() == 1


def test_an_ambiguous_commune_asks_for_the_postal_code(client, lyon):
    CommuneFactory(code="01001", name="Lyon", postal_codes="01400")
    response = client.post(SIGNUP_URL, _form(commune="Lyon"))
    page = html.unescape(response.content.decode())
    assert "2 communes correspondent à « Lyon »" in page and "code postal" in page


def test_password_reset_sends_an_email(client, django_capture_on_commit_callbacks):
    UserFactory(email="oubli@exemple.fr")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/comptes/password/reset/", {"email": "oubli@exemple.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/comptes/password/reset/key/" in mail.outbox[0].body


def test_password_reset_answers_the_same_whether_or_not_an_account_exists(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="oubli@exemple.fr")
    answers = []
    for address in ("oubli@exemple.fr", "personne-inconnue@exemple.fr"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/comptes/password/reset/", {"email": address})
        page = client.get(response["Location"]).content.decode()
        # The page is the same but for its per-request tokens (CSP nonce, CSRF).
        page = re.sub(r'(nonce|value)="[^"]*"', "", page)
        answers.append((response.status_code, response["Location"], page))
    assert answers[0] == answers[1]
    # Each address gets a message: a link for the account, and for the unknown address a word
    # that no account uses it (only its owner reads it).
    assert [message.to for message in mail.outbox] == [
        ["oubli@exemple.fr"],
        ["personne-inconnue@exemple.fr"],
    ]
    assert "/comptes/password/reset/key/" in mail.outbox[0].body
    assert "/comptes/password/reset/key/" not in mail.outbox[1].body
