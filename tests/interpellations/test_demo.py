import pytest
from django.utils import timezone

from enfance.accounts.demo import load as load_accounts
from enfance.assemblies.demo import load as load_instances
from enfance.core.demo import DemoReport
from enfance.core.eventlog import verify_chain
from enfance.interpellations.demo import load
from enfance.interpellations.enums import AnswerStatus, State
from enfance.interpellations.models import Interpellation
from tests.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db


def test_demo_interpellations_tell_the_three_stories_once(client):
    early = DemoReport()
    load(early)
    assert "il faut d'abord l'instance de Villeurbanne" in early.lines[0]
    rhone = DepartementFactory()
    for code, name in [("69266", "Villeurbanne"), ("69256", "Vaulx-en-Velin")]:
        CommuneFactory(code=code, name=name, departement=rhone)
    load_accounts(DemoReport())
    load_instances(DemoReport())
    load(DemoReport())
    load(DemoReport())
    items = {i.title: i for i in Interpellation.objects.all()}
    assert len(items) == 4
    statuses = sorted(str(i.answer_status()) for i in items.values())
    assert statuses == sorted(
        [AnswerStatus.ANSWERED, AnswerStatus.PENDING, AnswerStatus.OVERDUE, "None"]
    )
    answered = next(i for i in items.values() if i.state == State.ANSWERED)
    assert answered.answer_channel == "lien" and answered.answer_delay_days == 29
    assert answered.adopted_at < answered.sent_at < timezone.now()
    assert answered.ballot.closes_at < answered.sent_at
    draft = next(i for i in items.values() if i.state == State.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(answered.get_absolute_url()).status_code == 200
    assert verify_chain().intact
