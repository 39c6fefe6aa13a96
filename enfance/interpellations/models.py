"""Interpellations: an instance names a failing institution, states the facts and the failures
it observed, makes recommendations, adopts the text by vote and sends it; the platform tracks the
institution's answer and its deadline in public.

The institution answers through a secret link, without an account. The link's token is never
stored: it is derived from the platform's secret key and a random nonce kept on the row (so that
reminders can give the same link again), and only its SHA-256 is stored, for the lookup. A copy
of the database alone does not give anyone the links.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.enums import RoleKind, ScopeLevel
from enfance.assemblies.models import Membership
from enfance.core.dates import HAPPENED, PLANNED
from enfance.core.workflow import Actionable
from enfance.territories.models import normalize_name

from .enums import PUBLIC_STATES, SENT_STATES, AnswerChannel, AnswerStatus, InstitutionKind, State
from .perms import can_manage_interpellation, can_read_draft
from .voting import vote_progress

# The limits people are told (forms) and that the services check, in characters.
NAME_MAX = 200
TEXT_MAX = 20000
EMAIL_MAX = 254
# The days the deadline and a postal answer may take (core.dates): forms, services, database.
DUE_DAY = PLANNED.worded(too_early="La date limite de réponse doit être dans le futur.")
RECEPTION_DAY = HAPPENED.worded(too_late="La date de réception ne peut pas être future.")


def length_checks(prefix: str, limits: dict[str, int]) -> list[models.CheckConstraint]:
    """The database's own guard on text lengths: PostgreSQL does not bound a TEXT column and
    SQLite bounds no column at all, so a write that skips the services is refused too."""
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(field), limit), name=f"{prefix}_{field}_max_length"
        )
        for field, limit in limits.items()
    ]


class Institution(models.Model):
    kind = models.CharField("type d'institution", max_length=20, choices=InstitutionKind.choices)
    name = models.CharField("nom de l'institution", max_length=NAME_MAX)
    # The name as people type it (case, accents, punctuation ignored): one row per institution.
    name_key = models.CharField(max_length=200, editable=False)
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "institution"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name_key"], name="institution_unique_name"),
            *length_checks("institution", {"name": NAME_MAX}),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = normalize_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("interpellations:institution", args=[self.pk])


def public_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}state__in": PUBLIC_STATES})


def answer_status_q(status: str, today: date) -> Q:
    """The rows of one public answer status, on a given day."""
    if status == AnswerStatus.PENDING:
        return Q(state=State.SENT, answer_due_on__gte=today)
    if status == AnswerStatus.OVERDUE:
        return Q(state=State.OVERDUE) | Q(state=State.SENT, answer_due_on__lt=today)
    if status == AnswerStatus.ANSWERED:
        return Q(state=State.ANSWERED, answered_late=False)
    if status == AnswerStatus.ANSWERED_LATE:
        return Q(state=State.ANSWERED, answered_late=True)
    raise ValueError(status)


class InterpellationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(public_q())

    def sent(self):
        return self.filter(state__in=SENT_STATES)

    def visible_to(self, user):
        """Public interpellations, and the drafts of the instances this person sits in or
        manages as administrateur national."""
        if not user.is_authenticated:
            return self.public()
        roles = [r for r in user.active_roles() if r.kind == RoleKind.ADMINISTRATEUR_NATIONAL]
        if any(r.scope_level == ScopeLevel.NATIONAL for r in roles):
            return self
        memberships = Membership.objects.current().filter(
            user=user.pk, instance=OuterRef("instance")
        )
        regions = [r.region_id for r in roles if r.scope_level == ScopeLevel.REGION]
        return self.filter(
            public_q() | Exists(memberships) | Q(instance__departement__region__in=regions)
        )

    def for_list(self):
        return self.select_related("institution", "instance__departement")


class Interpellation(Actionable, models.Model):
    instance = models.ForeignKey(
        "assemblies.Instance",
        verbose_name="instance locale",
        on_delete=models.PROTECT,
        related_name="interpellations",
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name="institution",
        on_delete=models.PROTECT,
        related_name="interpellations",
    )
    title = models.CharField("objet", max_length=NAME_MAX)
    contact_email = models.EmailField("adresse électronique de l'institution", max_length=EMAIL_MAX)
    facts = models.TextField("les faits", max_length=TEXT_MAX)
    failures = models.TextField("les manquements constatés", max_length=TEXT_MAX)
    recommendations = models.TextField("les recommandations", max_length=TEXT_MAX)
    state = models.CharField("état", max_length=20, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rédigée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)
    # The adoption vote in progress or concluded (the votes engine holds the ballots).
    ballot = models.ForeignKey(
        "votes.Ballot",
        verbose_name="vote d'adoption",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField("adoptée le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    answer_due_on = models.DateField("réponse attendue au plus tard le", null=True, blank=True)
    answer_link_nonce = models.CharField(max_length=64, blank=True, editable=False)
    answer_token_hash = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # The smallest "days before the deadline" whose reminder went out (see services.remind).
    last_reminder_days = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    answered_at = models.DateTimeField("réponse enregistrée le", null=True, blank=True)
    answered_on = models.DateField("réponse datée du", null=True, blank=True)
    answer_channel = models.CharField(
        "réponse reçue", max_length=20, choices=AnswerChannel.choices, blank=True
    )
    answer_signatory = models.CharField("signataire de la réponse", max_length=NAME_MAX, blank=True)
    answer_text = models.TextField("réponse de l'institution", max_length=TEXT_MAX, blank=True)
    # Kept with the answer so that the statistics by institution are plain sums and averages.
    answer_delay_days = models.PositiveIntegerField("délai de réponse (jours)", null=True)
    answered_late = models.BooleanField("répondue hors délai", null=True)
    answer_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="réponse saisie par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InterpellationQuerySet.as_manager()

    class Meta:
        verbose_name = "interpellation"
        ordering = ["-adopted_at", "-created_at", "-pk"]
        indexes = [
            # The public list, newest adoption first, read from the index (LIMIT stops early).
            models.Index(fields=["-adopted_at", "-id"], name="interp_public_list_idx"),
            models.Index(fields=["institution", "state"], name="interp_institution_idx"),
            models.Index(fields=["instance", "state"], name="interp_instance_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state__in=SENT_STATES)
                | Q(sent_at__isnull=False, answer_due_on__isnull=False),
                name="interp_sent_has_dates",
            ),
            DUE_DAY.constraint("answer_due_on", model="interpellation", nullable=True),
            RECEPTION_DAY.constraint("answered_on", model="interpellation", nullable=True),
            models.CheckConstraint(
                condition=~Q(state=State.ANSWERED)
                | Q(
                    answered_on__isnull=False,
                    answer_delay_days__isnull=False,
                    answered_late__isnull=False,
                )
                & ~Q(answer_text=""),
                name="interp_answered_has_answer",
            ),
            *length_checks(
                "interp",
                {
                    "title": NAME_MAX,
                    "contact_email": EMAIL_MAX,
                    "facts": TEXT_MAX,
                    "failures": TEXT_MAX,
                    "recommendations": TEXT_MAX,
                    "answer_signatory": NAME_MAX,
                    "answer_text": TEXT_MAX,
                },
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("interpellations:detail", args=[self.pk])

    # The votes engine asks its contexts these questions (see enfance/votes/services.py).
    def can_manage_ballots(self, user) -> bool:
        return can_manage_interpellation(user, self)

    def is_visible_to(self, user) -> bool:
        return self.is_public or can_read_draft(user, self)

    def ballot_electorate(self):
        return self.instance.ballot_electorate()

    def ballot_closing_refusal(self, ballot, now) -> str | None:
        """The adoption vote closes early only once every member has voted: the rule of
        conclude_vote, asked by the votes engine wherever the ballot closes (voting.py)."""
        return vote_progress(ballot, now=now).refusal

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    @property
    def is_sent(self) -> bool:
        return self.state in SENT_STATES

    def answer_status(self, today: date | None = None) -> str | None:
        if not self.is_sent:
            return None
        today = today or timezone.localdate()
        for status in AnswerStatus:
            if self._matches(status, today):
                return status
        return None

    def _matches(self, status, today) -> bool:
        if status == AnswerStatus.PENDING:
            return self.state == State.SENT and self.answer_due_on >= today
        if status == AnswerStatus.OVERDUE:
            return self.state == State.OVERDUE or (
                self.state == State.SENT and self.answer_due_on < today
            )
        if status == AnswerStatus.ANSWERED:
            return self.state == State.ANSWERED and not self.answered_late
        return self.state == State.ANSWERED and bool(self.answered_late)

    @property
    def answer_status_label(self) -> str:
        status = self.answer_status()
        return AnswerStatus(status).label if status else self.get_state_display()
