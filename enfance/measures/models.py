"""The measures ordered for children (by a juvenile court or by the département) and the day
each one actually started: the waiting times of seed 003.

No child is named. The département's own reference of a measure is never stored: only its keyed
hash (``services.reference_hash``), so that a later import recognises the measure without the
platform holding anything that designates a child. The age band is the only thing said of them.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from enfance.core.dates import DateBounds

from .enums import AgeBand, MeasureKind

# The département's reference, as its software writes it (never stored, only hashed).
REFERENCE_MAX = 100
# Seed 003: the waiting times of today's measures; nothing ordered before 2000 is received.
MEASURES_START = date(2000, 1, 1)
ORDER_DAY = DateBounds(
    MEASURES_START,
    "Une mesure ordonnée avant le {earliest} n'est pas reçue : vérifiez l'année.",
    0,
    "La date de la décision ne peut pas être dans le futur.",
)
START_DAY = ORDER_DAY.worded(
    too_early="Une date de début avant le {earliest} n'est pas reçue : vérifiez l'année.",
    too_late="La date de début ne peut pas être dans le futur : saisissez-la une fois la mesure "
    "commencée.",
)


class MeasureQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(started_on__isnull=True)

    def started(self):
        return self.filter(started_on__isnull=False)


class Measure(models.Model):
    departement = models.ForeignKey(
        "territories.Departement",
        verbose_name="département",
        on_delete=models.PROTECT,
        related_name="+",
    )
    # HMAC-SHA256 of the département's reference, in hexadecimal (services.reference_hash).
    reference_hash = models.CharField("empreinte de la référence", max_length=64, editable=False)
    kind = models.CharField("type de mesure", max_length=20, choices=MeasureKind.choices)
    age_band = models.CharField("tranche d'âge", max_length=5, choices=AgeBand.choices)
    ordered_on = models.DateField("ordonnée le")
    started_on = models.DateField("débutée le", null=True, blank=True)
    # Days from the order to the start, kept with the start so that the figures are plain
    # aggregates on every database.
    delay_days = models.PositiveIntegerField("délai d'exécution (jours)", null=True, blank=True)
    created_at = models.DateTimeField("enregistrée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = "mesure"
        ordering = ["ordered_on", "pk"]
        indexes = [
            models.Index(fields=["started_on"], name="measure_started_idx"),
            models.Index(fields=["departement", "started_on"], name="measure_dep_started_idx"),
            models.Index(
                fields=["departement", "kind", "ordered_on"],
                condition=Q(started_on__isnull=True),
                name="measure_waiting_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "reference_hash"], name="measure_unique_reference"
            ),
            ORDER_DAY.constraint("ordered_on", model="measure"),
            START_DAY.constraint("started_on", model="measure", nullable=True),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=F("ordered_on")),
                name="measure_started_after_order",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True, delay_days__isnull=True)
                | Q(started_on__isnull=False, delay_days__isnull=False),
                name="measure_delay_with_start",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=MeasureKind.values), name="measure_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(age_band__in=AgeBand.values), name="measure_age_band_known"
            ),
            models.CheckConstraint(
                condition=Q(reference_hash__regex=r"^[0-9a-f]{64}$"), name="measure_hash_hex"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ordonnée le {self.ordered_on:%d/%m/%Y}"

    def waited_days(self, today: date | None = None) -> int:
        """Days waited: to the start, or to today for a measure not started."""
        end = self.started_on or today or timezone.localdate()
        return (end - self.ordered_on).days


class MeasureImport(models.Model):
    """One import of a CSV file (or nothing else): who, when, what it did."""

    departement = models.ForeignKey(
        "territories.Departement",
        verbose_name="département",
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("importé le", default=timezone.now)
    rows = models.PositiveIntegerField("lignes lues", default=0)
    created = models.PositiveIntegerField("mesures ajoutées", default=0)
    changed = models.PositiveIntegerField("mesures modifiées", default=0)
    unchanged = models.PositiveIntegerField("mesures inchangées", default=0)
    refused = models.PositiveIntegerField("lignes refusées", default=0)

    class Meta:
        verbose_name = "import de mesures"
        verbose_name_plural = "imports de mesures"
        ordering = ["-imported_at", "-pk"]

    def __str__(self):
        return f"Import du {timezone.localtime(self.imported_at):%d/%m/%Y à %H:%M}"
