"""One demo account per role, and a citizen. Sensitive roles get a TOTP authenticator whose
secret is printed, so a person can try them with any authenticator app."""

import base64
import functools
import hashlib

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from enfance.core.demo import DEMO_PASSWORD, DemoAccount, DemoReport
from enfance.territories.models import Commune, Departement

from .enums import ALLOWED_SCOPES, SENSITIVE_ROLE_KINDS, RoleKind, ScopeLevel
from .models import Role, User
from .services import bootstrap_national_administrator, grant_role

ADMIN = RoleKind.ADMINISTRATEUR_NATIONAL

DEMO_DOMAIN = "demo.protection-enfance.fr"
DEMO_DEPARTEMENT = "69"
DEMO_COMMUNE = "69123"

_PEOPLE = {
    None: ("Camille", "Lefèvre"),
    RoleKind.PARENT_ACCOMPAGNE: ("Sophie", "Moreau"),
    RoleKind.PROFESSIONNEL: ("Karim", "Haddad"),
    RoleKind.PORTEUR_PRATIQUE: ("Élise", "Fontaine"),
    RoleKind.COMITE_SELECTION: ("Bernard", "Giraud"),
    RoleKind.REDACTEUR_ONPE: ("Lucie", "Perrin"),
    RoleKind.GESTIONNAIRE_STRUCTURE: ("Thomas", "Roux"),
    RoleKind.MAGISTRAT: ("Hélène", "Marchand"),
    RoleKind.SERVICES_DEPARTEMENT: ("Nadia", "Benhamou"),
    RoleKind.CONTROLEUR: ("Yannick", "Le Gall"),
    RoleKind.REFERENT_PROTECTION: ("Fatou", "Diallo"),
    RoleKind.ADMINISTRATEUR_NATIONAL: ("Jeanne", "Dupuis"),
}


def demo_totp_secret(email: str) -> str:
    """Stable per account, so that an authenticator app set up once keeps working."""
    return base64.b32encode(hashlib.sha256(f"demo-totp:{email}".encode()).digest()[:20]).decode()


@functools.cache
def _demo_password_hash(hashers: tuple[str, ...]) -> str:
    """The demo password, hashed once per run for all the demo accounts that sign in: Argon2
    takes about 0.14 s a hash, some 3 s of a first `make run` for the 23 accounts otherwise (they
    share its salt, which a local demo with one published password can afford). Keyed on the
    hashers, so that settings with other hashers (the tests') get a hash they can check."""
    return make_password(DEMO_PASSWORD)


def demo_account(email, first_name, last_name, commune=None, *, can_sign_in=True) -> User:
    """A demo person, made once: with the demo password and a verified address when they sign
    in to try the platform, without a usable password when they only appear (an instance's
    members)."""
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "commune": commune,
            "is_demo": True,
        },
    )
    if created:
        if can_sign_in:
            user.password = _demo_password_hash(tuple(settings.PASSWORD_HASHERS))
        else:
            user.set_unusable_password()
        user.save(update_fields=["password"])
    if can_sign_in:
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"primary": True, "verified": True}
        )
    return user


@transaction.atomic
def load(report: DemoReport) -> None:
    commune = Commune.objects.filter(code=DEMO_COMMUNE).first()
    departement = Departement.objects.filter(code=DEMO_DEPARTEMENT).first()
    citizen = demo_account(f"citoyen@{DEMO_DOMAIN}", *_PEOPLE[None], commune)
    report.accounts.append(DemoAccount(citizen.email, "Citoyen"))
    admin = demo_account(f"administrateur.national@{DEMO_DOMAIN}", *_PEOPLE[ADMIN], commune)
    if not Role.objects.active().filter(user=admin, kind=ADMIN).exists():
        bootstrap_national_administrator(admin)
    for kind in RoleKind:
        first_name, last_name = _PEOPLE[kind]
        email = f"{kind.value.replace('_', '.')}@{DEMO_DOMAIN}"
        user = demo_account(email, first_name, last_name, commune)
        scopes = ALLOWED_SCOPES[kind]
        if ScopeLevel.NATIONAL in scopes:
            scope = {}
        elif departement is not None:
            scope = {"departement": departement}
        else:
            report.lines.append(
                f"Rôle « {kind.label} » non attribué : importez d'abord les territoires."
            )
            continue
        if not Role.objects.active().filter(user=user, kind=kind).exists():
            grant_role(user, by=admin, kind=kind, departement=scope.get("departement"))
        secret = ""
        if kind in SENSITIVE_ROLE_KINDS:
            secret = demo_totp_secret(email)
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, secret)
        report.accounts.append(DemoAccount(email, kind.label, secret))
