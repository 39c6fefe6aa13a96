"""« Mon espace » on the account page: each module's items of the signed-in person, with a count
and links, their roles with where they act, nothing of anyone else, and a capped query count."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.models import Role
from enfance.assemblies.enums import MemberRole
from enfance.assemblies.models import Application
from enfance.events.enums import RegistrationStatus
from enfance.events.models import Registration
from enfance.proposals.enums import ProposalState
from enfance.proposals.models import Support
from enfance.texts.models import ArticleComment
from tests.assemblies.factories import InstanceFactory, college, seat_directly
from tests.care.factories import StructureFactory, manager_of
from tests.events.factories import EventFactory, paris
from tests.factories import DepartementFactory, UserFactory
from tests.petitions.factories import PetitionFactory, SignatureFactory
from tests.proposals.factories import CommentFactory, ProposalFactory
from tests.texts.factories import charter

pytestmark = pytest.mark.django_db

PAGE = "/mon-compte/"
# The page's queries whatever the number of items: the session, the person and their roles, a
# slice and a count for each of the eight blocks, the verified addresses a signature is found by,
# the current mandates and the structures (the roles), and the second factor.
MAX_QUERIES = 23
BADGE = '<span class="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon">'


def _page(client, person) -> str:
    client.force_login(person)
    response = client.get(PAGE)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _items_of(person, n: int, *, tag: str):
    """``n`` items of every kind for ``person``, their titles carrying ``tag``."""
    admin = UserFactory()
    Role.objects.create(user=admin, kind="administrateur_national", scope_level="national")
    text = charter(admin, slug=f"charte-{tag}")
    article = text.current_version.articles.first()
    for i in range(n):
        event = EventFactory(title=f"Atelier {tag} {i}", starts_at=paris(3 + i))
        Registration.objects.create(event=event, user=person, status=RegistrationStatus.REGISTERED)
        ProposalFactory(author=person, title=f"Proposition {tag} {i}")
        other = ProposalFactory(title=f"Soutenue {tag} {i}")
        Support.objects.create(proposal=other, user=person)
        CommentFactory(author=person, proposal=ProposalFactory(title=f"Commentée {tag} {i}"))
        instance = InstanceFactory(name=f"Instance {tag} {i}")
        Application.objects.create(
            instance=instance,
            college=college("parents"),
            applicant=person,
            public_code=f"{tag[:4]}{i:04d}",
            motivation="Je veux être utile.",
        )
        seat_directly(InstanceFactory(name=f"Siège {tag} {i}"), "parents", user=person)
        SignatureFactory(petition=PetitionFactory(title=f"Pétition {tag} {i}"), email=person.email)
        ArticleComment.objects.create(article=article, author=person, body=f"Avis {tag} {i}")


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_person_sees_their_items_with_counts_and_links(client):
    person = UserFactory()
    _items_of(person, 1, tag="mienne")
    page = _page(client, person)
    for title in (
        "Mes inscriptions à venir",
        "Mes propositions",
        "Mes soutiens",
        "Mes commentaires sur les propositions",
        "Mes commentaires sur les textes",
        "Mes candidatures aux instances",
        "Mes mandats",
        "Mes signatures",
    ):
        assert f"{title} {BADGE}1</span>" in page
    assert "Atelier mienne 0" in page
    assert reverse("events:my_registrations") in page
    assert "Proposition mienne 0" in page and reverse("proposals:mine") in page
    assert "Soutenue mienne 0" in page
    assert "Sur « Commentée mienne 0 »" in page
    assert "Instance mienne 0 (Rhône)" in page
    assert "Siège mienne 0 (Rhône), collège des parents" in page
    assert "Collège des parents, candidature du " in page and " : déposée" in page
    assert "Membre, mandat du " in page
    assert "Article 1er de « Charte du Ministère de la Protection de l'Enfance »" in page
    assert "Pétition mienne 0" in page
    assert "Vous avez signé le " in page
    # Never the name or the address a signature holds.
    assert "Signataire" not in page


def test_only_the_latest_few_are_listed_and_the_count_says_all(client):
    person = UserFactory()
    _items_of(person, 4, tag="mienne")
    page = _page(client, person)
    assert f"Mes propositions {BADGE}4</span>" in page
    # The latest three proposals, the first one written left out.
    assert "Proposition mienne 3" in page and "Proposition mienne 0" not in page
    # The soonest three events.
    assert "Atelier mienne 0" in page and "Atelier mienne 3" not in page


def test_another_persons_items_never_appear(client):
    person = UserFactory()
    other = UserFactory()
    _items_of(other, 2, tag="zebulon")
    Role.objects.create(
        user=other,
        kind="porteur_pratique",
        scope_level="departement",
        departement=DepartementFactory(),
    )
    seat_directly(
        InstanceFactory(name="Instance de l'autre"),
        "associatifs",
        user=other,
        role=MemberRole.SECRETAIRE,
    )
    page = _page(client, person)
    assert "zebulon" not in page
    assert "Instance de l'autre" not in page
    assert "Porteur de pratique" not in page


def test_empty_states_are_neutral_and_say_where_to_begin(client):
    page = _page(client, UserFactory())
    assert "Aucune inscription à venir pour l'instant." in page
    assert f'href="{reverse("events:calendar")}">Voir l\'agenda' in page
    assert "Aucune proposition pour l'instant." in page
    assert f'href="{reverse("proposals:write")}">Écrire une proposition' in page
    assert "Aucun soutien pour l'instant." in page
    assert page.count("Aucun commentaire pour l'instant.") == 2
    assert "Aucune candidature pour l'instant." in page
    assert "Aucun mandat pour l'instant." in page
    assert "Aucune signature pour l'instant." in page
    assert "Aucun rôle particulier : vous participez comme citoyenne ou citoyen." in page


def test_a_secretary_sees_their_instance_role_with_its_instance(client):
    instance = InstanceFactory(name="Instance locale de Villeurbanne")
    secretary = seat_directly(instance, "associatifs", role=MemberRole.SECRETAIRE).user
    page = _page(client, secretary)
    assert "Secrétaire de l'instance — Instance locale de Villeurbanne (Rhône)" in page
    assert reverse("assemblies:manage", args=[instance.slug]) in page
    assert "Aucun rôle particulier" not in page


def test_a_plain_member_is_offered_no_management(client):
    instance = InstanceFactory(name="Instance locale de Bron")
    member = seat_directly(instance, "parents").user
    page = _page(client, member)
    assert "Membre de l'instance — Instance locale de Bron (Rhône)" in page
    assert reverse("assemblies:manage", args=[instance.slug]) not in page


def test_platform_roles_and_structures_say_where_they_act(client):
    structure = StructureFactory(name="Maison d'enfants du Parc")
    manager = manager_of(structure)
    page = _page(client, manager)
    assert "Gestionnaire de structure — Département Rhône (69)" in page
    assert "Gestionnaire de la structure — Maison d'enfants du Parc (Rhône)" in page


def test_a_signature_awaiting_confirmation_says_so(client):
    person = UserFactory()
    SignatureFactory(petition=PetitionFactory(title="Pour l'enfance"), email=person.email)
    SignatureFactory(
        petition=PetitionFactory(title="Confirmée"),
        email=person.email,
        confirmed_at=timezone.now() - timedelta(days=1),
    )
    page = _page(client, person)
    assert "la signature attend sa confirmation par courriel" in page
    assert page.count("Vous avez signé le ") == 2


def test_a_proposal_withdrawn_for_a_childs_safety_leaves_the_supports(client):
    person = UserFactory()
    hidden = ProposalFactory(title="Retirée", danger_hidden_at=timezone.now())
    Support.objects.create(proposal=hidden, user=person)
    page = _page(client, person)
    assert "Retirée" not in page
    assert "Aucun soutien pour l'instant." in page


def test_a_draft_is_listed_with_its_state(client):
    person = UserFactory()
    ProposalFactory(author=person, title="Mon brouillon", state=ProposalState.DRAFT)
    page = _page(client, person)
    assert "Mon brouillon" in page and "Brouillon" in page


def test_the_data_buttons_show_their_labels(client):
    page = _page(client, UserFactory())
    # The group puts icons left of the text: DSFR shows its small icon buttons as squares else.
    assert '<ul class="fr-btns-group fr-btns-group--sm fr-btns-group--icon-left">' in page
    for label in (
        "Télécharger mes données (PDF à lire)",
        "Télécharger mes données (JSON)",
        "Supprimer mon compte",
    ):
        assert f">{label}</a>" in page


def test_the_query_count_does_not_grow_with_the_items(client, django_assert_max_num_queries):
    person = UserFactory()
    _items_of(person, 5, tag="mienne")
    Role.objects.create(user=person, kind="porteur_pratique", scope_level="national")
    for i in range(3):
        seat_directly(
            InstanceFactory(name=f"Secrétariat {i}"),
            "associatifs",
            user=person,
            role=MemberRole.SECRETAIRE,
        )
    client.force_login(person)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(PAGE).status_code == 200
