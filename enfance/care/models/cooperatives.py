"""The SCIC (sociétés coopératives d'intérêt collectif) that run child protection on a territory
(seed 000), supervised by an instance locale: their missions, the structures they run, their
associates by category and the colleges that weigh their votes.

What the law on SCIC asks of the associates as a whole (three categories at least, employees and
beneficiaries among them, public bodies at most half of the capital) is checked by
``cooperatives.composition_problems``; what holds row by row is here, in the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from enfance.assemblies.perms import can_manage_instance
from enfance.core.dates import FIRST_DAY, DateBounds
from enfance.territories.models import Departement

from ..enums import AssociateCategory, Mission
from ..finess import validate_siren
from .places import NAME_MAX, Structure

# A cooperative may be older than the platform, never registered in the future.
REGISTERED_DAY = DateBounds(
    FIRST_DAY,
    "Indiquez une date à partir du {earliest}.",
    0,
    "La date ne peut pas être dans le futur.",
)
# A college's share of the votes, in percent (loi du 10 septembre 1947, art. 19 octies).
COLLEGE_MIN_WEIGHT = 10
COLLEGE_MAX_WEIGHT = 50
COLLEGES_MIN = 3


class Cooperative(models.Model):
    name = models.CharField("raison sociale", max_length=NAME_MAX)
    siren = models.CharField("numéro SIREN", max_length=9, unique=True, validators=[validate_siren])
    registered_on = models.DateField("immatriculée le")
    departement = models.ForeignKey(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="+"
    )
    instance = models.ForeignKey(
        "assemblies.Instance",
        verbose_name="instance locale qui la supervise",
        on_delete=models.PROTECT,
        related_name="cooperatives",
    )
    statutes = models.FileField("statuts (PDF)", upload_to="scic/statuts/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("enregistrée le", default=timezone.now)

    class Meta:
        verbose_name = "SCIC"
        verbose_name_plural = "SCIC"
        ordering = ["departement__code", "name", "pk"]
        constraints = [REGISTERED_DAY.constraint("registered_on", model="cooperative")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("care:cooperative", args=[self.pk])


class CooperativeMission(models.Model):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="missions")
    mission = models.CharField("mission", max_length=30, choices=Mission.choices)

    class Meta:
        verbose_name = "mission d'une SCIC"
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "mission"], name="scic_mission_once")
        ]

    def __str__(self):
        return self.get_mission_display()


class RunStructure(models.Model):
    """A structure of the registry that the cooperative runs: one cooperative at a time."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="run_structures"
    )
    structure = models.OneToOneField(Structure, on_delete=models.PROTECT, related_name="run_by")

    class Meta:
        verbose_name = "structure gérée par une SCIC"

    def __str__(self):
        return f"{self.structure} ({self.cooperative})"


