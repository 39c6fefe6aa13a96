"""Level 1: the conditions, the declaration form, drafts, and every bad input of issue #3."""

import datetime
import re
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.urls import reverse
from django.utils import timezone

from enfance.core.models import LogEntry
from enfance.practices import services
from enfance.practices.enums import CONDITIONS_VERSION, PracticeState, ReferenceList
from enfance.practices.models import Practice, PracticeMessage
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory

from .factories import PracticeFactory, option

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    departement = DepartementFactory()
    data = {
        "implemented_on": "21/12/2014",
        "entity_name": "Département du Rhône",
        "title": "Accueil de jour parents-enfants",
        "description": "Un lieu ouvert en journée.\r\nLes parents y viennent avec leurs enfants.",
        "scale": "departementale",
        "intervention_type": option(ReferenceList.INTERVENTION_TYPE, "Accueil de jour").pk,
        "theme": option(ReferenceList.THEME, "Éducation").pk,
        "audience": option(ReferenceList.AUDIENCE, "0 à 4 ans").pk,
        "relay": option(ReferenceList.RELAY, "Département").pk,
        "departement": departement.pk,
        "commune": "",
        "structure_kind": "departement",
        "structure_name": "Conseil départemental du Rhône",
        "action": "submit",
    }
    data.update(overrides)
    return data


@pytest.fixture
def declarant(client):
    person = UserFactory()
    client.force_login(person)
    return person


@pytest.fixture
def draft(declarant):
    return Practice.objects.create(
        declarant=declarant, conditions_accepted_at=timezone.now(), conditions_version="2023-09"
    )


def test_about_page_is_public_and_explains(client):
    response = client.get(reverse("practices:about"))
    assert response.status_code == 200
    html = response.content.decode()
    for question in (
        "Pourquoi ce recueil",
        "Comment l'alimenter",
        "Qu'est-ce qu'une pratique",
        "Comment le consulter",
        "Qui le gère",
    ):
        assert question in html
    assert "INVALID_TEMPLATE_VARIABLE" not in html


def test_conditions_first_then_a_draft_with_the_accepted_version(client, declarant):
    response = client.post(reverse("practices:declare"), {})
    assert "Cochez la case" in response.content.decode()
    assert not Practice.objects.exists()
    response = client.post(reverse("practices:declare"), {"accept": "on"})
    practice = Practice.objects.get()
    assert response.url == reverse("practices:edit", args=[practice.pk])
    assert practice.state == PracticeState.DRAFT
    assert practice.conditions_version == CONDITIONS_VERSION
    assert practice.conditions_accepted_at is not None


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("practices:declare"))
    assert response.status_code == 302
    assert "connexion" in response.url or "login" in response.url


def test_form_shows_seed_fields_asterisks_and_counter(client, draft):
    html = client.get(reverse("practices:edit", args=[draft.pk])).content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    assert "Date de mise en œuvre de la pratique inspirante" in html
    assert "fr-required-marker" in html
    assert "0 sur 1000 caractères" in html
    assert "practices/counter.js" in html
    # Restored labels of the garbled seed (reference_data.py).
    assert "Aide éducative à domicile (AED)" in html
    assert "Parents détenus" in html


def test_complete_form_is_submitted(client, draft, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("practices:edit", args=[draft.pk]), form_data())
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == PracticeState.SUBMITTED
    assert draft.implemented_on == datetime.date(2014, 12, 21)
    # Line breaks are stored as one "\n".
    assert "\r" not in draft.description
    assert mailoutbox[0].subject.endswith("Votre pratique a bien été transmise")


