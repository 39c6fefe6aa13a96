"""The independent control body: the national référentiel, and the inspections of the
structures d'accueil (enfance.care) graded against it.

**Référentiel.** Versioned: a version is loaded once from its data file (referentiel/*.toml,
``referentiel.load``) and never changes; an inspection keeps the version it was opened with, so a
new version never changes a finished inspection.

**Inspections** follow the French contradictory procedure: the visit and its findings (drafts
seen by the inspection team only), a rapport provisoire sent to the structure's gestionnaires,
who have a set time to send observations, then the rapport définitif, published anonymised. The
grade is computed by ``grading.grade`` from the findings when the rapport provisoire is sent, and
kept with the report.

Nothing here names a child: what children and families said is written down anonymised, and the
public report names the structure by its type, its département and a public identifier only.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.care.models import Structure
from enfance.core.dates import PLANNED, DateBounds
from enfance.core.workflow import Actionable

from .enums import (
    PUBLIC_STATUSES,
    ActionKind,
    ActionStatus,
    AlertSource,
    EntrySource,
    InspectionStatus,
    Judgement,
    Level,
    Origin,
)

# The control history a département brings may predate the platform: visits, deadlines and
# alerts from this day on (a mistyped year is still refused), visits at most two years ahead.
HISTORY_START = date(2000, 1, 1)
CODE_MAX = 30
TITLE_MAX = 200
# What a contrôleur writes about one criterion: what was observed, what children and families
# said. Long enough for a paragraph, short enough to be read on a tablet.
FINDING_TEXT_MAX = 3_000
REPORT_TEXT_MAX = 20_000
OBSERVATIONS_MAX = 20_000
LINK_DETAILS_MAX = 1_000
ACTION_TEXT_MAX = 2_000
ANSWER_TEXT_MAX = 5_000
REASON_MAX = 1_000
ALERT_TEXT_MAX = 3_000
# Seed 003 asks every département for a yearly control plan from the 2020-2022 strategy on.
FIRST_PLAN_YEAR = 2020
ALERT_DAY = DateBounds(
    HISTORY_START,
    "Indiquez une date à partir du {earliest}.",
    0,
    "Une alerte ne peut pas être reçue dans le futur.",
)
# A required action's deadline: at most two years ahead.
DUE_DAY = DateBounds(
    HISTORY_START, "Choisissez une échéance à partir du {earliest}.", 2, PLANNED.too_late
)
SCORE_MIN, SCORE_MAX = 1, 4
VISIT_DAY = DateBounds(
    HISTORY_START, "Choisissez une date de visite à partir du {earliest}.", 2, PLANNED.too_late
)


class Referentiel(models.Model):
    version = models.CharField("version", max_length=20, unique=True)
    title = models.CharField("titre", max_length=TITLE_MAX)
    summary = models.TextField("présentation")
    published_on = models.DateField("publié le")
    # [{"label": ..., "note": ...}]: what the version drew from, shown on its page.
    sources = models.JSONField("sources", default=list)
    loaded_at = models.DateTimeField("chargé le", default=timezone.now)

    class Meta:
        verbose_name = "version du référentiel"
        verbose_name_plural = "versions du référentiel"
        ordering = ["-published_on", "-version"]

    def __str__(self):
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self):
        return reverse("inspections:referentiel", kwargs={"version": self.version})

    @property
    def limiting_theme(self):
        return next(theme for theme in self.themes.all() if theme.limiting)


class Theme(models.Model):
    referentiel = models.ForeignKey(Referentiel, on_delete=models.CASCADE, related_name="themes")
    code = models.CharField("code", max_length=CODE_MAX)
    title = models.CharField("titre", max_length=TITLE_MAX)
    summary = models.TextField("présentation")
    # « How well children are helped and protected » (Ofsted's limiting judgement).
    limiting = models.BooleanField("thème limitant", default=False)
    position = models.PositiveSmallIntegerField("ordre")

    class Meta:
        verbose_name = "thème"
        ordering = ["referentiel", "position"]
        constraints = [
            models.UniqueConstraint(fields=["referentiel", "code"], name="one_theme_per_code"),
            models.UniqueConstraint(
                fields=["referentiel"],
                condition=Q(limiting=True),
                name="one_limiting_theme_per_version",
            ),
        ]

    def __str__(self):
        return self.title


class Criterion(models.Model):
    # The version too, so that « a criterion of this version » is one column (findings check it).
    referentiel = models.ForeignKey(Referentiel, on_delete=models.CASCADE, related_name="criteria")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField("code", max_length=CODE_MAX)
    text = models.TextField("critère")
    evidence = models.TextField("ce que le contrôle regarde")
    # Its failure puts a child at risk or breaks the law: an action is required whatever the
    # overall grade (HAS's « critères impératifs »).
    imperative = models.BooleanField("impératif", default=False)
    position = models.PositiveSmallIntegerField("ordre")

    class Meta:
        verbose_name = "critère"
        ordering = ["referentiel", "theme__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["referentiel", "code"], name="one_criterion_per_code")
        ]

    def __str__(self):
        return f"{self.code} — {self.text}"


def public_identifier(structure) -> str:
    """How public reports name a structure: never by its name or address, by a stable identifier
    that lets a reader follow it from one report to the next."""
    return f"ES-{structure.departement.code}-{structure.pk:05d}"


class InspectionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=PUBLIC_STATUSES)


class ControlPlan(models.Model):
    """The yearly control plan of a département (seed 003): the structures to inspect this year,
    proposed by a risk score, adjusted by hand with a reason."""

    departement = models.ForeignKey(
        "territories.Departement", on_delete=models.PROTECT, related_name="control_plans"
    )
    year = models.PositiveSmallIntegerField("année")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)

    class Meta:
        verbose_name = "plan de contrôle"
        verbose_name_plural = "plans de contrôle"
        ordering = ["-year", "departement__code"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "year"], name="one_plan_a_year"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_PLAN_YEAR), name="plan_year_within_bounds"
            ),
        ]

    def __str__(self):
        return f"Plan de contrôle {self.year} — {self.departement}"

    def get_absolute_url(self):
        return reverse(
            "inspections:plan", kwargs={"code": self.departement.code, "year": self.year}
        )


class PlanEntry(models.Model):
    plan = models.ForeignKey(ControlPlan, on_delete=models.CASCADE, related_name="entries")
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="plan_entries")
    source = models.CharField("origine", max_length=10, choices=EntrySource.choices)
    # The risk score and what made it, when the structure was put in the plan.
    risk_score = models.PositiveSmallIntegerField("score de risque")
    risk_reasons = models.JSONField("raisons du score", default=list)
    reason = models.TextField("raison de l'ajustement", max_length=REASON_MAX, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField("ajoutée le", default=timezone.now)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    withdrawn_reason = models.TextField("raison du retrait", max_length=REASON_MAX, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "structure au plan"
        verbose_name_plural = "structures au plan"
        ordering = ["-risk_score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "structure"], name="once_in_a_plan"),
            models.CheckConstraint(
                condition=Q(source=EntrySource.PROPOSED) | ~Q(reason=""),
                name="entry_by_hand_has_a_reason",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawn_reason=""),
                name="withdrawal_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.structure} — {self.plan}"


class Alert(models.Model):
    """What opens an unplanned inspection: a danger report about the structure, an interpellation,
    a complaint. Recorded by the control body, without any child's name."""

    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="alerts")
    source = models.CharField("origine", max_length=20, choices=AlertSource.choices)
    summary = models.TextField("ce qui est signalé (sans nom)", max_length=ALERT_TEXT_MAX)
    received_on = models.DateField("reçue le")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now)

    class Meta:
        verbose_name = "alerte"
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["structure", "received_on"], name="alert_structure_idx")]
        constraints = [ALERT_DAY.constraint("received_on", model="alert")]

    def __str__(self):
        return f"{self.get_source_display()} — {self.structure} ({self.received_on:%d/%m/%Y})"


