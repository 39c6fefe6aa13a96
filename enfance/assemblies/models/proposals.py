"""Instances proposed at the end of a forum ouvert."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from enfance.core.workflow import Actionable
from enfance.territories.models import Departement

from ..enums import (
    InstanceProposalStatus,
)
from .instances import Instance


class InstanceProposal(Actionable, models.Model):
    """An instance proposed at the end of a forum ouvert by its hosts (seed 000: forums launch
    the first instances); the administrateur national creates it, or says why not."""

    event = models.ForeignKey(
        "events.Event", verbose_name="forum", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("nom proposé", max_length=150)
    description = models.TextField("pourquoi cette instance", max_length=2000, blank=True)
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "état",
        max_length=20,
        choices=InstanceProposalStatus.choices,
        default=InstanceProposalStatus.PROPOSEE,
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    instance = models.OneToOneField(
        Instance,
        verbose_name="instance créée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )
    created_at = models.DateTimeField("proposée le", default=timezone.now)

    class Meta:
        verbose_name = "proposition d'instance"
        verbose_name_plural = "propositions d'instance"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status="proposee"),
                name="one_pending_instance_proposal_per_forum",
            )
        ]

    def __str__(self):
        return f"Proposition d'instance : {self.name}"
