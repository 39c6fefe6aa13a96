"""How well "similar proposals while writing" finds the proposal a person is about to duplicate,
measured on the demo proposals: precision of the top 3 over a small labelled set."""

import pytest

from enfance.proposals.demo import CITIZEN_PROPOSALS
from enfance.proposals.flagship import load_flagship_proposals
from enfance.proposals.views.writing import _similar
from tests.factories import UserFactory

from .factories import published

pytestmark = pytest.mark.django_db

# What someone might type (title, problem) -> the existing proposal they should be shown.
LABELLED = [
    ("Des bracelets connectés pour les enfants à risque", "", "Technologies de surveillance douce"),
    (
        "Des villages où parents et enfants vivent accompagnés",
        "",
        "Villages de protection de l'enfance",
    ),
    (
        "Transformer les foyers en coopératives",
        "SCIC citoyennes",
        "SCIC pour la protection de l'enfance",
    ),
    (
        "Filmer les entretiens avec les travailleurs sociaux",
        "enregistrement vidéo",
        "Enregistrement des interventions sociales",
    ),
    (
        "Observer la famille pendant trois jours",
        "séjour d'observation",
        "Séjours d'observation prolongés",
    ),
    (
        "Entendre les proches désignés par la famille",
        "interlocuteurs",
        "Consultation élargie des interlocuteurs",
    ),
    (
        "Un contrôle indépendant des foyers",
        "superviser les structures",
        "Organe de contrôle indépendant",
    ),
    ("Une maison pour aider les familles", "", CITIZEN_PROPOSALS[0]["title"]),
    ("Écouter l'enfant avant le placement", "", CITIZEN_PROPOSALS[1]["title"]),
    ("Rendre publics les délais de l'ASE", "", CITIZEN_PROPOSALS[2]["title"]),
    ("Aider les jeunes sortant de l'ASE après 18 ans", "", CITIZEN_PROPOSALS[3]["title"]),
    ("Contrat jeune majeur jusqu'à 25 ans", "", CITIZEN_PROPOSALS[3]["title"]),
]


def test_precision_of_the_top_3_on_the_demo_proposals(capsys):
    load_flagship_proposals()
    author = UserFactory()
    for spec in CITIZEN_PROPOSALS:
        fields = {k: spec[k] for k in ("title", "problem", "body", "expected_effect")}
        published(author=author, **fields)
    hits = 0
    for title, problem, expected in LABELLED:
        top = [p.title for p in _similar(title, problem)]
        hits += expected in top
    precision = hits / len(LABELLED)
    with capsys.disabled():
        print(f"\nsimilar proposals, top-3 hit rate: {hits}/{len(LABELLED)} = {precision:.0%}")
    assert precision >= 0.75
