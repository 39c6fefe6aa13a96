"""The care network: structures d'accueil and their free places, declared by category.

A figure of free places is worth only its freshness: every category carries when and by whom it
was last declared, each declaration is kept (it gives occupancy over time), and a figure older than
its freshness limit is *unknown*, never free (``PlaceCategoryQuerySet.available``). The three
figures of a category follow the national bed registry's notions (installed, closed, available),
so that a later export to it is a mapping.

No child is named here, and no address is stored: a service de placement familial is counted,
its assistants familiaux never listed.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from enfance.core.dates import FIRST_DAY, HAPPENED, PLANNED, DateBounds
from enfance.core.workflow import Actionable
from enfance.territories.models import Commune, Departement

from ..enums import (
    AgeBand,
    Authority,
    DeclarationSource,
    ManagerKind,
    OfferStatus,
    PlaceType,
    RequestStatus,
    StructureKind,
    StructureStatus,
)
from ..finess import validate_finess

NAME_MAX = 200
# An authorisation may be old (a foyer opened decades ago), never in the future.
AUTHORISED_DAY = DateBounds(
    FIRST_DAY,
    "Indiquez une date d'autorisation à partir du {earliest}.",
    0,
    "La date d'autorisation ne peut pas être dans le futur.",
)
JOINED_DAY = HAPPENED.worded(too_late="La date de la décision ne peut pas être dans le futur.")
AGE_MAX = 21


def freshness_limit(place_type: str) -> timedelta:
    """How long a declared figure holds (settings): shorter for urgent admissions."""
    if place_type == PlaceType.URGENCE:
        return settings.CARE_URGENT_FRESHNESS
    return settings.CARE_FRESHNESS


class DepartementParticipation(models.Model):
    """A département that takes part in the shared tool (seed 003: volunteer départements
    first), by a dated decision of its services."""

    departement = models.OneToOneField(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    joined_on = models.DateField("date de la décision")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now)

    class Meta:
        verbose_name = "participation d'un département"
        ordering = ["departement__code"]
        constraints = [JOINED_DAY.constraint("joined_on", model="participation")]

    def __str__(self):
        return f"{self.departement} depuis le {self.joined_on:%d/%m/%Y}"


class StructureQuerySet(models.QuerySet):
    def in_departements(self, departement_ids):
        return self.filter(departement_id__in=departement_ids)


class Structure(Actionable, models.Model):
    name = models.CharField("nom", max_length=NAME_MAX)
    kind = models.CharField("type de structure", max_length=30, choices=StructureKind.choices)
    finess = models.CharField(
        "numéro FINESS", max_length=9, unique=True, validators=[validate_finess]
    )
    commune = models.ForeignKey(
        Commune, verbose_name="commune", on_delete=models.PROTECT, related_name="+"
    )
    # The commune's, kept on the row: every search and every permission is by département.
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    authority = models.CharField(
        "autorité d'autorisation", max_length=20, choices=Authority.choices
    )
    authorised_on = models.DateField("date d'autorisation")
    authorised_capacity = models.PositiveIntegerField("capacité autorisée")
    manager_kind = models.CharField(
        "type de gestionnaire", max_length=20, choices=ManagerKind.choices
    )
    manager_name = models.CharField("gestionnaire", max_length=NAME_MAX)
    age_min = models.PositiveSmallIntegerField("âge minimum accueilli", default=0)
    age_max = models.PositiveSmallIntegerField("âge maximum accueilli", default=17)
    takes_siblings = models.BooleanField("accueille des fratries", default=False)
    takes_disability = models.BooleanField(
        "accueille des enfants en situation de handicap", default=False
    )
    takes_mother_child = models.BooleanField("accueil mère-enfant", default=False)
    takes_urgent = models.BooleanField("admissions en urgence", default=False)
    status = models.CharField(
        "état", max_length=20, choices=StructureStatus.choices, default=StructureStatus.PROPOSED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    # The last reminder that a figure was about to turn unknown (one per round of declarations).
    reminded_at = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="gestionnaires",
        through="StructureManager",
        related_name="managed_structures",
    )

    history = HistoricalRecords()
    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure d'accueil"
        verbose_name_plural = "structures d'accueil"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__lte=F("age_max")) & Q(age_max__lte=AGE_MAX),
                name="structure_ages_in_order",
            ),
            AUTHORISED_DAY.constraint("authorised_on", model="structure"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("care:structure", args=[self.pk])

    @property
    def is_validated(self) -> bool:
        return self.status == StructureStatus.VALIDATED


class StructureManager(models.Model):
    """A person who manages a structure's record and declares its places (with the role
    gestionnaire de structure in its département)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="manager_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="structure_links"
    )
    added_at = models.DateTimeField("ajouté le", default=timezone.now)

    class Meta:
        verbose_name = "gestionnaire d'une structure"
        constraints = [
            models.UniqueConstraint(fields=["structure", "user"], name="one_link_per_manager")
        ]

    def __str__(self):
        return f"{self.user} — {self.structure}"


