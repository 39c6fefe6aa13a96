from datetime import timedelta

from django.utils import timezone

from enfance.care.models import (
    Cooperative,
    FamilyUnit,
    GeneralAssembly,
    ObservationStay,
    PlaceRequest,
    SupervisionQuestion,
)
from tests.assemblies.factories import InstanceFactory

from .factories import StructureFactory


def _stay(status: str, **fields) -> ObservationStay:
    village = StructureFactory(kind="village", name="Village des Monts d'Or")
    return ObservationStay(
        pk=42,
        village=village,
        unit=FamilyUnit(village=village, name="Maison des Tilleuls", capacity=5),
        departement=village.departement,
        requester="magistrat",
        starts_at=timezone.now() + timedelta(days=3),
        hours=60,
        adults=1,
        children_0_2=1,
        children_13_17=1,
        status=status,
        **fields,
    )


def _question(**fields) -> SupervisionQuestion:
    return SupervisionQuestion(
        pk=7,
        cooperative=Cooperative(
            name="SCIC Grandir ensemble", instance=InstanceFactory(name="Instance de Villeurbanne")
        ),
        question="Combien d'enfants attendent une place dans vos foyers, et depuis quand ?",
        asked_at=timezone.now(),
        due_on=timezone.localdate() + timedelta(days=30),
        **fields,
    )


QUESTION_URL = "https://protection-enfance.example/accueil/scic/3/#question-7"
STAY_URL = "https://protection-enfance.example/accueil/sejours/42/"


def _request():
    structure = StructureFactory()
    now = timezone.now()
    return PlaceRequest.objects.create(
        departement=structure.departement,
        place_type="internat",
        age_band="13-17",
        children=2,
        urgent=True,
        needs="Deux sœurs, l'aînée est au lycée.",
        wished_on=now.date(),
        created_at=now,
        answer_by=now + timedelta(hours=4),
    ), structure


SAMPLES = {
    "care/emails/freshness_reminder.txt": lambda: {
        "structure": StructureFactory(),
        "expires_at": timezone.now() + timedelta(hours=3),
        "declare_url": "https://protection-enfance.example/accueil/structures/4/places/",
    },
    "care/emails/request_received.txt": lambda: dict(
        zip(("request", "structure"), _request(), strict=True),
        offer_url="https://protection-enfance.example/accueil/reponses/3/",
    ),
    "care/emails/request_expired.txt": lambda: {
        "request": _request()[0],
        "search_url": "https://protection-enfance.example/accueil/recherche/",
    },
    "care/emails/request_placed.txt": lambda: dict(
        zip(("request", "structure"), _request(), strict=True),
        request_url="https://protection-enfance.example/accueil/demandes/3/",
    ),
    "care/emails/assembly_convened.txt": lambda: {
        "assembly": GeneralAssembly(
            title="Assemblée générale ordinaire 2026",
            agenda="1. Rapport d'activité\n2. Comptes 2025\n3. Entrée de nouveaux sociétaires",
            cooperative=Cooperative(name="SCIC Grandir ensemble"),
        ),
        "when": "mardi 16 juin 2026",
        "url": "https://protection-enfance.example/accueil/scic/assemblees/2/",
    },
    "care/emails/question_asked.txt": lambda: {
        "question": _question(),
        "url": QUESTION_URL,
        "due": "4 janvier 2027",
    },
    "care/emails/question_answered.txt": lambda: {
        "question": _question(
            answer="Onze enfants, depuis trois semaines en moyenne.",
            answered_at=timezone.now() + timedelta(days=40),
        ),
        "url": QUESTION_URL,
    },
    "care/emails/minutes_published.txt": lambda: {
        "assembly": GeneralAssembly(
            title="Assemblée générale ordinaire 2026",
            held_on=timezone.localdate(),
            cooperative=Cooperative(name="SCIC Grandir ensemble"),
        ),
        "url": "https://protection-enfance.example/accueil/scic/assemblees/2/",
    },
    "care/emails/stay_requested.txt": lambda: {"stay": _stay("demande"), "url": STAY_URL},
    "care/emails/stay_answered.txt": lambda: {
        "stay": _stay("refuse", refusal_reason="L'unité est en travaux cette semaine-là."),
        "url": STAY_URL,
    },
}
