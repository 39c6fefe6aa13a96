"""Paper sheets, the petition's workflow and the anonymisation schedule."""

import html
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.urls import reverse
from django.utils import timezone

from enfance.core.dates import PLATFORM_START
from enfance.core.models import LogEntry
from enfance.petitions import emails, services
from enfance.petitions.enums import PetitionState
from enfance.petitions.models import PaperSheet, Petition, Signature
from enfance.petitions.workflows import PETITION_WORKFLOW
from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of

from .factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db

INVALID = "INVALID_TEMPLATE_VARIABLE"


@pytest.fixture
def petition():
    return PetitionFactory()


@pytest.fixture
def instance():
    return InstanceFactory(name="Instance de Lyon")


def _sheet_data(instance, **overrides):
    return {
        "instance": instance.pk,
        "collected_at": "Forum ouvert de Lyon",
        "collected_on": "2026-10-03",
        "sheets": 4,
        "signatures": 37,
        **overrides,
    }


def test_a_secretary_enters_paper_sheets_counted_apart_and_logged(client, petition, instance):
    secretary = secretary_of(instance)
    client.force_login(secretary)
    page = client.get(reverse("petitions:paper_sheets"))
    assert page.status_code == 200 and INVALID not in page.content.decode()
    response = client.post(reverse("petitions:paper_sheets"), _sheet_data(instance))
    assert response.status_code == 302
    sheet = PaperSheet.objects.get()
    assert (sheet.signatures, sheet.entered_by, sheet.departement_id) == (
        37,
        secretary,
        instance.departement_id,
    )
    figures = services.counts(petition)
    assert (figures.online, figures.paper, figures.total) == (0, 37, 37)
    event = LogEntry.objects.get(action="petitions.paper_sheet.add")
    assert event.actor == secretary and event.data["signatures"] == 37


def test_another_instance_secretary_and_a_member_are_refused(client, petition, instance):
    other = InstanceFactory(name="Instance de Bordeaux")
    other_secretary = secretary_of(other)
    client.force_login(other_secretary)
    response = client.post(reverse("petitions:paper_sheets"), _sheet_data(instance))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    with pytest.raises(PermissionDenied):
        services.add_paper_sheet(
            petition,
            by=other_secretary,
            instance=instance,
            signatures=10,
            sheets=1,
            collected_at="Forum",
            collected_on=timezone.localdate(),
        )
    member = seat_directly(instance, "parents").user
    client.force_login(member)
    assert client.get(reverse("petitions:paper_sheets")).status_code == 403
    assert client.post(reverse("petitions:paper_sheets"), _sheet_data(instance)).status_code == 403
    assert PaperSheet.objects.count() == 0


def test_a_mistaken_entry_is_withdrawn_with_a_reason_never_deleted(client, petition, instance):
    secretary = secretary_of(instance)
    sheet = services.add_paper_sheet(
        petition,
        by=secretary,
        instance=instance,
        signatures=12,
        sheets=1,
        collected_at="Forum",
        collected_on=timezone.localdate(),
    )
    other = secretary_of(InstanceFactory(name="Autre"))
    client.force_login(other)
    url = reverse("petitions:withdraw_sheet", args=[sheet.pk])
    assert client.post(url, {"reason": "Doublon"}).status_code == 404
    client.force_login(secretary)
    client.post(url, {"reason": "Feuilles saisies deux fois"})
    sheet.refresh_from_db()
    assert sheet.withdrawn_at is not None and sheet.withdrawn_by == secretary
    assert services.counts(petition).paper == 0
    assert LogEntry.objects.filter(action="petitions.paper_sheet.withdraw").count() == 1
    with pytest.raises(ValidationError):
        services.withdraw_paper_sheet(sheet, by=secretary, reason="Encore")


def test_a_submitted_petition_takes_no_more_paper(petition, instance):
    petition.state = PetitionState.SUBMITTED
    petition.save()
    with pytest.raises(ValidationError):
        services.add_paper_sheet(
            petition,
            by=secretary_of(instance),
            instance=instance,
            signatures=3,
            sheets=1,
            collected_at="Forum",
            collected_on=timezone.localdate(),
        )


