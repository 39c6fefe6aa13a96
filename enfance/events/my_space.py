"""The person's registrations to events in « Mon espace » (``core.my_space``): those still to
come, soonest first, as the « Mes inscriptions » page lists them."""

from django.urls import reverse
from django.utils import timezone

from enfance.core.my_space import Block, Item, Link, Section, latest, register_section

from .enums import RegistrationStatus
from .models import Registration
from .services.common import format_when


def _blocks(user) -> list[Block]:
    upcoming = (
        Registration.objects.filter(user=user, event__ends_at__gte=timezone.now())
        .active()
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )
    registrations, count = latest(upcoming)
    items = [
        Item(
            label=registration.event.title,
            url=registration.event.get_absolute_url(),
            line=format_when(registration.event.starts_at)
            + (" — liste d'attente" if registration.status == RegistrationStatus.WAITING else ""),
        )
        for registration in registrations
    ]
    return [
        Block(
            title="Mes inscriptions à venir",
            count=count,
            items=items,
            empty="Aucune inscription à venir pour l'instant.",
            more=Link("Toutes mes inscriptions", reverse("events:my_registrations")),
            start=Link("Voir l'agenda", reverse("events:calendar")),
        )
    ]


register_section(Section(name="events", order=10, blocks=_blocks))
