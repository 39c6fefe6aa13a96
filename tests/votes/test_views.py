import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.models import Role
from enfance.assemblies.enums import MemberRole
from enfance.core.models import LogEntry
from enfance.votes import services
from enfance.votes.enums import BallotState, Method
from enfance.votes.models import Ballot, NationalConsultation, Participation, Proxy, Vote
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.factories import RegionFactory, UserFactory, with_totp

from .factories import make_ballot, open_ballot, voting_body

pytestmark = pytest.mark.django_db

RECEIPT = re.compile(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}")


def _page(response):
    html = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in html
    return html


def test_an_elector_votes_by_majority_judgment_and_gets_a_receipt(client):
    body = voting_body()
    ballot = open_ballot(body)
    voter = body.members.first()
    client.force_login(voter)
    html = _page(client.get(ballot.get_absolute_url()))
    assert "Jugement majoritaire" in html and "mention majoritaire" in html
    # One fieldset per option, with the option as its legend.
    assert html.count('<fieldset class="fr-fieldset') >= 3
    assert "Accueil des familles" in html and "Excellent" in html
    data = {f"vote-option_{o.pk}": "4" for o in ballot.options.all()}
    html = _page(client.post(ballot.get_absolute_url(), data))
    assert "Votre vote a été enregistré" in html
    code = RECEIPT.search(html).group()
    assert services.verify_receipt(ballot, code)
    assert Participation.objects.filter(ballot=ballot, voter=voter).exists()
    html = _page(client.get(ballot.get_absolute_url()))
    assert "Vous avez déjà voté" in html and code not in html


def test_a_missing_grade_gets_a_french_message_and_keeps_what_was_typed(client):
    body = voting_body()
    ballot = open_ballot(body)
    client.force_login(body.members.first())
    first, second, _ = ballot.options.all()
    response = client.post(
        ballot.get_absolute_url(), {f"vote-option_{first.pk}": "6", f"vote-option_{second.pk}": "2"}
    )
    html = _page(response)
    assert "Donnez une mention à cette option." in html
    kept = rf'<input[^>]*name="vote-option_{first.pk}"[^>]*value="6"[^>]*checked'
    assert re.search(kept, html)
    assert not Vote.objects.exists()


def test_majority_and_approval_forms(client):
    body = voting_body()
    voter = body.members.first()
    client.force_login(voter)
    majority = open_ballot(body, method=Method.MAJORITY)
    assert "Abstention" in _page(client.get(majority.get_absolute_url()))
    _page(client.post(majority.get_absolute_url(), {"vote-choice": "pour"}))
    assert services.tally(majority).data["pour"] == 1
    approval = open_ballot(body, method=Method.APPROVAL)
    option = approval.options.first()
    assert 'type="checkbox"' in _page(client.get(approval.get_absolute_url()))
    _page(client.post(approval.get_absolute_url(), {"vote-approved": [str(option.pk)]}))
    assert services.tally(approval).data["options"][0]["count"] == 1


def test_a_second_post_says_already_voted(client):
    body = voting_body()
    ballot = open_ballot(body, method=Method.MAJORITY)
    client.force_login(body.members.first())
    client.post(ballot.get_absolute_url(), {"vote-choice": "pour"})
    response = client.post(ballot.get_absolute_url(), {"vote-choice": "contre"})
    assert response.status_code == 200
    assert "Vous avez déjà voté" in _page(response)
    assert Vote.objects.count() == 1


def test_a_non_elector_sees_the_ballot_but_cannot_vote(client):
    body = voting_body()
    ballot = open_ballot(body, method=Method.MAJORITY)
    client.force_login(UserFactory())
    html = _page(client.get(ballot.get_absolute_url()))
    assert "ne faites pas partie du corps électoral" in html and "vote-choice" not in html
    assert client.post(ballot.get_absolute_url(), {"vote-choice": "pour"}).status_code == 403
    assert not Vote.objects.exists()


def test_anonymous_visitors_see_a_public_ballot_and_are_sent_to_log_in_to_vote(client):
    body = voting_body()
    ballot = open_ballot(body, method=Method.MAJORITY)
    assert "Connectez-vous" in _page(client.get(ballot.get_absolute_url()))
    response = client.post(ballot.get_absolute_url(), {"vote-choice": "pour"})
    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert not Vote.objects.exists()


def test_a_ballot_of_a_private_context_is_a_404_for_others(client):
    body = voting_body(public=False)
    ballot = open_ballot(body)
    client.force_login(UserFactory())
    for name in ("ballot", "results", "verify_receipt"):
        assert client.get(reverse(f"votes:{name}", args=[ballot.pk])).status_code == 404