@pytest.mark.parametrize("state", list(PetitionState))
@pytest.mark.parametrize("name", ["close", "submit", "anonymise"])
def test_every_transition_from_every_state(state, name, admin_national, user):
    petition = PetitionFactory(state=state)
    transition = PETITION_WORKFLOW.get(name)
    with (
        pytest.raises(PermissionDenied)
        if state in transition.sources
        else pytest.raises(ValidationError)
    ):
        services.transition(petition, by=user, name=name)
    if state in transition.sources:
        petition = services.transition(petition, by=admin_national, name=name)
        assert petition.state == transition.target
    else:
        with pytest.raises(ValidationError):
            services.transition(petition, by=admin_national, name=name)
        petition.refresh_from_db()
        assert petition.state == state


def test_anonymisation_erases_people_and_keeps_the_counts(petition):
    confirmed = SignatureFactory.create_batch(3, petition=petition)
    for signature in confirmed:
        services.confirm(Signature.objects.select_related("petition").get(pk=signature.pk))
    SignatureFactory(petition=petition)  # never confirmed
    petition.state = PetitionState.SUBMITTED
    petition.submitted_at = timezone.now() - timedelta(days=91)
    petition.save()
    recent = PetitionFactory(state=PetitionState.SUBMITTED, submitted_at=timezone.now())
    SignatureFactory(petition=recent, last_name="Gardé")
    call_command("anonymise_petitions", stdout=None)
    petition.refresh_from_db()
    assert petition.state == PetitionState.ANONYMISED and petition.anonymised_at
    rows = list(Signature.objects.filter(petition=petition).values())
    assert len(rows) == 3
    assert all(
        (r["first_name"], r["last_name"], r["email"], r["email_normalized"], r["commune_id"])
        == ("", "", "", None, None)
        for r in rows
    )
    assert all(r["departement_id"] for r in rows)
    assert services.counts(petition).online == 3
    assert Signature.objects.get(petition=recent).last_name == "Gardé"
    assert LogEntry.objects.filter(action="petitions.petition.anonymise").count() == 1


