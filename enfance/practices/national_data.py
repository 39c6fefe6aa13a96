"""Generator step: 10,000 published fiches of the library, both levels, with their history and
their search entries (see enfance.core.national_data).

Each fiche is declared by a generated account (ONPE fiches by a few generated rédacteurs), in a
département, and was submitted, reviewed and published by a member of the selection committee
(a few generated accounts given the role): its dates, the member in charge, the département's
agreement and the committee's publication message in its thread are its history. Fiches are
written by chunks, each chunk in one transaction (the unit of resumption); the search entries
come last, for every generated fiche that has none, so an interrupted run completes them.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Max

from enfance.accounts.models import Role
from enfance.accounts.national_data import generated_users
from enfance.core import cache as versioned_cache
from enfance.core import fulltext
from enfance.core.national_data import (
    GENERATED_EMAIL_DOMAIN,
    format_count,
    format_seconds,
    insert_rows,
    step,
)
from enfance.territories.models import Commune, Departement

from . import library
from .enums import (
    CONDITIONS_VERSION,
    REVIEW_INTERVAL_YEARS,
    EvidenceStage,
    PracticeLevel,
    PracticeState,
    ReferenceList,
    Scale,
    StructureKind,
)
from .models import Practice, PracticeMessage, ReferenceOption

PRACTICES_TARGET = 10_000
PRACTICES_CHUNK = 2_000
ONPE_SHARE = 0.15
COMMITTEE_SIZE = 12
ONPE_WRITERS = 6
# Fixed dates, not "now": the same seed gives the same data whenever it runs.
FIRST_PUBLICATION = datetime(2023, 10, 1, 9, tzinfo=UTC)
PUBLICATION_DAYS = 3 * 365
SCALES = [Scale.LOCALE, Scale.DEPARTEMENTALE, Scale.REGIONALE, Scale.NATIONALE]
SCALE_WEIGHTS = [4, 4, 1, 1]

ACTIONS = [
    "Accueil de jour",
    "Groupe de parole",
    "Visites médiatisées",
    "Soutien à la parentalité",
    "Accompagnement vers l'autonomie",
    "Médiation familiale",
    "Parrainage de proximité",
    "Atelier d'expression",
    "Équipe mobile",
    "Prévention précoce",
    "Cellule d'écoute",
    "Tutorat scolaire",
    "Accueil séquentiel",
    "Maison des familles",
]
SUBJECTS = [
    "pour les parents d'enfants placés",
    "pour les adolescents accueillis",
    "pour les jeunes majeurs sortant de l'ASE",
    "autour de la naissance",
    "pour les fratries séparées",
    "pour les familles en difficulté éducative",
    "pour les mineurs non accompagnés",
    "en milieu rural",
    "contre le harcèlement scolaire",
    "face aux violences conjugales",
    "pour les enfants de parents détenus",
    "pour prévenir les ruptures de parcours",
]
PURPOSES = [
    "Elle permet aux parents de garder une place dans la vie de leurs enfants.",
    "Les enfants y trouvent un cadre stable et des adultes disponibles.",
    "Les familles sont accompagnées avant que la situation ne s'aggrave.",
    "Les jeunes préparent leur sortie du dispositif avec un référent unique.",
    "Les professionnels de l'école, du soin et de l'ASE se coordonnent autour de l'enfant.",
    "Les parents sont associés aux décisions qui concernent leurs enfants.",
]
MEANS = [
    "Deux éducateurs spécialisés et une psychologue à mi-temps.",
    "Un local aménagé, prêté par la commune.",
    "Des bénévoles formés, encadrés par un professionnel.",
    "Un financement du département sur trois ans.",
]
STRUCTURES = [
    "Association Les Liens",
    "Association Grandir Ensemble",
    "Sauvegarde de l'enfance",
    "Association Parents Relais",
    "Maison d'enfants à caractère social Les Tilleuls",
    "Service de protection maternelle et infantile",
]
PUBLISHED_MESSAGE = "Le comité de sélection a examiné la fiche et l'a publiée dans la bibliothèque."


def generated_practices():
    return Practice.objects.filter(declarant__email__endswith=f"@{GENERATED_EMAIL_DOMAIN}")


def _committee(user_ids: list[int]) -> list[int]:
    """A few generated accounts with the committee's role (created once, then found again)."""
    members = user_ids[:COMMITTEE_SIZE]
    existing = set(
        Role.objects.filter(user_id__in=members, kind="comite_selection").values_list(
            "user_id", flat=True
        )
    )
    for member in members:
        if member not in existing:
            Role.objects.create(user_id=member, kind="comite_selection", scope_level="national")
    return members


