import html

import pytest
from django.test import override_settings

from config.settings import base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_outside_tests():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_allauth_rate_limits_are_left_on_outside_tests():
    assert not hasattr(base, "ACCOUNT_RATE_LIMITS")


# Password logins are slowed down by accounts.login_throttle (growing delays, ADR 0011), no
# longer by allauth's "login_failed" lock: tests/accounts/test_login_throttle.py.
@override_settings(LOGIN_THROTTLE={"account": {"free": 3, "first": 60, "cap": 300}})
def test_failed_logins_are_throttled(client):
    UserFactory(email="cible@exemple.fr")
    for _ in range(3):
        client.post("/comptes/login/", {"login": "cible@exemple.fr", "password": "mauvais"})
    response = client.post(
        "/comptes/login/", {"login": "cible@exemple.fr", "password": "mot-de-passe-solide-2026"}
    )
    assert "Trop de tentatives de connexion" in html.unescape(response.content.decode())
    assert "_auth_user_id" not in client.session


@override_settings(ACCOUNT_RATE_LIMITS={"signup": "2/m/ip"})
def test_sign_up_is_rate_limited_with_a_french_page(client):
    for n in range(2):
        client.post("/comptes/signup/", {"email": f"robot{n}@exemple.fr"})
    response = client.post("/comptes/signup/", {"email": "robot9@exemple.fr"})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
