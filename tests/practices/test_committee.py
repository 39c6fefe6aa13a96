"""The selection committee: transitions (table test), agreement, conflicts, thread, e-mails."""

import datetime
import re
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from enfance.core.models import LogEntry
from enfance.core.text import too_long_message
from enfance.core.workflow import apply_transition
from enfance.practices import services
from enfance.practices.enums import PracticeLevel, PracticeState
from enfance.practices.models import PracticeMessage
from enfance.practices.workflows import PRACTICE_WORKFLOW
from tests.factories import UserFactory

from .factories import PracticeFactory, committee_member, redacteur_onpe

pytestmark = pytest.mark.django_db

S = PracticeState

# (transition, the role that may apply it) → states it applies from.
ALLOWED = {
    "submit": {S.DRAFT},
    "take_for_review": {S.SUBMITTED},
    "request_information": {S.SUBMITTED, S.UNDER_REVIEW},
    "resubmit": {S.INFORMATION_REQUESTED},
    "publish": {S.UNDER_REVIEW},
    "refuse": {S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED},
    "publish_onpe": {S.DRAFT},
    "unpublish": {S.PUBLISHED},
}
DECLARANT_TRANSITIONS = {"submit", "resubmit"}
ONPE_TRANSITIONS = {"publish_onpe", "unpublish"}


def _actor(name, practice):
    if name in DECLARANT_TRANSITIONS:
        return practice.declarant
    if name in ONPE_TRANSITIONS:
        return redacteur_onpe()
    return committee_member()


@pytest.mark.parametrize("state", list(PracticeState))
@pytest.mark.parametrize("name", list(ALLOWED))
def test_every_state_and_transition(state, name):
    level = PracticeLevel.ONPE if name in ONPE_TRANSITIONS else PracticeLevel.DECLARED
    practice = PracticeFactory(
        state=state,
        level=level,
        departement_agreement_by="Claire Petit, directrice enfance-famille",
        departement_agreement_on=datetime.date(2024, 1, 15),
    )
    actor = _actor(name, practice)
    if state in ALLOWED[name]:
        extra = {
            "publish": {"published_at": datetime.datetime.now(datetime.UTC)},
            "publish_onpe": {"published_at": datetime.datetime.now(datetime.UTC)},
            "unpublish": {"published_at": None},
            "refuse": {"refusal_reason": "Hors champ."},
        }.get(name, {})
        updated = apply_transition(practice, PRACTICE_WORKFLOW, name, by=actor, also_update=extra)
        assert updated.state == PRACTICE_WORKFLOW.get(name).target
        assert LogEntry.objects.filter(action=f"practices.practice.{name}").exists()
    else:
        with pytest.raises(ValidationError, match="l'état actuel est"):
            apply_transition(practice, PRACTICE_WORKFLOW, name, by=actor)
        practice.refresh_from_db()
        assert practice.state == state


@pytest.mark.parametrize("name", ["take_for_review", "request_information", "publish", "refuse"])
def test_committee_actions_are_refused_to_non_members(name):
    practice = PracticeFactory(state=S.UNDER_REVIEW if name == "publish" else S.SUBMITTED)
    for outsider in (UserFactory(), practice.declarant, redacteur_onpe()):
        with pytest.raises(PermissionDenied):
            apply_transition(practice, PRACTICE_WORKFLOW, name, by=outsider)


def test_a_declarant_on_the_committee_never_publishes_their_own_fiche(client):
    member = committee_member()
    practice = PracticeFactory(state=S.UNDER_REVIEW, declarant=member)
    client.force_login(member)
    response = client.post(reverse("practices:transition", args=[practice.pk, "publish"]))
    assert response.status_code == 403
    practice.refresh_from_db()
    assert practice.state == S.UNDER_REVIEW
    with pytest.raises(PermissionDenied):
        services.publish_practice(practice, by=member)


def test_a_conflict_of_interest_blocks_deciding():
    member = committee_member()
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    services.declare_conflict(practice, by=member, note="Je travaille avec eux.")
    with pytest.raises(PermissionDenied):
        services.publish_practice(practice, by=member)
    with pytest.raises(PermissionDenied):
        services.refuse_practice(practice, by=member, reason="Non.")
    with pytest.raises(PermissionDenied):
        services.record_departement_agreement(
            practice, by=member, given_by="X", given_on=datetime.date(2024, 1, 1)
        )


