"""Generator step: one majority-judgment ballot with 10 options and 1,000,000 votes.

The context is a ``NationalConsultation``: a national ranking of priorities belongs to no
instance or event, and a tiny model of its own is clearer than lending a territory the ballot
protocol. One voter per generated account (as many votes as accounts, at most a million), each
with an elector row, a participation and a secret vote of ten grades; the counters are kept in
step, chunk by chunk, so the stored result and the recount agree. Closed at the end, its result
stored like any other. Generated data: no person acts, so the states are set directly rather
than through the workflow, and nothing is written to the event log.
"""

import hashlib
import random
import time
import uuid
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from enfance.core.national_data import (
    GENERATED_EMAIL_DOMAIN,
    format_count,
    format_seconds,
    step,
)

from .enums import GRADE_COUNT, BallotState, Method
from .models import (
    Ballot,
    BallotOption,
    Elector,
    MarkCount,
    NationalConsultation,
    Participation,
    Result,
    Vote,
    VoteMark,
)
from .services import _create_counters, tally

CONSULTATION_TITLE = "Consultation nationale de référence"
BALLOT_TITLE = "Classement national des priorités de la protection de l'enfance"
MAX_VOTES = 1_000_000
VOTES_CHUNK = 50_000  # votes per transaction: the unit of resumption
OPTION_LABELS = [
    "Prévenir plus tôt, dès la grossesse",
    "Un lieu d'écoute pour les parents dans chaque département",
    "Moins d'enfants par éducateur en foyer",
    "Stabilité des placements et des liens",
    "Accompagnement des jeunes majeurs jusqu'à 25 ans",
    "Formation et reconnaissance des assistants familiaux",
    "Santé mentale des enfants accueillis",
    "Scolarité des enfants protégés",
    "Contrôle indépendant des lieux d'accueil",
    "Parole des enfants dans les décisions qui les concernent",
]
# A fixed date (reproducible), a year after the generated accounts.
OPENS_AT = datetime(2025, 3, 1, tzinfo=UTC)
CLOSES_AT = datetime(2025, 3, 31, tzinfo=UTC)


def _grade_weights(rng: random.Random) -> list[list[int]]:
    """Per option, cumulative weights of the seven grades: each option its own opinion curve."""
    weights = []
    for _ in OPTION_LABELS:
        centre = rng.uniform(1.5, 4.5)
        curve = [max(1, int(1000 / (1 + (grade - centre) ** 2))) for grade in range(GRADE_COUNT)]
        cumulative, total = [], 0
        for value in curve:
            total += value
            cumulative.append(total)
        weights.append(cumulative)
    return weights


def _ballot() -> Ballot:
    consultation, _ = NationalConsultation.objects.get_or_create(
        title=CONSULTATION_TITLE,
        defaults={
            "description": "Données fictives, pour mesurer le dépouillement à grande échelle."
        },
    )
    ballot = Ballot.objects.for_context(consultation).filter(title=BALLOT_TITLE).first()
    if ballot is not None:
        return ballot
    with transaction.atomic():
        ballot = Ballot(
            context=consultation,
            title=BALLOT_TITLE,
            method=Method.MAJORITY_JUDGMENT,
            state=BallotState.OPEN,
            opens_at=OPENS_AT,
            closes_at=CLOSES_AT,
        )
        ballot.save()
        options = BallotOption.objects.bulk_create(
            BallotOption(ballot=ballot, position=position, label=label)
            for position, label in enumerate(OPTION_LABELS)
        )
        _create_counters(ballot, options)
    return ballot


def _vote_ids(seed: int, target: int) -> list[uuid.UUID]:
    """Every vote id of the ballot, drawn from the seed and sorted, so that each chunk appends
    to the end of the indexes instead of touching all their pages (four times faster). Real
    votes get a fresh random id when cast, in no order; here the votes are drawn independently
    of the generated voters, so their order links no one to anything."""
    rng = random.Random(f"{seed}:scrutin_national:ids")
    return sorted(uuid.UUID(int=rng.getrandbits(128), version=4) for _ in range(target))


def _chunk_rows(ballot, options, weights, user_ids, vote_ids, seed, chunk):
    rng = random.Random(f"{seed}:scrutin_national:{chunk}")
    start = chunk * VOTES_CHUNK
    stop = min(start + VOTES_CHUNK, len(vote_ids))
    voters = user_ids[start:stop]
    size = len(voters)
    grades = [rng.choices(range(GRADE_COUNT), cum_weights=w, k=size) for w in weights]
    votes, marks = [], []
    counts = [[0] * GRADE_COUNT for _ in options]
    for i, vote_id in enumerate(vote_ids[start:stop]):
        receipt = hashlib.sha256(rng.getrandbits(80).to_bytes(10, "big")).hexdigest()
        votes.append((vote_id, ballot.pk, False, receipt, None))
        for index, option in enumerate(options):
            value = grades[index][i]
            marks.append((vote_id, option.pk, False, value))
            counts[index][value] += 1
    return voters, votes, marks, counts


