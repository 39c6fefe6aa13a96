from datetime import date, timedelta

from django.utils import timezone

from enfance.proposals.enums import ProposalState
from enfance.proposals.models import Proposal
from enfance.texts import services
from enfance.texts.enums import TextKind, TextState
from enfance.texts.services import ArticleDraft
from tests.assemblies.factories import InstanceFactory

CHARTER_ARTICLES = [
    ("Vision", "Chaque enfant a droit à une protection efficace et respectueuse de ses droits."),
    ("Démocratie", "Les décisions se prennent avec les familles, les enfants et les citoyens."),
    ("Transparence", "Les décisions, leurs motifs et leurs suites sont publics."),
]


def in_a_month() -> date:
    """A consultation's closing day, as the person opening it would choose it."""
    return timezone.localdate() + timedelta(days=30)


def drafts(pairs) -> list[ArticleDraft]:
    return [ArticleDraft(title=title, body=body) for title, body in pairs]


def charter(admin, *, state=TextState.CONSULTATION, articles=CHARTER_ARTICLES, slug="charte"):
    return services.create_text(
        by=admin,
        kind=TextKind.CHARTER,
        title="Charte du Ministère de la Protection de l'Enfance",
        slug=slug,
        summary="Projet de charte partagé pour recueillir vos retours.",
        preamble="Démocratie, bienveillance, transparence.",
        articles=drafts(articles),
        state=state,
    )


def adopted_proposal(title="Organe de contrôle indépendant", instance=None) -> Proposal:
    return Proposal.objects.create(
        title=title,
        problem="Personne ne contrôle les structures.",
        body="Créer un organe national de contrôle.",
        expected_effect="Des structures évaluées.",
        instance=instance or InstanceFactory(),
        state=ProposalState.ADOPTED,
        published_at=timezone.now(),
    )


def law_proposal(admin, *, articles=None, sources=None, title="Proposition de loi test"):
    sources = sources if sources is not None else [adopted_proposal()]
    articles = articles or [
        ("", "Il est créé un organe national de contrôle indépendant."),
        ("", "L'organe publie chaque année un rapport."),
    ]
    return services.consolidate_law_proposal(
        by=admin,
        title=title,
        preamble="Mesdames, Messieurs, la protection de l'enfance manque de contrôle.",
        articles=drafts(articles),
        source_proposals=sources,
    )
