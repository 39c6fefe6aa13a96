"""The Stratégie nationale de prévention et de protection de l'enfance 2020-2022 as data (seed
003): its four engagements, each measure with its context, objectives, pilotage, actors and
calendar as the seed gives them, its quantified targets as numbers with their year, and the seven
prerequisite criteria of the contracts between the State and the départements. Loaded from
``data/strategie-2020-2022/strategie.json`` (``reference.load``); each row keeps the lines of the
seed it comes from."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse

TITLE_MAX = 300


class SourceLines(models.Model):
    """Where a row comes from in the seed's text: its first and last lines."""

    first_line = models.PositiveIntegerField("première ligne de la source")
    last_line = models.PositiveIntegerField("dernière ligne de la source")

    class Meta:
        abstract = True


class Engagement(SourceLines):
    number = models.PositiveSmallIntegerField("numéro", unique=True)
    title = models.CharField("intitulé", max_length=TITLE_MAX)

    class Meta:
        verbose_name = "engagement de la stratégie"
        ordering = ["number"]

    def __str__(self):
        return f"Engagement {self.number} : {self.title}"

    def get_absolute_url(self):
        return reverse("strategy:engagement", args=[self.number])


class Measure(SourceLines):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="measures")
    # « 2.3 »: the third fiche of engagement 2, in the seed's order (the seed does not number them).
    number = models.CharField("numéro", max_length=10, unique=True)
    position = models.PositiveSmallIntegerField("rang dans l'engagement")
    title = models.CharField("intitulé", max_length=TITLE_MAX)
    # The seed's bullets, section by section, in its order.
    context = models.JSONField("le contexte", default=list)
    supporting = models.JSONField("les initiatives et documents d'appui", default=list)
    objectives = models.JSONField("les mesures annoncées, les objectifs", default=list)
    pilotage = models.JSONField("mode de pilotage", default=list)
    actors = models.JSONField("acteurs concernés", default=list)
    calendar = models.JSONField("calendrier", default=list)

    class Meta:
        verbose_name = "mesure de la stratégie"
        ordering = ["engagement__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "position"], name="strategy_measure_position_once"
            ),
        ]

    def __str__(self):
        return f"Mesure {self.number} : {self.title}"

    def get_absolute_url(self):
        return reverse("strategy:measure", args=[self.number.replace(".", "-")])


class Target(models.Model):
    """A quantified objective of a measure: a number, its unit and the year it is due (none when
    the seed gives none), with the seed's sentence."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    label = models.CharField("objectif", max_length=TITLE_MAX)
    value = models.DecimalField("valeur visée", max_digits=14, decimal_places=2)
    unit = models.CharField("unité", max_length=40)
    by_year = models.PositiveSmallIntegerField("échéance", null=True, blank=True)
    quote = models.TextField("la phrase de la stratégie")

    class Meta:
        verbose_name = "cible chiffrée"
        ordering = ["measure", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(by_year__isnull=True) | Q(by_year__gte=2019, by_year__lte=2030),
                name="strategy_target_year_bounds",
            ),
        ]

    def __str__(self):
        return self.label


class ContractCriterion(SourceLines):
    """One of the seven prerequisite criteria of a contract between the State and a
    département."""

    number = models.PositiveSmallIntegerField("numéro", unique=True)
    title = models.CharField("critère", max_length=TITLE_MAX)
    text = models.TextField("texte de la stratégie")

    class Meta:
        verbose_name = "critère préalable de contractualisation"
        verbose_name_plural = "critères préalables de contractualisation"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_line__gte=F("first_line")), name="strategy_criterion_lines"
            ),
        ]

    def __str__(self):
        return f"Critère {self.number} : {self.title}"
