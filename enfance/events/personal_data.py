"""What the events module holds about a person (core.privacy): registrations, events proposed
and hosted."""

from django.utils import timezone

from enfance.core.privacy import UNTIL_DELETION, Fate, Holding, Processing, declare

from .enums import EventStatus
from .models import Registration
from .services import cancel_registration


def _registrations(user) -> list[dict]:
    return [
        {
            "evenement": r.event.title,
            "type": r.event.get_kind_display(),
            "debut": r.event.starts_at,
            "lieu": r.event.place,
            "etat": r.get_status_display(),
            "inscrit_le": r.registered_at,
            "annulee_le": r.cancelled_at,
            "present": r.attended,
        }
        for r in Registration.objects.filter(user=user)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    ]


def _cancel_then_erase(user) -> None:
    """A seat at an event to come goes to the first person waiting, as when one cancels."""
    upcoming = Registration.objects.active().filter(
        user=user, event__status=EventStatus.PUBLISHED, event__starts_at__gt=timezone.now()
    )
    for registration in upcoming.select_related("event"):
        cancel_registration(registration.event, by=user)
    Registration.objects.filter(user=user).delete()


declare(
    "events",
    Processing(
        name="Forums, ateliers et lives",
        purpose="Proposer et annoncer les forums ouverts, ateliers citoyens et lives d'écoute, "
        "inscrire les participants (liste d'attente comprise), leur envoyer un rappel, relever "
        "les présences et publier ce qui en est sorti.",
        legal_basis="Votre consentement, donné en vous inscrivant (article 6-1-a du RGPD) ; "
        "vous le retirez en annulant l'inscription.",
        data="Inscription (date, état, présence), événements proposés ou animés.",
        people="Les personnes inscrites, les animatrices et animateurs, celles et ceux qui "
        "proposent un événement.",
        recipients="Les animateurs de l'événement voient la liste des inscrits ; le public ne "
        "voit que le nombre de places.",
        retention="Inscriptions : jusqu'à la suppression du compte. Événements : pour la durée "
        "du service, sans le nom de qui les a proposés après la suppression du compte.",
    ),
    Holding(
        "events.Registration",
        "Vos inscriptions aux forums, ateliers et lives (état, présence)",
        Fate.ERASED,
        UNTIL_DELETION,
        "Une inscription à un événement à venir est d'abord annulée : la place revient à la "
        "première personne en liste d'attente.",
        links=("user",),
        key="inscriptions_aux_evenements",
        export=_registrations,
        erase=_cancel_then_erase,
    ),
    Holding(
        "events.Event",
        "Les événements que vous avez proposés ou animés",
        Fate.ANONYMISED,
        "Pour la durée du service.",
        "L'événement reste au calendrier et dans l'histoire des instances ; il ne dit plus qui "
        "l'a proposé, et vous n'en êtes plus l'animateur.",
        links=("proposed_by", "hosts"),
        key="evenements_proposes_ou_animes",
    ),
)
