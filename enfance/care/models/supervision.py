"""How an instance locale supervises the SCIC it oversees (seed 000): the SCIC publishes its
annual report and accounts to the public, the instance's members vote a yearly opinion on them
(a ballot of the votes engine, the report as its context), and the instance puts questions to the
SCIC on record, each with its deadline and the SCIC's answer, in public."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.assemblies.perms import can_manage_instance

from .cooperatives import Cooperative

QUESTION_MAX = 3000
ANSWER_MAX = 6000
FIRST_REPORT_YEAR = 2020


class AnnualReport(models.Model):
    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("exercice")
    report = models.FileField("rapport annuel (PDF)", upload_to="scic/rapports/")
    accounts = models.FileField("comptes annuels (PDF)", upload_to="scic/comptes/")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="publié par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("publié le", default=timezone.now)

    class Meta:
        verbose_name = "rapport annuel d'une SCIC"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "year"], name="scic_report_once_a_year"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_REPORT_YEAR), name="scic_report_year_bounds"
            ),
        ]

    def __str__(self):
        return f"Rapport annuel {self.year} — {self.cooperative}"

    def get_absolute_url(self):
        return reverse("care:cooperative", args=[self.cooperative_id]) + f"#rapport-{self.year}"

    # The supervising instance's members vote their opinion on the report: the report is the
    # ballot's context, the instance's members its electorate.
    def can_manage_ballots(self, user) -> bool:
        return can_manage_instance(user, self.cooperative.instance)

    def ballot_electorate(self):
        return self.cooperative.instance.ballot_electorate()


class SupervisionQuestion(models.Model):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="questions")
    question = models.TextField("question", max_length=QUESTION_MAX)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="posée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField("posée le", default=timezone.now)
    due_on = models.DateField("réponse attendue au plus tard le")
    answer = models.TextField("réponse", max_length=ANSWER_MAX, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="répondue par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)

    class Meta:
        verbose_name = "question de l'instance à une SCIC"
        ordering = ["-asked_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="scic_question_answer_written",
            ),
        ]

    def __str__(self):
        return f"Question du {self.asked_at:%d/%m/%Y} à {self.cooperative}"

    def get_absolute_url(self):
        return reverse("care:cooperative", args=[self.cooperative_id]) + f"#question-{self.pk}"

    def late(self, today: date | None = None) -> bool:
        """Unanswered past its deadline, or answered after it."""
        if self.answered_at is not None:
            return timezone.localdate(self.answered_at) > self.due_on
        return (today or timezone.localdate()) > self.due_on
