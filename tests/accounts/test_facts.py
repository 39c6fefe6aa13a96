"""The account's facts kept between requests (enfance.accounts.facts): read from the cache until
a role, an authenticator or a subject changes, then at once from the database again."""

import pytest
from allauth.mfa.models import Authenticator
from django.utils import timezone

from enfance.accounts.models import Role, User
from enfance.support import perms as support_perms
from enfance.support import services as support
from tests.factories import UserFactory, with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings, django_capture_on_commit_callbacks):
    """Facts on, and every change committed as it would be in production."""
    settings.ACCOUNT_FACTS_SECONDS = 300
    return django_capture_on_commit_callbacks


def _next_request(user) -> User:
    """A request's own user object, as the session middleware loads it."""
    return User.objects.get(pk=user.pk)


def test_roles_are_read_once_then_kept_until_one_changes(kept, django_assert_num_queries):
    person = UserFactory()
    with kept(execute=True):
        role = Role.objects.create(user=person, kind="controleur", scope_level="national")
    assert [r.kind for r in _next_request(person).active_roles()] == ["controleur"]
    again = _next_request(person)
    with django_assert_num_queries(0):
        assert [r.kind for r in again.active_roles()] == ["controleur"]
    with kept(execute=True):
        role.withdrawn_at = timezone.now()
        role.save()
    assert _next_request(person).active_roles() == []


def test_a_second_factor_removed_sends_a_sensitive_role_back_to_set_it_up(kept, client):
    person = UserFactory()
    with kept(execute=True):
        with_totp(person)
        Role.objects.create(user=person, kind="controleur", scope_level="national")
    client.force_login(person)
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200  # from the kept facts
    with kept(execute=True):
        Authenticator.objects.filter(user=person).delete()
    assert client.get("/")["Location"] == "/comptes/2fa/totp/activate/"


def test_a_professional_s_subjects_follow_their_choice(kept):
    person = with_totp(UserFactory())
    with kept(execute=True):
        Role.objects.create(user=person, kind="professionnel", scope_level="national")
        support.set_subjects(person, ["sante"])
    assert support_perms.subjects_of(_next_request(person)) == {"sante"}
    with kept(execute=True):
        support.set_subjects(_next_request(person), ["sante", "scolarite"])
    assert support_perms.subjects_of(_next_request(person)) == {"sante", "scolarite"}
