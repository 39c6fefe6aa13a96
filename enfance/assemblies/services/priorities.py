"""The local diagnostic: the needs of the territory, ranked by the members by majority judgment."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.core.eventlog import record_event
from enfance.core.text import bounded_texts, model_limit
from enfance.votes import services as votes
from enfance.votes.enums import BallotState, Grade, Method

from ..caching import bump_instance
from ..models import Instance, Priority, PriorityRanking
from .common import require_manager


def add_priority(instance: Instance, *, by, title: str, description: str = "") -> Priority:
    require_manager(by, instance, "ajouter une priorité")
    texts = bounded_texts(
        {"title": title, "description": description},
        {
            "title": (model_limit(Priority, "title"), "", "Donnez un intitulé à ce besoin."),
            "description": (model_limit(Priority, "description"), "", None),
        },
    )
    title = texts["title"]
    if Priority.objects.filter(instance=instance, title__iexact=title).exists():
        raise ValidationError({"title": "Ce besoin figure déjà dans le diagnostic."})
    with transaction.atomic():
        priority = Priority.objects.create(
            instance=instance, title=title, description=texts["description"]
        )
        record_event(
            by=by,
            action="assemblies.priority_added",
            summary=f"Besoin ajouté au diagnostic local : {title}",
            target=instance,
            data={"priority": priority.pk},
            public=True,
        )
    return priority


def open_priority_ranking(instance: Instance, *, by, opens_at, closes_at) -> PriorityRanking:
    """The members rank the needs of the diagnostic by majority judgment (one ballot)."""
    require_manager(by, instance, "ouvrir le classement des priorités")
    priorities = list(Priority.objects.filter(instance=instance).order_by("created_at", "pk"))
    if len(priorities) < 2:
        raise ValidationError("Il faut au moins deux besoins pour les classer.")
    if PriorityRanking.objects.filter(
        instance=instance, ballot__state__in=[BallotState.DRAFT, BallotState.OPEN]
    ).exists():
        raise ValidationError("Un classement des priorités est déjà en cours.")
    with transaction.atomic():
        ballot = votes.create_ballot(
            instance,
            by=by,
            title=f"Classement des priorités du territoire — {instance.name}",
            method=Method.MAJORITY_JUDGMENT,
            secret=True,
            opens_at=opens_at,
            closes_at=closes_at,
            options=[p.title for p in priorities],
            description="Donnez une mention à chaque besoin du territoire.",
        )
        options = list(ballot.options.order_by("position"))
        ranking = PriorityRanking.objects.create(
            instance=instance,
            ballot=ballot,
            options={str(o.pk): p.pk for o, p in zip(options, priorities, strict=True)},
        )
        votes.open_ballot(ballot, by=by, electors=instance.ballot_electorate())
    return ranking


def close_priority_ranking(ranking: PriorityRanking, *, by) -> PriorityRanking:
    """Close the ballot and write the ranking on the priorities (ties share a rank)."""
    require_manager(by, ranking.instance, "clore le classement des priorités")
    with transaction.atomic():
        result = votes.close_ballot(ranking.ballot, by=by)
        grades = {o["id"]: o["majority_grade"] for o in result.data["options"]}
        ranks, position = {}, 1
        for group in result.ranking:
            for option_id in group:
                ranks[ranking.options[str(option_id)]] = (position, grades.get(option_id))
            position += len(group)
        priorities = list(Priority.objects.filter(instance=ranking.instance))
        for priority in priorities:
            rank, grade = ranks.get(priority.pk, (None, None))
            priority.rank = rank
            priority.median_grade = Grade(grade).label if grade is not None else ""
        # A bulk update sends no signal: the instance's page is told here.
        Priority.objects.bulk_update(priorities, ["rank", "median_grade"])
        bump_instance(ranking.instance_id)
        ranking.closed_at = timezone.now()
        ranking.save(update_fields=["closed_at"])
        record_event(
            by=by,
            action="assemblies.priorities_ranked",
            summary=f"Priorités classées au jugement majoritaire : {ranking.instance.name}",
            target=ranking.instance,
            data={"ballot": ranking.ballot_id, "ranking": result.ranking},
            public=True,
        )
    return ranking
