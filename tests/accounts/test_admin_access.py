"""The Django admin (/administration-technique/): only a superuser, signed in through the
platform's login with their TOTP code; throttled like that login (accounts/admin_site.py)."""

import html
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.urls import reverse

from enfance.accounts import login_throttle
from enfance.accounts.models import Role
from tests.factories import UserFactory, sign_in_with_totp, totp_code, with_totp

pytestmark = pytest.mark.django_db

ADMIN = "/administration-technique/"
PASSWORD = "mot-de-passe-solide-2026"
# On every page of the Django admin, whatever its title.
ADMIN_PAGE = 'id="site-name"'


def _superuser(**extra):
    return UserFactory(is_staff=True, is_superuser=True, **extra)


def _model_pages():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]


def test_a_visitor_is_sent_to_the_platforms_login(client):
    for url in (ADMIN, _model_pages()[0]):
        response = client.get(url, follow=True)
        assert response.redirect_chain[-1][0] == f"/comptes/login/?next={quote(url, safe='/')}"
        assert ADMIN_PAGE not in response.content.decode()


def test_the_admins_own_password_form_is_gone(client):
    superuser = with_totp(_superuser(email="exploitation@exemple.fr"))
    response = client.post(
        f"{ADMIN}login/",
        {"username": superuser.email, "password": PASSWORD, "next": ADMIN},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/login/")
    assert "_auth_user_id" not in client.session


def test_a_superuser_gives_the_totp_code_before_any_admin_page(client):
    superuser = with_totp(_superuser(email="exploitation@exemple.fr"))
    response = client.get(ADMIN, follow=True)
    login = response.redirect_chain[-1][0]
    assert response.status_code == 200 and login.startswith("/comptes/login/")
    response = client.post(login, {"login": superuser.email, "password": PASSWORD})
    assert response["Location"] == "/comptes/2fa/authenticate/"
    # Between the password and the code, the admin sends back to the code.
    between = client.get(ADMIN, follow=True)
    assert between.redirect_chain[-1][0] == "/comptes/2fa/authenticate/"
    assert ADMIN_PAGE not in between.content.decode()
    response = client.post("/comptes/2fa/authenticate/", {"code": totp_code(superuser)})
    assert response["Location"] == ADMIN
    page = client.get(ADMIN)
    assert page.status_code == 200 and ADMIN_PAGE in page.content.decode()
    assert "Administration technique" in page.content.decode()
    for url in _model_pages():
        assert client.get(url).status_code == 200, url


def test_a_superuser_signed_in_without_the_code_gives_it_again(client):
    # E.g. TOTP set up after signing in with the password alone.
    superuser = with_totp(_superuser())
    client.force_login(superuser)
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0] == f"/comptes/2fa/reauthenticate/?next={quote(ADMIN)}"
    assert ADMIN_PAGE not in response.content.decode()
    response = client.post(
        f"/comptes/2fa/reauthenticate/?next={ADMIN}",
        {"code": totp_code(superuser), "next": ADMIN},
    )
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_superuser_without_totp_is_asked_to_set_it_up(client):
    superuser = _superuser()
    client.force_login(superuser)
    response = client.get(ADMIN, follow=True)
    # allauth asks for the password again before the activation page.
    assert ("/comptes/2fa/totp/activate/", 302) in response.redirect_chain
    page = html.unescape(response.content.decode())
    assert "L'administration technique demande la double authentification" in page
    for url in _model_pages():
        assert client.get(url)["Location"].startswith(f"{ADMIN}login/"), url


@pytest.mark.parametrize("kind", ["staff", "national_administrator", "inactive_superuser"])
def test_anyone_else_is_refused_even_with_totp(client, kind):
    if kind == "staff":
        person = with_totp(UserFactory(is_staff=True))
    elif kind == "national_administrator":
        person = with_totp(UserFactory())
        Role.objects.create(user=person, kind="administrateur_national", scope_level="national")
    else:
        person = with_totp(_superuser())
    sign_in_with_totp(client, person)
    if kind == "inactive_superuser":
        person.is_active = False
        person.save(update_fields=["is_active"])
    response = client.get(ADMIN, follow=True)
    assert response.status_code == 403 or response.redirect_chain[-1][0].startswith(
        "/comptes/login/"
    )
    assert ADMIN_PAGE not in response.content.decode()
    for url in _model_pages():
        assert client.get(url, follow=True).status_code in (200, 403)
        assert ADMIN_PAGE not in client.get(url, follow=True).content.decode()


def test_the_next_address_stays_inside_the_admin(client):
    superuser = with_totp(_superuser())
    sign_in_with_totp(client, superuser)
    response = client.get(f"{ADMIN}login/?next=https://ailleurs.example/")
    assert response["Location"] == ADMIN
    response = client.get(f"{ADMIN}login/?next=/mon-compte/")
    assert response["Location"] == ADMIN


def test_the_admin_login_is_throttled_like_the_platforms(client, monkeypatch):
    monkeypatch.setattr(login_throttle, "clock", lambda: 1_800_000_000.0)
    superuser = with_totp(_superuser(email="exploitation@exemple.fr"))
    login = client.get(ADMIN, follow=True).redirect_chain[-1][0]
    assert login.startswith("/comptes/login/")
    for _ in range(5):
        client.post(login, {"login": superuser.email, "password": "mauvais"})
    response = client.post(login, {"login": superuser.email, "password": PASSWORD})
    page = html.unescape(response.content.decode())
    assert "Par sécurité, réessayez dans 15 secondes." in page
    assert "_auth_user_id" not in client.session
