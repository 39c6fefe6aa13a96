"""The events' public dataset (core.opendata): the events a visitor sees in the agenda, past and
to come, with their place on the platform, never their hosts, their registrants nor the
address where they meet."""

from django.urls import reverse
from django.utils import timezone

from enfance.core.opendata import Dataset, Field, register

from .models import Event

# Read in chunks: the agenda of the whole country, over the years, is tens of thousands of rows.
CHUNK = 2000


def _rows():
    # One reverse for every row: the event's address is this one with its number at the end.
    prefix = reverse("events:detail", args=[0]).removesuffix("0/")
    events = (
        Event.objects.public()
        .values_list(
            "pk",
            "title",
            "kind",
            "status",
            "starts_at",
            "instance__slug",
            "departement__code",
        )
        .order_by("starts_at", "pk")
    )
    kinds = dict(Event._meta.get_field("kind").choices)
    statuses = dict(Event._meta.get_field("status").choices)
    for pk, title, kind, status, starts_at, instance, departement in events.iterator(CHUNK):
        local = timezone.localtime(starts_at)
        yield {
            "id": pk,
            "adresse": f"{prefix}{pk}/",
            "titre": title,
            "type": kinds[kind],
            "instance": instance or "",
            "departement": departement or "",
            "date": local.date(),
            "debut": local,
            "etat": statuses[status],
        }


register(
    Dataset(
        slug="evenements",
        title="Événements publics de l'agenda",
        description="Les événements publics de l'agenda : forums ouverts, ateliers citoyens et "
        "lives d'écoute, publiés, terminés ou annulés, avec leur instance et leur département. "
        "Ni les animateurs, ni les inscrits, ni l'adresse du lieu ; les séances des groupes de "
        "parole, réservées à leurs membres, n'y sont pas.",
        module="Démocratie locale",
        frequency="en continu",
        fields=(
            Field("id", "integer", "Numéro de l'événement"),
            Field("adresse", "string", "Adresse de sa page sur la plateforme"),
            Field("titre", "string", "Titre"),
            Field("type", "string", "Type d'événement"),
            Field(
                "instance",
                "string",
                "Instance locale qui l'organise",
                "Identifiant de l'instance sur la plateforme ; vide quand aucune ne l'organise.",
            ),
            Field(
                "departement",
                "string",
                "Code du département",
                "Vide pour un live d'écoute, en ligne et ouvert à toute la France.",
            ),
            Field("date", "date", "Date de début", "Heure de Paris."),
            Field("debut", "datetime", "Début", "Date et heure, heure de Paris."),
            Field("etat", "string", "État"),
        ),
        date_field="date",
        rows=_rows,
    )
)
