"""Instances, their colleges and seats, and the people who sit in them."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.accounts import titles
from enfance.accounts.enums import RoleKind, ScopeLevel
from enfance.accounts.naming import initialled_name
from enfance.core.dates import BIRTH, HAPPENED, MANDATE, age_on, birthday
from enfance.core.workflow import Actionable
from enfance.territories.models import Commune, Departement

from ..enums import (
    ConsentMethod,
    EndReason,
    ExpertField,
    InstanceStatus,
    MemberRole,
    SelectionMethod,
)
from ..perms import can_manage_instance

# The days each date may take (core.dates), shared by the forms, the services and the database.
CONSENT_DAY = HAPPENED.worded(too_late="La date du consentement ne peut pas être dans le futur.")


class College(models.Model):
    code = models.SlugField("code", max_length=30, unique=True)
    label = models.CharField("nom", max_length=100)
    # The college as it reads after "au collège" / "le collège": "des grands-parents".
    of_label = models.CharField("complément", max_length=100)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    min_members = models.PositiveSmallIntegerField("membres au minimum")
    max_members = models.PositiveSmallIntegerField("membres au maximum")
    # Only the children's college has ages: its members are min_age to max_age years old on
    # every day of their mandate.
    min_age = models.PositiveSmallIntegerField("âge minimal", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("âge maximal", null=True, blank=True)
    asks_expert_field = models.BooleanField("domaine d'expertise demandé", default=False)

    class Meta:
        verbose_name = "collège"
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_members__lte=models.F("max_members")),
                name="college_min_not_above_max",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True, max_age__isnull=True)
                | Q(min_age__isnull=False, max_age__isnull=False, min_age__lte=models.F("max_age")),
                name="college_age_bounds_together",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_age_limited(self) -> bool:
        return self.max_age is not None


class CollegeSeat(models.Model):
    """Seat number 1 to ``max_members`` of a college: as many rows as the college has seats."""

    college = models.ForeignKey(
        College, verbose_name="collège", on_delete=models.CASCADE, related_name="seats"
    )
    number = models.PositiveSmallIntegerField("numéro")

    class Meta:
        verbose_name = "siège"
        ordering = ["college", "number"]
        constraints = [
            models.UniqueConstraint(fields=["college", "number"], name="one_seat_per_number"),
        ]

    def __str__(self):
        return f"{self.college} — siège {self.number}"


class CompositionRule(models.Model):
    """The bounds on the whole instance (seed 000: 16 to 26 members)."""

    code = models.SlugField("code", max_length=30, unique=True, default="national")
    min_total = models.PositiveSmallIntegerField("membres au minimum")
    max_total = models.PositiveSmallIntegerField("membres au maximum")

    class Meta:
        verbose_name = "règle de composition"
        verbose_name_plural = "règles de composition"
        constraints = [
            models.CheckConstraint(
                condition=Q(min_total__lte=models.F("max_total")),
                name="composition_min_not_above_max",
            ),
        ]

    def __str__(self):
        return f"{self.min_total} à {self.max_total} membres"


class InstanceQuerySet(models.QuerySet):
    def public(self):
        return self.all()

    def managed_by(self, user):
        """The instances this person runs: all of them for a national administrator, those of
        their région for a regional one, those whose secretariat they hold otherwise."""
        roles = [r for r in user.active_roles() if r.kind == RoleKind.ADMINISTRATEUR_NATIONAL]
        if any(r.scope_level == ScopeLevel.NATIONAL for r in roles):
            return self.all()
        managed = Membership.objects.current().managers().filter(user=user).values("instance")
        regions = [r.region_id for r in roles if r.scope_level == ScopeLevel.REGION]
        return self.filter(Q(pk__in=managed) | Q(departement__region__in=regions))

    def with_member_count(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.annotate(
            member_count=models.Count(
                "memberships", filter=Membership.active_on_q(on, prefix="memberships__")
            )
        )


class Instance(Actionable, models.Model):
    name = models.CharField("nom", max_length=150)
    slug = models.SlugField("adresse", max_length=160, unique=True)
    departement = models.ForeignKey(
        Departement,
        verbose_name="département",
        on_delete=models.PROTECT,
        related_name="instances",
    )
    # A "bassin de vie": a set of communes of the département. Empty: the whole département.
    communes = models.ManyToManyField(
        Commune, verbose_name="communes du bassin de vie", blank=True, related_name="instances"
    )
    description = models.TextField("présentation", max_length=2000, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=InstanceStatus.choices, default=InstanceStatus.EN_CREATION
    )
    # Percentage of the members that must be present; empty: more than half of the members.
    quorum_percent = models.PositiveSmallIntegerField(
        "quorum (pourcentage des membres)", null=True, blank=True
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = InstanceQuerySet.as_manager()

    class Meta:
        verbose_name = "instance locale"
        verbose_name_plural = "instances locales"
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__isnull=True)
                | Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="instance_quorum_percent_range",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assemblies:detail", args=[self.slug])

    def can_manage_ballots(self, user) -> bool:
        return can_manage_instance(user, self)

    def ballot_electorate(self):
        """The electorate the votes engine offers when a manager opens a ballot here."""
        return [m.user for m in self.memberships.current().select_related("user")]

    def quorum_for(self, member_count: int) -> int:
        """How many members must be present for the instance to deliberate."""
        if self.quorum_percent is None:
            return member_count // 2 + 1
        return -(-member_count * self.quorum_percent // 100)


class ChildProfile(models.Model):
    """What the platform keeps about a child member: the date of birth, for the age rule only
    (never displayed), and, under 15, the parent's consent (French law on digital consent)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="child_profile",
    )
    birth_date = models.DateField("date de naissance")
    consent_parent_name = models.CharField("parent ayant consenti", max_length=150, blank=True)
    consent_given_on = models.DateField("consentement donné le", null=True, blank=True)
    consent_method = models.CharField(
        "forme du consentement", max_length=20, choices=ConsentMethod.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="consentement enregistré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "profil d'enfant"
        verbose_name_plural = "profils d'enfants"
        constraints = [
            BIRTH.constraint("birth_date", model="childprofile"),
            CONSENT_DAY.constraint("consent_given_on", model="childprofile", nullable=True),
        ]

    def __str__(self):
        return f"Profil d'enfant n° {self.pk}"

    @property
    def has_parental_consent(self) -> bool:
        return bool(self.consent_parent_name and self.consent_given_on and self.consent_method)

    def birthday(self, age: int) -> date:
        return birthday(self.birth_date, age)

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)


