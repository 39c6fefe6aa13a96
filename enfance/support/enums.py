from django.db import models


class Subject(models.TextChoices):
    """What a parent asks about (seed 001: placements, conflicts with the ASE, their rights)."""

    PLACEMENT = "placement", "Le placement de mon enfant"
    VISITING = "droits_visite", "Droits de visite et d'hébergement"
    HEARING = "audience", "Une audience, un avocat"
    SCHOOL = "scolarite", "La scolarité"
    HEALTH = "sante", "La santé"
    ASE = "relation_ase", "La relation avec l'aide sociale à l'enfance"
    OTHER = "autre", "Autre chose"


class ChildAge(models.TextChoices):
    """The age of the child concerned, in bands: enough for triage, never a birth date."""

    UNDER_3 = "0-2", "Moins de 3 ans"
    YOUNG = "3-5", "3 à 5 ans"
    CHILD = "6-10", "6 à 10 ans"
    PRETEEN = "11-14", "11 à 14 ans"
    TEEN = "15-17", "15 à 17 ans"
    YOUNG_ADULT = "18-21", "18 à 21 ans (jeune majeur)"
    SEVERAL = "plusieurs", "Plusieurs enfants"


class RequestStatus(models.TextChoices):
    NEW = "nouvelle", "Nouvelle, en attente d'un professionnel"
    TAKEN = "suivie", "Suivie par un professionnel"
    CLOSED = "close", "Close"


class QuestionStatus(models.TextChoices):
    """A question for a live: read by a host before anyone else sees it."""

    PENDING = "a_moderer", "En attente de relecture"
    SHOWN = "affichee", "Affichée"
    REJECTED = "refusee", "Non retenue"
    ANSWERED = "repondue", "Répondue"


class InterlocutorRole(models.TextChoices):
    """Who a family asks the services to consult (seed 000, « consultation élargie »)."""

    GRANDPARENT = "grand_parent", "Un grand-parent"
    FAMILY = "famille", "Un autre membre de la famille"
    TEACHER = "enseignant", "Un enseignant"
    DOCTOR = "medecin", "Un médecin ou un soignant"
    COACH = "educateur", "Un éducateur, un entraîneur, un animateur"
    NEIGHBOUR = "proche", "Un voisin, un ami de la famille"
    OTHER = "autre", "Une autre personne"


class TestimonyStatus(models.TextChoices):
    """A short anonymised testimony the professional proposes at the end of a request: it feeds
    the reform only if the parent accepts it."""

    PROPOSED = "propose", "Proposé au parent"
    ACCEPTED = "accepte", "Accepté par le parent"
    REFUSED = "refuse", "Refusé par le parent"


class GroupStatus(models.TextChoices):
    OPEN = "ouvert", "Ouvert"
    CLOSED = "clos", "Clos"
