"""Contexts of allauth's messages, as allauth gives them (see tests/core/test_emails.py)."""

from types import SimpleNamespace

from tests.factories import UserFactory

SITE = SimpleNamespace(name="Protection de l'enfance", domain="protection-enfance.example")


def _common(**extra):
    return {"current_site": SITE, "email": "camille@exemple.fr", **extra}


SAMPLES = {
    "account/email/email_confirmation_message.txt": lambda: _common(
        user=UserFactory(), activate_url="https://protection-enfance.example/c/abc", key="abc"
    ),
    "account/email/email_confirmation_signup_message.txt": lambda: _common(
        user=UserFactory(), activate_url="https://protection-enfance.example/c/abc", key="abc"
    ),
    "account/email/password_reset_key_message.txt": lambda: _common(
        user=UserFactory(),
        password_reset_url="https://protection-enfance.example/r/abc",
        request=None,
    ),
    "account/email/unknown_account_message.txt": lambda: _common(
        signup_url="https://protection-enfance.example/comptes/inscription/", request=None
    ),
    "account/email/account_already_exists_message.txt": lambda: _common(
        password_reset_url="https://protection-enfance.example/r/",
        signup_url="https://protection-enfance.example/comptes/inscription/",
        request=None,
    ),
}
