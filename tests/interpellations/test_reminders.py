"""Reminders before the deadline and missed deadlines, on a fixed clock."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from enfance.assemblies.enums import MemberRole
from enfance.core.models import LogEntry
from enfance.interpellations import services
from enfance.interpellations.enums import AnswerStatus, State
from enfance.interpellations.models import Interpellation, answer_status_q
from tests.assemblies.factories import seat_directly

from .factories import InterpellationFactory

pytestmark = pytest.mark.django_db

DUE = date(2026, 6, 30)


def at(day: date, hour: int = 8) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def waiting(db):
    return InterpellationFactory(
        state=State.SENT,
        sent_at=at(date(2026, 4, 30)),
        answer_due_on=DUE,
        answer_link_nonce="abc",
        answer_token_hash="0" * 64,
    )


def run(day, capture):
    with capture(execute=True):
        return services.send_reminders(now=at(day))


def test_reminders_go_out_14_and_3_days_before_once_each(
    waiting, django_capture_on_commit_callbacks, outbox
):
    capture = django_capture_on_commit_callbacks
    assert run(DUE - timedelta(days=15), capture) == (0, 0)
    assert run(DUE - timedelta(days=14), capture) == (1, 0)
    assert run(DUE - timedelta(days=14), capture) == (0, 0)
    assert run(DUE - timedelta(days=10), capture) == (0, 0)
    assert run(DUE - timedelta(days=3), capture) == (1, 0)
    assert run(DUE - timedelta(days=1), capture) == (0, 0)
    assert [m.to for m in outbox] == [["direction.enfance@exemple.fr"]] * 2
    assert "dans 14 jours" in outbox[0].body and "dans 3 jours" in outbox[1].body
    assert services.answer_url(waiting) in outbox[1].body


def test_a_job_that_missed_days_sends_only_the_latest_reminder(
    waiting, django_capture_on_commit_callbacks, outbox
):
    assert run(DUE - timedelta(days=2), django_capture_on_commit_callbacks) == (1, 0)
    assert len(outbox) == 1 and "dans 2 jours" in outbox[0].body


def test_the_deadline_passes_and_a_late_answer_counts_as_answered_late(
    waiting, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert waiting.answer_status(DUE) == AnswerStatus.PENDING
    assert run(DUE, capture) == (1, 0)
    assert run(DUE + timedelta(days=1), capture) == (0, 1)
    assert run(DUE + timedelta(days=1), capture) == (0, 0)
    waiting.refresh_from_db()
    assert waiting.state == State.OVERDUE
    assert waiting.answer_status(DUE + timedelta(days=1)) == AnswerStatus.OVERDUE
    assert LogEntry.objects.get(action="interpellations.interpellation.expire").public
    answered = services.record_postal_answer(
        waiting,
        by=_secretary(waiting),
        received_on=DUE + timedelta(days=5),
        text="Réponse tardive.",
        now=at(DUE + timedelta(days=6)),
    )
    assert answered.answered_late and answered.answer_delay_days == 66
    assert answered.answer_status() == AnswerStatus.ANSWERED_LATE


def _secretary(interpellation):

    return seat_directly(
        interpellation.instance,
        "associatifs",
        role=MemberRole.SECRETAIRE,
        start=date(2026, 1, 1),
    ).user


def test_status_filters_match_the_computed_status(db):
    today = timezone.localdate()
    sent = {"sent_at": timezone.now() - timedelta(days=70)}
    rows = {
        AnswerStatus.PENDING: InterpellationFactory(state=State.SENT, answer_due_on=today, **sent),
        AnswerStatus.OVERDUE: InterpellationFactory(
            state=State.SENT, answer_due_on=today - timedelta(days=1), **sent
        ),
    }
    for status, row in rows.items():
        assert row.answer_status(today) == status
        assert list(Interpellation.objects.filter(answer_status_q(status, today))) == [row]


def test_the_command_says_what_it_did(waiting, capsys):
    call_command("send_interpellation_reminders", maintenant="2026-07-02T08:00")
    assert "0 rappel envoyé, 1 interpellation passée hors délai." in capsys.readouterr().out
