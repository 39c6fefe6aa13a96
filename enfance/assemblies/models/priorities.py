"""The local diagnostic: the needs of the territory and their ranking by the members."""

from django.db import models
from django.utils import timezone

from .instances import Instance


class Priority(models.Model):
    """A need or problem of the territory (the "diagnostic local" of seed 001)."""

    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField("intitulé", max_length=150)
    description = models.TextField("description", max_length=1000, blank=True)
    # Its place in the ranking of the last closed majority-judgment ballot (1 = first).
    rank = models.PositiveSmallIntegerField("rang", null=True, blank=True)
    median_grade = models.CharField("mention majoritaire", max_length=40, blank=True)
    created_at = models.DateTimeField("ajoutée le", default=timezone.now)

    class Meta:
        verbose_name = "priorité locale"
        verbose_name_plural = "priorités locales"
        ordering = ["instance", models.F("rank").asc(nulls_last=True), "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "title"], name="priority_title_unique"),
        ]

    def __str__(self):
        return self.title


class PriorityRanking(models.Model):
    """The majority-judgment ballot that ranks an instance's priorities."""

    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="rankings"
    )
    ballot = models.OneToOneField(
        "votes.Ballot", verbose_name="vote", on_delete=models.PROTECT, related_name="+"
    )
    # Ballot option label -> priority id, as given to the votes engine.
    options = models.JSONField("options")
    created_at = models.DateTimeField("créé le", default=timezone.now)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)

    class Meta:
        verbose_name = "classement des priorités"
        verbose_name_plural = "classements des priorités"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Classement des priorités — {self.instance}"
