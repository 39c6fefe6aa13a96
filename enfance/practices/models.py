"""Inspiring practices (seed 004): declared fiches (level 1), ONPE fiches (level 2), the
selection committee's thread, conflicts of interest and marks, and the option lists.

Option lists are rows of ``ReferenceOption`` that an administrator edits; fiches point to them by
id, so renaming an option renames it everywhere and never breaks a fiche. Seed 004 was extracted
from a screenshot and some labels came out garbled; ``enfance/practices/reference_data.py`` keeps
every real category and documents how each garbled label was restored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from enfance.core.dates import LIBRARY, PRACTICE_HISTORY
from enfance.core.workflow import Actionable
from enfance.territories.models import Commune, Departement

from .enums import (
    CONFLICT_NOTE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    ENTITY_NAME_MAX_LENGTH,
    FICHE_TEXT_MAX_LENGTH,
    MARK_COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    PRECISION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    CostBand,
    EvidenceLevel,
    EvidenceStage,
    MarkCriterion,
    PracticeLevel,
    PracticeState,
    ReferenceList,
    Scale,
    StructureKind,
    Transferability,
)
from .perms import is_committee_member, is_redacteur_onpe

# The days the dates of a fiche may take (core.dates): forms, services, database.
IMPLEMENTATION_DAY = PRACTICE_HISTORY.worded(
    too_late="La date de mise en œuvre ne peut pas être dans le futur."
)
AGREEMENT_DAY = LIBRARY.worded(too_late="La date de l'accord ne peut pas être dans le futur.")
REVIEW_DAY = LIBRARY.worded(too_late="La date d'examen ne peut pas être dans le futur.")


class ReferenceOptionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def of_list(self, list_name):
        return self.filter(list=list_name)


class ReferenceOption(models.Model):
    list = models.CharField("liste", max_length=30, choices=ReferenceList.choices)
    label = models.CharField("libellé", max_length=100)
    position = models.PositiveSmallIntegerField("ordre d'affichage", default=0)
    is_active = models.BooleanField(
        "proposée dans le formulaire",
        default=True,
        help_text="Une option retirée reste affichée sur les fiches qui l'utilisent.",
    )
    asks_precision = models.BooleanField(
        "demande une précision",
        default=False,
        help_text="Par exemple « Autre » : le déclarant doit préciser.",
    )

    objects = ReferenceOptionQuerySet.as_manager()

    class Meta:
        verbose_name = "option de liste"
        verbose_name_plural = "options des listes"
        ordering = ["list", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["list", "label"], name="practice_option_unique_label"),
            models.CheckConstraint(condition=~Q(label=""), name="practice_option_label_not_empty"),
            models.CheckConstraint(
                condition=Q(list__in=ReferenceList.values), name="practice_option_list_valid"
            ),
        ]

    def __str__(self):
        return self.label


class PracticeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=PracticeState.PUBLISHED)

    def declared_by(self, user):
        return self.filter(declarant=user)

    def visible_to(self, user):
        """Published fiches, and those this person follows (perms.can_follow_practice)."""
        if not user.is_authenticated:
            return self.published()
        visible = Q(state=PracticeState.PUBLISHED) | Q(declarant=user)
        if is_committee_member(user):
            visible |= Q(level=PracticeLevel.DECLARED) & ~Q(state=PracticeState.DRAFT)
        if is_redacteur_onpe(user):
            visible |= Q(level=PracticeLevel.ONPE)
        return self.filter(visible)

    def with_labels(self):
        """Everything a list or a fiche shows, in the same query."""
        return self.select_related(
            "intervention_type", "theme", "audience", "relay", "departement", "commune"
        )


def _max_length(field: str, limit: int, name: str) -> models.CheckConstraint:
    # SQLite does not enforce varchar lengths, so the check is explicit. Lengths are counted in
    # characters, line breaks as one ("\r\n" is stored as "\n"): the form and the live counter
    # count the same way.
    return models.CheckConstraint(
        condition=LessThanOrEqual(Length(field), limit), name=f"practice_{name}_max_length"
    )


# A fiche leaves the draft state complete: these are the asterisks of seed 004's form.
_COMPLETE = (
    Q(implemented_on__isnull=False)
    & ~Q(title="")
    & ~Q(entity_name="")
    & ~Q(description="")
    & ~Q(scale="")
    & Q(intervention_type__isnull=False)
    & Q(theme__isnull=False)
    & Q(audience__isnull=False)
    & Q(relay__isnull=False)
    & Q(departement__isnull=False)
)


class Practice(Actionable, models.Model):
    level = models.PositiveSmallIntegerField(
        "niveau", choices=PracticeLevel.choices, default=PracticeLevel.DECLARED
    )
    state = models.CharField(
        "état", max_length=30, choices=PracticeState.choices, default=PracticeState.DRAFT
    )

    # Seed 004, "Présentation de la pratique".
    implemented_on = models.DateField("date de mise en œuvre", null=True, blank=True)
    entity_name = models.CharField("nom de l'entité", max_length=ENTITY_NAME_MAX_LENGTH, blank=True)
    title = models.CharField("intitulé de la pratique", max_length=TITLE_MAX_LENGTH, blank=True)
    description = models.TextField(
        "description de la pratique", max_length=DESCRIPTION_MAX_LENGTH, blank=True
    )
    scale = models.CharField(
        "échelle de l'action", max_length=20, choices=Scale.choices, blank=True
    )
    intervention_type = models.ForeignKey(
        ReferenceOption,
        verbose_name="type d'intervention",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": ReferenceList.INTERVENTION_TYPE},
    )
    intervention_type_other = models.CharField(
        "type d'intervention (précision)", max_length=PRECISION_MAX_LENGTH, blank=True
    )
    theme = models.ForeignKey(
        ReferenceOption,
        verbose_name="thématique",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": ReferenceList.THEME},
    )
    theme_other = models.CharField(
        "thématique (précision)", max_length=PRECISION_MAX_LENGTH, blank=True
    )
    audience = models.ForeignKey(
        ReferenceOption,
        verbose_name="public visé",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": ReferenceList.AUDIENCE},
    )
    audience_other = models.CharField(
        "public visé (précision)", max_length=PRECISION_MAX_LENGTH, blank=True
    )
    relay = models.ForeignKey(
        ReferenceOption,
        verbose_name="relais de l'implémentation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"list": ReferenceList.RELAY},
    )
    relay_other = models.CharField(
        "relais de l'implémentation (précision)", max_length=PRECISION_MAX_LENGTH, blank=True
    )
    # Seed 004, "Localisation": the département where the practice is implemented (whose
    # representative gives the prior agreement), and the commune for a local action.
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Who declares, for which structure. Empty once the declarant of a published fiche has
    # deleted their account: the fiche stays, the structure's (personal_data.py).
    declarant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déclarant",
        null=True,
        on_delete=models.SET_NULL,
        related_name="declared_practices",
    )
    structure_kind = models.CharField(
        "type de structure", max_length=20, choices=StructureKind.choices, blank=True
    )
    structure_name = models.CharField("nom de la structure", max_length=200, blank=True)
    conditions_accepted_at = models.DateTimeField("conditions acceptées le", null=True, blank=True)
    conditions_version = models.CharField(
        "version des conditions acceptées", max_length=20, blank=True
    )
    # The page of conditions the declarant accepted: posting it twice gives one draft.
    acceptance_token = models.UUIDField(
        "acceptation des conditions", null=True, blank=True, editable=False
    )

    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)
    submitted_at = models.DateTimeField("transmise le", null=True, blank=True)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)

    # The committee's work.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="membre du comité en charge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refusal_reason = models.TextField("motif du refus", max_length=MESSAGE_MAX_LENGTH, blank=True)
    refused_at = models.DateTimeField("refusée le", null=True, blank=True)
    departement_agreement_by = models.CharField(
        "accord du département donné par",
        max_length=200,
        blank=True,
        help_text="Nom et fonction du représentant du département.",
    )
    departement_agreement_on = models.DateField(
        "date de l'accord du département", null=True, blank=True
    )
    departement_agreement_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="accord enregistré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The evidence ladder (PRODUCT.md §6).
    evidence_stage = models.CharField(
        "étape",
        max_length=20,
        choices=EvidenceStage.choices,
        default=EvidenceStage.DECLARED,
    )
    evidence_level = models.PositiveSmallIntegerField(
        "niveau de preuve", choices=EvidenceLevel.choices, null=True, blank=True
    )
    reviewed_on = models.DateField("examinée le", null=True, blank=True)
    review_due_on = models.DateField("à réexaminer avant le", null=True, blank=True)

    # Structured fields that make fiches comparable.
    outcome_safety = models.BooleanField("effets attendus : sécurité de l'enfant", default=False)
    outcome_stability = models.BooleanField(
        "effets attendus : stabilité du parcours", default=False
    )
    outcome_wellbeing = models.BooleanField(
        "effets attendus : bien-être de l'enfant et de la famille", default=False
    )
    cost = models.CharField("coût", max_length=10, choices=CostBand.choices, blank=True)
    transferability = models.CharField(
        "transférabilité", max_length=10, choices=Transferability.choices, blank=True
    )

    # Level 2: the structured ONPE fiche.
    objectives = models.TextField("objectifs", max_length=FICHE_TEXT_MAX_LENGTH, blank=True)
    means = models.TextField("moyens nécessaires", max_length=FICHE_TEXT_MAX_LENGTH, blank=True)
    keys_to_success = models.TextField(
        "clés de réussite", max_length=FICHE_TEXT_MAX_LENGTH, blank=True
    )
    expected_results = models.TextField(
        "résultats attendus", max_length=FICHE_TEXT_MAX_LENGTH, blank=True
    )
    difficulties = models.TextField(
        "difficultés rencontrées", max_length=FICHE_TEXT_MAX_LENGTH, blank=True
    )
    evaluation_method = models.TextField(
        "méthode d'évaluation", max_length=FICHE_TEXT_MAX_LENGTH, blank=True
    )
    evaluation_results = models.TextField(
        "résultats de l'évaluation", max_length=FICHE_TEXT_MAX_LENGTH, blank=True
    )
    co_authors = models.CharField(
        "co-auteurs",
        max_length=500,
        blank=True,
        help_text="Les acteurs du dispositif qui ont co-écrit la fiche.",
    )

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = "pratique inspirante"
        verbose_name_plural = "pratiques inspirantes"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="practice_library_idx"),
            models.Index(fields=["state", "submitted_at"], name="practice_queue_idx"),
        ]
        constraints = [
            IMPLEMENTATION_DAY.constraint("implemented_on", model="practice", nullable=True),
            AGREEMENT_DAY.constraint("departement_agreement_on", model="practice", nullable=True),
            REVIEW_DAY.constraint("reviewed_on", model="practice", nullable=True),
            _max_length("title", TITLE_MAX_LENGTH, "title"),
            _max_length("entity_name", ENTITY_NAME_MAX_LENGTH, "entity_name"),
            _max_length("description", DESCRIPTION_MAX_LENGTH, "description"),
            _max_length("refusal_reason", MESSAGE_MAX_LENGTH, "refusal_reason"),
            models.CheckConstraint(
                condition=Q(state=PracticeState.DRAFT) | _COMPLETE,
                name="practice_complete_unless_draft",
            ),
            # A commune is given for a local action, and only then.
            models.CheckConstraint(
                condition=Q(state=PracticeState.DRAFT)
                | Q(scale=Scale.LOCALE, commune__isnull=False)
                | (~Q(scale=Scale.LOCALE) & Q(commune__isnull=True)),
                name="practice_commune_iff_local",
            ),
            models.CheckConstraint(
                condition=~Q(state=PracticeState.PUBLISHED) | Q(published_at__isnull=False),
                name="practice_published_has_date",
            ),
            # A declared practice is published only with the département's prior agreement.
            models.CheckConstraint(
                condition=~Q(state=PracticeState.PUBLISHED, level=PracticeLevel.DECLARED)
                | (Q(departement_agreement_on__isnull=False) & ~Q(departement_agreement_by="")),
                name="practice_published_has_departement_agreement",
            ),
            models.CheckConstraint(
                condition=~Q(state=PracticeState.REFUSED) | ~Q(refusal_reason=""),
                name="practice_refused_has_reason",
            ),
            # Declarants accept seed 004's conditions before the form (ONPE writes its own fiches).
            models.CheckConstraint(
                condition=Q(level=PracticeLevel.ONPE) | Q(conditions_accepted_at__isnull=False),
                name="practice_declared_conditions_accepted",
            ),
            # A double click on « J'accepte » makes one draft (services.start_declaration).
            models.UniqueConstraint(
                fields=["declarant", "acceptance_token"], name="practice_one_draft_per_acceptance"
            ),
            models.CheckConstraint(
                condition=Q(level__in=PracticeLevel.values), name="practice_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=PracticeState.values), name="practice_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(scale__in=[*Scale.values, ""]), name="practice_scale_valid"
            ),
            models.CheckConstraint(
                condition=Q(evidence_stage__in=EvidenceStage.values),
                name="practice_evidence_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(evidence_level__isnull=True)
                | Q(evidence_level__gte=1, evidence_level__lte=5),
                name="practice_evidence_level_range",
            ),
            models.CheckConstraint(
                condition=Q(review_due_on__isnull=True)
                | Q(reviewed_on__isnull=False, review_due_on__gt=models.F("reviewed_on")),
                name="practice_review_due_after_review",
            ),
        ]

    def __str__(self):
        return self.title or "Pratique sans intitulé"

    def get_absolute_url(self):
        return reverse("practices:fiche", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.state == PracticeState.PUBLISHED

    @property
    def is_onpe_fiche(self) -> bool:
        return self.level == PracticeLevel.ONPE

    @property
    def has_departement_agreement(self) -> bool:
        return bool(self.departement_agreement_on and self.departement_agreement_by)

    @property
    def outcome_domains(self) -> list[str]:
        """The labels of the outcome domains the fiche targets."""
        return [
            self._meta.get_field(name).verbose_name.removeprefix("effets attendus : ")
            for name in ("outcome_safety", "outcome_stability", "outcome_wellbeing")
            if getattr(self, name)
        ]

    def option_label(self, field: str) -> str:
        """An option's label, or the declarant's precision when the option asks for one."""
        option = getattr(self, field)
        if option is None:
            return ""
        precision = getattr(self, f"{field}_other")
        if option.asks_precision and precision:
            return f"{option.label} : {precision}"
        return option.label


class PracticeMessage(models.Model):
    """The thread between the selection committee and the declarant on one fiche."""

    practice = models.ForeignKey(
        Practice, verbose_name="pratique", on_delete=models.CASCADE, related_name="messages"
    )
    # Empty once the author has deleted their account (personal_data.py).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_committee = models.BooleanField("écrit par le comité", default=False)
    body = models.TextField("message", max_length=MESSAGE_MAX_LENGTH)
    created_at = models.DateTimeField("écrit le", default=timezone.now)

    class Meta:
        verbose_name = "message"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="practice_message_not_empty"),
            _max_length("body", MESSAGE_MAX_LENGTH, "message_body"),
        ]

    def __str__(self):
        return f"Message du {self.created_at:%d/%m/%Y}"


class ConflictOfInterest(models.Model):
    """A committee member's declared interest in a fiche: they no longer decide on it."""

    practice = models.ForeignKey(
        Practice, verbose_name="pratique", on_delete=models.CASCADE, related_name="conflicts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="membre", on_delete=models.CASCADE, related_name="+"
    )
    note = models.CharField("précision", max_length=CONFLICT_NOTE_MAX_LENGTH, blank=True)
    declared_at = models.DateTimeField("déclaré le", default=timezone.now)

    class Meta:
        verbose_name = "conflit d'intérêts"
        verbose_name_plural = "conflits d'intérêts"
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "member"], name="practice_conflict_once_per_member"
            ),
            _max_length("note", CONFLICT_NOTE_MAX_LENGTH, "conflict_note"),
        ]

    def __str__(self):
        return f"Conflit d'intérêts sur « {self.practice} »"


class PracticeMarkQuerySet(models.QuerySet):
    def of_year(self, year: int):
        return self.filter(year=year)


class PracticeMark(models.Model):
    """A committee member highlights a published fiche for one criterion (seed 004)."""

    practice = models.ForeignKey(
        Practice, verbose_name="pratique", on_delete=models.CASCADE, related_name="marks"
    )
    # Empty once the member has deleted their account: the year's highlights stay.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="membre",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    criterion = models.CharField("critère", max_length=20, choices=MarkCriterion.choices)
    # The highlight year: the year the mark was given.
    year = models.PositiveSmallIntegerField("année")
    comment = models.CharField("commentaire", max_length=MARK_COMMENT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField("donnée le", default=timezone.now)

    objects = PracticeMarkQuerySet.as_manager()

    class Meta:
        verbose_name = "distinction"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "member", "criterion"], name="practice_mark_once_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(criterion__in=MarkCriterion.values), name="practice_mark_criterion"
            ),
            _max_length("comment", MARK_COMMENT_MAX_LENGTH, "mark_comment"),
        ]

    def __str__(self):
        return f"{self.get_criterion_display()} : {self.practice}"