def test_a_proxy_holder_votes_twice_on_the_page(client):
    body = voting_body()
    giver, holder, _ = body.members.order_by("pk")
    ballot = make_ballot(body, method=Method.MAJORITY)
    services.give_proxy(ballot, giver=giver, holder=holder)
    services.open_ballot(ballot, by=body.manager, electors=body.members.all())
    client.force_login(holder)
    html = _page(client.get(ballot.get_absolute_url()))
    assert f"Vote par procuration pour {giver.display_name}" in html
    html = _page(
        client.post(
            ballot.get_absolute_url(),
            {"pour_le_compte_de": "mandant", "procuration-choice": "contre"},
        )
    )
    assert "(par procuration)" in html
    assert Participation.objects.get(voter=giver).cast_by == holder
    _page(client.post(ballot.get_absolute_url(), {"vote-choice": "pour"}))
    assert Participation.objects.filter(ballot=ballot).count() == 2
    other = body.members.order_by("pk")[2]
    client.force_login(other)
    response = client.post(
        ballot.get_absolute_url(), {"pour_le_compte_de": "mandant", "procuration-choice": "pour"}
    )
    assert response.status_code == 403


def test_results_after_closing_with_recount(client, django_assert_max_num_queries):
    body = voting_body(members=30)
    ballot = open_ballot(body)
    options = list(ballot.options.all())
    for index, member in enumerate(body.members.all()[:29]):
        services.cast_vote(
            ballot, by=member, choice={o.pk: (index + k) % 7 for k, o in enumerate(options)}
        )
    services.record_paper_ballot(ballot, by=body.manager, choice={options[0].pk: 6})
    assert "publiés à la clôture" in _page(client.get(reverse("votes:results", args=[ballot.pk])))
    services.close_ballot(ballot, by=body.manager)
    with django_assert_max_num_queries(12):
        html = _page(client.get(reverse("votes:results", args=[ballot.pk])))
    assert "Mention majoritaire" in html and "dont 1 bulletin papier" in html
    assert "<caption>Répartition des mentions" in html
    html = _page(client.get(reverse("votes:results", args=[ballot.pk]), {"recalculer": "1"}))
    assert "donne exactement le résultat publié" in html


def test_majority_results_say_adopted_or_quorum(client):
    body = voting_body(members=3)
    ballot = open_ballot(body, method=Method.MAJORITY, quorum=3)
    services.cast_vote(ballot, by=body.members.first(), choice="pour")
    services.close_ballot(ballot, by=body.manager)
    html = _page(client.get(reverse("votes:results", args=[ballot.pk])))
    assert "Quorum non atteint" in html and "Aucune décision" in html


def test_ballot_page_query_count_does_not_grow(client, django_assert_max_num_queries):
    body = voting_body(members=40)
    ballot = open_ballot(body)
    voter = body.members.first()
    client.force_login(voter)
    with django_assert_max_num_queries(15):
        _page(client.get(ballot.get_absolute_url()))


def test_verify_receipt_page(client):
    body = voting_body()
    ballot = open_ballot(body)
    code = services.cast_vote(ballot, by=body.members.first(), choice={}).code
    url = reverse("votes:verify_receipt", args=[ballot.pk])
    assert "bien enregistré" in _page(client.post(url, {"code": code.lower()}))
    assert "Aucun bulletin" in _page(client.post(url, {"code": "AAAA-BBBB-CCCC-DDDD"}))
    assert "Saisissez le code" in _page(client.post(url, {"code": ""}))


def test_manager_records_proxies_then_opens_enters_paper_ballots_and_closes(client):
    body = voting_body()
    giver, holder, _ = body.members.order_by("pk")
    ballot = make_ballot(body, method=Method.MAJORITY)
    manage = reverse("votes:manage", args=[ballot.pk])
    client.force_login(body.manager)
    assert "Enregistrer la procuration" in _page(client.get(manage))
    response = client.post(
        manage,
        {"action": "procuration", "procuration-giver": giver.email, "procuration-holder": "x@y.fr"},
    )
    assert "Aucun compte ne correspond" in _page(response) and giver.email in _page(response)
    client.post(
        manage,
        {
            "action": "procuration",
            "procuration-giver": giver.email,
            "procuration-holder": holder.email,
        },
    )
    assert Proxy.objects.filter(ballot=ballot, giver=giver, holder=holder).exists()
    client.post(reverse("votes:transition", args=[ballot.pk, "open"]))
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN and ballot.electors.count() == 3
    assert "Saisir un bulletin papier" in _page(client.get(manage))
    client.post(manage, {"action": "papier", "papier-choice": "pour"})
    assert Vote.objects.filter(ballot=ballot, paper=True).count() == 1
    assert LogEntry.objects.filter(action="votes.paper_ballot_recorded").count() == 1
    response = client.post(reverse("votes:transition", args=[ballot.pk, "close"]))
    assert response.url == reverse("votes:results", args=[ballot.pk])
    ballot.refresh_from_db()
    assert ballot.state == BallotState.CLOSED and ballot.result.data["pour"] == 1


