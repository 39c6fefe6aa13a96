"""The petition for the ministry's official adoption (seed 000, phase 3; seed 001: « Faire
progresser la pétition »), and the function that makes sure it exists."""

from datetime import datetime

from django.utils import timezone

from .enums import PetitionState
from .models import Petition

SLUG = "adoption-ministere-protection-enfance"
TITLE = "Pour l'adoption officielle du Ministère de la Protection de l'Enfance"
SUMMARY = (
    "Nous demandons au Gouvernement d'adopter le Ministère de la Protection de l'Enfance : une "
    "gouvernance démocratique et locale de la protection de l'enfance, fondée sur la "
    "transparence, l'efficacité et la solidarité."
)
ADDRESSEE = "Le Gouvernement et l'Assemblée nationale"
TEXT = "\n\n".join(
    [
        (
            "Le Ministère de la Protection de l'Enfance est une initiative participative qui veut "
            "refonder la gouvernance et l'organisation de la protection de l'enfance en France. Sa "
            "vision : garantir à chaque enfant une protection efficace, respectueuse de ses droits "
            "fondamentaux, grâce à une gouvernance inclusive et à des décisions ancrées dans les "
            "réalités locales."
        ),
        (
            "Depuis les premiers forums ouverts, des parents, des grands-parents, des enfants, des "
            "professionnels et des associations construisent ensemble des instances locales de "
            "protection de l'enfance. Ils y élaborent des propositions de loi, interpellent les "
            "institutions quand elles manquent à leurs missions et préparent des sociétés "
            "coopératives d'intérêt collectif (SCIC) capables d'accueillir et d'accompagner les "
            "enfants et leurs familles."
        ),
        ("Nous, signataires, demandons :"),
        (
            "1. l'adoption officielle du Ministère de la Protection de l'Enfance par le "
            "Gouvernement ;\n"
            "2. la reconnaissance des instances locales de protection de l'enfance comme lieux de "
            "décision, composées de parents, de grands-parents, d'enfants, d'experts et de "
            "citoyens engagés ;\n"
            "3. la définition, avec les départements, des modalités du transfert progressif des "
            "compétences et des budgets de la protection de l'enfance vers les instances locales "
            "et les SCIC ;\n"
            "4. la création d'un organe de contrôle indépendant des structures de protection de "
            "l'enfance."
        ),
        (
            "La mobilisation citoyenne est le levier qui légitime ce projet et accélère son "
            "ancrage politique : chaque signature nous rapproche de la naissance de ce ministère, "
            "pour un avenir plus respectueux, humain et protecteur pour les enfants et leurs "
            "familles."
        ),
    ]
)

# The opening of phase 3 (seed 000: « Adoption officielle, septembre 2025 »).
OPENS_AT = datetime(2025, 9, 1, 8, tzinfo=timezone.get_fixed_timezone(120))


def ensure_petition() -> Petition:
    """The petition, created open if it does not exist (demo data, generator): idempotent."""
    petition, _ = Petition.objects.get_or_create(
        slug=SLUG,
        defaults={
            "title": TITLE,
            "summary": SUMMARY,
            "text": TEXT,
            "addressee": ADDRESSEE,
            "opens_at": OPENS_AT,
            "state": PetitionState.OPEN,
        },
    )
    return petition
