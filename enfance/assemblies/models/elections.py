"""Elections of college members at an atelier (the ballot is held at the event)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .instances import College, Instance


class CollegeElection(models.Model):
    """The election of a college's members by the people present at an atelier (seed 001):
    a majority-judgment ballot held at the event, whose candidates are the shortlisted
    applications to that college."""

    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="elections"
    )
    college = models.ForeignKey(
        College, verbose_name="collège", on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event", verbose_name="atelier", on_delete=models.PROTECT, related_name="+"
    )
    ballot = models.OneToOneField(
        "votes.Ballot", verbose_name="vote", on_delete=models.PROTECT, related_name="+"
    )
    # The seats free in the college when the vote opened: at most that many are elected.
    seats = models.PositiveSmallIntegerField("sièges à pourvoir")
    # Ballot option id -> application id, as given to the votes engine.
    options = models.JSONField("options")
    created_at = models.DateTimeField("ouverte le", default=timezone.now)
    concluded_at = models.DateTimeField("conclue le", null=True, blank=True)

    class Meta:
        verbose_name = "élection à un collège"
        verbose_name_plural = "élections aux collèges"
        ordering = ["-created_at"]
        constraints = [
            # A double click or two tabs cannot open two elections for the same seats.
            models.UniqueConstraint(
                fields=["instance", "college"],
                condition=Q(concluded_at__isnull=True),
                name="one_open_election_per_college",
            )
        ]

    def __str__(self):
        return f"Élection au collège {self.college.of_label} — {self.instance}"