def test_another_contexts_manager_and_an_elector_cannot_manage(client):
    body = voting_body()
    ballot = open_ballot(body, method=Method.MAJORITY)
    manage = reverse("votes:manage", args=[ballot.pk])
    for intruder in (voting_body().manager, body.members.first()):
        client.force_login(intruder)
        assert client.get(manage).status_code == 403
        assert client.post(manage, {"action": "papier", "papier-choice": "pour"}).status_code == 403
        assert (
            client.post(reverse("votes:transition", args=[ballot.pk, "close"])).status_code == 403
        )
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN and not Vote.objects.exists()


def test_national_consultation_page_and_protocol(client, admin_national):
    consultation = NationalConsultation.objects.create(title="Consultation nationale")
    assert consultation.can_manage_ballots(admin_national)
    assert not consultation.can_manage_ballots(UserFactory())
    html = _page(client.get(consultation.get_absolute_url()))
    assert "Aucun scrutin" in html
    assert Ballot.objects.count() == 0


def test_a_regional_delegate_of_the_administrators_does_not_run_a_national_consultation(
    client, admin_national
):
    """A national consultation concerns the whole country: an administrator delegated to a
    région is refused its ballots, by the page and by the service."""
    consultation = NationalConsultation.objects.create(title="Priorités nationales")
    delegate = with_totp(UserFactory())
    Role.objects.create(
        user=delegate, kind="administrateur_national", scope_level="region", region=RegionFactory()
    )
    now = timezone.now()
    ballot_fields = {
        "title": "Classement des priorités",
        "method": Method.APPROVAL,
        "opens_at": now,
        "closes_at": now + timedelta(days=7),
        "options": ["Places d'accueil", "Écoute des enfants"],
    }
    with pytest.raises(PermissionDenied):
        services.create_ballot(consultation, by=delegate, **ballot_fields)
    ballot = services.create_ballot(consultation, by=admin_national, **ballot_fields)
    with pytest.raises(PermissionDenied):
        services.cancel_ballot(ballot, by=delegate)
    assert not ballot.abilities(delegate)["manage"] and ballot.abilities(admin_national)["manage"]
    client.force_login(delegate)
    assert "Gérer le scrutin" not in _page(client.get(ballot.get_absolute_url()))
    assert client.get(reverse("votes:manage", args=[ballot.pk])).status_code == 403
    assert client.post(reverse("votes:transition", args=[ballot.pk, "cancel"])).status_code == 403
    ballot.refresh_from_db()
    assert ballot.state == BallotState.DRAFT
    client.force_login(admin_national)
    assert "Gérer le scrutin" in _page(client.get(ballot.get_absolute_url()))
    assert client.get(reverse("votes:manage", args=[ballot.pk])).status_code == 200


def test_a_double_click_on_a_paper_entry_records_one_ballot(client):
    body = voting_body()
    ballot = make_ballot(body, method=Method.MAJORITY)
    manage = reverse("votes:manage", args=[ballot.pk])
    client.force_login(body.manager)
    client.post(reverse("votes:transition", args=[ballot.pk, "open"]))
    page = _page(client.get(manage))
    token = page.split('name="papier-entree" value="')[1].split('"')[0]
    entry = {"action": "papier", "papier-choice": "pour", "papier-entree": token}
    client.post(manage, entry)
    second = client.post(manage, entry)
    assert "Ce bulletin papier est déjà enregistré." in _page(second)
    assert Vote.objects.filter(ballot=ballot, paper=True).count() == 1
    assert token not in _page(client.get(manage))


def test_an_instance_ballot_without_a_closing_rule_still_closes_early(
    client, django_assert_max_num_queries
):
    """Only contexts with a rule of their own (an interpellation's vote) refuse an early close:
    a ballot of an instance closes when its secretariat chooses, as before."""

    instance = InstanceFactory()
    secretary = seat_directly(instance, "associatifs", role=MemberRole.SECRETAIRE).user
    seat_directly(instance, "parents")
    now = timezone.now()
    ballot = services.create_ballot(
        instance,
        by=secretary,
        title="Ordre du jour de la prochaine séance",
        method=Method.MAJORITY,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=2),
    )
    services.open_ballot(ballot, by=secretary, electors=instance.ballot_electorate())
    services.cast_vote(ballot, by=secretary, choice="pour")
    client.force_login(secretary)
    with django_assert_max_num_queries(15):
        html = _page(client.get(reverse("votes:manage", args=[ballot.pk])))
    assert reverse("votes:transition", args=[ballot.pk, "close"]) in html
    assert "disabled" not in html
    response = client.post(reverse("votes:transition", args=[ballot.pk, "close"]))
    assert response.url == reverse("votes:results", args=[ballot.pk])
    ballot.refresh_from_db()
    assert ballot.state == BallotState.CLOSED and ballot.result.data["pour"] == 1
