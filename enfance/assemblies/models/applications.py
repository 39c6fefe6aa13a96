"""Applications to sit in a college, and the published draws among them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.naming import initialled_name
from enfance.core.workflow import Actionable
from enfance.territories.models import Commune

from ..enums import (
    AgeBand,
    ApplicationStatus,
    ExpertField,
    Gender,
    Stratification,
)
from .instances import College, Instance


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[ApplicationStatus.DEPOSEE, ApplicationStatus.RETENUE])


class Application(Actionable, models.Model):
    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="applications"
    )
    college = models.ForeignKey(
        College, verbose_name="collège", on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="candidat",
        on_delete=models.CASCADE,
        related_name="instance_applications",
    )
    # The pseudonym under which the application appears in a published draw.
    public_code = models.CharField("code public", max_length=12, unique=True)
    motivation = models.TextField("motivation", max_length=1000)
    status = models.CharField(
        "état",
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DEPOSEE,
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    gender = models.CharField("genre", max_length=10, choices=Gender.choices, blank=True)
    age_band = models.CharField("tranche d'âge", max_length=10, choices=AgeBand.choices, blank=True)
    expert_field = models.CharField(
        "domaine d'expertise", max_length=20, choices=ExpertField.choices, blank=True
    )
    created_at = models.DateTimeField("déposée le", default=timezone.now)
    # Set when a co-optation vote is opened for this application.
    cooptation_ballot = models.ForeignKey(
        "votes.Ballot",
        verbose_name="vote de cooptation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = "candidature"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "applicant"],
                condition=Q(status__in=[ApplicationStatus.DEPOSEE, ApplicationStatus.RETENUE]),
                name="one_open_application_per_instance",
            ),
        ]

    def __str__(self):
        return f"Candidature {self.public_code}"

    @property
    def public_name(self) -> str:
        """As Membership.public_name (a cooptation ballot's title, seen by the members): a
        child applicant by first name only, an adult by first name and initial unless they
        chose their full name."""
        if self.college.is_age_limited or self.applicant.full_name_in_instances:
            return self.full_name
        return initialled_name(self.applicant)

    @staticmethod
    def ballot_labels(applications) -> list[str]:
        """The candidates as an election names them: public names, each followed by its
        candidacy's code where two would read alike (two « Marie D. »)."""
        names = [application.public_name for application in applications]
        alike = {name for name in names if names.count(name) > 1}
        return [
            f"{name} ({application.public_code})" if name in alike else name
            for name, application in zip(names, applications, strict=True)
        ]

    @property
    def full_name(self) -> str:
        """For those who manage the instance: as Membership.full_name."""
        if self.college.is_age_limited:
            return self.applicant.first_name or "Candidature au collège des enfants"
        return self.applicant.display_name


class Draw(models.Model):
    """A published, reproducible drawing of lots (see draw.py for the algorithm)."""

    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="draws"
    )
    college = models.ForeignKey(
        College, verbose_name="collège", on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveSmallIntegerField("sièges tirés")
    seed = models.CharField("graine", max_length=100)
    stratification = models.CharField(
        "stratification", max_length=20, choices=Stratification.choices, blank=True
    )
    # The shortlisted applications by public code, in the order given to the algorithm.
    candidates = models.JSONField("candidatures retenues")
    # Public code -> stratum label (a commune name, an age band, a gender), when stratified.
    strata = models.JSONField("strates", default=dict, blank=True)
    result = models.JSONField("résultat")
    drawn_at = models.DateTimeField("tiré le", default=timezone.now)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="tiré par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "tirage au sort"
        verbose_name_plural = "tirages au sort"
        ordering = ["-drawn_at"]

    def __str__(self):
        return f"Tirage au sort n° {self.pk} — {self.college}"

    def get_absolute_url(self):
        return reverse("assemblies:draw", args=[self.instance.slug, self.pk])
