"""The petition, its signatures, the public counts and the paper sheets.

A signature row is also the queue of its confirmation e-mail (`email_pending`): signing is one
INSERT and nothing else, and one background job sends the pending e-mails in batches (see
README.md in this package for why).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from enfance.core.dates import HAPPENED
from enfance.core.workflow import Actionable

from .enums import PetitionState

# The days a paper sheet's collection may take (core.dates): form, service and database.
COLLECTION_DAY = HAPPENED.worded(too_late="La date de collecte ne peut pas être dans le futur.")


class PetitionQuerySet(models.QuerySet):
    def current(self):
        """The petition the public page shows: the open one, else the latest."""
        return self.order_by(
            models.Case(
                models.When(state=PetitionState.OPEN, then=0),
                default=1,
                output_field=models.IntegerField(),
            ),
            "-opens_at",
        )


class Petition(Actionable, models.Model):
    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("identifiant", max_length=100, unique=True)
    summary = models.TextField("résumé", max_length=1000)
    text = models.TextField("texte de la pétition", max_length=20_000)
    addressee = models.CharField("adressée à", max_length=200, blank=True)
    opens_at = models.DateTimeField("ouverture")
    closes_at = models.DateTimeField("clôture", null=True, blank=True)
    state = models.CharField(
        "état", max_length=12, choices=PetitionState.choices, default=PetitionState.OPEN
    )
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisée le", null=True, blank=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = "pétition"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("petitions:detail")

    def accepts_signatures(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.state == PetitionState.OPEN
            and self.opens_at <= now
            and (self.closes_at is None or now < self.closes_at)
        )


class SignatureQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def awaiting_email(self):
        return self.filter(email_pending=True)


class Signature(models.Model):
    # No index of their own on the foreign keys: every index costs each INSERT of a surge, and
    # the unique constraint below starts with the petition. Counts come from DepartementCount.
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="signatures", db_index=False
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    # As typed (where the e-mail goes) and normalised (what makes a person sign once); both
    # are erased at anonymisation (NULL: the unique constraint ignores erased rows).
    email = models.CharField("adresse électronique", max_length=254)
    email_normalized = models.CharField(  # noqa: DJ001 - NULL once erased, see above
        "adresse normalisée", max_length=254, null=True
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, db_index=False
    )
    departement = models.ForeignKey(
        "territories.Departement", on_delete=models.PROTECT, db_index=False
    )
    created_at = models.DateTimeField("signée le", default=timezone.now)
    confirmed_at = models.DateTimeField("confirmée le", null=True, blank=True)
    email_pending = models.BooleanField("courriel à envoyer", default=True)
    emailed_at = models.DateTimeField("dernier courriel le", null=True, blank=True)
    # Signatures through FranceConnect only (PETITION_REQUIRE_FRANCECONNECT): a keyed digest of
    # the person's FranceConnect identifier, so that one identity signs once; erased with the
    # rest at anonymisation. Empty on every other row, which its partial index leaves out.
    identity_digest = models.CharField(  # noqa: DJ001 - NULL outside FranceConnect, see above
        "empreinte de l'identité FranceConnect", max_length=64, null=True, blank=True
    )

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = "signature"
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "email_normalized"], name="petition_one_signature_per_email"
            ),
            # Partial: the INSERT of an e-mail signature (the surge path) never touches it.
            models.UniqueConstraint(
                fields=["petition", "identity_digest"],
                condition=Q(identity_digest__isnull=False),
                name="petition_one_signature_per_identity",
            ),
        ]
        indexes = [
            # The e-mail queue: small, since a row leaves it once its e-mail is sent.
            models.Index(
                fields=["id"], condition=Q(email_pending=True), name="petition_sig_email_queue"
            )
        ]

    def __str__(self):
        return f"Signature n° {self.pk}"


class DepartementCount(models.Model):
    """Confirmed online signatures per département, incremented at each confirmation in the
    same transaction: the public counter reads 101 rows, never counts the signatures."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="counts")
    departement = models.ForeignKey(
        "territories.Departement", on_delete=models.PROTECT, related_name="+"
    )
    confirmed = models.PositiveIntegerField("signatures confirmées", default=0)

    class Meta:
        verbose_name = "compteur par département"
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "departement"], name="petition_one_count_per_departement"
            )
        ]

    def __str__(self):
        return f"{self.confirmed} signatures ({self.departement_id})"


MAX_SIGNATURES_PER_SHEET_ENTRY = 5_000
MAX_SHEETS_PER_ENTRY = 1_000


class PaperSheetQuerySet(models.QuerySet):
    def counted(self):
        return self.filter(withdrawn_at__isnull=True)


class PaperSheet(models.Model):
    """Paper signatures collected at a forum, entered by the instance's secretary. Counted
    apart from the online ones; every entry and withdrawal is in the event log."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="paper_sheets")
    instance = models.ForeignKey(
        "assemblies.Instance", on_delete=models.PROTECT, related_name="petition_sheets"
    )
    departement = models.ForeignKey(
        "territories.Departement", on_delete=models.PROTECT, related_name="+"
    )
    signatures = models.PositiveIntegerField("nombre de signatures")
    sheets = models.PositiveIntegerField("nombre de feuilles")
    collected_at = models.CharField("lieu de collecte", max_length=200)
    collected_on = models.DateField("date de collecte")
    # Empty once the person who entered or withdrew it has deleted their account: the sheet
    # still counts, the event log keeps who did it (personal_data.py).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField("saisie le", default=timezone.now)
    withdrawn_at = models.DateTimeField("retirée le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField("motif du retrait", max_length=300, blank=True)

    objects = PaperSheetQuerySet.as_manager()

    class Meta:
        verbose_name = "saisie de feuilles papier"
        verbose_name_plural = "saisies de feuilles papier"
        ordering = ["-entered_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(signatures__gte=1, signatures__lte=MAX_SIGNATURES_PER_SHEET_ENTRY),
                name="petition_paper_sheet_signatures_bounds",
            ),
            models.CheckConstraint(
                condition=Q(sheets__gte=1, sheets__lte=MAX_SHEETS_PER_ENTRY),
                name="petition_paper_sheet_sheets_bounds",
            ),
            COLLECTION_DAY.constraint("collected_on", model="papersheet"),
        ]

    def __str__(self):
        return f"{self.signatures} signatures papier ({self.collected_at})"


class SurgeBaseline(models.Model):
    """The surge benchmark's yardstick: a bare view inserts one row here (BENCH_VIEWS=1 only).
    Empty outside benchmarks."""

    email = models.CharField(max_length=254, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.email
