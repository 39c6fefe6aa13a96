"""The yes/no facts that several measures of the strategy aim at in every département by 2022
(seed 003): an observatoire départemental de la protection de l'enfance (ODPE) with a named
animator, a centre parental, a mobile team for children with complex needs, the local
four-party body (the département, the coordinating juvenile judge, the public prosecutor for
minors, the PJJ). Each statement is dated and sourced; the latest one for a département and a
fact is what the pages show, the older ones are its history."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from enfance.core.dates import DateBounds
from enfance.territories.models import Departement

from .contracts import SOURCE_MAX

DETAIL_MAX = 500
# The ODPE were created by the law of 5 March 2007; nothing these facts record is older.
OBSERVED_DAY = DateBounds(
    date(2007, 3, 5),
    "Ces dispositifs datent au plus tôt de la loi du 5 mars 2007 : vérifiez la date.",
    0,
    "Un fait constaté ne peut pas être daté dans le futur.",
)


class FactKind(models.TextChoices):
    ODPE = "odpe", "Observatoire départemental (ODPE) avec un animateur ou une animatrice nommé"
    PARENTAL_CENTRE = "centre_parental", "Centre parental"
    MOBILE_TEAM = "equipe_mobile", "Équipe mobile pour les enfants aux besoins complexes"
    FOUR_PARTY_BODY = (
        "instance_quadripartite",
        "Instance quadripartite (département, juge coordonnateur, parquet des mineurs, PJJ)",
    )


class DepartementFact(models.Model):
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="strategy_facts"
    )
    kind = models.CharField("dispositif", max_length=30, choices=FactKind.choices)
    present = models.BooleanField("en place")
    observed_on = models.DateField("constaté le")
    source = models.CharField("source", max_length=SOURCE_MAX)
    source_url = models.URLField("adresse de la source", blank=True)
    detail = models.CharField("précision", max_length=DETAIL_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)

    class Meta:
        verbose_name = "fait départemental"
        ordering = ["departement__code", "kind", "-observed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["departement", "kind", "observed_on"], name="departement_fact_once_a_day"
            ),
            models.CheckConstraint(condition=~Q(source=""), name="departement_fact_sourced"),
            models.CheckConstraint(
                condition=Q(kind__in=FactKind.values), name="departement_fact_kind_known"
            ),
            OBSERVED_DAY.constraint("observed_on", model="departement_fact"),
        ]

    def __str__(self):
        state = "en place" if self.present else "absent"
        return f"{self.departement} — {self.get_kind_display()} : {state}"
