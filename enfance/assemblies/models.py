"""Instances locales de protection de l'enfance (seed 000): colleges, memberships, applications,
draws, meetings and local priorities.

The bounds of the colleges are data (``College``, ``CompositionRule``, ``CollegeSeat``), filled by
a data migration: a reform changes a number, not code. A membership holds one numbered seat of its
college while it lasts; "one current membership per seat" is a unique index, so a college can never
hold more members than it has seats, whatever the number of concurrent requests.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.territories.models import Commune, Departement

from .enums import (
    AgeBand,
    ApplicationStatus,
    ConsentMethod,
    EndReason,
    ExpertField,
    Gender,
    InstanceProposalStatus,
    InstanceStatus,
    MemberRole,
    MinutesStatus,
    SelectionMethod,
    Stratification,
)


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

    def with_member_count(self, on: date | None = None):
        on = on or timezone.localdate()
        return self.annotate(
            member_count=models.Count(
                "memberships", filter=Membership.active_on_q(on, prefix="memberships__")
            )
        )


class Instance(models.Model):
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
        from .perms import can_manage_instance

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

    def __str__(self):
        return f"Profil d'enfant n° {self.pk}"

    @property
    def has_parental_consent(self) -> bool:
        return bool(self.consent_parent_name and self.consent_given_on and self.consent_method)

    def birthday(self, age: int) -> date:
        return birthday(self.birth_date, age)

    def age_on(self, day: date) -> int:
        return age_on(self.birth_date, day)


def birthday(birth_date: date, age: int) -> date:
    """The day a person born on ``birth_date`` turns ``age`` (29 February: 1 March)."""
    year = birth_date.year + age
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def age_on(birth_date: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        on_delete=models.PROTECT,
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
        """A child appears by first name only; an adult by first and last name."""
        if self.seat.college.is_age_limited:
            return self.user.first_name or "Membre du collège des enfants"
        return self.user.display_name


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=[ApplicationStatus.DEPOSEE, ApplicationStatus.RETENUE])


class Application(models.Model):
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
        """As Membership.public_name: a child applicant by first name only."""
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


class MeetingQuerySet(models.QuerySet):
    def upcoming(self):
        return self.filter(starts_at__gte=timezone.now()).order_by("starts_at")


class Meeting(models.Model):
    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField("titre", max_length=150)
    starts_at = models.DateTimeField("date et heure")
    place = models.CharField("lieu", max_length=200, blank=True)
    online_link = models.URLField("lien de la réunion en ligne", blank=True)
    convened_at = models.DateTimeField("convocation envoyée le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["instance", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_link=""), name="meeting_has_place_or_link"
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.instance}"

    def get_absolute_url(self):
        return reverse("assemblies:meeting", args=[self.instance.slug, self.pk])

    def can_manage_ballots(self, user) -> bool:
        return self.instance.can_manage_ballots(user)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="agenda_items"
    )
    position = models.PositiveSmallIntegerField("ordre")
    title = models.CharField("point", max_length=200)

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "ordre du jour"
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position"),
        ]

    def __str__(self):
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="attendances"
    )
    membership = models.ForeignKey(
        Membership, verbose_name="mandat", on_delete=models.CASCADE, related_name="attendances"
    )
    present = models.BooleanField("présent", default=False)

    class Meta:
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="one_attendance_per_member"
            ),
        ]

    def __str__(self):
        return f"Présence n° {self.pk}"


class Decision(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField("décision", max_length=2000)
    ballot = models.ForeignKey(
        "votes.Ballot",
        verbose_name="vote",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("prise le", default=timezone.now)

    class Meta:
        verbose_name = "décision"
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self):
        return self.text[:80]


class MinutesQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=MinutesStatus.PUBLIE)


class Minutes(models.Model):
    meeting = models.OneToOneField(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="minutes"
    )
    text = models.TextField("compte rendu", max_length=20000)
    status = models.CharField(
        "état", max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.BROUILLON
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = MinutesQuerySet.as_manager()

    class Meta:
        verbose_name = "compte rendu"
        verbose_name_plural = "comptes rendus"

    def __str__(self):
        return f"Compte rendu — {self.meeting}"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url()


class Priority(models.Model):
    """A need or problem of the territory (the "diagnostic local" of seed 001)."""

    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField("intitulé", max_length=150)
    description = models.TextField("description", max_length=1000, blank=True)
    # Its place in the ranking of the last closed majority-judgment ballot (1 = first).
    rank = models.PositiveSmallIntegerField("rang", null=True, blank=True)
    median_grade = models.CharField("mention majoritaire", max_length=40, blank=True)
    created_at = models.DateTimeField("ajoutée le", default=timezone.now)

    class Meta:
        verbose_name = "priorité locale"
        verbose_name_plural = "priorités locales"
        ordering = ["instance", models.F("rank").asc(nulls_last=True), "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["instance", "title"], name="priority_title_unique"),
        ]

    def __str__(self):
        return self.title


class PriorityRanking(models.Model):
    """The majority-judgment ballot that ranks an instance's priorities."""

    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="rankings"
    )
    ballot = models.OneToOneField(
        "votes.Ballot", verbose_name="vote", on_delete=models.PROTECT, related_name="+"
    )
    # Ballot option label -> priority id, as given to the votes engine.
    options = models.JSONField("options")
    created_at = models.DateTimeField("créé le", default=timezone.now)
    closed_at = models.DateTimeField("clos le", null=True, blank=True)

    class Meta:
        verbose_name = "classement des priorités"
        verbose_name_plural = "classements des priorités"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Classement des priorités — {self.instance}"


