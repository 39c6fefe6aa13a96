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
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from enfance.core.national_data import (
    GENERATED_EMAIL_DOMAIN,
    format_count,
    format_seconds,
    skip_row_triggers_if_allowed,
    step,
    without_secondary_indexes,
)

from .counting import tally
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
from .services import _create_counters

CONSULTATION_TITLE = "Consultation nationale de référence"
BALLOT_TITLE = "Classement national des priorités de la protection de l'enfance"
MAX_VOTES = 1_000_000
# Votes per transaction when resuming (SQLite, or a run stopped by the code before this one).
VOTES_CHUNK = 50_000
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


def _vote_ids(seed: int, target: int) -> list[str]:
    """Every vote id of the ballot (32 hexadecimal digits), drawn from the seed and sorted, so
    that each chunk appends to the end of the indexes instead of touching all their pages (four
    times faster). Real votes get a fresh random id when cast, in no order; here the votes are
    drawn independently of the generated voters, so their order links no one to anything.
    Plain integers, not ``uuid.UUID`` (whose comparisons are Python code): 2 s instead of 32."""
    rng = random.Random(f"{seed}:scrutin_national:ids")
    return [f"{n:032x}" for n in sorted(_uuid4(rng.getrandbits(128)) for _ in range(target))]


def _uuid4(n: int) -> int:
    """``uuid.UUID(int=n, version=4).int``: the variant and version bits set."""
    return (n & ~(0xC000 << 48) & ~(0xF000 << 64)) | (0x8000 << 48) | (4 << 76)


@dataclass
class _Chunk:
    voters: list[int]
    vote_ids: list[str]
    receipts: list[str]
    grades: list[list[int]]  # per option, the grade of each vote
    counts: list[list[int]]  # per option, how many votes gave each grade


def _chunk_rows(weights, user_ids, vote_ids, seed, chunk) -> _Chunk:
    rng = random.Random(f"{seed}:scrutin_national:{chunk}")
    start = chunk * VOTES_CHUNK
    stop = min(start + VOTES_CHUNK, len(vote_ids))
    voters = user_ids[start:stop]
    size = len(voters)
    grades = [rng.choices(range(GRADE_COUNT), cum_weights=w, k=size) for w in weights]
    receipts = [
        hashlib.sha256(rng.getrandbits(80).to_bytes(10, "big")).hexdigest() for _ in range(size)
    ]
    counts = [[column.count(value) for value in range(GRADE_COUNT)] for column in grades]
    return _Chunk(voters, vote_ids[start:stop], receipts, grades, counts)


def _copy(model, columns, text: str) -> None:
    """COPY rows already written in PostgreSQL's text format: one write instead of a call per
    row (ten million marks)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        copy.write(text)


def _copy_chunk(ballot, rows: _Chunk, options) -> None:
    skip_row_triggers_if_allowed()
    voters = "".join(f"{ballot.pk}\t{pk}\n" for pk in rows.voters)
    _copy(Elector, ["ballot_id", "user_id"], voters)
    _copy(Participation, ["ballot_id", "voter_id"], voters)
    _copy(
        Vote,
        ["id", "ballot_id", "paper", "receipt_hash"],
        "".join(
            f"{vote_id}\t{ballot.pk}\tf\t{receipt}\n"
            for vote_id, receipt in zip(rows.vote_ids, rows.receipts, strict=True)
        ),
    )
    # Each vote's ten marks in a row, as the primary key orders them; the end of each line
    # (option, channel, grade) is one of seventy strings, made once.
    endings = [
        [f"\t{option.pk}\tf\t{value}\n" for value in range(GRADE_COUNT)] for option in options
    ]
    _copy(
        VoteMark,
        ["vote_id", "option_id", "paper", "value"],
        "".join(
            vote_id + line[value]
            for vote_id, vote_grades in zip(
                rows.vote_ids, zip(*rows.grades, strict=True), strict=True
            )
            for line, value in zip(endings, vote_grades, strict=True)
        ),
    )


def _create_chunk(ballot, rows: _Chunk, options) -> None:
    Elector.objects.bulk_create((Elector(ballot=ballot, user_id=pk) for pk in rows.voters), 5000)
    Participation.objects.bulk_create(
        (Participation(ballot=ballot, voter_id=pk) for pk in rows.voters), 5000
    )
    ids = [uuid.UUID(vote_id) for vote_id in rows.vote_ids]
    Vote.objects.bulk_create(
        (
            Vote(id=vote_id, ballot=ballot, paper=False, receipt_hash=receipt)
            for vote_id, receipt in zip(ids, rows.receipts, strict=True)
        ),
        5000,
    )
    VoteMark.objects.bulk_create(
        (
            VoteMark(vote_id=vote_id, option=option, paper=False, value=value)
            for vote_id, vote_grades in zip(ids, zip(*rows.grades, strict=True), strict=True)
            for option, value in zip(options, vote_grades, strict=True)
        ),
        5000,
    )


def _insert_chunk(ballot, rows: _Chunk, options, use_copy) -> None:
    if use_copy:
        _copy_chunk(ballot, rows, options)
    else:
        _create_chunk(ballot, rows, options)
    counters = {
        (c.option_id, c.value): c
        for c in MarkCount.objects.filter(ballot=ballot, paper=False).select_for_update()
    }
    ballots_counter = counters[(None, 0)]
    ballots_counter.count += len(rows.vote_ids)
    changed = [ballots_counter]
    for index, option in enumerate(options):
        for value, n in enumerate(rows.counts[index]):
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

    def load(done: int) -> None:
        while done < target:
            rows = _chunk_rows(weights, user_ids, vote_ids, options["seed"], done // VOTES_CHUNK)
            with transaction.atomic():
                _insert_chunk(ballot, rows, ballot_options, use_copy)
            done += len(rows.vote_ids)
            elapsed = time.monotonic() - started
            log(
                f"  {format_count(done)} / {format_count(target)} votes ({format_seconds(elapsed)})"
            )

    if use_copy and not done:
        # A first run loads every chunk in one transaction, the indexes built once at the end
        # (three times faster); interrupted, it leaves nothing and starts again from zero.
        with (
            transaction.atomic(),
            without_secondary_indexes(Elector, Participation, Vote, VoteMark),
        ):
            load(done)
        log(f"  index reconstruits ({format_seconds(time.monotonic() - started)})")
    else:
        load(done)
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
