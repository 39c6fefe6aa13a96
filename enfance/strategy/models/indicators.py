"""The official indicators a reader needs to read a measure of the strategy (children followed
by the ASE, the rate per 1 000 under-21s, the share of placements, the départements' spending),
each value for a département or for the whole of France, with its year and its source. Shipped
as CSV files in ``data/indicateurs/`` and loaded by ``strategy.indicators.load``; a value
without a source is refused, by the loader and by the database."""

from django.db import models
from django.db.models import Q

from enfance.territories.models import Departement

from .contracts import SOURCE_MAX
from .measures import TITLE_MAX, Measure

# The DREES series on the ASE start in the 1990s (the rate of 1998 is the oldest shipped); the
# départements have run the ASE since the decentralisation laws of 1983-1984.
FIRST_YEAR = 1984
LAST_YEAR = 2100


class OfficialIndicator(models.Model):
    key = models.SlugField("clé", max_length=40, unique=True)
    label = models.CharField("intitulé", max_length=TITLE_MAX)
    definition = models.TextField("définition")
    # As a value is written after it: « mesures », « ‰ », « % », « milliards d'euros ».
    unit = models.CharField("unité", max_length=40)
    position = models.PositiveSmallIntegerField("rang")
    # The measures of the strategy this indicator helps to read (data/indicateurs/README.md).
    measures = models.ManyToManyField(
        Measure, related_name="official_indicators", blank=True, verbose_name="mesures"
    )

    class Meta:
        verbose_name = "indicateur officiel"
        verbose_name_plural = "indicateurs officiels"
        ordering = ["position"]

    def __str__(self):
        return self.label


class IndicatorValue(models.Model):
    """One figure: an indicator's value for a département (or France entière when
    ``departement`` is empty) and a year, with where it comes from."""

    indicator = models.ForeignKey(
        OfficialIndicator, on_delete=models.CASCADE, related_name="values"
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="strategy_indicator_values",
    )
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=SOURCE_MAX)
    source_url = models.URLField("adresse de la source", blank=True)

    class Meta:
        verbose_name = "valeur d'un indicateur officiel"
        verbose_name_plural = "valeurs des indicateurs officiels"
        ordering = ["indicator__position", "departement__code", "year"]
        constraints = [
            # NULLs are distinct in a unique constraint: France entière needs its own.
            models.UniqueConstraint(
                fields=["indicator", "departement", "year"],
                condition=Q(departement__isnull=False),
                name="indicator_value_once_per_departement",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(departement__isnull=True),
                name="indicator_value_once_for_france",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="indicator_value_sourced"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="indicator_value_year_bounds",
            ),
        ]

    def __str__(self):
        where = self.departement.code if self.departement_id else "France entière"
        return f"{self.indicator.key} {where} {self.year}"