class CollegeElection(models.Model):
    """The election of a college's members by the people present at an atelier (seed 001):
    a majority-judgment ballot held at the event, whose candidates are the shortlisted
    applications to that college."""

    instance = models.ForeignKey(
        Instance, verbose_name="instance", on_delete=models.CASCADE, related_name="elections"
    )
    college = models.ForeignKey(
        College, verbose_name="collège", on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event", verbose_name="atelier", on_delete=models.PROTECT, related_name="+"
    )
    ballot = models.OneToOneField(
        "votes.Ballot", verbose_name="vote", on_delete=models.PROTECT, related_name="+"
    )
    # The seats free in the college when the vote opened: at most that many are elected.
    seats = models.PositiveSmallIntegerField("sièges à pourvoir")
    # Ballot option id -> application id, as given to the votes engine.
    options = models.JSONField("options")
    created_at = models.DateTimeField("ouverte le", default=timezone.now)
    concluded_at = models.DateTimeField("conclue le", null=True, blank=True)

    class Meta:
        verbose_name = "élection à un collège"
        verbose_name_plural = "élections aux collèges"
        ordering = ["-created_at"]
        constraints = [
            # A double click or two tabs cannot open two elections for the same seats.
            models.UniqueConstraint(
                fields=["instance", "college"],
                condition=Q(concluded_at__isnull=True),
                name="one_open_election_per_college",
            )
        ]

    def __str__(self):
        return f"Élection au collège {self.college.of_label} — {self.instance}"


class InstanceProposal(models.Model):
    """An instance proposed at the end of a forum ouvert by its hosts (seed 000: forums launch
    the first instances); the administrateur national creates it, or says why not."""

    event = models.ForeignKey(
        "events.Event", verbose_name="forum", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("nom proposé", max_length=150)
    description = models.TextField("pourquoi cette instance", max_length=2000, blank=True)
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="proposée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "état",
        max_length=20,
        choices=InstanceProposalStatus.choices,
        default=InstanceProposalStatus.PROPOSEE,
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    instance = models.OneToOneField(
        Instance,
        verbose_name="instance créée",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
    )
    created_at = models.DateTimeField("proposée le", default=timezone.now)

    class Meta:
        verbose_name = "proposition d'instance"
        verbose_name_plural = "propositions d'instance"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status="proposee"),
                name="one_pending_instance_proposal_per_forum",
            )
        ]

    def __str__(self):
        return f"Proposition d'instance : {self.name}"
