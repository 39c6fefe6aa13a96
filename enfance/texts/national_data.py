"""Generator step: law proposals with many articles and several versions, for the benchmark of the
comparison page (see enfance.core.national_data).

Each law proposal is written in its own transaction, under a fixed address
(``banc-proposition-de-loi-<n>``): an interrupted run resumes at the first one missing. Its
wording comes from a random generator seeded by the run's seed and its number alone.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enfance.core.national_data import format_count, step

from .enums import TextKind, TextState
from .models import Article, LawProposal, TextVersion

LAW_PROPOSALS = 20
ARTICLES = 40
VERSIONS = 3
SLUG_PREFIX = "banc-proposition-de-loi-"
# The generated law proposals are in consultation from the day they are made, for six weeks.
CONSULTATION_LENGTH = timedelta(weeks=6)

SUBJECTS = [
    "le département",
    "l'instance locale de protection de l'enfance",
    "le service de l'aide sociale à l'enfance",
    "la société coopérative d'intérêt collectif",
    "l'organe de contrôle indépendant",
    "le juge des enfants",
]
VERBS = ["informe", "consulte", "associe", "accompagne", "entend", "rend compte à"]
OBJECTS = [
    "les parents de l'enfant",
    "l'enfant capable de discernement",
    "les interlocuteurs désignés par la famille",
    "les assistants familiaux",
    "les membres de l'instance locale",
]
CIRCUMSTANCES = [
    "avant toute décision de placement",
    "dans un délai de quinze jours",
    "au moins une fois par an",
    "lors de chaque renouvellement de la mesure",
    "dans un cadre neutre et bienveillant",
]


def generated_law_proposals():
    return LawProposal.objects.filter(slug__startswith=SLUG_PREFIX)


def bench_law_proposal_slug() -> str | None:
    """The law proposal whose comparison page the load benchmark measures."""
    return generated_law_proposals().order_by("slug").values_list("slug", flat=True).first()


def _sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
        f"{rng.choice(CIRCUMSTANCES)}."
    )


def _body(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 5)))


def _law_proposal(number: int, seed: int) -> None:
    rng = random.Random(f"{seed}:textes:{number}")
    now = timezone.now()
    law = LawProposal.objects.create(
        kind=TextKind.LAW_PROPOSAL,
        title=f"Proposition de loi n° {number} relative à l'accompagnement des familles",
        slug=f"{SLUG_PREFIX}{number:03d}",
        state=TextState.CONSULTATION,
        consultation_opens_on=timezone.localdate(now),
        consultation_closes_on=timezone.localdate(now) + CONSULTATION_LENGTH,
        created_at=now,
        updated_at=now,
    )
    articles = [(key, _body(rng)) for key in range(1, ARTICLES + 1)]
    next_key = ARTICLES + 1
    version = None
    for version_number in range(1, VERSIONS + 1):
        if version_number > 1:
            # Each new version rewrites a few articles, removes one and adds one.
            for index in rng.sample(range(len(articles)), 4):
                key, body = articles[index]
                articles[index] = (key, f"{body} {_sentence(rng)}")
            del articles[rng.randrange(len(articles))]
            articles.insert(rng.randrange(len(articles)), (next_key, _body(rng)))
            next_key += 1
        version = TextVersion.objects.create(
            text=law,
            number=version_number,
            title=law.title,
            preamble=" ".join(_sentence(rng) for _ in range(12)),
            summary=f"Version {version_number} (données générées).",
            created_at=now,
        )
        Article.objects.bulk_create(
            Article(version=version, key=key, number=position, body=body)
            for position, (key, body) in enumerate(articles, start=1)
        )
    law.current_version = version
    law.save(update_fields=["current_version"])


@step("propositions_de_loi", "Propositions de loi en plusieurs versions")
def generate_law_proposals(rng: random.Random, options: dict) -> None:
    log = options["log"]
    existing = set(generated_law_proposals().values_list("slug", flat=True))
    made = 0
    for number in range(1, LAW_PROPOSALS + 1):
        if f"{SLUG_PREFIX}{number:03d}" in existing:
            continue
        with transaction.atomic():
            _law_proposal(number, options["seed"])
        made += 1
    log(
        f"  {format_count(made)} propositions de loi générées, "
        f"{format_count(LAW_PROPOSALS - made)} déjà présentes"
    )