class MembershipQuerySet(models.QuerySet):
    def seated(self):
        """Memberships that hold their seat (not ended), whatever their dates."""
        return self.filter(ended_on__isnull=True)

    def active_on(self, on: date):
        return self.filter(Membership.active_on_q(on))

    def current(self):
        return self.active_on(timezone.localdate())

    def managers(self):
        return self.filter(role__in=[MemberRole.SECRETAIRE, MemberRole.ANIMATEUR])

    def for_display(self):
        return self.select_related("user", "seat__college").order_by(
            "seat__college__position", "seat__number"
        )


class Membership(models.Model):
    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="memberships"
    )
    # Empty once the person has deleted their account: the mandate stays in the instance's
    # history (attendance, quorums), without them (personal_data.py).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        null=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    # The college is the seat's: a membership cannot name one college and sit in another.
    seat = models.ForeignKey(
        CollegeSeat, verbose_name="siège", on_delete=models.PROTECT, related_name="+"
    )
    mandate_start = models.DateField("début du mandat")
    mandate_end = models.DateField("fin du mandat (dernier jour)")
    selection_method = models.CharField(
        "mode de désignation", max_length=20, choices=SelectionMethod.choices
    )
    role = models.CharField(
        "rôle", max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBRE
    )
    expert_field = models.CharField(
        "domaine d'expertise", max_length=20, choices=ExpertField.choices, blank=True
    )
    # The first day without the seat; empty while the member sits.
    ended_on = models.DateField("fin effective", null=True, blank=True)
    end_reason = models.CharField(
        "motif de fin", max_length=20, choices=EndReason.choices, blank=True
    )
    application = models.ForeignKey(
        "Application",
        verbose_name="candidature",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "mandat"
        ordering = ["instance", "seat"]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "seat"],
                condition=Q(ended_on__isnull=True),
                name="one_member_per_seat",
            ),
            models.UniqueConstraint(
                fields=["instance", "user"],
                condition=Q(ended_on__isnull=True),
                name="one_college_per_person_and_instance",
            ),
            models.CheckConstraint(
                condition=Q(mandate_end__gte=models.F("mandate_start")),
                name="mandate_end_after_start",
            ),
            MANDATE.constraint("mandate_start", model="membership"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("mandate_start")),
                name="membership_ended_after_start",
            ),
        ]
        indexes = [models.Index(fields=["instance", "ended_on"])]

    def __str__(self):
        return f"Mandat n° {self.pk}"

    @staticmethod
    def active_on_q(on: date, prefix: str = "") -> Q:
        return Q(**{f"{prefix}mandate_start__lte": on, f"{prefix}mandate_end__gte": on}) & (
            Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": on})
        )

    @property
    def college(self) -> College:
        return self.seat.college

    @property
    def public_name(self) -> str:
        """On public pages: a child by first name only; an adult by first name and initial
        (being in the « parents » college can tell that a family is followed), or by full name
        if they chose it (``User.full_name_in_instances``)."""
        if self.user is None or self.seat.college.is_age_limited:
            return self.full_name
        if self.user.full_name_in_instances:
            return self.user.display_name
        return initialled_name(self.user)

    @property
    def title(self) -> str:
        """« Animatrice » or « Animateur », as the person chose (accounts.titles)."""
        return titles.title(self.role, self.get_role_display(), self.user)

    @property
    def full_name(self) -> str:
        """For those who manage the instance: an adult's full name; a child still by first
        name only."""
        if self.user is None:
            return "Compte supprimé"
        if self.seat.college.is_age_limited:
            return self.user.first_name or "Membre du collège des enfants"
        return self.user.display_name
