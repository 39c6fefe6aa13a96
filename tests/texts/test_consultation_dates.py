"""A consultation has dates: it opens on the day its transition opens it, closes on the day
chosen by whoever opens it (after the opening, within a year, enforced by the database too), and
a text's page shows them with the steps of its path."""

import html as html_lib
import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from enfance.core.dates import written_date
from enfance.core.models import LogEntry
from enfance.core.workflow import apply_transition
from enfance.texts import services
from enfance.texts.enums import TextState
from enfance.texts.forms import ConsultationForm
from enfance.texts.models import Text
from enfance.texts.timeline import path_of
from enfance.texts.workflows import TEXT_WORKFLOW
from tests.factories import UserFactory

from .factories import charter, in_a_month, law_proposal

pytestmark = pytest.mark.django_db


def _page(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return html_lib.unescape(response.content.decode())


def _day(day: date) -> str:
    """As the templates write a day (Django's « j F Y »)."""
    return f"{day.day} {written_date(day).split(' ', 1)[1]}"


def test_opening_dates_the_consultation_and_records_its_close(admin_national):
    text = charter(admin_national, state=TextState.DRAFTING)
    closes_on = in_a_month()
    text = services.open_consultation(text, by=admin_national, closes_on=closes_on)
    text.refresh_from_db()
    assert text.state == TextState.CONSULTATION
    assert text.consultation_opens_on == timezone.localdate()
    assert text.consultation_closes_on == closes_on
    entry = LogEntry.objects.get(action="texts.text.open_consultation")
    assert entry.public and entry.data["closes_on"] == closes_on.isoformat()
    assert text.state_label == f"En consultation jusqu'au {written_date(closes_on)}"


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-3, "La consultation se clôt après son ouverture"),
        (0, "La consultation se clôt après son ouverture"),
        (400, "Une consultation dure au plus un an"),
    ],
)
def test_a_close_date_out_of_bounds_is_refused_in_french(admin_national, days, message):
    text = charter(admin_national, state=TextState.DRAFTING)
    with pytest.raises(ValidationError) as refused:
        services.open_consultation(
            text, by=admin_national, closes_on=timezone.localdate() + timedelta(days=days)
        )
    assert message in " ".join(refused.value.message_dict["closes_on"])
    assert Text.objects.get(pk=text.pk).state == TextState.DRAFTING


def test_only_its_editors_open_a_consultation(admin_national, user):
    text = charter(admin_national, state=TextState.DRAFTING)
    with pytest.raises(PermissionDenied):
        services.open_consultation(text, by=user, closes_on=in_a_month())