class Inspection(Actionable, models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="inspections")
    referentiel = models.ForeignKey(
        Referentiel, on_delete=models.PROTECT, related_name="inspections"
    )
    origin = models.CharField("origine", max_length=20, choices=Origin.choices)
    # Unannounced: the date of the visit is seen by the inspection team only.
    announced = models.BooleanField("visite annoncée", default=True)
    # [JointWith values]: who the inspection is run with, if anyone.
    joint_with = models.JSONField("contrôle conjoint avec", default=list, blank=True)
    visit_on = models.DateField("date de la visite")
    plan_entry = models.ForeignKey(
        PlanEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    alert = models.ForeignKey(
        Alert, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspections"
    )
    status = models.CharField(
        "état",
        max_length=20,
        choices=InspectionStatus.choices,
        default=InspectionStatus.SCHEDULED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("ouverte le", default=timezone.now)
    started_at = models.DateTimeField("visite commencée le", null=True, blank=True)
    # The report: the team's synthesis, then the manager's observations on the rapport
    # provisoire (the contradictory procedure), then the rapport définitif.
    report = models.TextField("rapport", max_length=REPORT_TEXT_MAX, blank=True)
    provisional_at = models.DateTimeField("rapport provisoire envoyé le", null=True, blank=True)
    observations_due = models.DateField("observations attendues avant le", null=True, blank=True)
    observations = models.TextField(
        "observations du gestionnaire", max_length=OBSERVATIONS_MAX, blank=True
    )
    observations_at = models.DateTimeField("observations reçues le", null=True, blank=True)
    observations_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    final_at = models.DateTimeField("rapport définitif le", null=True, blank=True)
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    # The grade, computed from the findings when the rapport provisoire is sent (grading.py).
    mean = models.DecimalField("moyenne", max_digits=4, decimal_places=2, null=True, blank=True)
    judgement = models.CharField(
        "appréciation d'ensemble", max_length=20, choices=Judgement.choices, blank=True
    )
    level = models.CharField("niveau", max_length=1, choices=Level.choices, blank=True)
    limited = models.BooleanField("limitée par le thème limitant", default=False)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = "inspection"
        ordering = ["-visit_on", "-pk"]
        indexes = [
            models.Index(
                fields=["structure", "status", "visit_on"], name="inspection_structure_idx"
            ),
            models.Index(fields=["status", "visit_on"], name="inspection_status_idx"),
        ]
        constraints = [
            VISIT_DAY.constraint("visit_on", model="inspection"),
            models.CheckConstraint(
                condition=Q(mean__isnull=True) | Q(mean__gte=SCORE_MIN, mean__lte=SCORE_MAX),
                name="inspection_mean_within_scores",
            ),
            models.CheckConstraint(
                condition=Q(level="") | Q(level__in=Level.values),
                name="inspection_level_known",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        InspectionStatus.SCHEDULED,
                        InspectionStatus.IN_PROGRESS,
                        InspectionStatus.CANCELLED,
                    ]
                )
                | (~Q(level="") & ~Q(judgement="") & Q(mean__isnull=False)),
                name="inspection_report_has_its_grade",
            ),
            # One visit a day to a structure (a joint visit is one inspection): a form sent
            # twice opens nothing more.
            models.UniqueConstraint(
                fields=["structure", "visit_on"],
                condition=~Q(status=InspectionStatus.CANCELLED),
                name="inspection_one_visit_a_day",
            ),
        ]

    def __str__(self):
        return f"Inspection de {self.structure} ({self.visit_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("inspections:inspection", kwargs={"pk": self.pk})

    @property
    def public_identifier(self) -> str:
        return public_identifier(self.structure)


