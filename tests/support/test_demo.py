import pytest

from enfance.accounts.demo import load as load_accounts
from enfance.core.demo import DemoReport
from enfance.core.eventlog import verify_chain
from enfance.support.demo import PARENT, PROFESSIONAL, WAITING
from enfance.support.demo import load as load_support
from enfance.support.models import LiveQuestion, SupportRequest
from tests.events.factories import LiveFactory
from tests.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db


def test_demo_requests_are_loaded_once_with_a_thread_and_a_queue():
    early = DemoReport()
    load_support(early)
    assert "il faut d'abord les comptes" in early.lines[0]
    CommuneFactory(code="69123", name="Lyon", departement=DepartementFactory())
    load_accounts(DemoReport())
    live = LiveFactory()
    load_support(DemoReport())
    load_support(DemoReport())
    followed = SupportRequest.objects.get(parent__email=PARENT)
    assert followed.handler.email == PROFESSIONAL and followed.messages.count() == 3
    assert followed.first_answer_at > followed.created_at
    assert SupportRequest.objects.waiting().count() == len(WAITING)
    assert list(
        LiveQuestion.objects.filter(event=live).values_list("status", flat=True).order_by("pk")
    ) == ["affichee", "affichee", "a_moderer"]
    assert verify_chain().intact