def test_publication_requires_the_departement_agreement():
    member = committee_member()
    practice = PracticeFactory(
        state=S.UNDER_REVIEW, departement_agreement_by="", departement_agreement_on=None
    )
    with pytest.raises(ValidationError, match="accord du représentant"):
        services.publish_practice(practice, by=member)
    with pytest.raises(ValidationError):
        services.record_departement_agreement(
            practice,
            by=member,
            given_by="Claire Petit",
            given_on=datetime.date.today() + datetime.timedelta(days=3),
        )
    services.record_departement_agreement(
        practice,
        by=member,
        given_by="Claire Petit, DEF",
        given_on=datetime.date(2024, 2, 1),
    )
    practice.refresh_from_db()
    assert practice.departement_agreement_recorded_by == member
    published = services.publish_practice(practice, by=member)
    assert published.state == S.PUBLISHED
    assert published.review_due_on == datetime.date.today().replace(
        year=datetime.date.today().year + 2
    ) or (published.review_due_on.month == 2 and published.review_due_on.day == 28)
    assert published.evidence_stage == "reviewed"


def test_full_path_with_emails(mailoutbox, django_capture_on_commit_callbacks):
    member = committee_member()
    practice = PracticeFactory(
        state=S.SUBMITTED, departement_agreement_by="", departement_agreement_on=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.take_for_review(practice, by=member)
        services.request_information(practice, by=member, message="Quel budget ?")
        services.post_message(practice, by=practice.declarant, body="30 000 € par an.")
        services.resubmit_practice(practice, by=practice.declarant, message="Complété.")
        services.record_departement_agreement(
            practice,
            by=member,
            given_by="M. Durand, DGA solidarités",
            given_on=datetime.date(2024, 3, 1),
        )
        services.publish_practice(practice, by=member)
    to_member = [m.subject for m in mailoutbox if m.to == [member.email]]
    assert to_member == [
        f"[Pratiques inspirantes] Nouveau message du déclarant de « {practice} »",
        f"[Pratiques inspirantes] « {practice} » a été complétée par le déclarant",
    ]
    subjects = [m.subject for m in mailoutbox if m.to == [practice.declarant.email]]
    assert subjects == [
        "[Pratiques inspirantes] Votre pratique est en cours d'examen",
        "[Pratiques inspirantes] Le comité vous demande des compléments",
        "[Pratiques inspirantes] Votre pratique est publiée",
    ]
    assert "Quel budget ?" in mailoutbox[1].body
    assert PracticeMessage.objects.filter(practice=practice).count() == 3


def test_refusal_needs_a_reason_the_declarant_reads(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    member = committee_member()
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    with pytest.raises(ValidationError):
        services.refuse_practice(practice, by=member, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_practice(practice, by=member, reason="Pratique hors champ.")
    assert "Pratique hors champ." in mailoutbox[0].body
    client.force_login(practice.declarant)
    html = client.get(reverse("practices:review", args=[practice.pk])).content.decode()
    assert "Pratique hors champ." in html


def test_thread_is_closed_to_outsiders():
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    with pytest.raises(PermissionDenied):
        services.post_message(practice, by=UserFactory(), body="Bonjour")


def test_queue_is_for_committee_members_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("practices:queue")).status_code == 403
    client.force_login(redacteur_onpe())
    assert client.get(reverse("practices:queue")).status_code == 403


def test_queue_filters_and_caps_queries(client, django_assert_max_num_queries):
    member = committee_member()
    client.force_login(member)
    for state in (S.SUBMITTED, S.UNDER_REVIEW, S.INFORMATION_REQUESTED, S.DRAFT):
        PracticeFactory.create_batch(6, state=state)
    PracticeFactory(state=S.SUBMITTED, title="Parrainage de proximité")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("practices:queue"))
    html = response.content.decode()
    assert "19 pratiques" in html
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    html = client.get(reverse("practices:queue"), {"q": "parrainage"}).content.decode()
    assert "1 pratique" in html and "Parrainage de proximité" in html
    html = client.get(
        reverse("practices:queue"), {"state": "information_requested"}
    ).content.decode()
    assert "6 pratiques" in html


def test_review_page_shows_everything_and_caps_queries(client, django_assert_max_num_queries):
    member = committee_member()
    # With the département's agreement: publishing is offered only then.
    practice = PracticeFactory(
        state=S.UNDER_REVIEW,
        departement_agreement_by="Claire Petit, directrice enfance-famille",
        departement_agreement_on=datetime.date(2024, 1, 15),
    )
    for n in range(10):
        services.post_message(practice, by=practice.declarant, body=f"Message {n}")
    client.force_login(member)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("practices:review", args=[practice.pk]))
    html = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    assert "Message 9" in html
    assert "Publier la fiche" in html
    assert "Déclarer un conflit d'intérêts" in html