class InspectionMember(models.Model):
    """A contrôleur of the inspection team, who declared no link with the structure."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="members")
    # Empty once the contrôleur's account is deleted: the seat stays in the record, not the name.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="inspection_memberships",
    )
    lead = models.BooleanField("responsable de l'inspection", default=False)
    joined_at = models.DateTimeField("rejoint le", default=timezone.now)

    class Meta:
        verbose_name = "membre de l'équipe d'inspection"
        constraints = [
            models.UniqueConstraint(fields=["inspection", "user"], name="one_seat_per_controleur"),
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(lead=True), name="one_lead_per_inspection"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.inspection}"


class InterestDeclaration(models.Model):
    """What a contrôleur declares before inspecting a structure: a link with it (worked there,
    family, the association's board...) refuses them a seat in its inspections."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="interest_declarations",
    )
    structure = models.ForeignKey(
        Structure, on_delete=models.CASCADE, related_name="interest_declarations"
    )
    has_link = models.BooleanField("lien déclaré")
    details = models.TextField("nature du lien", max_length=LINK_DETAILS_MAX, blank=True)
    declared_at = models.DateTimeField("déclaré le", default=timezone.now)

    class Meta:
        verbose_name = "déclaration d'intérêts"
        verbose_name_plural = "déclarations d'intérêts"
        ordering = ["-declared_at"]
        indexes = [models.Index(fields=["user", "structure"], name="interest_user_structure_idx")]

    def __str__(self):
        return f"{self.user} — {self.structure} : {'lien' if self.has_link else 'aucun lien'}"


