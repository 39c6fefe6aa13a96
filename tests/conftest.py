import pytest
from django.core.cache import caches

from tests.factories import UserFactory, with_totp


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
    from enfance.accounts.models import Role

    person = with_totp(UserFactory(first_name="Alex", last_name="Admin"))
    Role.objects.create(user=person, kind="administrateur_national", scope_level="national")
    return person