def _options() -> dict[str, list[int]]:
    options = {
        name: list(
            ReferenceOption.objects.filter(list=name, asks_precision=False)
            .order_by("position", "pk")
            .values_list("pk", flat=True)
        )
        for name in ReferenceList.values
    }
    if not all(options.values()):
        raise CommandError("Listes de référence vides : appliquer d'abord les migrations.")
    return options


def _places():
    departements = list(Departement.objects.order_by("code").values_list("pk", "region_id"))
    if not departements:
        raise CommandError("Aucun département en base : lancer d'abord l'étape « territoires ».")
    communes: dict[int, list[int]] = {}
    for pk, departement_id in Commune.objects.order_by("code").values_list("pk", "departement_id"):
        communes.setdefault(departement_id, []).append(pk)
    return departements, communes


def _chunk_rows(seed, chunk, start, stop, people, options, places):
    """Fiches number `start` to `stop - 1`: the whole chunk is always drawn, chunk-seeded."""
    rng = random.Random(f"{seed}:pratiques:{chunk}")
    declarants, writers, committee = people
    departements, communes = places
    first = chunk * PRACTICES_CHUNK
    rows = []
    for i in range(PRACTICES_CHUNK):
        onpe = rng.random() < ONPE_SHARE
        published_at = FIRST_PUBLICATION + timedelta(
            days=rng.randrange(PUBLICATION_DAYS), minutes=rng.randrange(600)
        )
        submitted_at = published_at - timedelta(days=rng.randint(10, 60))
        created_at = submitted_at - timedelta(days=rng.randint(0, 20), hours=rng.randint(1, 5))
        implemented_on = (created_at - timedelta(days=rng.randint(90, 3000))).date()
        departement_id, _ = rng.choice(departements)
        scale = rng.choices(SCALES, weights=SCALE_WEIGHTS)[0]
        commune_id = None
        if scale == Scale.LOCALE:
            if communes.get(departement_id):
                commune_id = rng.choice(communes[departement_id])
            else:
                scale = Scale.DEPARTEMENTALE
        action, subject = rng.choice(ACTIONS), rng.choice(SUBJECTS)
        structure = rng.choice(STRUCTURES)
        reviewer = rng.choice(committee)
        reviewed_on = (published_at - timedelta(days=rng.randint(1, 9))).date()
        if onpe:
            stage = EvidenceStage.EVALUATED if rng.random() < 0.4 else EvidenceStage.ONPE
            evidence_level = rng.choice([1, 2, 3, 3, 4, 4, 5]) if rng.random() < 0.7 else None
        else:
            stage = EvidenceStage.REVIEWED if rng.random() < 0.6 else EvidenceStage.DECLARED
            evidence_level = rng.choice([3, 4, 4, 5]) if rng.random() < 0.2 else None
        rated = stage != EvidenceStage.DECLARED or evidence_level is not None
        purposes = rng.sample(PURPOSES, 2)
        row = {
            "level": PracticeLevel.ONPE if onpe else PracticeLevel.DECLARED,
            "state": PracticeState.PUBLISHED,
            "implemented_on": implemented_on,
            "entity_name": structure,
            "title": f"{action} {subject}"[:100],
            "description": f"{action} {subject}, porté par {structure}. {' '.join(purposes)}",
            "scale": scale,
            "intervention_type_id": rng.choice(options[ReferenceList.INTERVENTION_TYPE]),
            "intervention_type_other": "",
            "theme_id": rng.choice(options[ReferenceList.THEME]),
            "theme_other": "",
            "audience_id": rng.choice(options[ReferenceList.AUDIENCE]),
            "audience_other": "",
            "relay_id": rng.choice(options[ReferenceList.RELAY]),
            "relay_other": "",
            "departement_id": departement_id,
            "commune_id": commune_id,
            "declarant_id": rng.choice(writers if onpe else declarants),
            "structure_kind": StructureKind.ONPE if onpe else StructureKind.ASSOCIATION,
            "structure_name": "Observatoire national de la protection de l'enfance"
            if onpe
            else structure,
            "conditions_accepted_at": None if onpe else created_at,
            "conditions_version": "" if onpe else CONDITIONS_VERSION,
            "created_at": created_at,
            "updated_at": published_at,
            "submitted_at": submitted_at,
            "published_at": published_at,
            "reviewer_id": reviewer,
            "refusal_reason": "",
            "refused_at": None,
            "departement_agreement_by": "" if onpe else "Direction enfance-famille",
            "departement_agreement_on": None if onpe else (submitted_at + timedelta(days=5)).date(),
            "departement_agreement_recorded_by_id": None if onpe else reviewer,
            "evidence_stage": stage,
            "evidence_level": evidence_level,
            "reviewed_on": reviewed_on if rated else None,
            "review_due_on": _years_later(reviewed_on, REVIEW_INTERVAL_YEARS) if rated else None,
            "outcome_safety": rng.random() < 0.5,
            "outcome_stability": rng.random() < 0.5,
            "outcome_wellbeing": rng.random() < 0.7,
            "cost": rng.choice(["", "nul", "faible", "moyen", "eleve"]),
            "transferability": rng.choice(["", "faible", "moyenne", "forte"]),
            "objectives": purposes[0] if onpe else "",
            "means": rng.choice(MEANS) if onpe else "",
            "keys_to_success": "L'adhésion des familles et un référent stable." if onpe else "",
            "expected_results": purposes[1] if onpe else "",
            "difficulties": "Le turn-over des professionnels." if onpe else "",
            "evaluation_method": "Questionnaires aux familles à 6 et 12 mois."
            if stage == EvidenceStage.EVALUATED
            else "",
            "evaluation_results": "Des liens familiaux maintenus dans la plupart des cas."
            if stage == EvidenceStage.EVALUATED
            else "",
            "co_authors": "Le service de l'aide sociale à l'enfance du département" if onpe else "",
        }
        # Drawn whatever the range: a resumed chunk draws the same fiches.
        if start <= first + i < stop:
            rows.append(row)
    return rows


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@step("pratiques", "Bibliothèque des pratiques inspirantes")
def generate_practices(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("practices", PRACTICES_TARGET)
    existing = generated_practices().count()
    started = time.monotonic()
    if existing >= target:
        log(f"  {format_count(existing)} fiches générées déjà présentes")
    else:
        if existing:
            log(f"  reprise : {format_count(existing)} fiches déjà présentes")
        user_ids = list(generated_users().order_by("id").values_list("id", flat=True)[:20_000])
        if len(user_ids) < COMMITTEE_SIZE + ONPE_WRITERS + 1:
            raise CommandError("Pas assez de comptes générés : lancer l'étape « utilisateurs ».")
        committee = _committee(user_ids)
        writers = user_ids[COMMITTEE_SIZE : COMMITTEE_SIZE + ONPE_WRITERS]
        declarants = user_ids[COMMITTEE_SIZE + ONPE_WRITERS :]
        people = (declarants, writers, committee)
        reference, places = _options(), _places()
        done = existing
        while done < target:
            chunk = done // PRACTICES_CHUNK
            stop = min((chunk + 1) * PRACTICES_CHUNK, target)
            rows = _chunk_rows(options["seed"], chunk, done, stop, people, reference, places)
            with transaction.atomic():
                before = Practice.objects.aggregate(last=Max("id"))["last"] or 0
                insert_rows(Practice, rows)
                ids = list(
                    Practice.objects.filter(pk__gt=before)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                insert_rows(
                    PracticeMessage,
                    [
                        {
                            "practice_id": pk,
                            "author_id": row["reviewer_id"],
                            "from_committee": True,
                            "body": PUBLISHED_MESSAGE,
                            "created_at": row["published_at"],
                        }
                        for pk, row in zip(ids, rows, strict=True)
                    ],
                )
            done = stop
            log(
                f"  {format_count(done)} / {format_count(target)} fiches"
                f" ({format_seconds(time.monotonic() - started)})"
            )
    indexed = fulltext.index_missing(
        generated_practices().published().with_labels(), library.practice_search_texts
    )
    versioned_cache.bump(library.CACHE_NAME)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("practices_practice", "practices_practicemessage", "core_searchentry"):
                cursor.execute(f"ANALYZE {table}")
    log(
        f"  {format_count(indexed)} fiches indexées pour la recherche"
        f" ({format_seconds(time.monotonic() - started)})"
    )