class Finding(models.Model):
    """What the team found on one criterion: a score from 1 to 4 or « non concerné », the
    evidence observed, what children and families said (anonymised). Saved as it is typed."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="findings")
    score = models.PositiveSmallIntegerField("note", null=True, blank=True)
    not_concerned = models.BooleanField("non concerné", default=False)
    evidence = models.TextField("constats", max_length=FINDING_TEXT_MAX, blank=True)
    voices = models.TextField(
        "paroles des enfants et des familles (anonymisées)",
        max_length=FINDING_TEXT_MAX,
        blank=True,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField("modifié le", default=timezone.now)

    class Meta:
        verbose_name = "constat"
        ordering = ["criterion__theme__position", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "criterion"], name="one_finding_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX),
                name="finding_score_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(not_concerned=False),
                name="finding_scored_or_not_concerned",
            ),
        ]

    def __str__(self):
        return f"{self.criterion.code} : {self.value or 'non concerné'}"

    @property
    def value(self) -> int | None:
        """The score as grading reads it (None: non concerné)."""
        return None if self.not_concerned else self.score

    @property
    def answered(self) -> bool:
        return self.not_concerned or self.score is not None


class RequiredActionQuerySet(models.QuerySet):
    def overdue(self, today):
        """Required actions past their deadline and not accepted."""
        return self.filter(kind=ActionKind.REQUIRED, due_on__lt=today).exclude(
            status=ActionStatus.ACCEPTED
        )


class RequiredAction(Actionable, models.Model):
    """What the report asks of the structure, tied to a criterion: a required action with a
    deadline, or a recommendation. The gestionnaire answers with a plan and its evidence; the
    inspection team accepts it or asks for more."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="actions")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField("nature", max_length=20, choices=ActionKind.choices)
    text = models.TextField("ce qui est demandé", max_length=ACTION_TEXT_MAX)
    due_on = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "suivi", max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    plan = models.TextField("plan d'action du gestionnaire", max_length=ANSWER_TEXT_MAX, blank=True)
    evidence = models.TextField("preuves apportées", max_length=ANSWER_TEXT_MAX, blank=True)
    answered_at = models.DateTimeField("réponse envoyée le", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(
        "avis de l'équipe d'inspection", max_length=ANSWER_TEXT_MAX, blank=True
    )
    decided_at = models.DateTimeField("avis donné le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("écrite le", default=timezone.now)

    objects = RequiredActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action demandée"
        verbose_name_plural = "actions demandées"
        ordering = ["kind", "due_on", "pk"]
        indexes = [models.Index(fields=["kind", "status", "due_on"], name="action_overdue_idx")]
        constraints = [
            DUE_DAY.constraint("due_on", model="action", nullable=True),
            models.CheckConstraint(
                condition=~Q(kind=ActionKind.REQUIRED) | Q(due_on__isnull=False),
                name="required_action_has_a_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.criterion.code}) : {self.text[:60]}"

    def is_overdue(self, today) -> bool:
        return (
            self.kind == ActionKind.REQUIRED
            and self.due_on is not None
            and self.due_on < today
            and self.status != ActionStatus.ACCEPTED
        )
