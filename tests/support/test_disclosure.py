"""A disclosure of danger in a support request: passed by the professional who handles it to the
référents protection, encrypted in the report, the parent told unless the référent records why
not."""

import html

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from enfance.accounts.models import Role
from enfance.safeguarding import services as safeguarding
from enfance.safeguarding.models import DangerReport
from enfance.support import services
from tests.factories import DepartementFactory, UserFactory, with_totp

from .factories import professional, written

pytestmark = pytest.mark.django_db

WORDS = "Le soir, son beau-père le frappe quand il rentre tard."


@pytest.fixture
def taken():
    rhone = DepartementFactory()
    request = written(UserFactory(email="parent@exemple.fr"), rhone, situation=WORDS)
    return services.take(request, by=professional(rhone))


@pytest.fixture
def referent():
    person = with_totp(UserFactory(first_name="Rita", last_name="Référente"))
    Role.objects.create(user=person, kind="referent_protection", scope_level="national")
    return person


def test_only_the_handler_passes_it_on_and_the_report_is_encrypted(taken, referent):
    for outsider in (taken.parent, professional(taken.departement), UserFactory()):
        with pytest.raises(PermissionDenied):
            services.disclose(taken, by=outsider, reason="Des coups.")
    with pytest.raises(ValidationError, match="fait craindre un danger"):
        services.disclose(taken, by=taken.handler, reason=" ")
    report = services.disclose(taken, by=taken.handler, reason="Il parle de coups le soir.")
    assert report.target_text == WORDS and report.reason == "Il parle de coups le soir."
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT target_text, reason FROM safeguarding_dangerreport WHERE id = %s", [report.pk]
        )
        assert not any("coups" in column for column in cursor.fetchone())


def test_the_parent_is_told_unless_the_referent_writes_why_not(
    client, taken, referent, django_capture_on_commit_callbacks
):
    report = services.disclose(taken, by=taken.handler, reason="Des coups le soir.")
    with pytest.raises(ValidationError, match="mettrait l'enfant en danger"):
        safeguarding.transmit(report, by=referent, to="CRIP du Rhône", tell_family=False)
    kept = safeguarding.transmit(
        report,
        by=referent,
        to="CRIP du Rhône",
        tell_family=False,
        not_told_reason="Le beau-père lit les courriels de la mère.",
    )
    assert kept.family_not_told_reason.startswith("Le beau-père") and not mail.outbox
    client.force_login(taken.parent)
    page = html.unescape(client.get(taken.get_absolute_url()).content.decode())
    assert "Une information a été transmise" not in page
    client.force_login(taken.handler)
    page = html.unescape(client.get(taken.get_absolute_url()).content.decode())
    assert "le parent n'en est pas informé" in page

    second = services.disclose(taken, by=taken.handler, reason="À nouveau.")
    with django_capture_on_commit_callbacks(execute=True):
        safeguarding.transmit(second, by=referent, to="119 – Allô enfance en danger")
    (told,) = mail.outbox
    assert told.to == ["parent@exemple.fr"] and "frappe" not in told.body
    client.force_login(taken.parent)
    page = html.unescape(client.get(taken.get_absolute_url()).content.decode())
    assert "Une information a été transmise" in page and "119 – Allô enfance" in page
    assert DangerReport.objects.count() == 2


def test_the_referents_page_asks_about_the_family(client, taken, referent):
    report = services.disclose(taken, by=taken.handler, reason="Des coups le soir.")
    client.force_login(referent)
    url = reverse("safeguarding:detail", args=[report.pk])
    page = html.unescape(client.get(url).content.decode())
    assert WORDS in page and "Ne pas l'informer" in page
    answer = client.post(
        url, {"action": "transmit", "to": "CRIP du Rhône", "tell_family": "non", "note": ""}
    )
    assert "Écrivez pourquoi informer la famille" in html.unescape(answer.content.decode())
    report.refresh_from_db()
    assert report.state == "a_traiter"


def test_the_disclosure_form_is_refused_to_anyone_but_the_handler(client, taken, referent):
    url = reverse("support:disclose", args=[taken.pk])
    for outsider in (professional(taken.departement), UserFactory(), referent):
        client.force_login(outsider)
        assert client.post(url, {"reason": "Des coups."}).status_code == 404
    client.force_login(taken.parent)
    client.post(url, {"reason": "Des coups."})  # the parent reads the request, cannot flag it
    assert not DangerReport.objects.exists()
