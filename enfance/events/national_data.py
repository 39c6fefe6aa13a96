"""Generator step: 20,000 events and 500,000 registrations (see enfance.core.national_data).

Events are proposed and hosted by generated accounts, in communes weighted by population; a third
of them are online lives. Every chunk of events is written with its hosts and registrations in
one transaction, so an interrupted run resumes at the first missing chunk.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Max

from enfance.accounts.national_data import generated_users
from enfance.core import fulltext
from enfance.core.national_data import (
    GENERATED_EMAIL_DOMAIN,
    analyze,
    format_count,
    format_seconds,
    insert_rows,
    step,
)
from enfance.territories.models import Commune

from .enums import EventKind, EventStatus, RegistrationStatus
from .models import Event, Registration
from .search import event_texts

EVENTS_TARGET = 20_000
REGISTRATIONS_TARGET = 500_000
EVENTS_CHUNK = 2_000  # events per transaction: the unit of resumption
# Events are spread over these four years; those over before the reference date are finished.
# Fixed dates, not "now": the same seed gives the same data whenever it runs.
SPAN_START = datetime(2025, 1, 1, 8, tzinfo=UTC)
SPAN_DAYS = 4 * 365
FINISHED_BEFORE = datetime(2026, 1, 1, tzinfo=UTC)
CANCELLED_SHARE = 0.03
KINDS = [EventKind.ATELIER, EventKind.FORUM, EventKind.LIVE]
KIND_WEIGHTS = [5, 2, 3]

TOPICS = [
    "les priorités locales de la protection de l'enfance",
    "imaginer l'instance locale",
    "élire les représentants des parents",
    "le soutien aux familles avant le placement",
    "les droits des parents face à l'ASE",
    "la parole des enfants placés",
    "l'accueil familial sur notre territoire",
    "prévenir plutôt que placer",
    "le retour en famille après un placement",
    "le rôle des grands-parents",
]
LIVE_TOPICS = [
    "vos questions sur l'ASE, avec une juriste",
    "parents séparés de leurs enfants : en parler",
    "préparer une audience chez le juge des enfants",
    "écoute et conseils avec une psychologue",
]


def generated_events():
    return Event.objects.filter(proposed_by__email__endswith=f"@{GENERATED_EMAIL_DOMAIN}")


def _communes():
    rows = list(
        Commune.objects.order_by("code").values_list("id", "departement_id", "name", "population")
    )
    if not rows:
        raise CommandError("Aucune commune en base : lancer d'abord l'étape « territoires ».")
    cum_weights, total = [], 0
    for *_, population in rows:
        total += max(population or 0, 1)
        cum_weights.append(total)
    return rows, cum_weights


def _split(total: int, size: int, rng: random.Random) -> list[int]:
    """`total` registrations over `size` events, unevenly (some events draw a crowd), exactly."""
    weights = [rng.random() ** 2 + 0.05 for _ in range(size)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(size), total - sum(counts)):
        counts[i] += 1
    return counts


def _chunk_rows(seed, chunk, start, stop, options, communes, user_ids):
    """Events number `start` to `stop - 1`, their hosts and registrations: chunk-seeded."""
    rng = random.Random(f"{seed}:evenements:{chunk}")
    events_target = options.get("events", EVENTS_TARGET)
    registrations_target = options.get("registrations", REGISTRATIONS_TARGET)
    first = chunk * EVENTS_CHUNK
    # The whole chunk is always drawn, whatever `start` and `stop`: same seed, same events.
    counts = _split(round(registrations_target * EVENTS_CHUNK / events_target), EVENTS_CHUNK, rng)
    commune_rows, cum_weights = communes
    places = rng.choices(commune_rows, cum_weights=cum_weights, k=EVENTS_CHUNK)
    events, registrations = [], []
    for i in range(EVENTS_CHUNK):
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        starts_at = SPAN_START + timedelta(
            days=rng.randrange(SPAN_DAYS), hours=rng.choice([1, 2, 8, 9, 10])
        )
        ends_at = starts_at + timedelta(hours=rng.choice([1, 2, 3]))
        host = rng.choice(user_ids)
        people = rng.sample(user_ids, min(counts[i], len(user_ids)))
        commune_id, departement_id, commune_name, _ = places[i]
        if kind == EventKind.LIVE:
            title = f"Live d'écoute : {rng.choice(LIVE_TOPICS)}"
            capacity = None if rng.random() < 0.5 else rng.choice([50, 100, 200])
            where = {"place": "", "online_url": "https://live.exemple.fr/ecoute"}
            commune_id = departement_id = None
        else:
            label = "Forum ouvert" if kind == EventKind.FORUM else "Atelier citoyen"
            title = f"{label} à {commune_name} : {rng.choice(TOPICS)}"
            capacity = rng.choice([80, 120, 200]) if kind == EventKind.FORUM else rng.randint(8, 40)
            where = {"place": "Salle des fêtes, place de la Mairie", "online_url": ""}
        if ends_at < FINISHED_BEFORE:
            status = EventStatus.FINISHED
        elif rng.random() < CANCELLED_SHARE:
            status = EventStatus.CANCELLED
        else:
            status = EventStatus.PUBLISHED
        seats = len(people) if capacity is None else min(capacity, len(people))
        came = [rng.random() < 0.8 for _ in people]
        if i + first < start or i + first >= stop:
            continue
        events.append(
            {
                "kind": kind,
                "title": title,
                "description": f"{title}. Ouvert à toutes et à tous, sur inscription.",
                "starts_at": starts_at,
                "ends_at": ends_at,
                **where,
                "departement_id": departement_id,
                "commune_id": commune_id,
                "instance_id": None,
                "capacity": capacity,
                "registered_count": seats,
                "status": status,
                "proposed_by_id": host,
                "created_at": starts_at - timedelta(days=30),
                "reviewed_at": starts_at - timedelta(days=28),
                "refusal_reason": "",
                "cancelled_at": starts_at - timedelta(days=2)
                if status == EventStatus.CANCELLED
                else None,
                "cancellation_reason": "Salle indisponible."
                if status == EventStatus.CANCELLED
                else "",
                "attendance_taken_at": ends_at if status == EventStatus.FINISHED else None,
                "minutes": "",
                "priorities": [],
                "elected": [],
                "outcome_recorded_at": None,
            }
        )
        finished = status == EventStatus.FINISHED
        registrations.append(
            [
                {
                    "user_id": person,
                    "status": RegistrationStatus.REGISTERED
                    if n < seats
                    else RegistrationStatus.WAITING,
                    "registered_at": starts_at - timedelta(days=20, minutes=len(people) - n),
                    "cancelled_at": None,
                    "promoted_at": None,
                    "attended": finished and n < seats and came[n],
                    "reminder_sent_at": starts_at - timedelta(days=1) if finished else None,
                }
                for n, person in enumerate(people)
            ]
        )
    return events, registrations


@step("evenements", "Forums, ateliers, lives et inscriptions")
def generate_events(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("events", EVENTS_TARGET)
    existing = generated_events().count()
    if existing >= target:
        log(f"  {format_count(existing)} événements générés déjà présents")
        _index(log)
        return
    if existing:
        log(f"  reprise : {format_count(existing)} événements déjà présents")
    user_ids = list(generated_users().order_by("id").values_list("id", flat=True))
    if not user_ids:
        raise CommandError("Aucun compte généré : lancer d'abord l'étape « utilisateurs ».")
    communes = _communes()
    Hosts = Event.hosts.through
    started = time.monotonic()
    done = existing
    while done < target:
        chunk = done // EVENTS_CHUNK
        stop = min((chunk + 1) * EVENTS_CHUNK, target)
        events, registrations = _chunk_rows(
            options["seed"], chunk, done, stop, options, communes, user_ids
        )
        with transaction.atomic():
            before = Event.objects.aggregate(last=Max("id"))["last"] or 0
            insert_rows(Event, events)
            ids = list(
                Event.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True)
            )
            insert_rows(
                Hosts,
                [
                    {"event_id": pk, "user_id": row["proposed_by_id"]}
                    for pk, row in zip(ids, events, strict=True)
                ],
            )
            insert_rows(
                Registration,
                [
                    {"event_id": pk, **row}
                    for pk, rows in zip(ids, registrations, strict=True)
                    for row in rows
                ],
            )
        done = stop
        elapsed = time.monotonic() - started
        log(
            f"  {format_count(done)} / {format_count(target)} événements"
            f" ({format_seconds(elapsed)})"
        )
    analyze(Event, Hosts, Registration)
    log(f"  {format_count(Registration.objects.count())} inscriptions en base")
    _index(log)


def _index(log) -> None:
    # Rows inserted in bulk send no signal: the search index is written here (and completed on a
    # database generated before events were searchable).
    indexed = fulltext.index_missing(
        generated_events().select_related("commune", "departement"), event_texts
    )
    log(f"  {format_count(indexed)} événements indexés pour la recherche")
