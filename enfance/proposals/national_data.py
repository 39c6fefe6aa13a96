"""Generator step: 100,000 proposals, 2,000,000 supports, 500,000 comments (QUALITY.md).

Proposals are written by generated accounts, by chunks of proposals with their themes, supports,
comments and search entries (PostgreSQL COPY). A first run on PostgreSQL writes every chunk in one
transaction, without the tables' secondary indexes (built once at the end): interrupted, it leaves
nothing. Elsewhere each chunk is a transaction, and a run resumes at the first missing chunk.
The first proposal carries exactly ``BENCH_COMMENTS`` comments: the proposal page the benchmark
measures (``bench_proposal_id``). Generated comments are top-level (replies add nothing to what
the benchmark measures).
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Max

from enfance.accounts.national_data import generated_users
from enfance.assemblies.models import Instance
from enfance.core import fulltext
from enfance.core.models import SearchEntry
from enfance.core.national_data import (
    GENERATED_EMAIL_DOMAIN,
    analyze,
    format_count,
    format_seconds,
    insert_rows,
    skip_row_triggers_if_allowed,
    step,
    without_secondary_indexes,
)
from enfance.territories.models import Departement

from .enums import ProposalState
from .models import Comment, Proposal, Support, Theme

PROPOSALS_TARGET = 100_000
SUPPORTS_TARGET = 2_000_000
COMMENTS_TARGET = 500_000
CHUNK = 5_000
BENCH_COMMENTS = 500
BENCH_TITLE = "Proposition du banc d'essai : une page de 500 commentaires"
SPAN_START = datetime(2025, 1, 1, 8, tzinfo=UTC)
SPAN_DAYS = 700

SUBJECTS = [
    "les maisons des familles", "l'écoute des enfants placés", "les contrats jeunes majeurs",
    "les assistants familiaux", "les visites médiatisées", "les enquêtes sociales",
    "l'accueil d'urgence", "la scolarité des enfants placés", "les droits des parents",
    "les foyers de l'enfance", "la prévention à domicile", "les délais de l'ASE",
    "la santé mentale des adolescents", "les fratries séparées", "les audiences chez le juge",
]  # fmt: skip
VERBS = ["Améliorer", "Garantir", "Financer", "Évaluer", "Rendre transparents", "Développer"]
PLACES = ["dans chaque département", "près des familles", "partout en France", "en zone rurale"]
COMMENT_TEXTS = [
    "Je soutiens, c'est ce que nous vivons sur le terrain.",
    "Il faudrait préciser le financement.",
    "Très bonne idée, à condition d'y associer les familles.",
    "Nous l'avons expérimenté dans notre association : cela marche.",
    "Attention à ne pas alourdir le travail des équipes.",
]
STATES = [
    ProposalState.PUBLISHED,
    ProposalState.UNDER_DELIBERATION,
    ProposalState.ADOPTED,
    ProposalState.TRANSMITTED,
    ProposalState.REJECTED,
]
STATE_WEIGHTS = [88, 5, 3, 2, 2]


def generated_proposals():
    return Proposal.objects.filter(author__email__endswith=f"@{GENERATED_EMAIL_DOMAIN}")


def bench_proposal_id() -> int | None:
    return generated_proposals().filter(title=BENCH_TITLE).values_list("pk", flat=True).first()


def _split(total: int, size: int, rng: random.Random) -> list[int]:
    weights = [rng.random() ** 3 + 0.02 for _ in range(size)]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    for i in rng.sample(range(size), total - sum(counts)):
        counts[i] += 1
    return counts


def _chunk(seed, chunk, target, options, user_ids, departements, instances, themes):
    rng = random.Random(f"{seed}:propositions:{chunk}")
    size = min(CHUNK, target - chunk * CHUNK)
    supports = _split(round(options["supports"] * size / target), size, rng)
    comments = _split(round(options["comments"] * size / target), size, rng)
    if chunk == 0:
        # The benchmark's proposal takes its 500 from the chunk's share: the total stays exact.
        share = max(sum(comments) - BENCH_COMMENTS, 0)
        comments = [BENCH_COMMENTS, *_split(share, size - 1, rng)]
    proposals, rows = [], []
    for i in range(size):
        subject = rng.choice(SUBJECTS)
        title = f"{rng.choice(VERBS)} {subject} {rng.choice(PLACES)}"
        if chunk == 0 and i == 0:
            title = BENCH_TITLE
        published_at = SPAN_START + timedelta(days=rng.randrange(SPAN_DAYS), minutes=i)
        state = rng.choices(STATES, weights=STATE_WEIGHTS)[0]
        departement_id, region_id = rng.choice(departements)
        instance_id = (
            rng.choice(instances) if state != ProposalState.PUBLISHED and instances else None
        )
        if instance_id is None:
            state = ProposalState.PUBLISHED
        decided = state in (
            ProposalState.ADOPTED,
            ProposalState.TRANSMITTED,
            ProposalState.REJECTED,
        )
        proposals.append(
            {
                "title": title,
                "problem": f"Sur notre territoire, {subject} posent problème aux familles.",
                "body": f"Nous proposons de {title[0].lower()}{title[1:]}, avec les familles.",
                "expected_effect": "Des enfants mieux protégés et des familles mieux soutenues.",
                "author_id": rng.choice(user_ids),
                "instance_id": instance_id,
                "written_by_instance": False,
                "departement_id": departement_id,
                "region_id": region_id,
                "state": state,
                "is_flagship": False,
                "flagship_rank": None,
                "support_count": supports[i],
                "comment_count": comments[i],
                "created_at": published_at,
                "updated_at": published_at,
                "published_at": published_at,
                "taken_up_at": published_at + timedelta(days=10) if instance_id else None,
                "decided_at": published_at + timedelta(days=40) if decided else None,
                "decision_ballot_id": None,
                "decision_summary": "Décision de l'instance (données générées)" if decided else "",
                "transmitted_at": published_at + timedelta(days=45)
                if state == ProposalState.TRANSMITTED
                else None,
                "danger_hidden_at": None,
            }
        )
        rows.append(
            (
                rng.sample(user_ids, min(supports[i], len(user_ids))),
                [rng.choice(user_ids) for _ in range(comments[i])],
                rng.choice(themes),
            )
        )
    return proposals, rows


def _insert_chunk(proposals, rows) -> None:
    Themes = Proposal.themes.through
    before = Proposal.objects.aggregate(last=Max("id"))["last"] or 0
    insert_rows(Proposal, proposals)
    ids = list(Proposal.objects.filter(pk__gt=before).order_by("pk").values_list("pk", flat=True))
    insert_rows(
        Themes,
        [{"proposal_id": pk, "theme_id": r[2]} for pk, r in zip(ids, rows, strict=True)],
    )
    insert_rows(
        Support,
        [
            {"proposal_id": pk, "user_id": user, "created_at": p["published_at"]}
            for pk, p, r in zip(ids, proposals, rows, strict=True)
            for user in r[0]
        ],
    )
    insert_rows(
        Comment,
        [
            {
                "proposal_id": pk,
                "parent_id": None,
                "author_id": user,
                "body": COMMENT_TEXTS[n % len(COMMENT_TEXTS)],
                "state": "publie",
                "created_at": p["published_at"] + timedelta(hours=n + 1),
                "moderated_by_id": None,
                "moderated_at": None,
                "moderation_reason": "",
                "report_count": 0,
                "danger_hidden_at": None,
            }
            for pk, p, r in zip(ids, proposals, rows, strict=True)
            for n, user in enumerate(r[1])
        ],
    )
    fulltext.bulk_index(
        Proposal,
        (
            (
                pk,
                {
                    "A": p["title"],
                    "B": p["problem"],
                    "C": f"{p['body']}\n{p['expected_effect']}",
                },
            )
            for pk, p in zip(ids, proposals, strict=True)
        ),
    )


@step("propositions", "Propositions citoyennes, soutiens et commentaires")
def generate_proposals(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("proposals", PROPOSALS_TARGET)
    options = {
        **options,
        "supports": options.get("supports", SUPPORTS_TARGET),
        "comments": options.get("comments", COMMENTS_TARGET),
    }
    existing = generated_proposals().count()
    if existing >= target:
        log(f"  {format_count(existing)} propositions générées déjà présentes : rien à faire")
        return
    if existing % CHUNK:
        raise CommandError("Propositions générées incomplètes : un lot a été interrompu.")
    user_ids = list(generated_users().order_by("id").values_list("id", flat=True))
    if not user_ids:
        raise CommandError("Aucun compte généré : lancer d'abord l'étape « utilisateurs ».")
    departements = list(Departement.objects.order_by("code").values_list("id", "region_id"))

    instances = list(Instance.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    themes = list(Theme.objects.values_list("pk", flat=True))
    Themes = Proposal.themes.through
    started = time.monotonic()
    use_copy = connection.vendor == "postgresql"

    def load(done: int) -> None:
        while done < target:
            chunk = done // CHUNK
            proposals, rows = _chunk(
                options["seed"], chunk, target, options, user_ids, departements, instances, themes
            )
            with transaction.atomic():
                if use_copy:
                    skip_row_triggers_if_allowed()
                _insert_chunk(proposals, rows)
            done += len(proposals)
            log(
                f"  {format_count(done)} / {format_count(target)} propositions"
                f" ({format_seconds(time.monotonic() - started)})"
            )

    if use_copy and not existing:
        # A first run loads every chunk in one transaction, the indexes (the search index's
        # GIN too) built once at the end; interrupted, it leaves nothing and starts again.
        with (
            transaction.atomic(),
            without_secondary_indexes(Proposal, Themes, Support, Comment),
            without_secondary_indexes(SearchEntry, keep_unique=True),
        ):
            load(existing)
        log(f"  index reconstruits ({format_seconds(time.monotonic() - started)})")
    else:
        load(existing)
    analyze(Proposal, Themes, Support, Comment)
    log(f"  {format_count(Support.objects.count())} soutiens en base")