def test_committee_does_not_see_drafts(client):
    client.force_login(committee_member())
    draft = PracticeFactory(state=S.DRAFT)
    assert client.get(reverse("practices:review", args=[draft.pk])).status_code == 404


def test_committee_actions_over_http_are_refused_to_non_members(client):
    practice = PracticeFactory(state=S.SUBMITTED)
    client.force_login(practice.declarant)
    for name in ("take_for_review", "request_information", "refuse"):
        response = client.post(
            reverse("practices:transition", args=[practice.pk, name]), {"reason": "x", "body": "x"}
        )
        assert response.status_code == 403
    assert (
        client.post(
            reverse("practices:agreement", args=[practice.pk]),
            {"given_by": "Moi", "given_on": "01/01/2024"},
        ).status_code
        == 403
    )
    client.force_login(UserFactory())
    response = client.post(reverse("practices:transition", args=[practice.pk, "publish"]))
    assert response.status_code == 404
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED


def test_committee_forms_over_http_give_french_messages(client):
    member = committee_member()
    practice = PracticeFactory(
        state=S.UNDER_REVIEW, departement_agreement_by="", departement_agreement_on=None
    )
    client.force_login(member)
    review = reverse("practices:review", args=[practice.pk])
    response = client.post(
        reverse("practices:transition", args=[practice.pk, "publish"]), follow=True
    )
    assert "Enregistrez d&#x27;abord l&#x27;accord" in response.content.decode()
    response = client.post(
        reverse("practices:agreement", args=[practice.pk]),
        {"given_by": "", "given_on": "32/01/2024"},
        follow=True,
    )
    html = response.content.decode()
    assert "Indiquez le nom et la fonction" in html and "JJ/MM/AAAA" in html
    response = client.post(
        reverse("practices:transition", args=[practice.pk, "refuse"]), {"reason": " "}, follow=True
    )
    assert "motif du refus" in response.content.decode()
    assert "Expliquez au déclarant le motif du refus." in response.content.decode()
    practice.refresh_from_db()
    assert practice.state == S.UNDER_REVIEW
    response = client.post(
        reverse("practices:message", args=[practice.pk]), {"body": ""}, follow=True
    )
    assert "Votre message est vide" in response.content.decode()
    client.post(reverse("practices:conflict", args=[practice.pk]), {"note": "Ancien salarié"})
    html = client.get(review).content.decode()
    assert "vous ne décidez pas sur elle" in html
    assert "Publier la fiche" not in html


def test_the_declarant_follows_and_answers_in_the_thread(client):
    member = committee_member()
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    services.request_information(practice, by=member, message="Quel public exactement ?")
    client.force_login(practice.declarant)
    response = client.post(
        reverse("practices:message", args=[practice.pk]), {"body": "Les 0-4 ans."}, follow=True
    )
    html = response.content.decode()
    assert "Quel public exactement ?" in html and "Les 0-4 ans." in html
    assert "Publier la fiche" not in html and "conflit d&#x27;intérêts" not in html
    assert "INVALID_TEMPLATE_VARIABLE" not in html


def test_over_long_committee_texts_are_refused_by_the_service_and_the_database():
    # The transition form posts "body" and "reason" to the services without MessageForm.

    member = committee_member()
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    too_long = too_long_message(3000, 3001)
    with pytest.raises(ValidationError) as refused:
        services.request_information(practice, by=member, message="x" * 3001)
    assert refused.value.messages == [too_long]
    with pytest.raises(ValidationError) as refused:
        services.refuse_practice(practice, by=member, reason="x" * 3001)
    assert refused.value.messages == [too_long]
    with pytest.raises(ValidationError) as refused:
        services.post_message(practice, by=practice.declarant, body="x" * 3001)
    assert refused.value.messages == [too_long]
    practice.refresh_from_db()
    assert practice.state == S.UNDER_REVIEW
    assert not PracticeMessage.objects.filter(practice=practice).exists()
    # A line break counts as one character, as in the form.
    services.refuse_practice(practice, by=member, reason="xx\r\n" * 1000)
    practice.refresh_from_db()
    assert practice.state == S.REFUSED and len(practice.refusal_reason) == 2999
    with transaction.atomic(), pytest.raises(IntegrityError):
        PracticeMessage.objects.create(practice=practice, author=member, body="x" * 3001)
    with transaction.atomic(), pytest.raises(IntegrityError):
        PracticeFactory(state=S.REFUSED, refusal_reason="x" * 3001)