def test_the_database_refuses_a_close_before_the_opening(admin_national):
    text = charter(admin_national, state=TextState.DRAFTING)
    text = services.open_consultation(text, by=admin_national, closes_on=in_a_month())
    with pytest.raises(IntegrityError), transaction.atomic():
        Text.objects.filter(pk=text.pk).update(
            consultation_closes_on=text.consultation_opens_on - timedelta(days=1)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Text.objects.filter(pk=text.pk).update(consultation_opens_on=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Text.objects.filter(pk=text.pk).update(
            consultation_opens_on=date(2001, 1, 1), consultation_closes_on=None
        )


def test_the_form_refuses_a_close_before_the_opening_in_french(client, admin_national):
    text = charter(admin_national, state=TextState.DRAFTING)
    client.force_login(admin_national)
    url = text.url("transition", "ouvrir-consultation")
    assert "Date de clôture de la consultation" in _page(client, url)
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(url, {"closes_on": yesterday.isoformat()})
    assert response.status_code == 400
    page = html_lib.unescape(response.content.decode())
    assert "La consultation se clôt après son ouverture" in page
    response = client.post(url, {"closes_on": ""})
    assert "Indiquez la date de clôture de la consultation." in html_lib.unescape(
        response.content.decode()
    )
    assert Text.objects.get(pk=text.pk).state == TextState.DRAFTING
    closes_on = in_a_month()
    response = client.post(url, {"closes_on": closes_on.isoformat()})
    assert response.status_code == 302
    assert Text.objects.get(pk=text.pk).consultation_closes_on == closes_on


def test_the_form_of_a_close_date_has_bounds():
    assert not ConsultationForm(data={"closes_on": "20255-01-01"}).is_valid()
    assert ConsultationForm(data={"closes_on": in_a_month().isoformat()}).is_valid()


def test_the_page_shows_the_dates_and_the_steps(client, admin_national):
    text = charter(admin_national, state=TextState.DRAFTING)
    closes_on = in_a_month()
    services.open_consultation(text, by=admin_national, closes_on=closes_on)
    page = _page(client, text.get_absolute_url())
    today = timezone.localdate()
    words = re.sub(r"<[^>]+>", "", page)
    assert f"Consultation ouverte le {_day(today)}, jusqu'au {_day(closes_on)} inclus." in words
    assert f"En consultation jusqu'au {written_date(closes_on)}" in page
    assert "Les étapes de ce texte" in page
    steps = page.split('class="texts-path"', 1)[1].split("</ol>", 1)[0]
    order = [
        "Rédaction de la version 1",
        "Ouverture de la consultation",
        "Consultation en cours",
        "Clôture de la consultation",
        "Nouvelle version",
    ]
    positions = [steps.index(title) for title in order]
    assert positions == sorted(positions)
    assert f"Prévue le {_day(closes_on)}" in steps
    assert 'aria-current="step"' in steps
    assert "À venir" in steps and "Fait" in steps
    listed = _page(client, "/textes/")
    assert f"En consultation jusqu'au {written_date(closes_on)}" in listed


def test_closing_early_brings_the_close_forward(client, admin_national):
    text = charter(admin_national, state=TextState.DRAFTING)
    text = services.open_consultation(text, by=admin_national, closes_on=in_a_month())
    text = services.close_consultation(text, by=admin_national)
    today = timezone.localdate()
    assert (text.state, text.consultation_closes_on) == (TextState.DRAFTING, today)
    page = _page(client, text.get_absolute_url())
    assert f"Dernière consultation : du {_day(today)} au {_day(today)}." in page
    titles = [step.title for step in path_of(text)]
    assert titles[:3] == [
        "Rédaction de la version 1",
        "Ouverture de la consultation",
        "Clôture de la consultation",
    ]


def test_no_one_takes_part_after_the_closing_day(client, admin_national):
    text = charter(admin_national, state=TextState.DRAFTING)
    text = services.open_consultation(text, by=admin_national, closes_on=in_a_month())
    Text.objects.filter(pk=text.pk).update(
        consultation_opens_on=date(2025, 1, 6), consultation_closes_on=date(2025, 2, 6)
    )
    text = Text.objects.get(pk=text.pk)
    article = text.current_version.articles.select_related("version__text").first()
    article.version.text = text
    with pytest.raises(PermissionDenied):
        services.comment_article(article, by=UserFactory(), body="Trop tard ?")
    page = _page(client, text.get_absolute_url())
    assert "s'est terminée le 6 février 2025" in page
    assert "Consultation terminée le 6 février 2025" in page


def test_a_law_proposal_shows_its_path_to_come(client, admin_national):
    law = law_proposal(admin_national)
    page = _page(client, law.get_absolute_url())
    steps = page.split('class="texts-path"', 1)[1].split("</ol>", 1)[0]
    for title in ["Ouverture de la consultation", "Transmission", "Suites données"]:
        assert title in steps
    closes_on = in_a_month()
    law = services.open_consultation(law, by=admin_national, closes_on=closes_on)
    services.record_transmission(
        law,
        by=admin_national,
        recipient_kind="gouvernement",
        recipients="Ministère des Solidarités",
        transmitted_on=timezone.localdate(),
    )
    law.refresh_from_db()
    steps = [(step.title, step.status) for step in path_of(law)]
    assert steps == [
        ("Rédaction de la version 1", "fait"),
        ("Ouverture de la consultation", "fait"),
        ("Transmission", "fait"),
        ("Suites données", "à venir"),
    ]
    page = _page(client, law.get_absolute_url())
    assert "À : Ministère des Solidarités" in page
    assert f"Jusqu'au {written_date(closes_on)}" in page


def test_the_platform_closes_a_consultation_on_its_day_and_no_person_can(admin_national):
    text = charter(admin_national, state=TextState.DRAFTING)
    closes_on = in_a_month()
    text = services.open_consultation(text, by=admin_national, closes_on=closes_on)
    law = services.open_consultation(
        law_proposal(admin_national), by=admin_national, closes_on=closes_on + timedelta(days=1)
    )
    with pytest.raises(PermissionDenied):
        apply_transition(text, TEXT_WORKFLOW, "end_consultation", by=admin_national)
    assert services.end_due_consultations(today=closes_on) == 0
    out = StringIO()
    call_command("close_due_consultations", date=str(closes_on + timedelta(days=1)), stdout=out)
    assert out.getvalue().strip() == "1 consultation close à sa date."
    text.refresh_from_db()
    law.refresh_from_db()
    assert (text.state, text.consultation_closes_on) == (TextState.DRAFTING, closes_on)
    assert law.state == TextState.CONSULTATION
    entry = LogEntry.objects.get(action="texts.text.end_consultation")
    assert entry.public and entry.actor is None
    assert [s.title for s in path_of(text)][2] == "Clôture de la consultation"
    assert services.end_due_consultations(today=closes_on + timedelta(days=1)) == 0
    assert services.end_due_consultations(today=closes_on + timedelta(days=2)) == 1
    law.refresh_from_db()
    assert law.state == TextState.DRAFTING
