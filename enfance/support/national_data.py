"""Generator step: 200,000 support requests over two years, encrypted as real ones are (issue of
the support module), with their threads (about 600,000 messages) and the record of the
professionals' reads; 300 generated professionals, three per département, each answering four
of the seven subjects (every subject of a département covered). A tenth waits in the queues, the
others are followed or closed.

Every text goes through ``core.crypto``, as a parent's would (the encrypted field on
``bulk_create``, ``insert_rows`` for COPY). Resumable: the step tops up to REQUESTS, one chunk per
transaction. COPY on PostgreSQL.
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.db import transaction

from enfance.accounts.models import Role, User
from enfance.accounts.national_data import generated_users
from enfance.core.national_data import (
    GENERATED_EMAIL_DOMAIN,
    analyze,
    format_count,
    insert_rows,
    step,
)
from enfance.territories.models import Departement

from .enums import ChildAge, RequestStatus, Subject
from .models import RequestRead, Specialty, SupportMessage, SupportRequest

REQUESTS = 200_000
CHUNK = 10_000
PER_DEPARTEMENT = 3
PROFESSIONAL_EMAIL = "professionnel.genere.{code}.{n}@" + GENERATED_EMAIL_DOMAIN
# The clock of the generated data: requests over the two years before it.
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
SPAN = timedelta(days=730)

SITUATIONS = (
    "Mon enfant est placé depuis {n} mois et je ne sais pas quand l'audience aura lieu.",
    "Les visites médiatisées sont annulées une semaine sur deux, je voudrais comprendre pourquoi.",
    "Je n'ai pas d'avocat pour l'audience du mois prochain, comment faire ?",
    "Mon fils a changé {n} fois d'établissement scolaire depuis son placement.",
    "Je voudrais être associé aux décisions de santé qui concernent ma fille.",
    "La référente ASE ne répond plus à mes messages depuis {n} semaines.",
)
ANSWERS = (
    "Bonjour, merci pour votre message. Vous pouvez écrire au juge des enfants pour le demander.",
    "Je vous propose d'en parler avec la référente lors du prochain rendez-vous ; voici comment.",
    "Vous avez droit à l'aide juridictionnelle : le formulaire se remplit en ligne.",
)
FOLLOW_UPS = (
    "Merci, je vais essayer.",
    "Faut-il joindre des documents ?",
    "J'ai écrit au juge, je vous tiens au courant.",
)


def _professionals(rng: random.Random) -> dict[tuple[int, str], list[int]]:
    """The generated professionals, made once: (département, subject) -> their ids."""
    covering: dict[tuple[int, str], list[int]] = {}
    subjects = list(Subject.values)
    for departement in Departement.objects.order_by("code"):
        offset = rng.randrange(len(subjects))
        for n in range(PER_DEPARTEMENT):
            user, created = User.objects.get_or_create(
                email=PROFESSIONAL_EMAIL.format(code=departement.code.lower(), n=n + 1),
                defaults={"first_name": "Professionnel", "last_name": f"{departement.code}-{n}"},
            )
            if created:
                Role.objects.create(
                    user=user,
                    kind="professionnel",
                    scope_level="departement",
                    departement=departement,
                )
            # Four subjects each, shifted: three of them cover all seven subjects.
            chosen = [subjects[(offset + 3 * n + k) % len(subjects)] for k in range(4)]
            Specialty.objects.bulk_create(
                [Specialty(user=user, subject=s) for s in chosen], ignore_conflicts=True
            )
            for subject in chosen:
                covering.setdefault((departement.pk, subject), []).append(user.pk)
    return covering


def _chunk(rng, parents, covering, departements, size):
    """``size`` requests (unsaved) with their threads: (request, [(moment, from parent)])."""
    made = []
    for _ in range(size):
        departement = rng.choice(departements)
        subject = rng.choice(Subject.values)
        created = NOW - SPAN * rng.random()
        draw = rng.random()
        status = (
            RequestStatus.NEW
            if draw < 0.1
            else RequestStatus.TAKEN
            if draw < 0.3
            else RequestStatus.CLOSED
        )
        if status == RequestStatus.NEW:
            created = NOW - timedelta(hours=rng.uniform(1, 120))
        taken = status != RequestStatus.NEW
        thread = []
        if taken:
            moment = created + timedelta(hours=rng.uniform(2, 96))
            for turn in range(rng.randint(1, 5)):
                thread.append((moment, turn % 2 == 1))
                moment += timedelta(hours=rng.uniform(1, 72))
        last = thread[-1][0] if thread else created
        request = SupportRequest(
            parent_id=rng.choice(parents),
            subject=subject,
            departement_id=departement,
            child_age=rng.choice(ChildAge.values),
            situation=rng.choice(SITUATIONS).format(n=rng.randint(2, 11)),
            contact="Par téléphone en semaine." if rng.random() < 0.4 else "",
            status=status,
            created_at=created,
            handler_id=rng.choice(covering[(departement, subject)]) if taken else None,
            taken_at=created + timedelta(hours=1) if taken else None,
            first_answer_at=thread[0][0] if thread else None,
            last_message_at=last,
            closed_at=last + timedelta(days=3) if status == RequestStatus.CLOSED else None,
        )
        made.append((request, thread))
    return made


def _write(rng, made) -> None:
    SupportRequest.objects.bulk_create([request for request, _ in made], batch_size=2_000)
    messages, reads = [], []
    for request, thread in made:
        for moment, from_parent in thread:
            messages.append(
                {
                    "request_id": request.pk,
                    "author_id": request.parent_id if from_parent else request.handler_id,
                    "from_parent": from_parent,
                    "body": rng.choice(FOLLOW_UPS if from_parent else ANSWERS),
                    "created_at": moment,
                }
            )
        if request.handler_id is not None:
            reads.append(
                {
                    "request_id": request.pk,
                    "reader_id": request.handler_id,
                    "read_at": request.taken_at,
                }
            )
    insert_rows(SupportMessage, messages)
    insert_rows(RequestRead, reads)


@step("soutien", "écoute et soutien : demandes chiffrées, échanges, lectures")
def generate_support(rng: random.Random, options: dict) -> None:
    log = options["log"]
    covering = _professionals(rng)
    departements = sorted({d for d, _ in covering})
    wanted = options.get("support_requests", REQUESTS)
    parents = list(generated_users().order_by("pk").values_list("pk", flat=True)[:wanted])
    if not parents:
        log("  aucun compte généré : étape « comptes » d'abord")
        return
    existing = SupportRequest.objects.count()
    began = time.perf_counter()
    for start in range(existing, wanted, CHUNK):
        size = min(CHUNK, wanted - start)
        made = _chunk(rng, parents, covering, departements, size)
        with transaction.atomic():
            _write(rng, made)
        log(f"  {format_count(start + size)} demandes")
    if existing < wanted:
        seconds = f"{time.perf_counter() - began:.1f}".replace(".", ",")
        log(f"  demandes, messages et lectures chiffrés et écrits en {seconds} s")
    analyze(SupportRequest, SupportMessage, RequestRead, Specialty)
