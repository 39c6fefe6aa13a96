from django.db import models


class EventKind(models.TextChoices):
    FORUM = "forum", "Forum ouvert"
    ATELIER = "atelier", "Atelier citoyen"
    LIVE = "live", "Live d'écoute"
    # A session of a groupe de parole (enfance.support): only its members and hosts see it.
    GROUPE = "groupe", "Séance de groupe de parole"


class EventStatus(models.TextChoices):
    PROPOSED = "propose", "Proposé"
    PUBLISHED = "publie", "Publié"
    FINISHED = "termine", "Terminé"
    CANCELLED = "annule", "Annulé"
    # A proposal the reviewers did not accept: kept, with its reason, for the proposer.
    REFUSED = "refuse", "Refusé"


# What the public calendar and event pages show; proposals stay between their authors and
# the people who review them.
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.FINISHED, EventStatus.CANCELLED)


# Kinds held for a circle of people (``audiences``): never in the agenda, never on a public page,
# managed by their hosts alone. The kinds anyone organises or attends from the agenda:
MEMBERS_ONLY_KINDS = (EventKind.GROUPE,)
AGENDA_KINDS = [(k.value, k.label) for k in EventKind if k not in MEMBERS_ONLY_KINDS]


class RegistrationStatus(models.TextChoices):
    REGISTERED = "inscrit", "Inscrit"
    WAITING = "attente", "Liste d'attente"
    CANCELLED = "annule", "Annulée"


ACTIVE_REGISTRATION_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)

# Upper bound of a place's capacity: the attendance sheet lists every registrant on one page.
MAX_CAPACITY = 500
