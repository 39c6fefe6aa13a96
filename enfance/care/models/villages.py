"""Villages de protection and their séjours d'observation (seed 000): a village is a structure of
the registry (kind « village ») with family units, each taking a number of people a night. The
département's services (ASE) book a stay of 48 to 72 hours for a family, or a magistrate asks for
one; the village confirms or refuses. A family is never named: a reference, the number of adults
and of children by age band, the dates.

Each night a stay holds is a row of ``StayNight``, unique per unit and night: the database itself
refuses a unit booked twice for the same night, whatever two people click at the same moment. A
refused or cancelled stay gives its nights back.

After the stay, the village writes a short observation summary, encrypted at rest (core.crypto)
and read only by the service that asked for it; each of their reads is recorded (``StayRead``).
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.core.crypto import EncryptedTextField
from enfance.core.workflow import Actionable
from enfance.territories.models import Departement

from ..enums import StayRequester, StayStatus
from .places import Structure

UNIT_NAME_MAX = 80
UNIT_CAPACITY_MAX = 12
STAY_HOURS_MIN = 48
STAY_HOURS_MAX = 72
ADULTS_MAX = 6
CHILDREN_MAX_BY_BAND = 8
SUMMARY_MAX = 4000
REFUSAL_MAX = 1000
# A stay is booked at most this far ahead.
BOOKING_HORIZON_DAYS = 366


class FamilyUnit(models.Model):
    village = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="units")
    name = models.CharField("nom de l'unité", max_length=UNIT_NAME_MAX)
    capacity = models.PositiveSmallIntegerField("personnes accueillies par nuit")
    active = models.BooleanField("ouverte aux réservations", default=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "unité familiale"
        ordering = ["village_id", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["village", "name"], name="family_unit_name_once"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__lte=UNIT_CAPACITY_MAX),
                name="family_unit_capacity_bounds",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.capacity} personnes)"


class ObservationStay(Actionable, models.Model):
    village = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="stays")
    unit = models.ForeignKey(
        FamilyUnit, verbose_name="unité familiale", on_delete=models.PROTECT, related_name="stays"
    )
    departement = models.ForeignKey(
        Departement,
        verbose_name="département du service demandeur",
        on_delete=models.PROTECT,
        related_name="+",
    )
    requester = models.CharField("demandé par", max_length=20, choices=StayRequester.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="professionnel demandeur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    starts_at = models.DateTimeField("arrivée")
    hours = models.PositiveSmallIntegerField("durée (heures)")
    adults = models.PositiveSmallIntegerField("adultes")
    children_0_2 = models.PositiveSmallIntegerField("enfants de 0 à 2 ans", default=0)
    children_3_5 = models.PositiveSmallIntegerField("enfants de 3 à 5 ans", default=0)
    children_6_12 = models.PositiveSmallIntegerField("enfants de 6 à 12 ans", default=0)
    children_13_17 = models.PositiveSmallIntegerField("enfants de 13 à 17 ans", default=0)
    status = models.CharField(
        "état", max_length=20, choices=StayStatus.choices, default=StayStatus.REQUESTED
    )
    refusal_reason = models.TextField("motif du refus", max_length=REFUSAL_MAX, blank=True)
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    # Encrypted at rest: what professionals observed of a family.
    summary = EncryptedTextField("synthèse d'observation", max_length=SUMMARY_MAX, blank=True)
    summary_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="synthèse écrite par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary_at = models.DateTimeField("synthèse transmise le", null=True, blank=True)

    class Meta:
        verbose_name = "séjour d'observation"
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["village", "starts_at"], name="stay_village_start_idx"),
            models.Index(fields=["departement", "status"], name="stay_departement_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=STAY_HOURS_MIN) & Q(hours__lte=STAY_HOURS_MAX),
                name="stay_lasts_48_to_72_hours",
            ),
            models.CheckConstraint(
                condition=Q(adults__gte=1) & Q(adults__lte=ADULTS_MAX), name="stay_adults_bounds"
            ),
            models.CheckConstraint(
                condition=Q(children_0_2__gt=0)
                | Q(children_3_5__gt=0)
                | Q(children_6_12__gt=0)
                | Q(children_13_17__gt=0),
                name="stay_has_a_child",
            ),
            models.CheckConstraint(
                condition=~Q(status=StayStatus.OBSERVED) | ~Q(summary=""),
                name="stay_observed_has_summary",
            ),
        ]

    def __str__(self):
        return f"Séjour {self.reference}"

    def get_absolute_url(self):
        return reverse("care:stay", args=[self.pk])

    @property
    def reference(self) -> str:
        """What professionals call the stay by: no name, the year and a number."""
        return f"SO-{timezone.localtime(self.created_at):%Y}-{self.pk:06d}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(hours=self.hours)

    @property
    def children(self) -> int:
        return self.children_0_2 + self.children_3_5 + self.children_6_12 + self.children_13_17

    @property
    def people(self) -> int:
        return self.adults + self.children

    @property
    def age_bands(self) -> list[tuple[str, int]]:
        return [
            (label, count)
            for label, count in (
                ("0 à 2 ans", self.children_0_2),
                ("3 à 5 ans", self.children_3_5),
                ("6 à 12 ans", self.children_6_12),
                ("13 à 17 ans", self.children_13_17),
            )
            if count
        ]

    @property
    def nights(self) -> list[date]:
        return nights_of(self.starts_at, self.hours)


def nights_of(starts_at: datetime, hours: int) -> list[date]:
    """The nights a stay holds: each evening whose following midnight falls within the stay
    (arriving Monday at 10:00 for 60 hours, leaving Wednesday at 22:00, holds Monday's and
    Tuesday's nights)."""
    first = timezone.localtime(starts_at).date()
    last = timezone.localtime(starts_at + timedelta(hours=hours)).date()
    return [first + timedelta(days=n) for n in range((last - first).days)]


class StayNight(models.Model):
    stay = models.ForeignKey(ObservationStay, on_delete=models.CASCADE, related_name="held")
    unit = models.ForeignKey(FamilyUnit, on_delete=models.PROTECT, related_name="nights")
    night = models.DateField("nuit du")

    class Meta:
        verbose_name = "nuit réservée"
        ordering = ["unit_id", "night"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "night"], name="stay_night_unit_once"),
        ]

    def __str__(self):
        return f"Nuit du {self.night:%d/%m/%Y}"


class StayRead(models.Model):
    """Someone of the requesting service read the observation summary: who and when."""

    stay = models.ForeignKey(ObservationStay, on_delete=models.CASCADE, related_name="reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    read_at = models.DateTimeField("lue le", default=timezone.now)

    class Meta:
        verbose_name = "lecture d'une synthèse d'observation"
        ordering = ["-read_at", "-pk"]

    def __str__(self):
        return f"Lue le {self.read_at:%d/%m/%Y %H:%M}"
