import pytest
from django.db import connection

from enfance.core.national_data import step_rng
from enfance.support.enums import RequestStatus
from enfance.support.models import RequestRead, Specialty, SupportMessage, SupportRequest
from enfance.support.national_data import generate_support
from tests.factories import DepartementFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _run(requests):
    options = {"support_requests": requests, "log": lambda line: None}
    generate_support(step_rng(7, "soutien"), options)


def test_generated_requests_are_encrypted_covered_and_resumable():
    DepartementFactory()
    DepartementFactory(code="2A", name="Corse-du-Sud", region=RegionFactory(code="94"))
    for n in range(30):
        UserFactory(email=f"parent.{n}@exemple.fr")
    _run(40)
    _run(60)
    _run(60)
    assert SupportRequest.objects.count() == 60
    # Every (département, subject) has professionals: no request waits for nobody.
    for request in SupportRequest.objects.exclude(status=RequestStatus.NEW):
        assert Specialty.objects.filter(user=request.handler, subject=request.subject).exists()
        request.full_clean(exclude=["parent", "departement", "handler"])
    assert SupportMessage.objects.exists() and RequestRead.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT situation, id FROM support_supportrequest ORDER BY id LIMIT 1")
        token, pk = cursor.fetchone()
    assert token.startswith("gAAAAA")  # a Fernet token, not the parent's words
    assert SupportRequest.objects.get(pk=pk).situation.endswith(("?", "."))
    body = SupportMessage.objects.first().body
    assert body and not body.startswith("gAAAAA")
