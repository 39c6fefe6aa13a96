from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from enfance.core.workflow import Actionable
from enfance.territories.models import Commune, Departement, Region

from . import facts
from .enums import SENSITIVE_ROLE_KINDS, RoleKind, ScopeLevel, TitleForm


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("adresse électronique", unique=True)
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Demo accounts exist to try the platform locally; they can never log in when DEBUG is off.
    is_demo = models.BooleanField("compte de démonstration", default=False)
    # Sitting in an instance's « parents » college can tell that a family is followed by child
    # protection: a member appears by first name and initial unless they choose their full name.
    full_name_in_instances = models.BooleanField(
        "nom complet sur les pages publiques des instances", default=False, db_default=False
    )
    # « Animatrice » or « animateur », « magistrate » or « magistrat » (accounts.titles).
    title_form = models.CharField(
        "forme des titres",
        max_length=10,
        choices=TitleForm.choices,
        blank=True,
        default="",
        db_default="",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive_unique")
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or "Compte sans nom"

    def active_roles(self) -> list["Role"]:
        """The user's active roles (``facts``: kept between requests until one changes)."""
        return facts.fact(
            self,
            "roles",
            lambda: list(
                Role.objects.active().filter(user=self).select_related("region", "departement")
            ),
        )

    def has_totp(self) -> bool:
        return facts.fact(self, "totp", lambda: self.authenticator_set.filter(type="totp").exists())

    def has_sensitive_role(self) -> bool:
        return any(role.kind in SENSITIVE_ROLE_KINDS for role in self.active_roles())


class RoleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def of_kind(self, kind):
        return self.filter(kind=kind)


class Role(Actionable, models.Model):
    user = models.ForeignKey(
        User, verbose_name="personne", on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField("rôle", max_length=40, choices=RoleKind.choices)
    scope_level = models.CharField(
        "portée", max_length=20, choices=ScopeLevel.choices, default=ScopeLevel.NATIONAL
    )
    region = models.ForeignKey(
        Region, verbose_name="région", null=True, blank=True, on_delete=models.PROTECT
    )
    departement = models.ForeignKey(
        Departement, verbose_name="département", null=True, blank=True, on_delete=models.PROTECT
    )
    # "national", "region:84", "departement:69": one text key so that "one active role per
    # person, kind and scope" is a plain partial unique index on every database.
    scope_key = models.CharField("clé de portée", max_length=40, editable=False)
    granted_at = models.DateTimeField("attribué le", default=timezone.now)
    granted_by = models.ForeignKey(
        User,
        verbose_name="attribué par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User,
        verbose_name="retiré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = RoleQuerySet.as_manager()

    class Meta:
        verbose_name = "rôle"
        ordering = ["kind", "scope_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "scope_key"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_role_per_kind_and_scope",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        scope_level=ScopeLevel.NATIONAL,
                        region__isnull=True,
                        departement__isnull=True,
                    )
                    | Q(
                        scope_level=ScopeLevel.REGION,
                        region__isnull=False,
                        departement__isnull=True,
                    )
                    | Q(
                        scope_level=ScopeLevel.DEPARTEMENT,
                        region__isnull=True,
                        departement__isnull=False,
                    )
                ),
                name="role_scope_matches_level",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.scope_label}"

    @staticmethod
    def make_scope_key(level: str, region: Region | None, departement: Departement | None) -> str:
        if level == ScopeLevel.REGION:
            return f"region:{region.code}"
        if level == ScopeLevel.DEPARTEMENT:
            return f"departement:{departement.code}"
        return "national"

    def save(self, *args, **kwargs):
        self.scope_key = self.make_scope_key(self.scope_level, self.region, self.departement)
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def scope_label(self) -> str:
        if self.scope_level == ScopeLevel.REGION:
            return f"région {self.region.name}"
        if self.scope_level == ScopeLevel.DEPARTEMENT:
            return f"département {self.departement}"
        return "national"

    def covers(self, region: Region | None, departement: Departement | None) -> bool:
        """Whether this role's territory includes the given scope (None, None: national)."""
        if self.scope_level == ScopeLevel.NATIONAL:
            return True
        if self.scope_level == ScopeLevel.REGION:
            if departement is not None:
                return departement.region_id == self.region_id
            return region is not None and region.pk == self.region_id
        return departement is not None and departement.pk == self.departement_id
