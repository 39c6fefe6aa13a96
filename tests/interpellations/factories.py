from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from enfance.interpellations.enums import InstitutionKind, State
from enfance.interpellations.models import Institution, Interpellation
from tests.assemblies.factories import InstanceFactory


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution

    kind = InstitutionKind.ASE
    name = factory.Sequence(lambda n: f"Conseil départemental n° {n}")


class InterpellationFactory(DjangoModelFactory):
    """A row written directly, in any state (lists, statistics); the workflow has its tests."""

    class Meta:
        model = Interpellation

    instance = factory.SubFactory(InstanceFactory)
    institution = factory.SubFactory(InstitutionFactory)
    title = factory.Sequence(lambda n: f"Interpellation n° {n}")
    contact_email = "direction.enfance@exemple.fr"
    facts = "Des enfants confiés à l'ASE changent de lieu d'accueil tous les trois mois."
    failures = "Aucun projet pour l'enfant n'est rédigé."
    recommendations = "Rédiger le projet pour l'enfant dans les trois mois de la mesure."
    state = State.DRAFT


def sent(days_ago: int = 10, due_in: int | None = None, **fields) -> Interpellation:
    """A sent interpellation, waiting for its answer."""
    now = timezone.now() - timedelta(days=days_ago)
    due = timezone.localdate() + timedelta(days=due_in if due_in is not None else 50)
    return InterpellationFactory(
        state=State.SENT, sent_at=now, adopted_at=now, answer_due_on=due, **fields
    )


def answered(delay: int, *, late: bool = False, **fields) -> Interpellation:
    item = sent(days_ago=delay + 1, **fields)
    Interpellation.objects.filter(pk=item.pk).update(
        state=State.ANSWERED,
        answered_on=timezone.localdate(item.sent_at) + timedelta(days=delay),
        answered_at=timezone.now(),
        answer_channel="lien",
        answer_text="Nous avons pris les mesures demandées.",
        answer_delay_days=delay,
        answered_late=late,
    )
    item.refresh_from_db()
    return item
