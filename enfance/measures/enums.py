"""The types of measures and the age bands of the children they concern."""

from django.db import models


class MeasureKind(models.TextChoices):
    AEMO = "aemo", "AEMO (action éducative en milieu ouvert)"
    AEMO_RENFORCEE = "aemo_renforcee", "AEMO renforcée"
    AED = "aed", "AED (aide éducative à domicile)"
    PLACEMENT = "placement", "Placement"
    MJIE = "mjie", "MJIE (mesure judiciaire d'investigation éducative)"


# The short name of each type, for tables and charts.
SHORT_LABELS = {
    MeasureKind.AEMO: "AEMO",
    MeasureKind.AEMO_RENFORCEE: "AEMO renforcée",
    MeasureKind.AED: "AED",
    MeasureKind.PLACEMENT: "Placement",
    MeasureKind.MJIE: "MJIE",
}


class AgeBand(models.TextChoices):
    UNDER_3 = "0-2", "0 à 2 ans"
    FROM_3 = "3-5", "3 à 5 ans"
    FROM_6 = "6-10", "6 à 10 ans"
    FROM_11 = "11-14", "11 à 14 ans"
    FROM_15 = "15-17", "15 à 17 ans"
