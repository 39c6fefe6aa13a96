"""Meetings of an instance: agenda, attendance, decisions and minutes."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.core.workflow import Actionable

from ..enums import (
    MinutesStatus,
)
from .instances import Instance, Membership


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")


class Meeting(models.Model):
    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField("titre", max_length=150)
    starts_at = models.DateTimeField("date et heure")
    place = models.CharField("lieu", max_length=200, blank=True)
    online_link = models.URLField("lien de la réunion en ligne", blank=True)
    convened_at = models.DateTimeField("convocation envoyée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["instance", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="meeting_has_place_or_link"
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.instance}"

    def get_absolute_url(self):
        return reverse("assemblies:meeting", args=[self.instance.slug, self.pk])

    def can_manage_ballots(self, user) -> bool:
        return self.instance.can_manage_ballots(user)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField("ordre")
    title = models.CharField("point", max_length=200)

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "ordre du jour"
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position"),
        ]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="attendances"
    )
    membership = models.ForeignKey(
        Membership, verbose_name="mandat", on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField("présent", default=False)

    class Meta:
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="one_attendance_per_member"
            ),
        ]

    def __str__(self):
        return f"Présence n° {self.pk}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField("décision", max_length=2000)
    ballot = models.ForeignKey(
        "votes.Ballot",
        verbose_name="vote",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("prise le", default=timezone.now)

    class Meta:
        verbose_name = "décision"
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self):
        return self.text[:80]


class MinutesQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=MinutesStatus.PUBLIE)


class Minutes(Actionable, models.Model):
    meeting = models.OneToOneField(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="minutes"
    )
    text = models.TextField("compte rendu", max_length=20000)
    status = models.CharField(
        "état", max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.BROUILLON
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = "compte rendu"
        verbose_name_plural = "comptes rendus"

    def __str__(self):
        return f"Compte rendu — {self.meeting}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()
