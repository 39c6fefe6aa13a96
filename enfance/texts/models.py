"""Participatory texts (the charter) and propositions de loi (PRODUCT.md §5).

A ``Text`` is written in ``TextVersion``s; each version holds its own copy of the ``Article``s,
so an old version reads exactly as it was published. An article keeps its ``key`` from version to
version (its number may change when articles are added or removed): the comparison of two
versions pairs articles by key. People comment on an article of the current version and propose
a new wording (``ArticleProposal``); an editor integrates a proposal into a new version (the
proposal links to it) or explains why it is not retained.

A ``LawProposal`` is a text (multi-table inheritance) that also records the citizen proposals it
consolidates, its transmissions and what followed.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.naming import public_name
from enfance.core.dates import HAPPENED, PLATFORM_START, DateBounds, written_date
from enfance.core.workflow import Actionable
from enfance.discussions.models import AbstractAbuseReport, AbstractComment
from enfance.safeguarding.models import Safeguardable

from .enums import (
    ARTICLE_BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    EDITABLE_STATES,
    FOLLOW_UP_MAX_LENGTH,
    PREAMBLE_MAX_LENGTH,
    PROPOSAL_REASON_MAX_LENGTH,
    TRANSMISSION_NOTE_MAX_LENGTH,
    TRANSMISSION_RECIPIENTS_MAX_LENGTH,
    ArticleProposalState,
    RecipientKind,
    TextKind,
    TextState,
)
from .perms import can_moderate

# The days a transmission and a follow-up may take (core.dates): forms, services, database.
TRANSMISSION_DAY = HAPPENED.worded(too_late="La date de transmission ne peut être à venir.")
FOLLOW_UP_DAY = HAPPENED.worded(too_late="La date ne peut être à venir.")
# The day a consultation closes, chosen by whoever opens it: after its opening day (checked by
# services.open_consultation), within a year; the database refuses a close before the opening.
CONSULTATION_CLOSE_DAY = DateBounds(
    PLATFORM_START,
    "Cette date précède le lancement de l'initiative, le {earliest} : vérifiez l'année.",
    1,
    "Une consultation dure au plus un an : choisissez une date de clôture au plus tard le "
    "{latest}.",
)


class TextQuerySet(models.QuerySet):
    def participatory(self):
        """The texts of the /textes/ section (the charter), not the law proposals."""
        return self.exclude(kind=TextKind.LAW_PROPOSAL)

    def for_list(self):
        return self.select_related("current_version").order_by("-updated_at", "-pk")


class Text(Actionable, models.Model):
    kind = models.CharField("type", max_length=20, choices=TextKind.choices)
    title = models.CharField("titre", max_length=300)
    slug = models.SlugField("adresse", max_length=80, unique=True)
    summary = models.TextField("présentation", max_length=2000, blank=True)
    state = models.CharField(
        "état", max_length=20, choices=TextState.choices, default=TextState.DRAFTING
    )
    # People who integrate proposals besides the national administration (charter only).
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="rédacteurs", blank=True, related_name="+"
    )
    # The version people read and comment on; kept by services.publish_version.
    current_version = models.ForeignKey(
        "TextVersion",
        verbose_name="version en vigueur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The last consultation's days: its opening set by the transition that opens it, its close
    # chosen by whoever opens it (brought forward when it is closed early).
    consultation_opens_on = models.DateField("consultation ouverte le", null=True, blank=True)
    consultation_closes_on = models.DateField("consultation close le", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)
    updated_at = models.DateTimeField("modifié le", default=timezone.now)

    objects = TextQuerySet.as_manager()

    class Meta:
        verbose_name = "texte"
        ordering = ["-updated_at", "-pk"]
        constraints = [
            HAPPENED.constraint("consultation_opens_on", model="text", nullable=True),
            # A consultation closed early on its opening day closes that day: not before it.
            models.CheckConstraint(
                condition=Q(consultation_opens_on__isnull=True)
                | Q(consultation_closes_on__isnull=True)
                | Q(consultation_closes_on__gte=F("consultation_opens_on")),
                name="text_consultation_closes_after_it_opens",
            ),
            # No close date without the opening it ends.
            models.CheckConstraint(
                condition=Q(consultation_closes_on__isnull=True)
                | Q(consultation_opens_on__isnull=False),
                name="text_consultation_close_has_opening",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_law_proposal(self) -> bool:
        return self.kind == TextKind.LAW_PROPOSAL

    @property
    def is_in_consultation(self) -> bool:
        """Open for comments: in consultation, and its closing day not yet past (people stop
        taking part on the announced day even if nobody has closed it yet)."""
        if self.state != TextState.CONSULTATION:
            return False
        closes_on = self.consultation_closes_on
        return closes_on is None or timezone.localdate() <= closes_on

    @property
    def state_label(self) -> str:
        """Its state as the lists and its page word it, with the consultation's closing day."""
        closes_on = self.consultation_closes_on
        if self.state != TextState.CONSULTATION or closes_on is None:
            return self.get_state_display()
        if self.is_in_consultation:
            return f"En consultation jusqu'au {written_date(closes_on)}"
        return f"Consultation terminée le {written_date(closes_on)}"

    @property
    def is_editable(self) -> bool:
        """Whether it still takes new versions and decisions on proposed wordings."""
        return self.state in EDITABLE_STATES

    @property
    def url_prefix(self) -> str:
        """Law proposals live under /propositions-de-loi/, the other texts under /textes/."""
        return "law" if self.is_law_proposal else "text"

    def current_article_keys(self) -> set[int]:
        """The articles of the version in force, by key; read once per object (a page asks for
        every proposed wording)."""
        if "_current_article_keys" not in self.__dict__:
            self.__dict__["_current_article_keys"] = set(
                Article.objects.filter(version_id=self.current_version_id).values_list(
                    "key", flat=True
                )
            )
        return self.__dict__["_current_article_keys"]

    def url(self, name: str, *args) -> str:
        return reverse(f"texts:{self.url_prefix}_{name}", args=[self.slug, *args])

    def get_absolute_url(self):
        return self.url("detail")


