"""The contracts between the State and the départements (seed 003, « contractualisation »): one
per département and year, in a wave; the seven prerequisite criteria, each met or not with its
evidence; the objectives, each with the commitments of both sides and an indicator (baseline,
target, yearly values with their source); the credits by year. A contract is signed only with
its shared assessment (état des lieux), its objectives and an indicator for every one of them
(``contracts.CONTRACT_WORKFLOW``)."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.core.dates import DateBounds
from enfance.core.workflow import Actionable
from enfance.territories.models import Departement

from .measures import TITLE_MAX, ContractCriterion

TEXT_MAX = 5000
SOURCE_MAX = 300
FIRST_YEAR = 2019
LAST_YEAR = 2030
# The year the seed's credits are given for; later years need an outside source.
SEED_CREDITS_YEAR = 2020
# A contract is signed from the strategy's first year on, never in the future.
SIGNED_DAY = DateBounds(
    date(FIRST_YEAR, 1, 1),
    "Les contrats de la stratégie commencent en {earliest} : vérifiez l'année.",
    0,
    "Une date de signature ne peut pas être dans le futur.",
)


def _year_bounds(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR}), name=name
    )


class ContractStatus(models.TextChoices):
    PREPARATION = "preparation", "En préparation"
    SIGNED = "signe", "Signé"


class Contract(Actionable, models.Model):
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, related_name="strategy_contracts"
    )
    year = models.PositiveSmallIntegerField("année")
    wave = models.PositiveSmallIntegerField("vague de contractualisation")
    assessment = models.TextField("état des lieux partagé", max_length=TEXT_MAX, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=ContractStatus.choices, default=ContractStatus.PREPARATION
    )
    signed_on = models.DateField("signé le", null=True, blank=True)
    report = models.FileField("rapport annuel (PDF)", upload_to="contrats/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "contrat État–département"
        ordering = ["departement__code", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "year"], name="contract_once_a_year"),
            _year_bounds("year", "contract_year_bounds"),
            models.CheckConstraint(
                condition=Q(wave__gte=1, wave__lte=5), name="contract_wave_bounds"
            ),
            models.CheckConstraint(
                condition=~Q(status=ContractStatus.SIGNED)
                | (Q(signed_on__isnull=False) & ~Q(assessment="")),
                name="contract_signed_with_assessment",
            ),
            SIGNED_DAY.constraint("signed_on", model="contract", nullable=True),
        ]

    def __str__(self):
        return f"Contrat {self.year} — {self.departement}"

    def get_absolute_url(self):
        return reverse("strategy:contract", args=[self.departement.code, self.year])


class CriterionStatus(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="criteria")
    criterion = models.ForeignKey(ContractCriterion, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField("rempli")
    evidence = models.TextField("preuve", max_length=TEXT_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)

    class Meta:
        verbose_name = "critère d'un contrat"
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "criterion"], name="contract_criterion_once"
            ),
            models.CheckConstraint(
                condition=Q(met=False) | ~Q(evidence=""), name="contract_criterion_met_proven"
            ),
        ]

    def __str__(self):
        return f"{self.criterion} : {'rempli' if self.met else 'non rempli'}"


class ContractObjective(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField("objectif", max_length=TITLE_MAX)
    required = models.BooleanField("obligatoire", default=True)
    state_commitment = models.TextField("engagement de l'État", max_length=TEXT_MAX)
    departement_commitment = models.TextField("engagement du département", max_length=TEXT_MAX)
    indicator = models.CharField("indicateur de résultat", max_length=TITLE_MAX)
    unit = models.CharField("unité", max_length=40)
    baseline = models.DecimalField("valeur de départ", max_digits=14, decimal_places=2)
    target = models.DecimalField("valeur cible", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "objectif d'un contrat"
        ordering = ["contract", "-required", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(indicator="")
                & ~Q(state_commitment="")
                & ~Q(departement_commitment=""),
                name="contract_objective_complete",
            ),
            # A form sent twice adds one objective, not two of the same name.
            models.UniqueConstraint(fields=["contract", "title"], name="contract_objective_once"),
        ]

    def __str__(self):
        return self.title

    def reached(self, value) -> bool:
        """The target is reached in the direction it sets (up or down from the baseline)."""
        if self.target >= self.baseline:
            return value >= self.target
        return value <= self.target


class ObjectiveValue(models.Model):
    objective = models.ForeignKey(
        ContractObjective, on_delete=models.CASCADE, related_name="values"
    )
    year = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("valeur", max_digits=14, decimal_places=2)
    source = models.CharField("source", max_length=SOURCE_MAX)

    class Meta:
        verbose_name = "valeur annuelle d'un objectif"
        ordering = ["objective", "year"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "year"], name="objective_value_once"),
            _year_bounds("year", "objective_value_year_bounds"),
            models.CheckConstraint(condition=~Q(source=""), name="objective_value_sourced"),
        ]

    def __str__(self):
        return f"{self.year} : {self.value}"


class ContractCredit(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="credits")
    year = models.PositiveSmallIntegerField("année")
    amount = models.PositiveBigIntegerField("crédits (€)")
    source = models.CharField("source", max_length=SOURCE_MAX)

    class Meta:
        verbose_name = "crédits d'un contrat"
        ordering = ["contract", "year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "year"], name="contract_credit_once"),
            _year_bounds("year", "contract_credit_year_bounds"),
            models.CheckConstraint(condition=~Q(source=""), name="contract_credit_sourced"),
        ]

    def __str__(self):
        return f"{self.year} : {self.amount} €"
