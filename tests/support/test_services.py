import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from enfance.core.models import LogEntry
from enfance.support import services
from enfance.support.models import RequestRead, SupportMessage, SupportRequest
from tests.factories import DepartementFactory, RegionFactory, UserFactory

from .factories import SITUATION, professional, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def rhone():
    return DepartementFactory()


@pytest.fixture
def parent():
    return UserFactory(email="parent@exemple.fr")


def test_a_request_is_stored_encrypted_and_the_log_and_the_mail_say_nothing_of_it(
    rhone, parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = written(parent, rhone)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT situation, contact FROM support_supportrequest WHERE id = %s", [request.pk]
        )
        situation, contact = cursor.fetchone()
    assert "médiatisée" not in situation and "18 h" not in contact
    assert type(request).objects.get().situation == SITUATION
    event = LogEntry.objects.get(action="support.request")
    assert "médiatisée" not in event.summary + str(event.data)
    (received,) = mail.outbox
    assert received.to == ["parent@exemple.fr"] and "médiatisée" not in received.body


def test_bad_input_is_refused_in_french_and_nothing_is_written(rhone, parent):
    with pytest.raises(ValidationError) as refused:
        services.submit(
            parent=parent, subject="loisirs", departement=rhone, child_age="", situation=" "
        )
    assert set(refused.value.message_dict) == {"subject", "child_age"}
    with pytest.raises(ValidationError, match="avec vos mots"):
        written(parent, rhone, situation="   ")
    with pytest.raises(ValidationError) as refused:
        written(parent, rhone, situation="x" * 6001)
    assert "dépasse 6\u202f000 caractères" in refused.value.message_dict["situation"][0]
    assert not SupportMessage.objects.exists()


def test_only_a_professional_of_the_subject_and_territory_takes_and_reads_it(
    rhone, parent, django_capture_on_commit_callbacks
):
    request = written(parent, rhone)
    finistere = DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    for outsider in (
        professional(finistere),
        professional(rhone, subjects=("scolarite",)),
        UserFactory(),
    ):
        with pytest.raises(PermissionDenied):
            services.take(request, by=outsider)
        with pytest.raises(PermissionDenied):
            services.read(request, by=outsider)
    jurist = professional(rhone)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.take(request, by=jurist)
    assert request.handler == jurist and mail.outbox[-1].to == ["parent@exemple.fr"]
    # Another professional of the same subject and territory does not read a taken request.
    with pytest.raises(PermissionDenied):
        services.read(request, by=professional(rhone))
    services.read(request, by=jurist)
    services.read(request, by=parent)
    assert list(RequestRead.objects.values_list("reader", flat=True)) == [jurist.pk]


def test_the_thread_times_the_first_answer_and_stops_once_closed(
    rhone, parent, django_capture_on_commit_callbacks
):
    jurist = professional(None)  # national
    request = services.take(written(parent, rhone), by=jurist)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(request, by=jurist, body="Vous pouvez saisir le juge des enfants.")
    request.refresh_from_db()
    assert request.first_answer_at is not None
    assert mail.outbox[-1].to == ["parent@exemple.fr"] and "juge" not in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(request, by=parent, body="Merci, comment écrire au juge ?")
    assert mail.outbox[-1].to == [jurist.email]
    with pytest.raises(ValidationError, match="Écrivez votre message"):
        services.send_message(request, by=parent, body="  ")
    with pytest.raises(PermissionDenied):
        services.send_message(request, by=UserFactory(), body="Bonjour")
    request = services.close(request, by=parent)
    with pytest.raises(ValidationError, match="La demande est close"):
        services.send_message(request, by=jurist, body="Encore un mot.")
    assert [m.body for m in services.read(request, by=parent)] == [
        "Vous pouvez saisir le juge des enfants.",
        "Merci, comment écrire au juge ?",
    ]


def test_requests_are_deleted_two_years_after_their_last_message(rhone, parent, settings):
    old, recent = written(parent, rhone), written(parent, rhone)
    services.send_message(recent, by=parent, body="Je reviens vers vous.")
    SupportRequest.objects.filter(pk=old.pk).update(
        last_message_at=timezone.now() - timedelta(days=settings.SUPPORT_RETENTION_DAYS + 1)
    )
    out = io.StringIO()
    call_command("purge_support_requests", stdout=out)
    assert "1 demande(s) supprimée(s)" in out.getvalue()
    assert list(SupportRequest.objects.values_list("pk", flat=True)) == [recent.pk]
    assert LogEntry.objects.filter(action="support.purged").exists()
    assert services.purge() == 0
