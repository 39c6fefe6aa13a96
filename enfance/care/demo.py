"""Demo data of the care network: the Rhône takes part; six structures of Lyon and around, the
demo gestionnaire manages two of them; free places declared over the last days, some fresh,
some stale (shown as unknown), and one structure waiting for the département's validation. The
Ain, its neighbour, takes part too with two structures: a search of the Rhône finds them next."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import DEMO_DEPARTEMENT, DEMO_DOMAIN, demo_account
from enfance.accounts.enums import RoleKind, ScopeLevel
from enfance.accounts.models import Role, User
from enfance.core.demo import DemoReport
from enfance.territories.models import Commune, Departement

from .enums import AgeBand, PlaceType, StructureStatus
from .finess import luhn_valid
from .models import DepartementParticipation, PlaceCategory, Structure, StructureManager
from .services import declare_places

# name, kind, commune, capacity, manager, ages, (type, band, siblings, disability, installed,
# free, hours since the declaration), managed by the demo gestionnaire, validated
STRUCTURES = [
    (
        "Maison d'enfants Les Cèdres",
        "mecs",
        "69123",
        36,
        "Association Sauvegarde 69",
        (6, 17),
        [
            (PlaceType.INTERNAT, AgeBand.TEENAGERS, True, False, 18, 2, 3),
            (PlaceType.INTERNAT, AgeBand.CHILDREN, True, False, 12, 1, 3),
            (PlaceType.SEMI_AUTONOMIE, AgeBand.YOUNG_ADULTS, False, False, 6, 0, 3),
        ],
        True,
        True,
    ),
    (
        "Foyer départemental de l'enfance du Rhône",
        "foyer_enfance",
        "69259",
        48,
        "Département du Rhône",
        (0, 17),
        [
            (PlaceType.URGENCE, AgeBand.TEENAGERS, False, False, 12, 1, 2),
            (PlaceType.URGENCE, AgeBand.CHILDREN, True, False, 10, 0, 2),
            (PlaceType.INTERNAT, AgeBand.SMALL, True, False, 8, 2, 30),
        ],
        True,
        True,
    ),
    (
        "Pouponnière Les Petits Pas",
        "pouponniere",
        "69266",
        20,
        "Association Enfance et Famille",
        (0, 5),
        [(PlaceType.INTERNAT, AgeBand.BABIES, True, False, 20, 3, 10)],
        False,
        True,
    ),
    (
        "Lieu de vie La Combe",
        "lva",
        "69149",
        7,
        "Association La Combe",
        (10, 17),
        [(PlaceType.INTERNAT, AgeBand.TEENAGERS, False, True, 7, 1, 50)],
        False,
        True,
    ),
    (
        "Service d'AEMO de Lyon",
        "milieu_ouvert",
        "69123",
        400,
        "Association Sauvegarde 69",
        (0, 17),
        [(PlaceType.MESURES, AgeBand.CHILDREN, True, False, 400, 12, 5)],
        False,
        True,
    ),
    (
        "Village d'enfants de Villefranche",
        "village",
        "69264",
        42,
        "Fondation Action Enfance",
        (3, 17),
        [],
        False,
        False,
    ),
    (
        "Maison d'enfants Les Tilleuls",
        "mecs",
        "01053",
        30,
        "Association Sauvegarde de l'Ain",
        (6, 17),
        [
            (PlaceType.INTERNAT, AgeBand.TEENAGERS, True, False, 16, 3, 4),
            (PlaceType.INTERNAT, AgeBand.CHILDREN, True, False, 10, 1, 4),
        ],
        False,
        True,
    ),
    (
        "Foyer départemental de l'enfance de l'Ain",
        "foyer_enfance",
        "01283",
        24,
        "Département de l'Ain",
        (0, 17),
        [(PlaceType.URGENCE, AgeBand.TEENAGERS, False, False, 8, 2, 1)],
        False,
        True,
    ),
]
# The neighbour that takes part, and since when.
NEIGHBOUR = ("01", date(2026, 11, 16))


def _finess(departement_code: str, index: int) -> str:
    base = f"{departement_code}{99000 + index:06d}"
    return next(base + str(key) for key in range(10) if luhn_valid(base + str(key)))


@transaction.atomic
def load(report: DemoReport) -> None:
    departement = Departement.objects.filter(code=DEMO_DEPARTEMENT).first()
    manager = User.objects.filter(email=f"gestionnaire.structure@{DEMO_DOMAIN}").first()
    services = User.objects.filter(email=f"services.departement@{DEMO_DOMAIN}").first()
    if departement is None or manager is None or services is None:
        report.lines.append(
            "Réseau d'accueil de démonstration non chargé : il faut d'abord les territoires et "
            "les comptes de démonstration."
        )
        return
    # The other structures' gestionnaire: appears, never signs in.
    colleague = demo_account(
        f"direction.structures@{DEMO_DOMAIN}", "Mathieu", "Garnier", can_sign_in=False
    )
    DepartementParticipation.objects.get_or_create(
        departement=departement,
        defaults={"joined_on": date(2026, 11, 2), "decided_by": services},
    )
    neighbour = Departement.objects.filter(code=NEIGHBOUR[0]).first()
    if neighbour is not None:
        DepartementParticipation.objects.get_or_create(
            departement=neighbour, defaults={"joined_on": NEIGHBOUR[1]}
        )
    for place in (departement, neighbour):
        if place is not None:
            Role.objects.get_or_create(
                user=colleague,
                kind=RoleKind.GESTIONNAIRE_STRUCTURE,
                scope_level=ScopeLevel.DEPARTEMENT,
                departement=place,
            )
    now = timezone.now()
    for index, (
        name,
        kind,
        code,
        capacity,
        manager_name,
        (age_min, age_max),
        categories,
        managed,
        validated,
    ) in enumerate(STRUCTURES):
        commune = Commune.objects.filter(code=code).first()
        if commune is None or Structure.objects.filter(name=name).exists():
            continue
        structure = Structure.objects.create(
            name=name,
            kind=kind,
            finess=_finess(commune.departement.code, index),
            commune=commune,
            departement=commune.departement,
            authority="departement",
            authorised_on=date(2004 + 3 * index, 9, 1),
            authorised_capacity=capacity,
            manager_kind="departement" if "Département" in manager_name else "association",
            manager_name=manager_name,
            age_min=age_min,
            age_max=age_max,
            takes_siblings=True,
            takes_disability=kind == "lva",
            takes_urgent=kind == "foyer_enfance",
            status=StructureStatus.VALIDATED if validated else StructureStatus.PROPOSED,
            created_by=manager if managed else services,
            validated_by=services if validated else None,
            validated_at=now - timedelta(days=30) if validated else None,
        )
        StructureManager.objects.create(structure=structure, user=manager if managed else colleague)
        for place_type, band, siblings, disability, installed, free, hours in categories:
            category = PlaceCategory.objects.create(
                structure=structure,
                place_type=place_type,
                age_band=band,
                siblings=siblings,
                disability=disability,
                capacity=installed,
            )
            # A week of declarations, the last one `hours` ago: history gives occupancy.
            for days in range(6, -1, -1):
                declare_places(
                    structure,
                    by=manager if managed else colleague,
                    figures={category.pk: {"free": min(installed, free + days % 3)}},
                    now=now - timedelta(hours=hours, days=days),
                )
    report.lines.append(
        "Réseau d'accueil : le Rhône participe, et l'Ain voisin ; 8 structures, dont 2 gérées "
        "par le compte gestionnaire de démonstration, des places fraîches et d'autres "
        "« inconnues », une structure en attente de validation."
    )
