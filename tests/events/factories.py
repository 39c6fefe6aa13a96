from datetime import datetime, time, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from enfance.events.enums import EventKind, EventStatus
from enfance.events.models import Event
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory


def paris(days: int, hour: int = 18, minute: int = 0) -> datetime:
    """A moment `days` from today, Paris time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def gironde_commune():
    region = RegionFactory(code="75", name="Nouvelle-Aquitaine")
    departement = DepartementFactory(code="33", name="Gironde", region=region)
    return CommuneFactory(
        code="33063", name="Bordeaux", departement=departement, postal_codes="33000 33100"
    )


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = EventKind.ATELIER
    title = factory.Sequence(lambda n: f"Atelier citoyen n° {n}")
    description = "Un atelier pour définir les priorités locales."
    starts_at = factory.LazyFunction(lambda: paris(7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    place = "Salle des fêtes, 1 place de la Mairie"
    commune = factory.SubFactory(CommuneFactory)
    departement = factory.LazyAttribute(lambda o: o.commune.departement)
    capacity = 20
    status = EventStatus.PUBLISHED

    @factory.post_generation
    def hosts(obj, create, extracted, **kwargs):
        if create:
            obj.hosts.add(*(extracted if extracted is not None else [UserFactory()]))


class LiveFactory(EventFactory):
    kind = EventKind.LIVE
    title = factory.Sequence(lambda n: f"Live d'écoute n° {n}")
    place = ""
    online_url = "https://live.exemple.fr/ecoute"
    commune = None
    departement = None
    capacity = None
