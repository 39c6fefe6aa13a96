"""Competences transferred from a département to an instance locale or a SCIC, with the budget
moved each year (seed 000, phases 4 and 5). Each step is a transition of ``TRANSFER_WORKFLOW``,
logged with who and when: proposed, voted by the instance (an adopted ballot), agreed with the
département (the signed convention attached), effective, suspended or ended."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from enfance.assemblies.perms import can_manage_instance
from enfance.core.workflow import Actionable
from enfance.territories.models import Departement

from ..enums import SIGNED_TRANSFER_STATUSES, Competence, TransferPhase, TransferStatus
from .cooperatives import Cooperative

DETAIL_MAX = 200
REASON_MAX = 2000


class Transfer(Actionable, models.Model):
    competence = models.CharField("compétence", max_length=30, choices=Competence.choices)
    competence_detail = models.CharField("précision", max_length=DETAIL_MAX, blank=True)
    departement = models.ForeignKey(
        Departement,
        verbose_name="département qui transfère",
        on_delete=models.PROTECT,
        related_name="+",
    )
    instance = models.ForeignKey(
        "assemblies.Instance",
        verbose_name="instance locale qui reçoit",
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    cooperative = models.ForeignKey(
        Cooperative,
        verbose_name="SCIC qui exerce la compétence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    phase = models.PositiveSmallIntegerField("phase", choices=TransferPhase.choices)
    starts_on = models.DateField("à partir du")
    ends_on = models.DateField("jusqu'au", null=True, blank=True)
    yearly_budget = models.PositiveBigIntegerField("budget transféré par an (€)")
    convention = models.FileField(
        "convention signée avec le département (PDF)", upload_to="transferts/", blank=True
    )
    status = models.CharField(
        "état", max_length=20, choices=TransferStatus.choices, default=TransferStatus.PROPOSED
    )
    reason = models.TextField(
        "motif de la suspension ou de la fin", max_length=REASON_MAX, blank=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proposed_at = models.DateTimeField("proposé le", default=timezone.now)

    class Meta:
        verbose_name = "transfert de compétence"
        ordering = ["departement__code", "-starts_on", "pk"]
        indexes = [models.Index(fields=["status", "phase"], name="transfer_status_phase_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(competence=Competence.OTHER) | ~Q(competence_detail=""),
                name="transfer_other_competence_named",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="transfer_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=SIGNED_TRANSFER_STATUSES) | ~Q(convention=""),
                name="transfer_signed_has_convention",
            ),
        ]

    def __str__(self):
        return f"{self.competence_label} — {self.departement} → {self.instance}"

    def get_absolute_url(self):
        return reverse("care:transfer", args=[self.pk])

    @property
    def competence_label(self) -> str:
        if self.competence == Competence.OTHER:
            return self.competence_detail
        return self.get_competence_display()

    # The instance votes the transfer through the votes engine: this transfer is the ballot's
    # context, its members the electorate.
    def can_manage_ballots(self, user) -> bool:
        return can_manage_instance(user, self.instance)

    def ballot_electorate(self):
        return self.instance.ballot_electorate()