def test_draft_saved_incomplete_and_resumed(client, draft):
    response = client.post(
        reverse("practices:edit", args=[draft.pk]),
        {"title": "Mon idée", "action": "draft"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.state == PracticeState.DRAFT
    assert draft.title == "Mon idée"
    html = client.get(reverse("practices:edit", args=[draft.pk])).content.decode()
    assert 'value="Mon idée"' in html
    mine = client.get(reverse("practices:mine")).content.decode()
    assert "Mon idée" in mine and "Brouillon" in mine


def _rejected(client, draft, field_error, **overrides):
    response = client.post(reverse("practices:edit", args=[draft.pk]), form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error in html, html[:3000]
    draft.refresh_from_db()
    assert draft.state == PracticeState.DRAFT
    return html


def test_too_long_fields_are_refused_and_nothing_is_lost(client, draft):
    html = _rejected(
        client, draft, "Assurez-vous que cette valeur comporte au plus 100", title="T" * 101
    )
    assert "T" * 101 in html
    html = _rejected(
        client,
        draft,
        "Ce texte dépasse 1\u202f000 caractères : votre texte en compte 1\u202f001.",
        description="é" * 1001,
    )
    assert "é" * 1001 in html


def test_description_of_1000_characters_with_line_breaks_is_accepted(client, draft):
    # 10 lines of 99 characters and 9 line breaks sent as "\r\n": 999 characters, not 1008.
    description = "\r\n".join(["a" * 99] * 10)
    client.post(reverse("practices:edit", args=[draft.pk]), form_data(description=description))
    draft.refresh_from_db()
    assert draft.state == PracticeState.SUBMITTED
    assert len(draft.description) == 999


def test_future_date_is_refused(client, draft):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    _rejected(
        client,
        draft,
        "ne peut pas être dans le futur",
        implemented_on=tomorrow.strftime("%d/%m/%Y"),
    )


def test_badly_formatted_date_is_refused(client, draft):
    _rejected(client, draft, "JJ/MM/AAAA", implemented_on="2014-31-12x")


def test_missing_required_field_is_refused_on_submit_not_on_draft(client, draft):
    html = _rejected(client, draft, "Ce champ est obligatoire", title="")
    assert "Département du Rhône" in html
    response = client.post(
        reverse("practices:edit", args=[draft.pk]), form_data(title="", action="draft")
    )
    assert response.status_code == 302


def test_commune_must_be_in_the_departement(client, draft):
    CommuneFactory()  # Lyon, 69
    gironde = DepartementFactory(code="33", name="Gironde", region=RegionFactory(code="75"))
    html = _rejected(
        client,
        draft,
        "n&#x27;est pas dans le département",
        scale="locale",
        departement=gironde.pk,
        commune="Lyon (69001)",
    )
    assert "Lyon" in html


def test_local_scale_requires_a_commune(client, draft):
    _rejected(client, draft, "l&#x27;action est locale", scale="locale")


def test_other_asks_a_precision(client, draft):
    other = option(ReferenceList.THEME, "Autre", asks_precision=True)
    _rejected(client, draft, "Précisez votre choix", theme=other.pk)
    client.post(
        reverse("practices:edit", args=[draft.pk]),
        form_data(theme=other.pk, theme_other="Sport et loisirs"),
    )
    draft.refresh_from_db()
    assert draft.option_label("theme") == "Autre : Sport et loisirs"


def test_a_draft_is_never_read_by_another_user(client, draft):
    client.force_login(UserFactory())
    assert client.get(reverse("practices:edit", args=[draft.pk])).status_code == 404
    assert client.get(reverse("practices:review", args=[draft.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("practices:review", args=[draft.pk])).status_code == 302


def test_a_submitted_fiche_can_no_longer_be_edited(client, declarant):
    practice = PracticeFactory(declarant=declarant, state=PracticeState.SUBMITTED)
    assert client.get(reverse("practices:edit", args=[practice.pk])).status_code == 403


def test_resubmitting_a_published_fiche_is_refused(client, declarant):
    practice = PracticeFactory(declarant=declarant)
    response = client.post(reverse("practices:edit", args=[practice.pk]), form_data())
    assert response.status_code == 403

    with pytest.raises(ValidationError, match="Publiée"):
        services.resubmit_practice(practice, by=declarant)


def test_database_refuses_incomplete_or_too_long_fiches(declarant):
    with transaction.atomic(), pytest.raises(IntegrityError):
        PracticeFactory(declarant=declarant, title="")
    with transaction.atomic(), pytest.raises(IntegrityError):
        PracticeFactory(declarant=declarant, description="x" * 1001)
    with transaction.atomic(), pytest.raises(IntegrityError):
        PracticeFactory(declarant=declarant, scale="locale", commune=None)
    with transaction.atomic(), pytest.raises(IntegrityError):
        PracticeFactory(declarant=declarant, departement_agreement_on=None)


def test_my_declarations_page_caps_its_queries(client, declarant, django_assert_max_num_queries):
    for state in (PracticeState.DRAFT, PracticeState.SUBMITTED, PracticeState.PUBLISHED):
        PracticeFactory.create_batch(8, declarant=declarant, state=state)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("practices:mine"))
    assert response.status_code == 200


def test_an_over_long_reply_on_resubmission_is_refused_and_kept(client, declarant):
    practice = PracticeFactory(declarant=declarant, state=PracticeState.INFORMATION_REQUESTED)
    reply = "Voici le budget. " * 200
    response = client.post(
        reverse("practices:edit", args=[practice.pk]),
        {**form_data(), "action": "submit", "reply": reply},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce texte dépasse 3\u202f000 caractères" in html
    assert reply.strip() in html
    practice.refresh_from_db()
    assert practice.state == PracticeState.INFORMATION_REQUESTED
    assert not PracticeMessage.objects.filter(practice=practice).exists()


def _acceptance_token(client) -> str:
    html = client.get(reverse("practices:declare")).content.decode()
    found = re.search(r'name="acceptance" value="([0-9a-f-]{36})"', html)
    assert found, "the conditions page names its acceptance"
    return found.group(1)


def test_a_double_click_on_accept_makes_one_draft(client, declarant):
    token = _acceptance_token(client)
    first = client.post(reverse("practices:declare"), {"accept": "on", "acceptance": token})
    second = client.post(reverse("practices:declare"), {"accept": "on", "acceptance": token})
    practice = Practice.objects.get(declarant=declarant)
    assert first.url == second.url == reverse("practices:edit", args=[practice.pk])
    assert LogEntry.objects.filter(action="practices.practice.accept_conditions").count() == 1
    # The page is never served from the browser's cache: each visit names a new acceptance.
    response = client.get(reverse("practices:declare"))
    assert "no-store" in response["Cache-Control"]
    client.post(
        reverse("practices:declare"), {"accept": "on", "acceptance": _acceptance_token(client)}
    )
    assert Practice.objects.filter(declarant=declarant).count() == 2


def test_accepting_again_after_transmitting_starts_another_draft(declarant):
    token = uuid.uuid4()
    transmitted = PracticeFactory(
        declarant=declarant, state=PracticeState.SUBMITTED, acceptance_token=token
    )
    draft = services.start_declaration(by=declarant, accepted=True, token=token)
    assert draft != transmitted and draft.state == PracticeState.DRAFT
    # Another person's token is theirs alone.
    stranger = UserFactory()
    mine = services.start_declaration(by=declarant, accepted=True, token=uuid.uuid4())
    theirs = services.start_declaration(by=stranger, accepted=True, token=mine.acceptance_token)
    assert theirs != mine and theirs.declarant == stranger


def test_the_database_holds_one_practice_per_acceptance(declarant):
    token = uuid.uuid4()
    services.start_declaration(by=declarant, accepted=True, token=token)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Practice.objects.create(
            declarant=declarant, conditions_accepted_at=timezone.now(), acceptance_token=token
        )


@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_the_same_time_make_one_draft():
    person = UserFactory()
    token = uuid.uuid4()
    barrier = threading.Barrier(4)
    drafts, errors = [], []

    def accept():
        try:
            barrier.wait()
            drafts.append(services.start_declaration(by=person, accepted=True, token=token).pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(drafts)) == 1
    assert Practice.objects.filter(declarant=person).count() == 1


def test_the_precision_box_names_the_option_that_reveals_it(client, draft):
    other = option(ReferenceList.THEME, "Autre", asks_precision=True)
    response = client.get(reverse("practices:edit", args=[draft.pk]))
    html = response.content.decode()
    # Without JavaScript the box is there; the script hides it until "Autre" is picked.
    box = re.search(r'<div class="fr-input-group[^"]*"[^>]*>\s*<label for="id_theme_other"', html)
    assert box and "hidden" not in box.group(0)
    radio = re.search(rf'<input type="radio" name="theme" value="{other.pk}"[^>]*>', html)
    assert radio and 'data-precision="theme_other"' in radio.group(0)
    assert 'data-asks-precision="true"' in radio.group(0)
    plain = re.search(r'<input type="radio" name="theme" value="\d+"[^>]*>', html).group(0)
    assert 'data-precision="theme_other"' in plain and "data-asks-precision" not in plain
    # The script is a static file allowed by the page's nonce (no inline script).
    nonce = re.search(r'<script nonce="([^"]+)" src="[^"]*practices/precision\.js"', html)
    assert nonce and f"'nonce-{nonce.group(1)}'" in response["Content-Security-Policy"]


def test_the_precision_is_still_required_by_the_server_and_dropped_for_another_option(
    client, draft
):
    other = option(ReferenceList.THEME, "Autre", asks_precision=True)
    # A browser without the script (or with it bypassed) posts "Autre" with an empty box.
    html = _rejected(
        client, draft, "Précisez votre choix « Autre ».", theme=other.pk, theme_other=" "
    )
    assert 'id="id_theme_other"' in html
    # A precision typed, then another option picked: the hidden text is not kept.
    response = client.post(
        reverse("practices:edit", args=[draft.pk]),
        form_data(theme=option(ReferenceList.THEME, "Éducation").pk, theme_other="Sport"),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.theme_other == ""
    assert draft.option_label("theme") == "Éducation"
