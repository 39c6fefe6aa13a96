"""Ballots, their electorate and their stored votes.

Secrecy (secret ballots). *Who* voted is a ``Participation`` row (ballot, voter); *what* was voted
is a ``Vote`` row and its ``VoteMark`` rows. Nothing joins them:
- ``Vote`` has no voter (for a secret ballot), no timestamp, and a random UUID as primary key, so
  its id says nothing about the order of arrival; ``VoteMark`` has a composite primary key
  (vote, option), so no sequence numbers the marks either. Participation ids are sequential, but
  there is no sequential id on the other side to line them up with.
- The receipt code is shown once to the voter and never stored: the vote keeps only its SHA-256
  (with the ballot id), so only the holder of the code can find the vote.
- The event log records that a person took part, never a vote id or a choice.
The limit, written down honestly: both rows are written in one transaction (that is what makes a
vote and its participation indivisible), so someone with direct access to the PostgreSQL files
could line them up by system columns (``xmin``, physical order). Protecting against the database
operator would need a different protocol (mix-nets, blind signatures); the platform protects
against everyone who goes through it, its administrators included (votes are not in the admin).
"""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.perms import is_national_administrator
from enfance.core.workflow import Actionable

from .enums import GRADE_COUNT, BallotState, Method


class BallotQuerySet(models.QuerySet):
    def for_context(self, context):
        return self.filter(
            content_type=ContentType.objects.get_for_model(context), object_id=context.pk
        )

    def accepting_votes(self, now=None):
        now = now or timezone.now()
        return self.filter(state=BallotState.OPEN, opens_at__lte=now, closes_at__gt=now)


class Ballot(Actionable, models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name="type de contexte", on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField("identifiant du contexte")
    # Any model with can_manage_ballots(user), __str__ and get_absolute_url (see services.py).
    context = GenericForeignKey("content_type", "object_id")
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)
    method = models.CharField("mode de scrutin", max_length=30, choices=Method.choices)
    secret = models.BooleanField("vote à bulletin secret", default=True)
    state = models.CharField(
        "état", max_length=20, choices=BallotState.choices, default=BallotState.DRAFT
    )
    opens_at = models.DateTimeField("ouverture")
    closes_at = models.DateTimeField("clôture")
    quorum = models.PositiveIntegerField(
        "quorum",
        null=True,
        blank=True,
        help_text="Nombre de participants nécessaire pour que le résultat soit valable.",
    )
    # For a vote by colleges: each college's share of the votes, in percent, adding up to 100.
    college_weights = models.JSONField("parts des collèges", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = BallotQuerySet.as_manager()

    class Meta:
        verbose_name = "scrutin"
        ordering = ["-opens_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="ballot_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(quorum__isnull=True) | Q(quorum__gte=1), name="ballot_quorum_positive"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("votes:ballot", args=[self.pk])

    def is_accepting_votes(self, now=None) -> bool:
        now = now or timezone.now()
        return self.state == BallotState.OPEN and self.opens_at <= now < self.closes_at

    @property
    def uses_grades(self) -> bool:
        return self.method == Method.MAJORITY_JUDGMENT


class BallotOption(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField("rang d'affichage")
    label = models.CharField("intitulé", max_length=200)
    # For a majority ballot: "pour", "contre" or "abstention" (MajorityChoice).
    code = models.CharField("code", max_length=20, blank=True)
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="candidat ou candidate",
        null=True,
        blank=True,
        # The label keeps the name as the ballot showed it (personal_data.py).
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "option"
        ordering = ["ballot", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "position"], name="option_position_unique"),
            models.UniqueConstraint(
                fields=["ballot", "candidate"],
                condition=Q(candidate__isnull=False),
                name="option_candidate_unique",
            ),
        ]

    def __str__(self):
        return self.label


class Elector(models.Model):
    """The electorate, frozen when the ballot opens: one row per person allowed to vote."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    # Empty once the person has deleted their account: the electorate's size stays right.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # For a vote by colleges: the college the elector votes in, frozen with the electorate.
    college = models.CharField("collège", max_length=100, blank=True, db_default="")

    class Meta:
        verbose_name = "électeur ou électrice"
        constraints = [
            models.UniqueConstraint(fields=["ballot", "user"], name="elector_unique"),
        ]

    def __str__(self):
        return f"Électeur n° {self.user_id} du scrutin n° {self.ballot_id}"


class Proxy(models.Model):
    """A procuration: the holder votes for the giver as well as for themselves."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="proxies")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="mandant",
        on_delete=models.CASCADE,
        related_name="+",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="mandataire",
        on_delete=models.CASCADE,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "procuration"
        constraints = [
            models.UniqueConstraint(fields=["ballot", "giver"], name="one_proxy_given"),
            models.UniqueConstraint(fields=["ballot", "holder"], name="one_proxy_held"),
            models.CheckConstraint(
                condition=~Q(giver=models.F("holder")), name="proxy_not_to_oneself"
            ),
        ]

    def __str__(self):
        return f"Procuration de n° {self.giver_id} à n° {self.holder_id}"


class Participation(models.Model):
    """Who voted (the elector whose vote it is), never what."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="participations")
    # Empty once the person has deleted their account: the turnout stays right.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The proxy holder who cast it, when it is not the voter.
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "participation"
        constraints = [
            # One person, one vote: what makes a double click, two tabs or two threads one vote.
            models.UniqueConstraint(fields=["ballot", "voter"], name="one_vote_per_voter"),
        ]

    def __str__(self):
        return f"Participation de n° {self.voter_id} au scrutin n° {self.ballot_id}"


class Vote(models.Model):
    """What was voted: no voter (unless the ballot is public), no timestamp, a random id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes")
    paper = models.BooleanField("bulletin papier", default=False)
    # SHA-256 of the receipt code given to the voter; for a paper ballot, of its entry form's
    # one-time value (a double submission is one entry).
    receipt_hash = models.CharField(max_length=64, blank=True)
    # Only for ballots that are not secret.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    # For a vote by colleges: the college it counts in (never who cast it).
    college = models.CharField("collège", max_length=100, blank=True, db_default="")

    class Meta:
        verbose_name = "bulletin"
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "receipt_hash"],
                condition=~Q(receipt_hash=""),
                name="vote_receipt_unique",
            ),
        ]

    def __str__(self):
        return "Bulletin papier" if self.paper else "Bulletin"


class PaperBallotManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(paper=True)


class PaperBallot(Vote):
    """A paper ballot entered by a manager: a vote on the paper channel."""

    objects = PaperBallotManager()

    class Meta:
        proxy = True
        verbose_name = "bulletin papier"


class VoteMark(models.Model):
    """One mark of a vote on one option: the grade (majority judgment), or 1 for the chosen
    option (majority) and for each approved option (approval)."""

    pk = models.CompositePrimaryKey("vote", "option")
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="marks")
    option = models.ForeignKey(BallotOption, on_delete=models.CASCADE, related_name="+")
    # Copied from the vote (it never changes) so that counting by channel needs no join.
    paper = models.BooleanField(default=False)
    value = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = "mention"
        # Covers the recount (GROUP BY option, channel, value): an index-only scan.
        indexes = [models.Index(fields=["option", "paper", "value"], name="votemark_count_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__lt=GRADE_COUNT), name="mark_value_is_a_grade"
            ),
        ]

    def __str__(self):
        return f"Mention {self.value}"


class MarkCount(models.Model):
    """Running counters kept with every vote, in the same transaction: the tally of a million
    ballots reads 140 rows instead of ten million marks. ``option`` empty: the number of
    ballots of the channel. ``tally()`` recounts from the marks and must agree."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="counters")
    option = models.ForeignKey(
        BallotOption, null=True, on_delete=models.CASCADE, related_name="counters"
    )
    paper = models.BooleanField(default=False)
    value = models.PositiveSmallIntegerField(default=0)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = "compteur"
        constraints = [
            models.UniqueConstraint(
                fields=["option", "paper", "value"],
                condition=Q(option__isnull=False),
                name="counter_per_option_channel_value",
            ),
            models.UniqueConstraint(
                fields=["ballot", "paper"],
                condition=Q(option__isnull=True),
                name="counter_per_ballot_channel",
            ),
        ]

    def __str__(self):
        return f"Compteur : {self.count}"


class Result(models.Model):
    """The result stored when the ballot closes: a JSON snapshot and the order of the options."""

    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="result")
    computed_at = models.DateTimeField("calculé le", default=timezone.now)
    # See tally_data() in services.py for the shape.
    data = models.JSONField("résultat détaillé")
    # Groups of option ids, first to last; options in one group are tied.
    ranking = models.JSONField("classement")

    class Meta:
        verbose_name = "résultat"

    def __str__(self):
        return f"Résultat du scrutin n° {self.ballot_id}"

    def same_outcome(self, other: "Result") -> bool:
        return self.data == other.data and self.ranking == other.ranking


class NationalConsultation(models.Model):
    """A consultation open to the whole country, run by the national administrators: the
    context of ballots that belong to no instance or event (the national-scale benchmark
    ballot, a national ranking of priorities)."""

    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "consultation nationale"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("votes:consultation", args=[self.pk])

    def can_manage_ballots(self, user) -> bool:
        # A national consultation: not for a delegate of a région or a département.
        return bool(user.is_authenticated and is_national_administrator(user))