class PlaceCategoryQuerySet(models.QuerySet):
    def fresh_q(self, now) -> Q:
        """Declared within its freshness limit (the urgent one for urgent admissions)."""
        urgent = Q(place_type=PlaceType.URGENCE)
        return Q(declared_at__isnull=False) & (
            (urgent & Q(declared_at__gte=now - settings.CARE_URGENT_FRESHNESS))
            | (~urgent & Q(declared_at__gte=now - settings.CARE_FRESHNESS))
        )

    def fresh(self, now=None):
        return self.filter(self.fresh_q(now or timezone.now()))

    def stale(self, now=None):
        return self.exclude(self.fresh_q(now or timezone.now()))

    def available(self, now=None):
        """Free places that can be counted: fresh and above zero. A stale figure never is."""
        return self.fresh(now).filter(free__gt=0)


class PlaceCategory(models.Model):
    """The places of one kind in a structure: type × age band × siblings × disability."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="categories")
    place_type = models.CharField("type de place", max_length=30, choices=PlaceType.choices)
    age_band = models.CharField("tranche d'âge", max_length=10, choices=AgeBand.choices)
    siblings = models.BooleanField("fratries accueillies", default=False)
    disability = models.BooleanField("handicap pris en charge", default=False)
    # The national bed registry's three figures: installed, closed for now, available.
    capacity = models.PositiveSmallIntegerField("places installées")
    closed = models.PositiveSmallIntegerField("places fermées temporairement", default=0)
    free = models.PositiveSmallIntegerField("places libres", null=True, blank=True)
    declared_at = models.DateTimeField("déclarée le", null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déclarée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PlaceCategoryQuerySet.as_manager()

    class Meta:
        verbose_name = "catégorie de places"
        verbose_name_plural = "catégories de places"
        ordering = ["place_type", "age_band", "siblings", "disability"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "place_type", "age_band", "siblings", "disability"],
                name="one_category_per_kind",
            ),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="category_has_places"),
            models.CheckConstraint(
                condition=Q(closed__lte=F("capacity")), name="closed_within_capacity"
            ),
            models.CheckConstraint(
                condition=Q(free__isnull=True) | Q(free__lte=F("capacity") - F("closed")),
                name="free_within_open_capacity",
            ),
            models.CheckConstraint(
                condition=Q(free__isnull=True, declared_at__isnull=True)
                | Q(free__isnull=False, declared_at__isnull=False),
                name="free_declared_with_its_time",
            ),
        ]
        indexes = [models.Index(fields=["place_type", "age_band", "declared_at"])]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        parts = [self.get_place_type_display(), self.get_age_band_display()]
        if self.siblings:
            parts.append("fratries")
        if self.disability:
            parts.append("handicap")
        return ", ".join(parts)

    @property
    def open_capacity(self) -> int:
        return self.capacity - self.closed

    def is_fresh(self, now=None) -> bool:
        now = now or timezone.now()
        return self.declared_at is not None and now - self.declared_at <= freshness_limit(
            self.place_type
        )

    def known_free(self, now=None) -> int | None:
        """The free places, or None when the figure is unknown (never declared, or stale)."""
        return self.free if self.is_fresh(now) else None


class PlaceDeclaration(models.Model):
    """One declaration of a category's figures, kept: the history gives occupancy over time."""

    category = models.ForeignKey(
        PlaceCategory, on_delete=models.CASCADE, related_name="declarations"
    )
    free = models.PositiveSmallIntegerField("places libres")
    closed = models.PositiveSmallIntegerField("places fermées")
    capacity = models.PositiveSmallIntegerField("places installées")
    declared_at = models.DateTimeField("déclarée le", default=timezone.now)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déclarée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField("origine", max_length=20, choices=DeclarationSource.choices)

    class Meta:
        verbose_name = "déclaration de places"
        ordering = ["-declared_at"]
        indexes = [models.Index(fields=["category", "-declared_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(free__lte=F("capacity") - F("closed")), name="declared_within_capacity"
            )
        ]

    def __str__(self):
        return f"{self.category} : {self.free} libres le {self.declared_at:%d/%m/%Y %H:%M}"


NEEDS_MAX = 500
REASON_MAX = 300
CHILDREN_MAX = 8
WISHED_DAY = PLANNED.worded(too_early="La date souhaitée ne peut pas être passée.")


class PlaceRequest(models.Model):
    """An anonymous request for a place, sent by a magistrate or the département's services to
    the structures whose free places match: an age band, a number of children (a sibling group
    stays together), needs in a few words, an urgency, a wished date. Never a name, never a case
    file: the platform holds nothing that identifies a child."""

    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place_type = models.CharField("type de place", max_length=30, choices=PlaceType.choices)
    age_band = models.CharField("tranche d'âge", max_length=10, choices=AgeBand.choices)
    children = models.PositiveSmallIntegerField("nombre d'enfants (fratrie comprise)", default=1)
    disability = models.BooleanField("handicap à prendre en charge", default=False)
    urgent = models.BooleanField("urgence", default=False)
    needs = models.TextField("besoins", max_length=NEEDS_MAX, blank=True)
    wished_on = models.DateField("date d'accueil souhaitée")
    answer_by = models.DateTimeField("réponse attendue avant")
    status = models.CharField(
        "état", max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    created_at = models.DateTimeField("envoyée le", default=timezone.now)
    placed_at = models.DateTimeField("place trouvée le", null=True, blank=True)

    class Meta:
        verbose_name = "demande de place"
        verbose_name_plural = "demandes de place"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(children__gte=1, children__lte=CHILDREN_MAX), name="request_children"
            ),
            models.CheckConstraint(
                condition=Q(answer_by__gt=F("created_at")), name="request_deadline_after_sending"
            ),
            WISHED_DAY.constraint("wished_on", model="placerequest"),
        ]

    def __str__(self):
        return f"Demande n° {self.pk} : {self.get_age_band_display()}, {self.children} enfant(s)"

    def get_absolute_url(self):
        return reverse("care:request", args=[self.pk])

    @property
    def label(self) -> str:
        children = "1 enfant" if self.children == 1 else f"fratrie de {self.children} enfants"
        parts = [self.get_place_type_display(), self.get_age_band_display(), children]
        if self.disability:
            parts.append("handicap")
        if self.urgent:
            parts.append("urgence")
        return ", ".join(parts)


