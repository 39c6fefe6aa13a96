"""Citizen proposals (PRODUCT.md §5, seed 000 "propositions ascendantes").

A registered person or an instance locale writes a proposal (draft, then published); people
support it (once each: a unique index) and comment; an instance takes it up, votes amendments and
then the proposal itself with the vote engine; an adopted proposal is transmitted to the national
level, where the texts app consolidates it into a proposition de loi
(``LawProposal.source_proposals``, related name ``law_proposals``).

Counters (``support_count``, ``comment_count``) are denormalised for the list, kept by the
services with ``F()`` updates in the transaction that writes the row they count.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.core.workflow import Actionable
from enfance.discussions.models import AbstractAbuseReport, AbstractComment
from enfance.safeguarding.models import Safeguardable
from enfance.territories.models import Departement, Region

from .enums import (
    ADOPTED_STATES,
    PUBLIC_STATES,
    ActivityKind,
    AmendedPart,
    AmendmentState,
    ProposalState,
)
from .perms import can_manage_deliberation, can_moderate

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000


class Theme(models.Model):
    slug = models.SlugField("code", max_length=50, unique=True)
    label = models.CharField("thème", max_length=100)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "thème"
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class ProposalQuerySet(models.QuerySet):
    def published(self):
        """What anyone may read: public states, not withdrawn for a child's safety."""
        return self.filter(Safeguardable.PUBLIC_Q, state__in=PUBLIC_STATES)

    def adopted(self):
        return self.published().filter(state__in=ADOPTED_STATES)

    def flagship(self):
        return self.filter(is_flagship=True).order_by("flagship_rank")

    def visible_to(self, user):
        """Published proposals, and a person's own drafts and proposals awaiting moderation."""
        if not user.is_authenticated:
            return self.published()
        return self.filter(
            Q(Safeguardable.PUBLIC_Q, state__in=PUBLIC_STATES)
            | Q(Safeguardable.PUBLIC_Q, author=user)
        )

    def for_list(self):
        return self.select_related("departement", "region", "instance").prefetch_related("themes")


