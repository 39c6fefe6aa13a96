import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from enfance.proposals import services
from enfance.proposals.enums import ProposalState
from enfance.proposals.models import Comment, Proposal
from tests.factories import UserFactory


class ProposalFactory(DjangoModelFactory):
    """A published proposal, written directly (no service, no search entry)."""

    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"Proposition n° {n}")
    problem = "Les familles ne sont pas assez entendues."
    body = "Créer un temps d'écoute des familles avant toute décision."
    expected_effect = "Des décisions mieux comprises."
    author = factory.SubFactory(UserFactory)
    state = ProposalState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    proposal = factory.SubFactory(ProposalFactory)
    author = factory.SubFactory(UserFactory)
    body = "Je suis d'accord, c'est essentiel."


def published(author=None, **fields) -> Proposal:
    """A proposal written and published through the services (indexed for search)."""
    author = author or UserFactory()
    defaults = {
        "title": "Créer des maisons des familles",
        "problem": "Les parents n'ont pas de lieu où être accompagnés.",
        "body": "Ouvrir une maison des familles dans chaque bassin de vie.",
        "expected_effect": "Moins de placements évitables.",
    }
    proposal = services.create_proposal(by=author, **{**defaults, **fields})
    return services.publish_proposal(proposal, by=author)
