import pytest
from django.core import mail

from enfance.assemblies.enums import MemberRole
from tests.assemblies.factories import InstanceFactory, seat_directly


@pytest.fixture
def instance(db):
    return InstanceFactory(name="Instance locale de Villeurbanne")


@pytest.fixture
def secretary(instance):
    return seat_directly(instance, "associatifs", role=MemberRole.SECRETAIRE).user


@pytest.fixture
def members(instance, secretary):
    """The secretary and two other members: the electorate of the instance."""
    return [secretary, *(seat_directly(instance, "parents").user for _ in range(2))]


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox
