"""The seven flagship proposals of seed 000 ("Propositions phares des premiers citoyens du
projet"), the first proposals of the platform.

An idempotent loader, not a data migration: it also writes their full-text entries, which a
migration cannot do with the historical models. It is run by ``load_demo_data`` and, in
production, once after deployment with ``manage.py load_flagship_proposals`` (running it again
changes nothing but the wording, if the seed's wording changed here).
Titles and proposals are the seed's words; "the problem" and "the expected effect" are the
seed's context for each one ("Impact et valeurs ajoutées" where it names them).
"""

from django.db import transaction
from django.utils import timezone

from .enums import ProposalState
from .models import Proposal, Theme
from .services import reindex

IMPACT_CONTROL = "Transparence et contrôle : les enregistrements et l'organe de contrôle garantissent une gestion équitable."  # noqa: E501
IMPACT_HUMAN = "Approche centrée sur les besoins réels : les villages de protection et les séjours d'observation offrent des solutions humaines et respectueuses."  # noqa: E501

FLAGSHIP = [
    {
        "title": "Technologies de surveillance douce",
        "body": "Utiliser des dispositifs connectés pour suivre discrètement la sécurité et la localisation des enfants à risque, en respectant leur vie privée.",  # noqa: E501
        "problem": "Les enfants à risque ne sont pas toujours suivis entre deux interventions : leur sécurité et le lieu où ils se trouvent restent parfois inconnus.",  # noqa: E501
        "expected_effect": "Suivre la sécurité des enfants à risque de façon discrète, sans porter atteinte à leur vie privée.",  # noqa: E501
        "themes": ["numerique", "prevention"],
    },
    {
        "title": "Villages de protection de l'enfance",
        "body": "Créer des espaces communautaires favorisant les interactions parents-enfants et permettant des séjours prolongés pour observer et accompagner les familles dans un environnement bienveillant.",  # noqa: E501
        "problem": "Les familles sont évaluées et accompagnées loin de leur vie réelle, sans lieu où parents et enfants peuvent être accompagnés ensemble dans la durée.",  # noqa: E501
        "expected_effect": IMPACT_HUMAN,
        "themes": ["prevention", "placement"],
    },
    {
        "title": "SCIC pour la protection de l'enfance",
        "body": "Refonder les structures existantes en SCIC intégrées à la fonction publique, assurant transparence et implication citoyenne.",  # noqa: E501
        "problem": "Les structures de protection de l'enfance laissent peu de place aux citoyens et rendent peu de comptes sur leur gestion.",  # noqa: E501
        "expected_effect": "Mobilisation des communautés : les SCIC permettent de réunir acteurs locaux, citoyens et professionnels pour créer un réseau de protection solide.",  # noqa: E501
        "themes": ["scic", "gouvernance"],
    },
    {
        "title": "Enregistrement des interventions sociales",
        "body": "Généraliser l'enregistrement audio et vidéo des échanges avec les familles pour analyser objectivement les interventions et éviter les interprétations erronées.",  # noqa: E501
        "problem": "Les échanges entre les services sociaux et les familles ne laissent qu'un compte rendu écrit, source d'interprétations erronées.",  # noqa: E501
        "expected_effect": IMPACT_CONTROL,
        "themes": ["justice", "droits"],
    },
    {
        "title": "Séjours d'observation prolongés",
        "body": "Instituer des séjours de 48 à 72 heures pour évaluer les interactions parent-enfant dans un cadre neutre.",  # noqa: E501
        "problem": "Les enquêtes sociales évaluent les familles en peu de temps, sans observer longuement les dynamiques familiales avant une décision.",  # noqa: E501
        "expected_effect": IMPACT_HUMAN,
        "themes": ["justice", "placement"],
    },
    {
        "title": "Consultation élargie des interlocuteurs",
        "body": "Obliger les services sociaux à consulter les interlocuteurs pertinents proposés par les familles pour éclairer une situation donnée.",  # noqa: E501
        "problem": "Les personnes qui connaissent la famille et que celle-ci désigne ne sont pas toujours entendues par les services sociaux.",  # noqa: E501
        "expected_effect": "Éclairer chaque situation par tous les interlocuteurs pertinents, avec les familles comme actrices de la décision.",  # noqa: E501
        "themes": ["droits", "justice"],
    },
    {
        "title": "Organe de contrôle indépendant",
        "body": "Créer un organe national pour superviser les structures de protection de l'enfance, évaluer leurs performances et garantir la transparence.",  # noqa: E501
        "problem": "Les structures de protection de l'enfance ne sont ni supervisées ni évaluées par un organe indépendant.",  # noqa: E501
        "expected_effect": IMPACT_CONTROL,
        "themes": ["controle", "gouvernance"],
    },
]


def load_flagship_proposals() -> list[Proposal]:

    themes = {t.slug: t for t in Theme.objects.all()}
    loaded = []
    with transaction.atomic():
        for rank, item in enumerate(FLAGSHIP, start=1):
            fields = {k: item[k] for k in ("title", "body", "problem", "expected_effect")}
            proposal = Proposal.objects.filter(is_flagship=True, flagship_rank=rank).first()
            if proposal is None:
                proposal = Proposal.objects.create(
                    **fields,
                    is_flagship=True,
                    flagship_rank=rank,
                    state=ProposalState.PUBLISHED,
                    published_at=timezone.now(),
                )
            else:
                for name, value in fields.items():
                    setattr(proposal, name, value)
                proposal.save(update_fields=list(fields))
            proposal.themes.set([themes[slug] for slug in item["themes"] if slug in themes])
            reindex(proposal)
            loaded.append(proposal)
    return loaded