def test_unconfirmed_signatures_are_deleted_after_the_retention_delay(petition):
    old = SignatureFactory(petition=petition)
    Signature.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    kept = SignatureFactory(petition=petition)
    assert services.delete_stale_unconfirmed() == 1
    assert list(Signature.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_link_after_anonymisation_is_no_longer_valid(client, petition):
    signature = SignatureFactory(petition=petition)
    token = emails.confirmation_token(signature.pk)
    Signature.objects.filter(pk=signature.pk).update(email_normalized=None, email="")
    assert client.get(reverse("petitions:confirm", args=[token])).status_code == 404


def test_the_paper_sheets_and_management_pages_cap_their_queries(
    client, petition, instance, admin_national, django_assert_max_num_queries
):
    secretary = secretary_of(instance)
    for n in range(30):
        services.add_paper_sheet(
            petition,
            by=secretary,
            instance=instance,
            signatures=n + 1,
            sheets=1,
            collected_at=f"Forum n° {n}",
            collected_on=timezone.localdate(),
        )
    client.force_login(secretary)
    with django_assert_max_num_queries(15):
        html = client.get(reverse("petitions:paper_sheets")).content.decode()
    assert "Forum n° 29" in html and INVALID not in html
    client.force_login(admin_national)
    with django_assert_max_num_queries(15):
        html = client.get(reverse("petitions:paper_sheets")).content.decode()
    assert "Forum n° 29" in html and "Enregistrer la saisie" not in html
    with django_assert_max_num_queries(15):
        html = client.get(reverse("petitions:manage")).content.decode()
    assert "465" in html and INVALID not in html


def _add(secretary, petition, instance, **overrides):
    values = {
        "signatures": 5,
        "sheets": 1,
        "collected_at": "Forum",
        "collected_on": timezone.localdate(),
        **overrides,
    }
    return services.add_paper_sheet(petition, by=secretary, instance=instance, **values)


def test_the_paper_rule_reads_the_petition_row_not_a_stale_copy(petition, instance):
    secretary = secretary_of(instance)
    sheet = _add(secretary, petition, instance)
    stale = Petition.objects.get(pk=petition.pk)  # read before the deposit
    Petition.objects.filter(pk=petition.pk).update(state=PetitionState.SUBMITTED)
    assert stale.state == PetitionState.OPEN
    with pytest.raises(ValidationError, match="déposée"):
        _add(secretary, stale, instance)
    with pytest.raises(ValidationError, match="déposée"):
        services.withdraw_paper_sheet(sheet, by=secretary, reason="Doublon")
    sheet.refresh_from_db()
    assert PaperSheet.objects.count() == 1 and sheet.withdrawn_at is None
    assert services.counts(petition).paper == 5


def test_a_submitted_count_cannot_be_withdrawn_through_the_page(client, petition, instance):
    secretary = secretary_of(instance)
    sheet = _add(secretary, petition, instance, signatures=9)
    Petition.objects.filter(pk=petition.pk).update(state=PetitionState.SUBMITTED)
    client.force_login(secretary)
    url = reverse("petitions:withdraw_sheet", args=[sheet.pk])
    response = client.post(url, {"reason": "Doublon"}, follow=True)
    assert "la saisie ne peut plus être retirée" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.withdrawn_at is None
    assert not LogEntry.objects.filter(action="petitions.paper_sheet.withdraw").exists()


def test_sheet_bounds_and_dates_are_checked_by_the_service_and_the_database(petition, instance):

    secretary = secretary_of(instance)
    with pytest.raises(ValidationError, match="entre 1 et"):
        _add(secretary, petition, instance, sheets=0)
    with pytest.raises(ValidationError, match="futur"):
        _add(secretary, petition, instance, collected_on=timezone.localdate() + timedelta(days=1))
    assert PaperSheet.objects.count() == 0
    sheet = _add(secretary, petition, instance)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperSheet.objects.filter(pk=sheet.pk).update(sheets=0)


def test_a_secretary_sees_only_her_instance_sheets(client, petition, instance):
    _add(secretary_of(instance), petition, instance, collected_at="Forum de Lyon")
    other = InstanceFactory(name="Instance de Bordeaux")
    client.force_login(secretary_of(other))
    html = client.get(reverse("petitions:paper_sheets")).content.decode()
    assert "Forum de Lyon" not in html and "Enregistrer la saisie" in html


def test_a_citizen_cannot_close_the_petition_by_post(client, petition, user):
    client.force_login(user)
    assert client.post(reverse("petitions:manage"), {"transition": "close"}).status_code == 403
    petition.refresh_from_db()
    assert petition.state == PetitionState.OPEN
    assert not LogEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_during_a_closing_waits_for_it_and_does_not_count():
    signature = SignatureFactory()
    petition = signature.petition
    stale = Signature.objects.select_related("petition").get(pk=signature.pk)
    closing_holds_the_row = threading.Event()
    release = threading.Event()
    outcome = []

    def close():
        try:
            with transaction.atomic():
                Petition.objects.select_for_update().get(pk=petition.pk)
                Petition.objects.filter(pk=petition.pk).update(state=PetitionState.CLOSED)
                closing_holds_the_row.set()
                release.wait(10)
        finally:
            connections.close_all()

    def confirm():
        try:
            outcome.append(services.confirm(stale))
        except ValidationError as error:
            outcome.append(error.messages[0])
        finally:
            connections.close_all()

    closer = threading.Thread(target=close)
    closer.start()
    assert closing_holds_the_row.wait(10)
    confirmer = threading.Thread(target=confirm)
    confirmer.start()
    # The confirmation read its petition open, before the closing commits: whether it reaches
    # the lock before or after the release, it must see the petition closed.
    confirmer.join(0.5)
    release.set()
    closer.join()
    confirmer.join()
    assert outcome == ["La pétition est close : les signatures ne sont plus confirmées."]
    signature.refresh_from_db()
    assert signature.confirmed_at is None
    assert not petition.counts.exists()


@pytest.mark.parametrize(
    "typed, message",
    [
        ("0001-01-01", "précède le lancement de l'initiative, le 14 novembre 2024"),
        ("2024-11-13", "précède le lancement de l'initiative, le 14 novembre 2024"),
        ("9999-12-31", "La date de collecte ne peut pas être dans le futur."),
        ("20255-01-01", "Saisissez une date valide."),
    ],
)
def test_a_sheet_dated_outside_the_initiative_is_refused_and_never_counted(
    client, petition, instance, typed, message
):
    client.force_login(secretary_of(instance))
    data = _sheet_data(instance, collected_on=typed)
    response = client.post(reverse("petitions:paper_sheets"), data)
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not PaperSheet.objects.exists()
    assert services.counts(petition).paper == 0


def test_the_service_refuses_a_sheet_from_before_the_initiative(petition, instance):
    with pytest.raises(ValidationError, match="précède le lancement"):
        _add(secretary_of(instance), petition, instance, collected_on=date(1, 1, 1))
    sheet = _add(secretary_of(instance), petition, instance, collected_on=PLATFORM_START)
    # The database refuses it too, whatever writes it.
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperSheet.objects.filter(pk=sheet.pk).update(collected_on=date(1, 1, 1))