def test_over_long_request_over_http_gets_a_french_message(client):
    member = committee_member()
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    client.force_login(member)
    response = client.post(
        reverse("practices:transition", args=[practice.pk, "request_information"]),
        {"body": "x" * 3001},
        follow=True,
    )
    assert "Ce texte dépasse 3\u202f000 caractères" in response.content.decode()
    practice.refresh_from_db()
    assert practice.state == S.UNDER_REVIEW
    assert not PracticeMessage.objects.filter(practice=practice).exists()


def textarea(html: str, field_id: str) -> str:
    found = re.search(rf'<textarea[^>]* id="{field_id}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, f"no textarea {field_id}"
    return unescape(found.group(1)).strip()


DECISIONS_WITH_TEXT = {
    "refuse": ("reason", "id_refuse_reason", "Expliquez au déclarant le motif du refus."),
    "request_information": (
        "body",
        "id_request_body",
        "Écrivez au déclarant ce qu&#x27;il doit compléter.",
    ),
}


@pytest.mark.parametrize("name", list(DECISIONS_WITH_TEXT))
def test_a_refused_decision_shows_the_page_again_with_the_text_as_typed(
    client, name, django_assert_max_num_queries
):
    field, field_id, empty_message = DECISIONS_WITH_TEXT[name]
    member = committee_member()
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    client.force_login(member)
    url = reverse("practices:transition", args=[practice.pk, name])
    typed = "Le budget annoncé ne correspond pas au public visé. " * 60  # 3 120 characters
    with django_assert_max_num_queries(15):
        response = client.post(url, {field: typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Erreur — " in html
    assert "Le formulaire contient 1 erreur" in html and f'href="#{field_id}"' in html
    assert "Ce texte dépasse 3\u202f000 caractères : votre texte en compte 3\u202f119." in html
    # The textarea holds what the member typed, nothing lost.
    assert textarea(html, field_id) == typed.strip()
    assert "INVALID_TEMPLATE_VARIABLE" not in html

    response = client.post(url, {field: "  \r\n "})
    assert response.status_code == 200
    assert empty_message in response.content.decode()
    practice.refresh_from_db()
    assert practice.state == S.UNDER_REVIEW
    assert not PracticeMessage.objects.filter(practice=practice).exists()


@pytest.mark.parametrize("name", list(DECISIONS_WITH_TEXT))
def test_an_empty_decision_from_the_wrong_side_is_refused_not_shown(client, name):
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    field = DECISIONS_WITH_TEXT[name][0]
    url = reverse("practices:transition", args=[practice.pk, name])
    client.force_login(practice.declarant)
    assert client.post(url, {field: ""}).status_code == 403
    member = committee_member()
    services.declare_conflict(practice, by=member)
    client.force_login(member)
    assert client.post(url, {field: ""}).status_code == 403


def test_a_decision_refused_by_the_service_keeps_the_text_and_says_why(client):
    # The fiche was refused by another member in the meantime: the form was valid, the
    # transition is not.
    member = committee_member()
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    client.force_login(member)
    page = client.get(reverse("practices:review", args=[practice.pk]))
    assert page.status_code == 200
    services.refuse_practice(practice, by=committee_member(), reason="Hors champ.")
    response = client.post(
        reverse("practices:transition", args=[practice.pk, "request_information"]),
        {"body": "Combien de familles ?"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "l&#x27;état actuel est" in html
    practice.refresh_from_db()
    assert practice.state == S.REFUSED
    assert not PracticeMessage.objects.filter(practice=practice).exists()


def test_a_refused_message_keeps_the_text(client):
    practice = PracticeFactory(state=S.UNDER_REVIEW)
    client.force_login(practice.declarant)
    typed = "Voici nos chiffres. " * 160
    response = client.post(reverse("practices:message", args=[practice.pk]), {"body": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce texte dépasse 3\u202f000 caractères" in html
    assert textarea(html, "id_body") == typed.strip()
    assert not PracticeMessage.objects.exists()