class TextVersion(models.Model):
    text = models.ForeignKey(Text, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("numéro")
    title = models.CharField("titre", max_length=300)
    # The exposé des motifs of a law proposal; the preamble of a charter.
    preamble = models.TextField("exposé des motifs", max_length=PREAMBLE_MAX_LENGTH, blank=True)
    summary = models.CharField("résumé des changements", max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="publiée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("publiée le", default=timezone.now)

    class Meta:
        verbose_name = "version"
        ordering = ["text", "number"]
        constraints = [
            models.UniqueConstraint(fields=["text", "number"], name="text_version_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="text_version_number_positive"),
        ]

    def __str__(self):
        return f"Version {self.number} de « {self.title} »"

    def get_absolute_url(self):
        return self.text.url("version", self.number)


class Article(models.Model):
    version = models.ForeignKey(TextVersion, on_delete=models.CASCADE, related_name="articles")
    # The article's identity across versions (numbers change when articles come and go).
    key = models.PositiveIntegerField("identifiant")
    number = models.PositiveIntegerField("numéro")
    title = models.CharField("intitulé", max_length=200, blank=True)
    body = models.TextField("texte", max_length=ARTICLE_BODY_MAX_LENGTH)

    class Meta:
        verbose_name = "article"
        ordering = ["version", "number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="article_key_unique"),
            models.UniqueConstraint(fields=["version", "number"], name="article_number_unique"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """ "Article 1er", "Article 2": the way French legal texts number their articles."""
        return "Article 1er" if self.number == 1 else f"Article {self.number}"

    @property
    def anchor(self) -> str:
        return f"article-{self.key}"


class ArticleComment(AbstractComment):
    """A comment on an article of a participatory text (discussions.AbstractComment)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField("commentaire", max_length=COMMENT_MAX_LENGTH)

    URL_NAMESPACE = "texts"

    class Meta(AbstractComment.Meta):
        verbose_name = "commentaire d'article"
        indexes = [
            models.Index(fields=["article", "created_at"], name="article_comment_thread_idx"),
            models.Index(fields=["state", "-report_count"], name="article_comment_moderation_idx"),
        ]

    def get_absolute_url(self):
        return f"{self.article_url}#commentaire-{self.pk}"

    @property
    def article_url(self) -> str:
        return self.article.version.text.url("article", self.article.key)

    @property
    def thread_label(self) -> str:
        return f"{self.article.label} de « {self.article.version.text} »"

    def can_be_moderated_by(self, user) -> bool:
        return can_moderate(user)

    def safeguarding_label(self) -> str:
        return f"Commentaire n° {self.pk} sur un article d'un texte participatif"


class ArticleCommentReport(AbstractAbuseReport):
    comment = models.ForeignKey(ArticleComment, on_delete=models.CASCADE, related_name="reports")

    class Meta(AbstractAbuseReport.Meta):
        verbose_name = "signalement d'un commentaire d'article"


class ArticleProposalQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(Safeguardable.PUBLIC_Q)

    def pending(self):
        return self.filter(state=ArticleProposalState.PENDING)


class ArticleProposal(Actionable, Safeguardable):
    """A new wording of an article, proposed by a person, with the reason for it."""

    # Denormalised from the article: a text's pending proposals span its versions.
    text = models.ForeignKey(Text, on_delete=models.CASCADE, related_name="article_proposals")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="wording_proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur ou autrice",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField("rédaction proposée", max_length=ARTICLE_BODY_MAX_LENGTH)
    reason = models.TextField("pourquoi", max_length=PROPOSAL_REASON_MAX_LENGTH)
    state = models.CharField(
        "état",
        max_length=20,
        choices=ArticleProposalState.choices,
        default=ArticleProposalState.PENDING,
    )
    integrated_in = models.ForeignKey(
        TextVersion,
        verbose_name="intégrée dans",
        null=True,
        blank=True,
        # Versions are deleted only with their text, and its proposals with it.
        on_delete=models.CASCADE,
        related_name="integrated_proposals",
    )
    decision_reason = models.TextField("motif", max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    created_at = models.DateTimeField("proposée le", default=timezone.now)

    objects = ArticleProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "proposition de rédaction"
        verbose_name_plural = "propositions de rédaction"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["text", "state"], name="article_proposal_text_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=ArticleProposalState.INTEGRATED)
                | Q(integrated_in__isnull=False),
                name="article_proposal_integrated_has_version",
            ),
            models.CheckConstraint(
                condition=~Q(state=ArticleProposalState.NOT_RETAINED) | ~Q(decision_reason=""),
                name="article_proposal_not_retained_has_reason",
            ),
        ]

    def __str__(self):
        return f"Proposition de rédaction n° {self.pk}"

    @property
    def public_name(self) -> str:
        return public_name(self.author)

    def safeguarding_label(self) -> str:
        return f"Proposition de rédaction n° {self.pk} sur « {self.text} »"

    def safeguarding_text(self) -> str:
        return f"{self.body}\n\n{self.reason}"


class LawProposal(Text):
    """A proposition de loi consolidated from adopted citizen proposals."""

    source_proposals = models.ManyToManyField(
        "proposals.Proposal",
        verbose_name="propositions d'origine",
        related_name="law_proposals",
        blank=True,
    )

    class Meta:
        verbose_name = "proposition de loi"
        verbose_name_plural = "propositions de loi"
        ordering = ["-updated_at", "-pk"]


class Transmission(models.Model):
    """The law proposal sent to the government or to named members of Parliament, on a date."""

    law_proposal = models.ForeignKey(
        LawProposal, on_delete=models.CASCADE, related_name="transmissions"
    )
    version = models.ForeignKey(
        TextVersion, verbose_name="version transmise", on_delete=models.CASCADE, related_name="+"
    )
    recipient_kind = models.CharField("destinataire", max_length=20, choices=RecipientKind.choices)
    recipients = models.CharField(
        "destinataires nommés", max_length=TRANSMISSION_RECIPIENTS_MAX_LENGTH
    )
    transmitted_on = models.DateField("transmise le")
    note = models.TextField("précisions", max_length=TRANSMISSION_NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now)

    class Meta:
        verbose_name = "transmission"
        ordering = ["transmitted_on", "pk"]
        # SQLite ignores a varchar's length and nothing checks choices below the form: a write
        # that bypasses the form and the service (admin, shell, import) is refused here too.
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_kind__in=RecipientKind.values),
                name="transmission_recipient_kind_valid",
            ),
            models.CheckConstraint(
                condition=GreaterThan(Length("recipients"), 0)
                & LessThanOrEqual(Length("recipients"), TRANSMISSION_RECIPIENTS_MAX_LENGTH),
                name="transmission_recipients_length",
            ),
            TRANSMISSION_DAY.constraint("transmitted_on", model="transmission"),
        ]

    def __str__(self):
        return f"Transmission du {self.transmitted_on:%d/%m/%Y} : {self.recipients}"


class FollowUp(models.Model):
    """What followed a transmission: a meeting, an answer, a bill tabled, a refusal…"""

    law_proposal = models.ForeignKey(
        LawProposal, on_delete=models.CASCADE, related_name="follow_ups"
    )
    happened_on = models.DateField("date")
    description = models.TextField("ce qui s'est passé", max_length=FOLLOW_UP_MAX_LENGTH)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField("enregistrée le", default=timezone.now)

    class Meta:
        verbose_name = "suite donnée"
        verbose_name_plural = "suites données"
        ordering = ["happened_on", "pk"]
        constraints = [FOLLOW_UP_DAY.constraint("happened_on", model="followup")]

    def __str__(self):
        return f"Suite du {self.happened_on:%d/%m/%Y}"