def _copy(model, columns, rows):
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _skip_row_triggers_if_allowed() -> None:
    """Foreign keys are checked row by row at commit: 650,000 checks per chunk, most of the time
    of a chunk. A superuser (the benchmark database) loads this chunk without them; the rows
    reference only what this step has just created or read, and the step's test checks them
    with the constraints on (SQLite)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _insert_chunk(ballot, voters, votes, marks, counts, options, use_copy):
    if use_copy:
        _skip_row_triggers_if_allowed()
        _copy(Elector, ["ballot_id", "user_id"], ((ballot.pk, pk) for pk in voters))
        _copy(Participation, ["ballot_id", "voter_id"], ((ballot.pk, pk) for pk in voters))
        _copy(Vote, ["id", "ballot_id", "paper", "receipt_hash", "voter_id"], votes)
        _copy(VoteMark, ["vote_id", "option_id", "paper", "value"], marks)
    else:
        Elector.objects.bulk_create((Elector(ballot=ballot, user_id=pk) for pk in voters), 5000)
        Participation.objects.bulk_create(
            (Participation(ballot=ballot, voter_id=pk) for pk in voters), 5000
        )
        Vote.objects.bulk_create(
            (Vote(id=v[0], ballot=ballot, paper=False, receipt_hash=v[3]) for v in votes), 5000
        )
        VoteMark.objects.bulk_create(
            (VoteMark(vote_id=m[0], option_id=m[1], paper=False, value=m[3]) for m in marks), 5000
        )
    counters = {
        (c.option_id, c.value): c
        for c in MarkCount.objects.filter(ballot=ballot, paper=False).select_for_update()
    }
    ballots_counter = counters[(None, 0)]
    ballots_counter.count += len(votes)
    changed = [ballots_counter]
    for index, option in enumerate(options):
        for value, n in enumerate(counts[index]):
            counter = counters[(option.pk, value)]
            counter.count += n
            changed.append(counter)
    MarkCount.objects.bulk_update(changed, ["count"])


@step("scrutin_national", "Scrutin national au jugement majoritaire (10 options)")
def generate_national_ballot(rng: random.Random, options: dict) -> None:
    log = options["log"]
    ballot = _ballot()
    generated = get_user_model().objects.filter(email__endswith=f"@{GENERATED_EMAIL_DOMAIN}")
    user_ids = list(generated.order_by("pk").values_list("pk", flat=True))
    target = min(MAX_VOTES, options["users"], len(user_ids))
    done = Vote.objects.filter(ballot=ballot).count()
    if done >= target:
        log(f"  {format_count(done)} votes déjà présents : rien à faire")
        _close(ballot, log)
        return
    if done:
        log(f"  reprise : {format_count(done)} votes déjà présents")
    ballot_options = list(ballot.options.order_by("pk"))
    weights = _grade_weights(random.Random(f"{options['seed']}:scrutin_national:opinions"))
    use_copy = connection.vendor == "postgresql"
    vote_ids = _vote_ids(options["seed"], target)
    started = time.monotonic()
    while done < target:
        chunk = done // VOTES_CHUNK
        voters, votes, marks, counts = _chunk_rows(
            ballot, ballot_options, weights, user_ids, vote_ids, options["seed"], chunk
        )
        with transaction.atomic():
            _insert_chunk(ballot, voters, votes, marks, counts, ballot_options, use_copy)
        done += len(votes)
        elapsed = time.monotonic() - started
        log(f"  {format_count(done)} / {format_count(target)} votes ({format_seconds(elapsed)})")
    if use_copy:
        # VACUUM sets the visibility map, so the recount reads the marks' index alone.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Elector, Participation, Vote, VoteMark):
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    _close(ballot, log)


def _close(ballot: Ballot, log) -> None:
    """Close the ballot and store its result (from the counters: the recount is what the
    benchmark measures)."""
    if Result.objects.filter(ballot=ballot).exists():
        return
    with transaction.atomic():
        result = tally(ballot, from_counters=True)
        result.save()
        Ballot.objects.filter(pk=ballot.pk).update(state=BallotState.CLOSED)
    log(f"  scrutin clos, résultat enregistré ({format_count(result.data['ballots'])} bulletins)")
