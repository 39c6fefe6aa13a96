from django.db import models


class StructureKind(models.TextChoices):
    FOYER_ENFANCE = "foyer_enfance", "Foyer de l'enfance"
    MECS = "mecs", "Maison d'enfants à caractère social (MECS)"
    POUPONNIERE = "pouponniere", "Pouponnière"
    LVA = "lva", "Lieu de vie et d'accueil (LVA)"
    PLACEMENT_FAMILIAL = "placement_familial", "Service de placement familial"
    RELAIS_PARENTAL = "relais_parental", "Relais parental"
    CENTRE_PARENTAL = "centre_parental", "Centre parental"
    VILLAGE = "village", "Village de protection / village d'enfants"
    ACCUEIL_JOUR = "accueil_jour", "Accueil de jour"
    MILIEU_OUVERT = "milieu_ouvert", "Service d'AEMO / AED (milieu ouvert)"


class Authority(models.TextChoices):
    """Who authorised the structure (Code de l'action sociale et des familles, art. L313-3)."""

    DEPARTEMENT = "departement", "Président du conseil départemental"
    PJJ = "pjj", "Protection judiciaire de la jeunesse (préfet)"
    CONJOINTE = "conjointe", "Autorisation conjointe (département et PJJ)"


class ManagerKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    DEPARTEMENT = "departement", "Département"
    SCIC = "scic", "Société coopérative d'intérêt collectif (SCIC)"
    AUTRE = "autre", "Autre organisme"


class StructureStatus(models.TextChoices):
    PROPOSED = "proposee", "En attente de validation"
    VALIDATED = "validee", "Validée par le département"


class PlaceType(models.TextChoices):
    INTERNAT = "internat", "Internat"
    URGENCE = "urgence", "Accueil d'urgence"
    SEMI_AUTONOMIE = "semi_autonomie", "Semi-autonomie"
    MERE_ENFANT = "mere_enfant", "Accueil mère-enfant"
    ACCUEIL_JOUR = "accueil_jour", "Accueil de jour"
    PLACEMENT_FAMILIAL = "placement_familial", "Placement familial"
    # A service in milieu ouvert declares the measures it can take on now, not beds.
    MESURES = "mesures", "Mesures en milieu ouvert (AEMO, AED)"


class AgeBand(models.TextChoices):
    BABIES = "0-2", "0 à 2 ans"
    SMALL = "3-5", "3 à 5 ans"
    CHILDREN = "6-12", "6 à 12 ans"
    TEENAGERS = "13-17", "13 à 17 ans"
    YOUNG_ADULTS = "18-20", "18 à 20 ans (jeunes majeurs)"


class DeclarationSource(models.TextChoices):
    PAGE = "page", "Déclarée sur la plateforme"
    UNCHANGED = "inchangee", "Confirmée sans changement"
    API = "api", "Transmise par le logiciel de la structure"
    REQUEST = "demande", "Place attribuée sur une demande"


class RequestStatus(models.TextChoices):
    OPEN = "ouverte", "En attente de réponse"
    PLACED = "pourvue", "Place trouvée"
    CLOSED = "close", "Close sans place"


class OfferStatus(models.TextChoices):
    PENDING = "en_attente", "En attente"
    ACCEPTED = "acceptee", "Acceptée"
    REFUSED = "refusee", "Refusée"
    # Another structure accepted first, or the request closed: no answer is expected any more.
    SUPERSEDED = "sans_objet", "Sans objet"


class Mission(models.TextChoices):
    """What a SCIC of child protection takes on (seed 000)."""

    EDUCATIVE = "mesures_educatives", "Mesures éducatives"
    PLACEMENT = "placements", "Placements d'enfants"
    FOYERS = "foyers", "Administration des foyers"
    FOSTER = "familles_accueil", "Administration des familles d'accueil"


class AssociateCategory(models.TextChoices):
    """The categories of a SCIC's associates (loi du 10 septembre 1947, art. 19 septies): at
    least three, with employees and beneficiaries among them."""

    EMPLOYEES = "salaries", "Salariés"
    BENEFICIARIES = "beneficiaires", "Bénéficiaires (familles, jeunes accueillis)"
    VOLUNTEERS = "benevoles", "Bénévoles"
    PUBLIC_BODIES = "collectivites", "Collectivités publiques"
    PARTNERS = "partenaires", "Associations et partenaires"
    INSTANCE = "instance", "Instance locale"


class Competence(models.TextChoices):
    """What moves from a département to an instance locale or a SCIC (seed 000, phase 4)."""

    FOYERS = "gestion_foyers", "Gestion des foyers"
    FOSTER = "placement_familial", "Placement familial"
    OPEN_MEASURES = "milieu_ouvert", "Mesures éducatives en milieu ouvert"
    URGENT = "accueil_urgence", "Accueil d'urgence"
    OTHER = "autre", "Autre compétence"


class TransferPhase(models.IntegerChoices):
    """The phases of seed 000 in which competences move."""

    PROGRESSIVE = 4, "Phase 4 : transfert progressif des compétences"
    NATIONAL = 5, "Phase 5 : généralisation nationale"


class TransferStatus(models.TextChoices):
    PROPOSED = "propose", "Proposé"
    VOTED = "vote", "Voté par l'instance"
    AGREED = "conventionne", "Conventionné avec le département"
    EFFECTIVE = "effectif", "Effectif"
    SUSPENDED = "suspendu", "Suspendu"
    ENDED = "termine", "Terminé"


# A transfer's convention is signed from « conventionné » on.
SIGNED_TRANSFER_STATUSES = (
    TransferStatus.AGREED,
    TransferStatus.EFFECTIVE,
    TransferStatus.SUSPENDED,
    TransferStatus.ENDED,
)


class StayStatus(models.TextChoices):
    """A séjour d'observation in a village de protection."""

    REQUESTED = "demande", "Demandé"
    CONFIRMED = "confirme", "Confirmé par le village"
    REFUSED = "refuse", "Refusé par le village"
    CANCELLED = "annule", "Annulé"
    # The stay took place and its observation summary is written.
    OBSERVED = "observe", "Observation transmise"


class StayRequester(models.TextChoices):
    """Who asks for a séjour d'observation: the ASE books it, a magistrate requests it."""

    ASE = "ase", "Aide sociale à l'enfance"
    MAGISTRATE = "magistrat", "Tribunal pour enfants"
