"""The fields every comment shares, and the reads a thread and a moderation queue need. A
module's concrete models inherit these (see the package's docstring)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.naming import public_name
from enfance.core.workflow import Actionable
from enfance.safeguarding.models import Safeguardable

from .enums import CommentState

# A module may give its comments a shorter limit by declaring ``body`` again.
COMMENT_MAX_LENGTH = 5_000
MODERATION_REASON_MAX_LENGTH = 300
ABUSE_REASON_MAX_LENGTH = 500


class CommentQuerySet(models.QuerySet):
    def shown(self):
        """The thread: published comments, and removed ones (their public reason takes their
        place); not those awaiting moderation nor those withdrawn for a child's safety."""
        return self.filter(
            Safeguardable.PUBLIC_Q, state__in=[CommentState.PUBLISHED, CommentState.REMOVED]
        )

    def published(self):
        return self.filter(Safeguardable.PUBLIC_Q, state=CommentState.PUBLISHED)

    def awaiting_moderation(self):
        return self.filter(Safeguardable.PUBLIC_Q, state=CommentState.PENDING_MODERATION)

    def reported(self):
        """Published comments someone reported, the most reported first."""
        return self.published().filter(report_count__gt=0).order_by("-report_count", "created_at")


class AbstractComment(Actionable, Safeguardable):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur ou autrice",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField("commentaire", max_length=COMMENT_MAX_LENGTH)
    state = models.CharField(
        "état", max_length=20, choices=CommentState.choices, default=CommentState.PUBLISHED
    )
    created_at = models.DateTimeField("écrit le", default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modéré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField("modéré le", null=True, blank=True)
    moderation_reason = models.CharField(
        "motif public", max_length=MODERATION_REASON_MAX_LENGTH, blank=True
    )
    report_count = models.PositiveIntegerField("signalements d'abus", default=0, editable=False)

    objects = CommentQuerySet.as_manager()

    # The namespace of the module's URLs for its comments (see the package's docstring).
    URL_NAMESPACE = ""

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state=CommentState.REMOVED) | ~Q(moderation_reason=""),
                name="%(app_label)s_%(class)s_removed_has_reason",
            ),
        ]

    def __str__(self):
        return f"Commentaire n° {self.pk}"

    @property
    def public_name(self) -> str:
        return public_name(self.author)

    @property
    def is_published(self) -> bool:
        return self.state == CommentState.PUBLISHED

    @property
    def is_removed(self) -> bool:
        return self.state == CommentState.REMOVED

    @property
    def thread_label(self) -> str:
        """What the comment is written on, as the moderation's queue names it."""
        raise NotImplementedError

    def can_be_moderated_by(self, user) -> bool:
        """Who moderates this comment: each module says (the national administration, the
        organisers of a live…)."""
        raise NotImplementedError

    def safeguarding_text(self) -> str:
        return self.body

    def _url(self, name: str) -> str:
        return reverse(f"{self.URL_NAMESPACE}:{name}", args=[self.pk])

    @property
    def report_url(self) -> str:
        return self._url("report_comment")

    @property
    def remove_url(self) -> str:
        return self._url("remove_comment")

    @property
    def publish_url(self) -> str:
        return self._url("publish_comment")

    @property
    def flag_url(self) -> str:
        return self._url("flag_comment")


class AbstractAbuseReport(models.Model):
    """A report of abuse on a comment, for the moderators (not a report of danger). The concrete
    model adds ``comment``, a foreign key with ``related_name="reports"``."""

    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField("motif", max_length=ABUSE_REASON_MAX_LENGTH)
    created_at = models.DateTimeField("signalé le", default=timezone.now)

    class Meta:
        abstract = True
        verbose_name = "signalement d'abus"
        verbose_name_plural = "signalements d'abus"
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reported_by"], name="%(app_label)s_%(class)s_once_per_person"
            ),
        ]

    def __str__(self):
        return f"Signalement d'abus n° {self.pk}"
