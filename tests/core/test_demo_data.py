import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from enfance.accounts.enums import SENSITIVE_ROLE_KINDS, RoleKind
from enfance.accounts.models import Role, User
from enfance.core.eventlog import verify_chain
from enfance.territories.models import Commune
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_demo_data_gives_one_account_per_role_and_is_idempotent(capsys):
    # As `make run` prepares it: migrated, the territories imported, the demo loaded.
    call_command("prepare_demo")
    assert Commune.objects.count() > 30_000
    first = (User.objects.count(), Role.objects.count(), Authenticator.objects.count())
    call_command("load_demo_data")
    assert (User.objects.count(), Role.objects.count(), Authenticator.objects.count()) == first
    # One account to sign in with per role; other demo people only appear (no usable password).
    signing_in = (
        Role.objects.active().filter(user__is_demo=True).exclude(user__password__startswith="!")
    )
    for kind in RoleKind:
        assert signing_in.filter(kind=kind).count() == 1
    sensitive_users = User.objects.filter(roles__kind__in=SENSITIVE_ROLE_KINDS)
    assert all(u.authenticator_set.filter(type="totp").exists() for u in sensitive_users)
    out = capsys.readouterr().out
    assert "secret TOTP" in out and "magistrat@demo.protection-enfance.fr" in out
    assert verify_chain().intact


@override_settings(DEMO_ACCOUNTS_ALLOWED=False)
def test_demo_data_is_refused_in_production():
    with pytest.raises(CommandError, match="refusées quand DEBUG est désactivé"):
        call_command("load_demo_data")
    assert not User.objects.exists()


def test_the_printed_totp_code_is_accepted_by_allauth(capsys):

    CommuneFactory()
    call_command("load_demo_data")
    email = "controleur@demo.protection-enfance.fr"
    capsys.readouterr()
    call_command("demo_totp_code", email)
    code = capsys.readouterr().out.strip()
    authenticator = Authenticator.objects.get(user__email=email, type="totp")
    assert TOTP(authenticator).validate_code(code)
