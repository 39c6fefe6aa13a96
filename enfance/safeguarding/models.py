"""Reports of a danger to a child ("danger pour un enfant", PRODUCT.md, cross-cutting safety).

A disclosure of danger is not "content": any text of the platform can be flagged, and a flagged
text leaves public view at once and waits, in a queue, for a trained person (the
``referent_protection`` role) who follows the 119 / CRIP path.

The protocol other apps adopt is small: their model inherits ``Safeguardable`` (one nullable
timestamp, ``danger_hidden_at``), filters ``danger_hidden_at__isnull=True`` wherever it shows
things in public (``Safeguardable.PUBLIC_Q``), and may define ``safeguarding_label()`` and
``safeguarding_text()`` to tell the referent what was flagged. ``services.flag_danger`` does the
rest.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.core.crypto import EncryptedTextField
from enfance.core.workflow import Actionable

from .enums import DangerReportState


class Safeguardable(models.Model):
    """Mixin of any model whose texts can be flagged "danger pour un enfant"."""

    PUBLIC_Q = Q(danger_hidden_at__isnull=True)

    # Set by safeguarding.services.flag_danger, cleared only by a referent who restores it.
    danger_hidden_at = models.DateTimeField(
        "retiré (danger pour un enfant) le", null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def is_hidden_for_safeguarding(self) -> bool:
        return self.danger_hidden_at is not None


class DangerReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=DangerReportState.OPEN)

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class DangerReport(Actionable, models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name="type de contenu", on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField("identifiant du contenu")
    target = GenericForeignKey("content_type", "object_id")
    # What was flagged, copied at the time: the referent reads it even if the author edits or
    # deletes it afterwards.
    target_label = models.CharField("contenu signalé", max_length=300)
    # Encrypted at rest (core.crypto): what was written about a child, and what worries people.
    target_text = EncryptedTextField("texte signalé", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="signalé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = EncryptedTextField("ce qui inquiète la personne", max_length=2000, blank=True)
    state = models.CharField(
        "état",
        max_length=20,
        choices=DangerReportState.choices,
        default=DangerReportState.OPEN,
    )
    created_at = models.DateTimeField("signalé le", default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="traité par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField("traité le", null=True, blank=True)
    # Where a confirmed danger went (the 119, the CRIP of a département, the police…), and when.
    transmitted_to = models.CharField("transmis à", max_length=300, blank=True)
    transmitted_at = models.DateTimeField("transmis le", null=True, blank=True)
    handling_note = EncryptedTextField("note du référent", max_length=4000, blank=True)
    # When the flagged text was a family's own (a parent's support request), the family is told
    # that the information is passed on, unless telling them would endanger the child: the
    # référent then writes why (Code de l'action sociale et des familles, article L226-2-1).
    family_not_told_reason = EncryptedTextField(
        "pourquoi la famille n'est pas informée", max_length=2000, blank=True
    )

    objects = DangerReportQuerySet.as_manager()

    class Meta:
        verbose_name = "signalement de danger"
        verbose_name_plural = "signalements de danger"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["state", "created_at"], name="danger_report_queue_idx"),
            models.Index(fields=["content_type", "object_id"], name="danger_report_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=DangerReportState.TRANSMITTED)
                | (Q(transmitted_at__isnull=False) & ~Q(transmitted_to="")),
                name="danger_report_transmission_recorded",
            ),
        ]

    def __str__(self):
        return f"Signalement n° {self.pk}"

    def get_absolute_url(self):
        return reverse("safeguarding:detail", args=[self.pk])
