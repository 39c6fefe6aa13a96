"""Generator step: 5,000 interpellations of the generated instances, so that the public list and
the institutions page (rates, average and median delays) are measured at a believable scale.

Every instance questions the institutions of its own département (its ASE, tribunal, DSDEN,
préfecture, PJJ direction) or of its région (the ARS): about 600 institutions. Dates are spread
over 2025 and 2026 from fixed dates (not "now": the same seed gives the same data); 55 % are
answered (a fifth of them late), the others wait or are past their deadline. One transaction per
chunk of 1,000 (the unit of resumption); COPY on PostgreSQL, bulk_create elsewhere.
"""

import random
from datetime import UTC, date, datetime, timedelta

from django.core.management.base import CommandError
from django.db import transaction

from enfance.assemblies.national_data import SLUG_PREFIX, generated_instances
from enfance.core.national_data import analyze, format_count, insert_rows, step
from enfance.territories.models import normalize_name

from .enums import AnswerChannel, InstitutionKind, State
from .models import Institution, Interpellation
from .services import add_months

TARGET = 5_000
CHUNK = 1_000
SPAN_START = datetime(2025, 1, 6, 9, tzinfo=UTC)
SPAN_DAYS = 540
# Interpellations sent after this date have not reached their deadline in the generated story.
STORY_DAY = date(2026, 7, 1)

# French names of départements take "du", "de la", "de l'", "des"…: the name goes in brackets.
KINDS = [
    (InstitutionKind.ASE, "Conseil départemental, direction de l'enfance ({departement})", 5),
    (InstitutionKind.JUSTICE, "Tribunal pour enfants ({departement})", 2),
    (InstitutionKind.EDUCATION, "Services de l'Éducation nationale ({departement})", 2),
    (InstitutionKind.PREFECTURE, "Préfecture ({departement})", 1),
    (InstitutionKind.PJJ, "Direction territoriale de la PJJ ({departement})", 1),
    (InstitutionKind.SANTE, "Agence régionale de santé ({region})", 1),
]
SUBJECTS = [
    "Des placements loin des familles",
    "Des décisions de placement non exécutées",
    "Des mesures éducatives en attente depuis des mois",
    "La scolarité des enfants accueillis en foyer",
    "Des jeunes majeurs sortis de l'ASE sans logement",
    "Des visites médiatisées annulées sans explication",
    "Des délais d'attente en pédopsychiatrie",
    "Des enfants hébergés à l'hôtel",
]
ANSWERS = [
    "Nous partageons votre constat et renforçons les moyens du service concerné.",
    "Une réunion de travail avec l'instance est proposée le mois prochain.",
    "Les situations évoquées ont été réexaminées une à une ; des mesures sont engagées.",
]


def generated_interpellations():
    return Interpellation.objects.filter(instance__slug__startswith=SLUG_PREFIX)


def _institutions(instances) -> dict[tuple[int, int], list[int]]:
    """(département id, kind index) -> institution ids, created once (idempotent)."""
    wanted = {}
    for _, departement_id, departement_name, region_name in instances:
        for index, (kind, pattern, _) in enumerate(KINDS):
            name = pattern.format(departement=departement_name, region=region_name)
            wanted[(departement_id, index)] = (kind, name)
    Institution.objects.bulk_create(
        [
            Institution(kind=kind, name=name, name_key=normalize_name(name))
            for kind, name in sorted(set(wanted.values()))
        ],
        ignore_conflicts=True,
        batch_size=2_000,
    )
    ids = {
        (kind, key): pk
        for pk, kind, key in Institution.objects.values_list("pk", "kind", "name_key")
    }
    return {key: ids[(kind, normalize_name(name))] for key, (kind, name) in wanted.items()}


def _rows(seed, chunk, start, stop, instances, institutions):
    rng = random.Random(f"{seed}:interpellations:{chunk}")
    rows = []
    weights = [weight for *_, weight in KINDS]
    for n in range(chunk * CHUNK, (chunk + 1) * CHUNK):
        instance_id, departement_id, _, _ = rng.choice(instances)
        kind_index = rng.choices(range(len(KINDS)), weights=weights)[0]
        sent_at = SPAN_START + timedelta(days=rng.randrange(SPAN_DAYS), minutes=rng.randrange(600))
        sent_on = sent_at.date()
        due = add_months(sent_on, 2)
        answer_roll, delay = rng.random(), rng.randint(5, 110)
        subject, answer = rng.choice(SUBJECTS), rng.choice(ANSWERS)
        # Every draw comes before this line: a resumed chunk gives the same rows.
        if n < start or n >= stop:
            continue
        row = {
            "instance_id": instance_id,
            "institution_id": institutions[(departement_id, kind_index)],
            "title": f"{subject} (n° {n + 1})",
            "contact_email": f"contact{n + 1}@institution.exemple.fr",
            "facts": f"{subject} : l'instance a recueilli plusieurs témoignages concordants.",
            "failures": "Les obligations légales de l'institution ne sont pas respectées.",
            "recommendations": "Réunir les acteurs concernés et rendre compte à l'instance.",
            "state": State.SENT,
            "created_by_id": None,
            "created_at": sent_at - timedelta(days=20),
            "updated_at": sent_at - timedelta(days=20),
            "ballot_id": None,
            "adopted_at": sent_at - timedelta(days=2),
            "sent_at": sent_at,
            "answer_due_on": due,
            "answer_link_nonce": "",
            "answer_token_hash": None,
            "last_reminder_days": None,
            "answered_at": None,
            "answered_on": None,
            "answer_channel": "",
            "answer_signatory": "",
            "answer_text": "",
            "answer_delay_days": None,
            "answered_late": None,
            "answer_recorded_by_id": None,
        }
        answered_on = sent_on + timedelta(days=delay)
        if answer_roll < 0.55 and answered_on <= STORY_DAY:
            row.update(
                state=State.ANSWERED,
                answered_at=sent_at + timedelta(days=delay),
                answered_on=answered_on,
                answer_channel=AnswerChannel.LINK if delay % 3 else AnswerChannel.POST,
                answer_signatory="La direction",
                answer_text=answer,
                answer_delay_days=delay,
                answered_late=answered_on > due,
            )
        elif due < STORY_DAY:
            row["state"] = State.OVERDUE
        rows.append(row)
    return rows


@step("interpellations", "Interpellations des institutions")
def generate_interpellations(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("interpellations", TARGET)
    existing = generated_interpellations().count()
    if existing >= target:
        log(f"  {format_count(existing)} interpellations générées déjà présentes : rien à faire")
        return
    instances = list(
        generated_instances()
        .order_by("slug")
        .values_list("pk", "departement_id", "departement__name", "departement__region__name")
    )
    if not instances:
        raise CommandError("Aucune instance générée : lancer d'abord l'étape « instances ».")
    institutions = _institutions(instances)
    done = existing
    while done < target:
        chunk = done // CHUNK
        stop = min((chunk + 1) * CHUNK, target)
        with transaction.atomic():
            insert_rows(
                Interpellation, _rows(options["seed"], chunk, done, stop, instances, institutions)
            )
        done = stop
        log(f"  {format_count(done)} / {format_count(target)} interpellations")
    analyze(Institution, Interpellation)
    log(f"  {format_count(Institution.objects.count())} institutions en base")
