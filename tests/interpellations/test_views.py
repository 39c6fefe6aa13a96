"""The pages: public lists and statistics, drafts for members only, the secret link, bad input."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enfance.accounts.models import Role
from enfance.assemblies.enums import MemberRole
from enfance.interpellations import services
from enfance.interpellations.enums import InstitutionKind, State
from enfance.interpellations.models import Interpellation
from enfance.interpellations.stats import median_delays
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.factories import DepartementFactory, RegionFactory, UserFactory

from .factories import InstitutionFactory, InterpellationFactory, answered, sent
from .test_workflow import FIELDS, _voted

pytestmark = pytest.mark.django_db

INVALID = "INVALID_TEMPLATE_VARIABLE"


def _page(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status
    html = response.content.decode()
    assert INVALID not in html
    return html


# Public pages -----------------------------------------------------------------------------------


def test_the_list_shows_public_interpellations_only(client):
    shown = sent(title="Placements lointains")
    InterpellationFactory(title="Brouillon secret")
    InterpellationFactory(title="Vote en cours", state=State.VOTING)
    InterpellationFactory(title="Texte rejeté", state=State.REJECTED)
    html = _page(client, reverse("interpellations:list"))
    assert shown.title in html and "En attente de réponse" in html
    assert "Brouillon secret" not in html and "Vote en cours" not in html
    assert "Texte rejeté" not in html


def test_the_list_filters_by_kind_status_departement_and_instance(client):
    gironde = DepartementFactory(code="33", name="Gironde", region=RegionFactory(code="75"))
    bordeaux = InstanceFactory(departement=gironde, slug="libournais")
    sent(title="ASE du Rhône")
    answered(12, title="Justice de Bordeaux", instance=bordeaux,
             institution=InstitutionFactory(kind=InstitutionKind.JUSTICE))  # fmt: skip
    sent(title="Préfecture en retard", due_in=-3,
         institution=InstitutionFactory(kind=InstitutionKind.PREFECTURE))  # fmt: skip
    url = reverse("interpellations:list")
    justice = _page(client, url, kind="justice")
    assert "Justice de Bordeaux" in justice and "ASE du Rhône" not in justice
    overdue = _page(client, url, statut="hors_delai")
    assert "Préfecture en retard" in overdue and "ASE du Rhône" not in overdue
    assert "Hors délai, sans réponse" in overdue
    gironde_page = _page(client, url, departement="33")
    assert "Justice de Bordeaux" in gironde_page and "Préfecture en retard" not in gironde_page
    by_instance = _page(client, url, instance="libournais")
    assert "Justice de Bordeaux" in by_instance and "ASE du Rhône" not in by_instance
    answered_page = _page(client, url, statut="repondue")
    assert "Justice de Bordeaux" in answered_page
    nothing = _page(client, url, kind="sante")
    assert "Aucune interpellation ne correspond à ces critères" in nothing


def test_the_list_is_paginated_with_a_bounded_number_of_queries(
    client, django_assert_max_num_queries
):
    instance = InstanceFactory()
    for n in range(45):
        sent(days_ago=n, instance=instance, institution=InstitutionFactory())
    client.force_login(UserFactory())
    with django_assert_max_num_queries(15):
        html = _page(client, reverse("interpellations:list"), page=3)
    assert "3 / 3" in html and "45 interpellations" in html


def test_the_detail_page_shows_the_text_vote_dates_and_answer(
    client, instance, members, django_assert_max_num_queries
):
    adopted = _voted(instance, members)
    sent_item = services.send(adopted, by=members[0])
    services.record_postal_answer(
        sent_item,
        by=members[0],
        received_on=timezone.localdate(),
        text="Nous ouvrons 20 places.",
        signatory="Direction de l'enfance",
    )
    client.force_login(UserFactory())
    with django_assert_max_num_queries(15):
        html = _page(client, adopted.get_absolute_url())
    for text in (FIELDS["facts"], FIELDS["failures"], FIELDS["recommendations"]):
        assert escape(text) in html
    assert "2 pour, 1 contre, 0 abstention —" in html
    assert "Nous ouvrons 20 places." in html and "— Direction de l&#x27;enfance" in html
    assert "Répondue" in html and "par courrier" in html
    assert "Secrétariat de l" not in html


def test_user_text_is_shown_as_text(client, instance, secretary):
    item = sent(instance=instance, facts='<script>alert("x")</script><b>gras</b>')
    html = _page(client, item.get_absolute_url())
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html


# Drafts: members only ---------------------------------------------------------------------------


def test_a_draft_is_a_404_for_anyone_outside_the_instance(client, instance, members):
    draft = services.create_interpellation(instance, by=members[0], **FIELDS)
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    other_instance_secretary = UserFactory()

    seat_directly(InstanceFactory(), "associatifs", role=MemberRole.SECRETAIRE,
                  user=other_instance_secretary)  # fmt: skip
    for person in (UserFactory(), other_instance_secretary):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.get(reverse("interpellations:edit", args=[draft.pk])).status_code == 404
        assert (
            client.post(reverse("interpellations:submit_to_vote", args=[draft.pk])).status_code
            == 404
        )
    client.force_login(members[1])
    html = _page(client, url)
    assert "visible des seuls membres de l" in html and "Modifier le brouillon" not in html
    assert client.get(reverse("interpellations:edit", args=[draft.pk])).status_code == 403
    client.force_login(members[0])
    assert "Modifier le brouillon" in _page(client, url)
    assert draft.title in _page(client, reverse("interpellations:mine"))


def test_the_ballot_of_a_draft_is_hidden_from_strangers(client, instance, members):
    draft = services.create_interpellation(instance, by=members[0], **FIELDS)
    ballot = services.submit_to_vote(
        draft, by=members[0], closes_at=timezone.now() + timedelta(days=2)
    )
    client.force_login(UserFactory())
    assert client.get(reverse("votes:ballot", args=[ballot.pk])).status_code == 404
    client.force_login(members[1])
    assert "Voter" in _page(client, reverse("votes:ballot", args=[ballot.pk]))


# Drafting: bad input ------------------------------------------------------------------------------


def test_drafting_keeps_what_was_typed_and_explains_errors_in_french(client, instance, secretary):
    client.force_login(secretary)
    url = reverse("interpellations:create")
    data = {
        "instance": instance.pk,
        "institution_kind": "ase",
        "institution_name": "Conseil départemental",
        "contact_email": "pas-une-adresse",
        "title": "",
        "facts": "x" * 100_000,
        "failures": "Des manquements <em>graves</em>.",
        "recommendations": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Le formulaire contient 4 erreurs" in html
    assert "Ce champ est obligatoire." in html
    assert "Saisissez une adresse de courriel valide." in html
    assert "Ce texte dépasse 20 000 caractères : votre texte en compte 100 000." in html
    assert "Des manquements &lt;em&gt;graves&lt;/em&gt;." in html
    assert 'value="Conseil départemental"' in html
    assert Interpellation.objects.count() == 0


def test_drafting_for_an_instance_one_does_not_run_is_refused(client, instance, members):
    client.force_login(members[1])
    assert client.get(reverse("interpellations:create")).status_code == 403
    client.force_login(members[0])
    other = InstanceFactory()
    response = client.post(reverse("interpellations:create"), {**FIELDS, "instance": other.pk})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_the_secretary_drafts_then_submits_to_vote_from_the_pages(client, instance, members):
    client.force_login(members[0])
    response = client.post(reverse("interpellations:create"), {**FIELDS, "instance": instance.pk})
    draft = Interpellation.objects.get()
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    bad = client.post(
        reverse("interpellations:submit_to_vote", args=[draft.pk]),
        {"closes_at": "2020-01-01T10:00"},
    )
    assert bad.status_code == 400
    assert "La clôture du vote doit être dans le futur." in bad.content.decode()
    closes = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("interpellations:submit_to_vote", args=[draft.pk]), {"closes_at": closes})
    draft.refresh_from_db()
    assert draft.state == State.VOTING and draft.ballot is not None


# The secret link ---------------------------------------------------------------------------------


def _sent_with_link(instance, members, django_capture_on_commit_callbacks, outbox):
    with django_capture_on_commit_callbacks(execute=True):
        item = services.send(_voted(instance, members), by=members[0])
    path = re.search(r"https?://[^/]+(/interpellations/reponse/\w+/)", outbox[-1].body).group(1)
    return item, path


def test_the_institution_answers_without_an_account(
    client, instance, members, django_capture_on_commit_callbacks, outbox
):
    item, path = _sent_with_link(instance, members, django_capture_on_commit_callbacks, outbox)
    html = _page(client, path)
    assert escape(FIELDS["facts"]) in html and "Envoyer la réponse" in html
    empty = client.post(path, {"signatory": "", "text": "Notre réponse <b>détaillée</b>."})
    assert empty.status_code == 400
    body = empty.content.decode()
    assert "Ce champ est obligatoire." in body
    assert "Notre réponse &lt;b&gt;détaillée&lt;/b&gt;." in body
    done = client.post(path, {"signatory": "La directrice", "text": "Notre réponse."})
    assert done.status_code == 302
    assert "Merci, votre réponse est enregistrée" in _page(client, done.url)
    item.refresh_from_db()
    assert item.state == State.ANSWERED and item.answer_text == "Notre réponse."
    public = _page(client, item.get_absolute_url())
    assert "Répondue" in public and "Notre réponse." in public


def test_the_thanks_page_thanks_only_whoever_answered(
    client, instance, members, django_capture_on_commit_callbacks, outbox
):
    item, path = _sent_with_link(instance, members, django_capture_on_commit_callbacks, outbox)
    thanks = reverse("interpellations:answer_thanks", args=[item.pk])
    # Before any answer, and for a visitor who never held the link: no « réponse enregistrée ».
    response = client.get(thanks)
    assert response.status_code == 302 and response.url == item.get_absolute_url()
    client.post(path, {"signatory": "La directrice", "text": "Notre réponse."})
    assert "Merci, votre réponse est enregistrée" in _page(client, thanks)
    client.logout()
    for person in (None, members[0]):
        if person is not None:
            client.force_login(person)
        response = client.get(thanks)
        assert response.status_code == 302 and response.url == item.get_absolute_url()
        assert "Merci, votre réponse est enregistrée" not in _page(client, response.url)


def test_a_used_link_says_so_and_a_tampered_one_is_a_404(
    client, instance, members, django_capture_on_commit_callbacks, outbox
):
    item, path = _sent_with_link(instance, members, django_capture_on_commit_callbacks, outbox)
    client.post(path, {"signatory": "La directrice", "text": "Notre réponse."})
    again = client.get(path)
    assert again.status_code == 410
    assert "Cette interpellation a déjà reçu sa réponse" in again.content.decode()
    second = client.post(path, {"signatory": "Un autre", "text": "Autre chose."})
    assert second.status_code == 410
    item.refresh_from_db()
    assert item.answer_text == "Notre réponse."
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-1] + ("0" if token[-1] != "0" else "1"))
    assert client.get(tampered).status_code == 404
    assert client.post(tampered, {"signatory": "x", "text": "y"}).status_code == 404
    assert client.get("/interpellations/reponse/nimporte-quoi/").status_code == 404


def test_the_postal_answer_page_from_the_wrong_side_and_with_bad_dates(client, instance, members):
    item = services.send(_voted(instance, members), by=members[0])
    url = reverse("interpellations:postal_answer", args=[item.pk])
    client.force_login(members[1])
    assert client.get(url).status_code == 403
    client.force_login(members[0])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(url, {"received_on": tomorrow.isoformat(), "text": "Reçu."})
    assert response.status_code == 400
    assert "La date de réception ne peut pas être future." in response.content.decode()
    assert "Reçu." in response.content.decode()


# Institutions and their figures -------------------------------------------------------------------


def test_the_institutions_page_computes_rates_and_delays(client, django_assert_max_num_queries):
    slow = InstitutionFactory(name="Préfecture du Rhône", kind=InstitutionKind.PREFECTURE)
    for delay in (10, 20, 30, 100):
        answered(delay, institution=slow)
    sent(institution=slow)
    sent(institution=slow, due_in=-1)
    for n in range(40):
        answered(5 + n % 3, institution=InstitutionFactory())
    client.force_login(UserFactory())
    with django_assert_max_num_queries(15):
        html = _page(client, reverse("interpellations:institutions"))
    row = re.search(r"Préfecture du Rhône.*?</tr>", html, re.S).group(0)
    cells = re.findall(r"<td>(.*?)</td>", row)
    # 6 received, 4 answered (67 %), 1 overdue, average 40 days, median (20 + 30) / 2 = 25.
    assert cells == ["6", "4", "67 %", "1", "40 jours", "25 jours"]
    assert "Préfecture" in html and "Aide sociale à l" in html
    assert median_delays([slow.pk]) == {slow.pk: 25.0}
    with django_assert_max_num_queries(15):
        page = _page(client, slow.get_absolute_url())
    assert "67 %" in page and "médian : 25 j" in page
    assert _page(client, reverse("interpellations:institutions"), page=3)


def test_medians_of_odd_and_even_counts(db):
    odd, even = InstitutionFactory(), InstitutionFactory()
    for delay in (3, 1, 9):
        answered(delay, institution=odd)
    for delay in (4, 8):
        answered(delay, institution=even)
    assert median_delays([odd.pk, even.pk]) == {odd.pk: 3.0, even.pk: 6.0}


def test_the_cached_list_and_figures_follow_every_change(
    client, instance, members, django_capture_on_commit_callbacks
):
    list_url, figures_url = reverse("interpellations:list"), reverse("interpellations:institutions")
    assert "Aucune interpellation publiée pour le moment" in _page(client, list_url)
    assert "Aucune interpellation n'a encore été envoyée." in _page(client, figures_url)
    with django_capture_on_commit_callbacks(execute=True):
        item = services.send(_voted(instance, members), by=members[0])
    assert item.title in _page(client, list_url)
    assert "En attente de réponse" in _page(client, list_url)
    assert "Conseil départemental du Rhône" in _page(client, figures_url)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_postal_answer(
            item, by=members[0], received_on=timezone.localdate(), text="Réponse."
        )
    assert "Répondue" in _page(client, list_url)
    assert "100 %" in _page(client, figures_url)


def test_the_secretariat_sees_the_right_action_at_each_step(client, instance, members):
    secretary = members[0]
    client.force_login(secretary)
    draft = services.create_interpellation(instance, by=secretary, **FIELDS)
    url = draft.get_absolute_url()
    assert "Soumettre au vote des membres" in _page(client, url)
    services.submit_to_vote(draft, by=secretary, closes_at=timezone.now() + timedelta(days=1))
    html = _page(client, url)
    assert "Clore le vote et enregistrer le résultat" in html
    assert "Annuler le vote et reprendre le brouillon" in html
    assert "Soumettre au vote" not in html
    adopted = _voted(instance, members)
    html = _page(client, adopted.get_absolute_url())
    assert "Envoyer à l'institution" in html
    sent_item = services.send(adopted, by=secretary)
    html = _page(client, sent_item.get_absolute_url())
    assert "Enregistrer une réponse reçue par courrier" in html and "Envoyer à l" not in html
    postal = reverse("interpellations:postal_answer", args=[sent_item.pk])
    assert "Date de réception du courrier" in _page(client, postal)
    before = timezone.localdate(sent_item.sent_at) - timedelta(days=1)
    response = client.post(postal, {"received_on": before.isoformat(), "text": "Réponse."})
    assert "La réponse ne peut pas être antérieure à l&#x27;envoi." in response.content.decode()
    assert sent_item.title in _page(client, reverse("interpellations:mine"))


def test_the_cached_detail_page_follows_every_change_with_no_query_when_warm(
    client, instance, members, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = services.send(_voted(instance, members), by=members[0])
    url = item.get_absolute_url()
    with django_assert_max_num_queries(15):
        html = _page(client, url)
    assert "En attente de réponse" in html and "Secrétariat de l" not in html
    # Warm: a visitor's page comes from the cache, without a single query.
    with django_assert_max_num_queries(0):
        assert "En attente de réponse" in _page(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        services.record_postal_answer(
            item, by=members[0], received_on=timezone.localdate(), text="Nous ouvrons 20 places."
        )
    html = _page(client, url)
    assert "Nous ouvrons 20 places." in html and "En attente de réponse" not in html
    # The instance's name is shown: renaming it shows at once too (the assemblies' version).
    with django_capture_on_commit_callbacks(execute=True):
        instance.name = "Instance locale de Vaulx-en-Velin"
        instance.save()
    assert "Instance locale de Vaulx-en-Velin" in _page(client, url)
    # Deleted: gone at once, cached or not.
    with django_capture_on_commit_callbacks(execute=True):
        Interpellation.objects.filter(pk=item.pk).delete()
    assert client.get(url).status_code == 404


def test_the_cached_body_never_carries_the_secretariat_nor_shows_a_draft(
    client, instance, members, django_assert_max_num_queries
):
    adopted = _voted(instance, members)
    url = adopted.get_absolute_url()
    assert "Envoyer à l" not in _page(client, url)  # a visitor fills the cache
    client.force_login(members[0])
    with django_assert_max_num_queries(15):
        html = _page(client, url)
    assert "Envoyer à l'institution" in html and "csrfmiddlewaretoken" in html
    client.force_login(members[1])
    assert "Secrétariat de l" not in _page(client, url)
    client.logout()
    assert "Secrétariat de l" not in _page(client, url)
    # A draft is never served to a visitor, whatever is cached around it.
    draft = services.create_interpellation(instance, by=members[0], **FIELDS)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_every_action_is_refused_from_the_wrong_side_and_changes_nothing(client, instance, members):
    """A plain member (403) and another instance's secretary (403 on a public text, 404 on a
    vote in progress) post each action by hand: nothing moves."""

    outsider = UserFactory()
    seat_directly(InstanceFactory(), "associatifs", role=MemberRole.SECRETAIRE, user=outsider)
    adopted = _voted(instance, members)
    sent = services.send(_voted(instance, members), by=members[0])
    voting = services.create_interpellation(instance, by=members[0], **FIELDS)
    services.submit_to_vote(voting, by=members[0], closes_at=timezone.now() + timedelta(days=2))
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    today = timezone.localdate().isoformat()
    attempts = [
        (adopted, "send", {"due_on": due}),
        (adopted, "back_to_draft", {}),
        (sent, "postal_answer", {"received_on": today, "text": "Fausse réponse."}),
        (voting, "conclude", {}),
        (voting, "back_to_draft", {}),
    ]
    for person, public_status in ((members[1], 403), (outsider, 403)):
        client.force_login(person)
        for item, action, data in attempts:
            expected = public_status if item.is_public or person == members[1] else 404
            response = client.post(reverse(f"interpellations:{action}", args=[item.pk]), data)
            assert response.status_code == expected, (person, action)
    states = dict(Interpellation.objects.values_list("pk", "state"))
    assert states == {adopted.pk: State.ADOPTED, sent.pk: State.SENT, voting.pk: State.VOTING}
    sent.refresh_from_db()
    assert sent.answer_text == ""


# Other promises of the pages ---------------------------------------------------------------------


def test_past_its_deadline_the_link_says_so_and_the_answer_is_marked_late(
    client, instance, members, django_capture_on_commit_callbacks, outbox
):
    item, path = _sent_with_link(instance, members, django_capture_on_commit_callbacks, outbox)
    # The clock moves on: the deadline was yesterday, and the daily job has run.
    yesterday = timezone.localdate() - timedelta(days=1)
    Interpellation.objects.filter(pk=item.pk).update(answer_due_on=yesterday)
    services.send_reminders()
    item.refresh_from_db()
    assert item.state == State.OVERDUE
    html = _page(client, path)
    assert "Le délai de réponse a pris fin le" in html and "est attendue au plus tard" not in html
    client.post(path, {"signatory": "La directrice", "text": "Notre réponse tardive."})
    item.refresh_from_db()
    assert item.state == State.ANSWERED and item.answered_late
    assert "Répondue hors délai" in _page(client, item.get_absolute_url())


def test_a_used_link_promises_no_addition_the_platform_cannot_make(
    client, instance, members, django_capture_on_commit_callbacks, outbox
):
    item, path = _sent_with_link(instance, members, django_capture_on_commit_callbacks, outbox)
    client.post(path, {"signatory": "La directrice", "text": "Notre réponse."})
    html = client.get(path).content.decode()
    assert "La réponse publiée reste celle-ci." in html and "il pourra l" not in html
    # Indeed the secretariat cannot add to an answered interpellation.
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="Impossible d"):
        services.record_postal_answer(
            item, by=members[0], received_on=timezone.localdate(), text="Ajout."
        )


def test_the_sending_hint_gives_the_delay_in_force(client, instance, members, settings):
    settings.INTERPELLATION_ANSWER_MONTHS = 3
    adopted = _voted(instance, members)
    client.force_login(members[0])
    html = _page(client, adopted.get_absolute_url())
    assert "Par défaut, 3 mois après l'envoi" in html
    due = services.add_months(timezone.localdate(), 3).isoformat()
    assert f'value="{due}"' in html
    assert services.send(adopted, by=members[0]).answer_due_on.isoformat() == due


def test_a_draft_is_seen_by_the_national_administration_as_the_page_says(instance, members):
    draft = services.create_interpellation(instance, by=members[0], **FIELDS)
    admin = UserFactory()
    Role.objects.create(user=admin, kind="administrateur_national", scope_level="national")
    assert list(Interpellation.objects.visible_to(admin)) == [draft]
    assert not Interpellation.objects.visible_to(UserFactory()).exists()
