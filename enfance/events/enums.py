from django.db import models


class EventKind(models.TextChoices):
    FORUM = "forum", "Forum ouvert"
    ATELIER = "atelier", "Atelier citoyen"
    LIVE = "live", "Live d'écoute"


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


class RegistrationStatus(models.TextChoices):
    REGISTERED = "inscrit", "Inscrit"
    WAITING = "attente", "Liste d'attente"
    CANCELLED = "annule", "Annulée"


ACTIVE_REGISTRATION_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)

# Upper bound of a place's capacity: the attendance sheet lists every registrant on one page.
MAX_CAPACITY = 500