class Proposal(Actionable, Safeguardable):
    title = models.CharField("titre", max_length=TITLE_MAX_LENGTH)
    problem = models.TextField("le problème constaté sur le terrain", max_length=TEXT_MAX_LENGTH)
    body = models.TextField("la proposition", max_length=TEXT_MAX_LENGTH)
    expected_effect = models.TextField("l'effet attendu", max_length=TEXT_MAX_LENGTH)
    # The person who wrote it; empty for the flagship proposals (written by the first citizens
    # of the project, seed 000) and when the account was deleted.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur ou autrice",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # The instance that carries the proposal: the one that wrote it (``written_by_instance``) or
    # the one that took it up for deliberation.
    instance = models.ForeignKey(
        "assemblies.Instance",
        verbose_name="instance locale",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    written_by_instance = models.BooleanField("écrite par l'instance", default=False)
    # The territory it concerns: a département, a région, or (both empty) the whole country.
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    themes = models.ManyToManyField(Theme, verbose_name="thèmes", blank=True, related_name="+")
    state = models.CharField(
        "état", max_length=20, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    is_flagship = models.BooleanField("proposition phare", default=False)
    flagship_rank = models.PositiveSmallIntegerField("rang (propositions phares)", null=True)
    support_count = models.PositiveIntegerField("soutiens", default=0, editable=False)
    comment_count = models.PositiveIntegerField("commentaires", default=0, editable=False)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    updated_at = models.DateTimeField("modifiée le", default=timezone.now)
    published_at = models.DateTimeField("publiée le", null=True, blank=True)
    taken_up_at = models.DateTimeField("reprise par l'instance le", null=True, blank=True)
    decided_at = models.DateTimeField("décision de l'instance le", null=True, blank=True)
    # The instance's final vote (a ballot of the vote engine) and the decision as it is
    # transmitted: "Adoptée par 14 voix pour, 3 contre, 1 abstention".
    decision_ballot = models.ForeignKey(
        "votes.Ballot",
        verbose_name="scrutin de décision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_summary = models.CharField("décision de l'instance", max_length=300, blank=True)
    transmitted_at = models.DateTimeField("transmise au national le", null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "proposition"
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "-published_at"], name="proposal_recent_idx"),
            models.Index(fields=["state", "-support_count"], name="proposal_supported_idx"),
            # The home page reads the most supported public ones on every visit (its freshness
            # token): in this index's order, without sorting every public proposal.
            models.Index(
                fields=["-support_count", "-id"],
                condition=Safeguardable.PUBLIC_Q & Q(state__in=PUBLIC_STATES),
                name="proposal_public_supported_idx",
            ),
            models.Index(fields=["departement", "state"], name="proposal_departement_idx"),
            models.Index(fields=["instance", "state"], name="proposal_instance_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["flagship_rank"],
                condition=Q(is_flagship=True),
                name="proposal_flagship_rank_unique",
            ),
            models.CheckConstraint(
                condition=Q(state=ProposalState.DRAFT)
                | Q(state=ProposalState.PENDING_MODERATION)
                | Q(published_at__isnull=False),
                name="proposal_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[ProposalState.UNDER_DELIBERATION, *ADOPTED_STATES])
                | Q(instance__isnull=False),
                name="proposal_deliberation_has_instance",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES and self.danger_hidden_at is None

    @property
    def is_adopted(self) -> bool:
        return self.state in ADOPTED_STATES

    @property
    def territory_label(self) -> str:
        if self.departement_id:
            return str(self.departement)
        if self.region_id:
            return str(self.region)
        return "Toute la France"

    # The vote engine asks its contexts these questions (see enfance/votes/services.py).
    def can_manage_ballots(self, user) -> bool:
        return can_manage_deliberation(user, self)

    def is_visible_to(self, user) -> bool:
        return self.is_public or (user.is_authenticated and user.pk == self.author_id)

    def ballot_electorate(self):
        return self.instance.ballot_electorate() if self.instance_id else []

    def safeguarding_label(self) -> str:
        return f"Proposition « {self.title} »"

    def safeguarding_text(self) -> str:
        return "\n\n".join([self.title, self.problem, self.body, self.expected_effect])


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_supports"
    )
    created_at = models.DateTimeField("soutenue le", default=timezone.now)

    class Meta:
        verbose_name = "soutien"
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_support_per_person"),
        ]
        indexes = [models.Index(fields=["user", "proposal"], name="support_person_idx")]

    def __str__(self):
        return f"Soutien n° {self.pk}"


class Comment(AbstractComment):
    """A comment on a proposal (discussions.AbstractComment), with one level of replies."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    # One level of replies: a reply's parent is always a top-level comment (services check it).
    parent = models.ForeignKey(
        "self",
        verbose_name="en réponse à",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )

    URL_NAMESPACE = "proposals"

    class Meta(AbstractComment.Meta):
        verbose_name = "commentaire"
        indexes = [
            models.Index(fields=["proposal", "parent", "created_at"], name="comment_thread_idx"),
            models.Index(fields=["state", "-report_count"], name="comment_moderation_idx"),
        ]

    def get_absolute_url(self):
        return f"{reverse('proposals:detail', args=[self.proposal_id])}#commentaire-{self.pk}"

    @property
    def thread_label(self) -> str:
        return str(self.proposal)

    def can_be_moderated_by(self, user) -> bool:
        return can_moderate(user)

    def safeguarding_label(self) -> str:
        return f"Commentaire n° {self.pk} sur la proposition n° {self.proposal_id}"


class CommentReport(AbstractAbuseReport):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")


class Amendment(Actionable, models.Model):
    """A change to one part of a proposal, put forward by a member of the deliberating instance
    and accepted or rejected by a vote of its members."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField("numéro")
    part = models.CharField("partie modifiée", max_length=20, choices=AmendedPart.choices)
    # The part as it read when the amendment was written, so the change stays readable after.
    original_text = models.TextField("texte d'origine")
    new_text = models.TextField("nouvelle rédaction", max_length=TEXT_MAX_LENGTH)
    rationale = models.TextField("exposé des motifs", max_length=TEXT_MAX_LENGTH, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur ou autrice",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        "état", max_length=20, choices=AmendmentState.choices, default=AmendmentState.PROPOSED
    )
    ballot = models.ForeignKey(
        "votes.Ballot",
        verbose_name="scrutin",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("déposé le", default=timezone.now)
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)

    class Meta:
        verbose_name = "amendement"
        ordering = ["proposal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="amendment_number_unique"),
        ]

    def __str__(self):
        return f"Amendement n° {self.number} à « {self.proposal} »"

    def get_absolute_url(self):
        return f"{self.proposal.get_absolute_url()}#amendement-{self.number}"

    def can_manage_ballots(self, user) -> bool:
        return self.proposal.can_manage_ballots(user)

    def is_visible_to(self, user) -> bool:
        return self.proposal.is_visible_to(user)

    def ballot_electorate(self):
        return self.proposal.ballot_electorate()


class FollowQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Follow(models.Model):
    """A person follows a proposal. Authors and supporters follow automatically; unfollowing
    keeps the row (``active=False``) so that a later support does not follow again."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_follows"
    )
    active = models.BooleanField("suivie", default=True)
    created_at = models.DateTimeField("depuis le", default=timezone.now)

    objects = FollowQuerySet.as_manager()

    class Meta:
        verbose_name = "abonnement"
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_follow_per_person"),
        ]
        indexes = [models.Index(fields=["user", "active"], name="follow_person_idx")]

    def __str__(self):
        return f"Abonnement n° {self.pk}"


class Activity(models.Model):
    """Something that happened on a proposal, told to its followers in the daily digest."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField("type", max_length=20, choices=ActivityKind.choices)
    summary = models.CharField("résumé", max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("le", default=timezone.now)

    class Meta:
        verbose_name = "activité"
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["created_at"], name="activity_time_idx")]

    def __str__(self):
        return self.summary


class Digest(models.Model):
    """One daily digest per person and day: the unique index makes the command idempotent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_digests"
    )
    day = models.DateField("jour")
    activity_count = models.PositiveIntegerField("nouvelles", default=0)
    created_at = models.DateTimeField("envoyé le", default=timezone.now)

    class Meta:
        verbose_name = "résumé quotidien"
        verbose_name_plural = "résumés quotidiens"
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_person_per_day"),
        ]

    def __str__(self):
        return f"Résumé du {self.day:%d/%m/%Y}"
