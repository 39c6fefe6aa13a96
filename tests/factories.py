import time

import factory
import pyotp
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from factory.django import DjangoModelFactory

from enfance.accounts.models import Role, User
from enfance.territories.models import Commune, Departement, Region, normalize_name


class RegionFactory(DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "84"
    name = "Auvergne-Rhône-Alpes"


class DepartementFactory(DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "69"
    name = "Rhône"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = "69123"
    name = "Lyon"
    search_name = factory.LazyAttribute(lambda o: normalize_name(o.name))
    departement = factory.SubFactory(DepartementFactory)
    postal_codes = "69001 69002 69003"
    population = 520000


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-solide-2026")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class RoleFactory(DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    kind = "porteur_pratique"
    scope_level = "national"


def with_totp(user):
    """Give a user a TOTP authenticator, as if they had set up MFA."""

    TOTP.activate(user, generate_totp_secret())
    return user


# A code read in the last seconds of its 30-second window may reach the server in the next one,
# where it is refused: wait for the next window rather than fail now and then.
TOTP_MARGIN_SECONDS = 5


def totp_now(secret: str) -> str:
    """The code of the moment for this TOTP secret, with time left to submit it."""
    totp = pyotp.TOTP(secret)
    left = totp.interval - time.time() % totp.interval
    if left < TOTP_MARGIN_SECONDS:
        time.sleep(left + 0.1)
    return totp.now()


def totp_code(user) -> str:
    """The code of the moment of the user's TOTP authenticator (with_totp)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return totp_now(get_mfa_adapter().decrypt(authenticator.data["secret"]))


def sign_in_with_totp(client, user, password="mot-de-passe-solide-2026"):  # noqa: S107
    """Signs `user` in on the test client through the login page and their TOTP code, as the
    Django admin asks (a forced login has no second factor in its session)."""
    response = client.post("/comptes/login/", {"login": user.email, "password": password})
    assert response["Location"] == "/comptes/2fa/authenticate/", response
    response = client.post("/comptes/2fa/authenticate/", {"code": totp_code(user)})
    assert response.status_code == 302 and "_auth_user_id" in client.session, response
    return response
