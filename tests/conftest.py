from importlib import import_module

import pytest
from django.apps import apps
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

from enfance.accounts.models import Role
from tests.factories import UserFactory, with_totp

# The local OpenID providers standing for ProConnect and FranceConnect (started on first use).
from tests.oidc_provider import franceconnect_provider, proconnect_provider  # noqa: F401

# No timing in a test (QUALITY.md): hypothesis's deadline would fail a property on a busy machine.
hypothesis_settings.register_profile("enfance", deadline=None)
hypothesis_settings.load_profile("enfance")


@pytest.fixture(autouse=True)
def _clear_cache():
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def admin_national(db):

    person = with_totp(UserFactory(first_name="Alex", last_name="Admin"))
    Role.objects.create(user=person, kind="administrateur_national", scope_level="national")
    return person


@pytest.fixture
def colleges(transactional_db):
    """Tests on a real transaction (live server, threads) flush the database after them, and with
    it the colleges and seats that a data migration writes: write them again (serialized_rollback
    would clash with the content types that a flush recreates after another such test)."""

    import_module("enfance.assemblies.migrations.0002_colleges").load(apps, None)
