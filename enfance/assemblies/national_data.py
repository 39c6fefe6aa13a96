"""Generator step: 1,200 instances locales with full composition (≈ 26,000 memberships).

Each instance gets, in every college, a number of members drawn between the college's bounds (so
every generated instance is *constituée* or *active*), taken from the generated accounts: member
number ``k`` of the whole dataset is the ``k``-th generated account, so a person sits in one
instance only. Children get a date of birth making them 13 to 16 and, under 15, a recorded
parent's consent: fictitious data, like everything here. Instances are spread over the
départements in proportion to their population. Rows go in by COPY on PostgreSQL, bulk_create
elsewhere, one transaction per chunk of instances (the unit of resumption).
"""

import random
from datetime import date, timedelta

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from enfance.accounts.national_data import generated_users
from enfance.core import fulltext
from enfance.core.dates import birthday
from enfance.core.national_data import analyze, format_count, insert_rows, step
from enfance.territories.models import Departement

from .enums import InstanceStatus, MemberRole, SelectionMethod
from .models import ChildProfile, College, CollegeSeat, Instance, Membership
from .search import instance_texts

DEFAULT_INSTANCES = 1_200
INSTANCES_CHUNK = 100
SLUG_PREFIX = "instance-generee-"
# Mandates started in the year before this fixed date (not "now": reproducible).
MANDATE_START_END = date(2025, 12, 31)
EXPERT_FIELDS = ["psychologie", "sante", "education", "droit", "autre"]
SELECTIONS = [SelectionMethod.ELU_ATELIER, SelectionMethod.TIRE_AU_SORT, SelectionMethod.COOPTE]


def generated_instances():
    return Instance.objects.filter(slug__startswith=SLUG_PREFIX)


def _departement_weights():
    rows = (
        Departement.objects.annotate(population=Sum("communes__population"))
        .order_by("code")
        .values_list("pk", "name", "population")
    )
    return [(pk, name, max(population or 0, 1)) for pk, name, population in rows]


@step("instances", "Instances locales et leurs membres")
def generate_instances(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("instances", DEFAULT_INSTANCES)
    existing = generated_instances().count()
    if existing >= target:
        log(f"  {format_count(existing)} instances générées déjà présentes")
        _index(log)
        return
    colleges = list(College.objects.order_by("position"))
    per_instance = sum(c.max_members for c in colleges)
    pool = list(
        generated_users().order_by("id").values_list("id", flat=True)[: target * per_instance]
    )
    if len(pool) < target * per_instance:
        raise CommandError(
            f"Il faut au moins {format_count(target * per_instance)} comptes générés pour "
            f"{format_count(target)} instances : lancez d'abord l'étape « utilisateurs »."
        )
    departements = _departement_weights()
    if not departements:
        raise CommandError("Aucun département en base : importez d'abord les territoires.")
    seats = {(s.college_id, s.number): s.pk for s in CollegeSeat.objects.all()}
    done = existing
    while done < target:
        chunk = done // INSTANCES_CHUNK
        stop = min((chunk + 1) * INSTANCES_CHUNK, target)
        with transaction.atomic():
            members = _generate_chunk(
                options["seed"],
                chunk,
                done,
                stop,
                colleges,
                per_instance,
                pool,
                departements,
                seats,
            )
        done = stop
        log(f"  {format_count(done)} / {format_count(target)} instances ({members} membres)")
    # Fresh statistics, or the planner guesses 200 instances and 8,400 members.
    analyze(Instance, Membership, ChildProfile)
    _index(log)


def _index(log) -> None:
    # Rows inserted in bulk send no signal: the search index is written here (and completed on a
    # database generated before instances were searchable).
    indexed = fulltext.index_missing(
        generated_instances().select_related("departement"), instance_texts
    )
    log(f"  {format_count(indexed)} instances indexées pour la recherche")


def _generate_chunk(seed, chunk, start, stop, colleges, per_instance, pool, departements, seats):
    """Instances number ``start`` to ``stop - 1``; the whole chunk is drawn whatever ``start``,
    so a resumed run makes exactly what an uninterrupted one would have."""
    rng = random.Random(f"{seed}:instances:{chunk}")
    first = chunk * INSTANCES_CHUNK
    drawn = []
    for number in range(first, first + INSTANCES_CHUNK):
        departement = rng.choices(departements, weights=[w for _, _, w in departements])[0]
        counts = [rng.randint(c.min_members, c.max_members) for c in colleges]
        start_day = MANDATE_START_END - timedelta(days=rng.randrange(365))
        status = InstanceStatus.ACTIVE if rng.random() < 0.7 else InstanceStatus.CONSTITUEE
        drawn.append((number, departement, counts, start_day, status))
    now = timezone.now()
    instances = Instance.objects.bulk_create(
        Instance(
            name=f"Instance locale n° {number + 1} — {departement[1]}",
            slug=f"{SLUG_PREFIX}{number + 1:05d}",
            departement_id=departement[0],
            status=status,
            created_at=now,
        )
        for number, departement, _, _, status in drawn[start - first : stop - first]
    )
    memberships, children = [], []
    for instance, (number, _, counts, start_day, _) in zip(
        instances, drawn[start - first : stop - first], strict=True
    ):
        users = iter(pool[number * per_instance : (number + 1) * per_instance])
        for college, count in zip(colleges, counts, strict=True):
            for seat_number in range(1, count + 1):
                user_id = next(users)
                end = start_day + timedelta(days=2 * 365 - 1)
                if college.is_age_limited:
                    age = 13 + (user_id + seat_number) % 4
                    birth = start_day.replace(year=start_day.year - age) - timedelta(
                        days=(user_id * 7) % 300
                    )
                    adult_on = birthday(birth, college.max_age + 1)
                    end = min(end, adult_on - timedelta(days=1))
                    children.append(
                        {
                            "user_id": user_id,
                            "birth_date": birth,
                            "consent_parent_name": "Parent (données générées)",
                            "consent_given_on": start_day - timedelta(days=30),
                            "consent_method": "ecrit",
                        }
                    )
                role = MemberRole.MEMBRE
                if college.position == colleges[-1].position and seat_number == 1:
                    role = MemberRole.SECRETAIRE
                elif college.position == colleges[0].position and seat_number == 1:
                    role = MemberRole.ANIMATEUR
                memberships.append(
                    {
                        "instance_id": instance.pk,
                        "user_id": user_id,
                        "seat_id": seats[(college.pk, seat_number)],
                        "mandate_start": start_day,
                        "mandate_end": end,
                        "selection_method": SELECTIONS[(user_id + seat_number) % 3],
                        "role": role,
                        "expert_field": EXPERT_FIELDS[seat_number % 5]
                        if college.asks_expert_field
                        else "",
                        "ended_on": None,
                        "end_reason": "",
                        "application_id": None,
                        "created_at": now,
                    }
                )
    existing_children = set(
        ChildProfile.objects.filter(user_id__in=[c["user_id"] for c in children]).values_list(
            "user_id", flat=True
        )
    )
    insert_rows(ChildProfile, [c for c in children if c["user_id"] not in existing_children])
    insert_rows(Membership, memberships)
    return len(memberships)