class College(models.Model):
    """A college of the general assembly: its share of the votes, 10 to 50 %; the shares of a
    cooperative's colleges add up to 100 (set together, ``cooperatives.set_colleges``, and
    checked at commit by PostgreSQL)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="colleges")
    name = models.CharField("nom du collège", max_length=100)
    weight = models.PositiveSmallIntegerField("part des voix (%)")

    class Meta:
        verbose_name = "collège d'une SCIC"
        ordering = ["cooperative", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "name"], name="scic_college_name_once"),
            models.CheckConstraint(
                condition=Q(weight__gte=COLLEGE_MIN_WEIGHT, weight__lte=COLLEGE_MAX_WEIGHT),
                name="scic_college_weight_10_to_50",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight} %)"


class AssociateQuerySet(models.QuerySet):
    def current(self, on=None):
        """Associates on the day ``on`` (today): entered, not yet gone."""
        on = on or timezone.localdate()
        return self.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


class Associate(models.Model):
    """A sociétaire: a person or a body, in a category, holding shares. An associate with an
    account votes in the general assembly (in their college, when there are colleges)."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="associates"
    )
    category = models.CharField("catégorie", max_length=20, choices=AssociateCategory.choices)
    name = models.CharField("nom", max_length=NAME_MAX)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte sur la plateforme",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperative_shares",
    )
    college = models.ForeignKey(
        College,
        verbose_name="collège",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="associates",
    )
    shares = models.PositiveIntegerField("parts sociales")
    # The SCIC's dirigeants (or those they mandate): they answer the supervising instance's
    # questions and publish the annual report for the SCIC.
    represents = models.BooleanField("représente la SCIC", default=False, db_default=False)
    joined_on = models.DateField("entrée le")
    left_on = models.DateField("sortie le", null=True, blank=True)

    objects = AssociateQuerySet.as_manager()

    class Meta:
        verbose_name = "sociétaire"
        ordering = ["cooperative", "category", "name", "pk"]
        indexes = [models.Index(fields=["cooperative", "category"], name="scic_associate_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(shares__gte=1), name="scic_associate_one_share"),
            REGISTERED_DAY.constraint("joined_on", model="associate"),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=F("joined_on")),
                name="scic_associate_leaves_after_joining",
            ),
            # One account, one seat: a person holds their shares in one line of the register.
            models.UniqueConstraint(
                fields=["cooperative", "user"],
                condition=Q(user__isnull=False, left_on__isnull=True),
                name="scic_associate_account_once",
            ),
            models.CheckConstraint(
                condition=Q(represents=False) | Q(user__isnull=False),
                name="scic_representative_has_account",
            ),
            # A double click enters one line: the same name in the same category, entered the
            # same day, is the same associate (a migration's trigger also keeps the college
            # within the cooperative).
            models.UniqueConstraint(
                fields=["cooperative", "category", "name", "joined_on"],
                condition=Q(left_on__isnull=True),
                name="scic_associate_entered_once",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_category_display()})"


AGENDA_MAX = 5000


class GeneralAssembly(models.Model):
    """A general assembly of a SCIC: convened with its agenda, its resolutions voted through the
    votes engine (by colleges when the statutes have colleges), seen by its associates and its
    supervising instance. The engine asks it who runs, sees and votes (``votes.services``)."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.CASCADE, related_name="assemblies"
    )
    title = models.CharField("intitulé", max_length=200)
    held_on = models.DateField("tenue le")
    agenda = models.TextField("ordre du jour", max_length=AGENDA_MAX)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="convoquée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    convened_at = models.DateTimeField("convoquée le", default=timezone.now)
    # The minutes, read by the associates and the supervising instance only.
    minutes = models.FileField("procès-verbal (PDF)", upload_to="scic/pv/", blank=True)
    minutes_published_at = models.DateTimeField("procès-verbal publié le", null=True, blank=True)

    class Meta:
        verbose_name = "assemblée générale d'une SCIC"
        verbose_name_plural = "assemblées générales de SCIC"
        ordering = ["-held_on", "-pk"]
        constraints = [
            # A double click convenes one assembly.
            models.UniqueConstraint(
                fields=["cooperative", "title", "held_on"], name="scic_assembly_convened_once"
            ),
        ]

    def __str__(self):
        return f"{self.title} — {self.cooperative}"

    def get_absolute_url(self):
        return reverse("care:assembly", args=[self.pk])

    def _associates(self):
        return self.cooperative.associates.current().filter(user__isnull=False)

    def can_manage_ballots(self, user) -> bool:
        return can_manage_instance(user, self.cooperative.instance)

    def is_visible_to(self, user) -> bool:
        """Its associates and its supervising instance."""
        if not user.is_authenticated:
            return False
        return self.can_manage_ballots(user) or self._associates().filter(user=user).exists()

    def ballot_electorate(self):
        """The associates of the day who have an account: one associate, one vote."""
        return [a.user for a in self._associates().select_related("user")]

    def ballot_colleges(self) -> dict:
        """Each voting associate's college, for a vote by colleges."""
        return dict(
            self._associates().filter(college__isnull=False).values_list("user_id", "college__name")
        )