class PlaceOffer(Actionable, models.Model):
    """A request as one structure receives it, with the category of places it matched, and its
    answer: accepted (the first acceptance takes the places) or refused with a reason."""

    request = models.ForeignKey(PlaceRequest, on_delete=models.CASCADE, related_name="offers")
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="offers")
    category = models.ForeignKey(PlaceCategory, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        "réponse", max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    reason = models.TextField("motif du refus", max_length=REASON_MAX, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="répondue par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)

    class Meta:
        verbose_name = "demande reçue par une structure"
        verbose_name_plural = "demandes reçues par les structures"
        ordering = ["-request__created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "structure"], name="one_offer_per_structure"
            ),
            # The first acceptance takes the place: never two for one request.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status=OfferStatus.ACCEPTED),
                name="one_acceptance_per_request",
            ),
            models.CheckConstraint(
                condition=~Q(status=OfferStatus.REFUSED) | ~Q(reason=""),
                name="refusal_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.request} → {self.structure}"

    def get_absolute_url(self):
        return reverse("care:offer", args=[self.pk])


class StructureToken(models.Model):
    """The access of a structure's own software to the API that declares its free places: one
    token per software, revocable. Only the token's SHA-256 is stored; the token itself is shown
    once, when it is made."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="tokens")
    label = models.CharField("logiciel", max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so that people tell their tokens apart.
    prefix = models.CharField("début du jeton", max_length=12, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "jeton d'accès d'un logiciel"
        verbose_name_plural = "jetons d'accès des logiciels"
        ordering = ["-created_at"]

    def __str__(self):
        # Unique: the API's throttle counts per token by this text.
        return f"{self.label} ({self.prefix}…, n° {self.pk})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
