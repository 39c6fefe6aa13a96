"""The care network's rules: a structure's record, its categories of places, the declarations
of free places, the départements that take part. Views call these; every change is checked
against the person's rights and recorded in the event log."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.enums import RoleKind
from enfance.accounts.models import Role, User
from enfance.core import notifications
from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.core.workflow import apply_transition

from . import perms
from .enums import DeclarationSource, StructureStatus
from .finess import normalize_finess, validate_finess
from .models import (
    AUTHORISED_DAY,
    JOINED_DAY,
    NAME_MAX,
    DepartementParticipation,
    PlaceCategory,
    PlaceDeclaration,
    Structure,
    StructureManager,
    StructureToken,
    freshness_limit,
)
from .workflows import STRUCTURE_WORKFLOW

# The fields of a structure's record that its gestionnaire and the département's services edit.
RECORD_FIELDS = (
    "name",
    "kind",
    "finess",
    "commune",
    "authority",
    "authorised_on",
    "authorised_capacity",
    "manager_kind",
    "manager_name",
    "age_min",
    "age_max",
    "takes_siblings",
    "takes_disability",
    "takes_mother_child",
    "takes_urgent",
)


def _clean_record(fields: dict, *, structure: Structure | None = None) -> dict:
    record = {**fields}
    record["name"] = bounded_text(
        record["name"],
        limit=NAME_MAX,
        field="name",
        label="Nom",
        required="Indiquez le nom de la structure.",
    )
    record["manager_name"] = bounded_text(
        record["manager_name"],
        limit=NAME_MAX,
        field="manager_name",
        label="Gestionnaire",
        required="Indiquez qui gère la structure (association, département, SCIC).",
    )
    record["finess"] = normalize_finess(record["finess"])
    try:
        validate_finess(record["finess"])
    except ValidationError as error:
        raise ValidationError({"finess": error}) from None
    taken = Structure.objects.filter(finess=record["finess"])
    if structure is not None:
        taken = taken.exclude(pk=structure.pk)
    if taken.exists():
        raise ValidationError(
            {"finess": "Une structure porte déjà ce numéro FINESS sur la plateforme."}
        )
    AUTHORISED_DAY.check(record["authorised_on"], field="authorised_on")
    if record["age_min"] > record["age_max"]:
        raise ValidationError({"age_max": "L'âge maximum doit suivre l'âge minimum."})
    if record["age_max"] > 21:
        raise ValidationError({"age_max": "La protection de l'enfance accueille jusqu'à 21 ans."})
    if record["authorised_capacity"] < 1:
        raise ValidationError({"authorised_capacity": "Indiquez au moins une place autorisée."})
    return record


def create_structure(*, by: User, **fields) -> Structure:
    """A gestionnaire declares their structure (to be validated by the département's services,
    and they become its gestionnaire); the services declare one already validated."""
    record = _clean_record({name: fields[name] for name in RECORD_FIELDS})
    departement = record["commune"].departement
    services = perms.is_departement_services(by, departement.pk)
    manages = departement.pk in perms.departements_of(by, RoleKind.GESTIONNAIRE_STRUCTURE)
    permit(
        services or manages,
        "Seuls les gestionnaires de structure et les services du département déclarent une "
        "structure de ce département.",
    )
    now = timezone.now()
    with transaction.atomic():
        structure = Structure.objects.create(
            **record,
            departement=departement,
            created_by=by,
            created_at=now,
            status=StructureStatus.VALIDATED if services else StructureStatus.PROPOSED,
            validated_by=by if services else None,
            validated_at=now if services else None,
        )
        if manages and not services:
            StructureManager.objects.create(structure=structure, user=by)
        record_event(
            by=by,
            action="care.structure_created",
            summary=f"Structure déclarée : {structure} (FINESS {structure.finess})",
            target=structure,
        )
    return structure


def update_structure(structure: Structure, *, by: User, **fields) -> Structure:
    permit(
        structure.abilities(by)["edit"],
        "Seuls ses gestionnaires et les services du département modifient cette structure.",
    )
    record = _clean_record({name: fields[name] for name in RECORD_FIELDS}, structure=structure)
    if record["commune"].departement_id != structure.departement_id:
        raise ValidationError(
            {
                "commune": "Une structure reste dans son département : choisissez une commune du "
                f"département {structure.departement}."
            }
        )
    installed = structure.categories.aggregate(total=Sum("capacity"))["total"] or 0
    if record["authorised_capacity"] < installed:
        raise ValidationError(
            {
                "authorised_capacity": f"Les catégories de places en comptent déjà {installed} : "
                "la capacité autorisée ne peut pas être plus petite."
            }
        )
    with transaction.atomic():
        for name, value in record.items():
            setattr(structure, name, value)
        structure.save()
        record_event(
            by=by,
            action="care.structure_updated",
            summary=f"Fiche modifiée : {structure}",
            target=structure,
        )
    return structure


def validate_structure(structure: Structure, *, by: User) -> Structure:
    return apply_transition(
        structure,
        STRUCTURE_WORKFLOW,
        "validate",
        by=by,
        also_update={"validated_by": by, "validated_at": timezone.now()},
    )


def name_manager(structure: Structure, *, by: User, email: str) -> StructureManager:
    """The département's services name a gestionnaire of the structure: a person who holds the
    role gestionnaire de structure in its département."""
    permit(
        structure.abilities(by)["name_manager"],
        "Seuls les services du département nomment les gestionnaires d'une structure.",
    )
    person = User.objects.filter(email__iexact=email.strip()).first()
    holds_role = (
        person is not None
        and Role.objects.active()
        .filter(
            user=person,
            kind=RoleKind.GESTIONNAIRE_STRUCTURE,
            departement_id=structure.departement_id,
        )
        .exists()
    )
    if not holds_role:
        raise ValidationError(
            {
                "email": "Cette personne n'a pas le rôle de gestionnaire de structure dans ce "
                "département : attribuez-le d'abord depuis la page « Rôles »."
            }
        )
    try:
        with transaction.atomic():
            link = StructureManager.objects.create(structure=structure, user=person)
            record_event(
                by=by,
                action="care.manager_named",
                summary=f"{person.display_name} nommé gestionnaire de {structure}",
                target=structure,
            )
    except IntegrityError:
        raise ValidationError({"email": "Cette personne gère déjà cette structure."}) from None
    return link


def add_category(
    structure: Structure,
    *,
    by: User,
    place_type,
    age_band,
    siblings: bool,
    disability: bool,
    capacity: int,
) -> PlaceCategory:
    permit(
        structure.abilities(by)["add_category"],
        "Seuls les gestionnaires de la structure ajoutent ses catégories de places.",
    )
    if capacity < 1:
        raise ValidationError({"capacity": "Indiquez au moins une place installée."})
    with transaction.atomic():
        locked = Structure.objects.select_for_update().get(pk=structure.pk)
        installed = locked.categories.aggregate(total=Sum("capacity"))["total"] or 0
        if installed + capacity > locked.authorised_capacity:
            raise ValidationError(
                {
                    "capacity": f"La structure est autorisée pour {locked.authorised_capacity} "
                    f"places et ses catégories en comptent déjà {installed} : il en reste "
                    f"{max(locked.authorised_capacity - installed, 0)} à répartir."
                }
            )
        if locked.categories.filter(
            place_type=place_type, age_band=age_band, siblings=siblings, disability=disability
        ).exists():
            raise ValidationError("Cette catégorie de places existe déjà dans la structure.")
        category = PlaceCategory.objects.create(
            structure=locked,
            place_type=place_type,
            age_band=age_band,
            siblings=siblings,
            disability=disability,
            capacity=capacity,
        )
        record_event(
            by=by,
            action="care.category_added",
            summary=f"Catégorie ajoutée à {locked} : {category.label}, {capacity} places",
            target=locked,
        )
    return category


def declare_places(
    structure: Structure,
    *,
    by: User,
    figures: dict[int, dict],
    now=None,
    source: str = DeclarationSource.PAGE,
) -> list[PlaceDeclaration]:
    """The free (and temporarily closed) places of some of the structure's categories, as of
    ``now``: ``figures`` maps a category's id to ``{"free": n, "closed": m}`` (closed optional).
    Every figure is checked before any is saved; each becomes a kept declaration."""
    permit(
        structure.abilities(by)["declare"],
        "Seuls les gestionnaires de la structure déclarent ses places.",
    )
    return _record_declarations(structure, by=by, figures=figures, now=now, source=source)


def _record_declarations(structure, *, by, figures, now, source) -> list[PlaceDeclaration]:
    """Checks every figure before saving any; each becomes a kept declaration."""
    now = now or timezone.now()
    with transaction.atomic():
        categories = {
            c.pk: c for c in structure.categories.select_for_update().filter(pk__in=figures)
        }
        if set(figures) - set(categories):
            raise ValidationError("Une de ces catégories n'appartient pas à la structure.")
        errors = {}
        for pk, values in figures.items():
            category = categories[pk]
            closed = values.get("closed", category.closed)
            free = values["free"]
            if closed is None or not 0 <= closed <= category.capacity:
                errors[pk] = (
                    f"{category.label} : les places fermées vont de 0 à {category.capacity}."
                )
            elif free is None or not 0 <= free <= category.capacity - closed:
                errors[pk] = (
                    f"{category.label} : les places libres vont de 0 à "
                    f"{category.capacity - closed} (places installées moins places fermées)."
                )
        if errors:
            raise ValidationError(list(errors.values()))
        declarations = []
        for pk, values in figures.items():
            category = categories[pk]
            category.closed = values.get("closed", category.closed)
            category.free = values["free"]
            category.declared_at = now
            category.declared_by = by
            category.save(update_fields=["closed", "free", "declared_at", "declared_by"])
            declarations.append(
                PlaceDeclaration(
                    category=category,
                    free=category.free,
                    closed=category.closed,
                    capacity=category.capacity,
                    declared_at=now,
                    declared_by=by,
                    source=source,
                )
            )
        PlaceDeclaration.objects.bulk_create(declarations)
        record_event(
            by=by,
            action="care.places_declared",
            summary=f"Places déclarées pour {structure} ({len(declarations)} catégorie"
            f"{'s' if len(declarations) > 1 else ''})",
            target=structure,
            data={"source": source, "figures": {str(k): v for k, v in figures.items()}},
        )
    return declarations


def confirm_unchanged(structure: Structure, *, by: User, now=None) -> list[PlaceDeclaration]:
    """« Rien n'a changé »: every figure declared before is declared again as of now."""
    categories = list(structure.categories.all())
    if not categories:
        raise ValidationError("Ajoutez d'abord les catégories de places de la structure.")
    never = [c.label for c in categories if c.free is None]
    if never:
        raise ValidationError(
            "Ces places n'ont encore jamais été déclarées : indiquez-les d'abord ("
            + " ; ".join(never)
            + ")."
        )
    return declare_places(
        structure,
        by=by,
        figures={c.pk: {"free": c.free, "closed": c.closed} for c in categories},
        now=now,
        source=DeclarationSource.UNCHANGED,
    )


def send_freshness_reminders(*, now=None) -> int:
    """Remind the gestionnaires of each structure whose figures turn unknown within
    CARE_REMINDER_BEFORE (before their freshness limit), once per round of declarations: a
    reminder is claimed by a conditional update, so it goes out once however often this runs.
    Returns the number of structures reminded."""
    now = now or timezone.now()
    before = settings.CARE_REMINDER_BEFORE
    # Only figures still fresh, and old enough to reach their limit soon.
    window = PlaceCategory.objects.filter(
        structure__status=StructureStatus.VALIDATED,
        declared_at__gt=now - settings.CARE_FRESHNESS,
        declared_at__lte=now - settings.CARE_URGENT_FRESHNESS + before,
    ).select_related("structure")
    expiring: dict[int, tuple[Structure, object]] = {}
    for category in window.iterator(chunk_size=2000):
        expires_at = category.declared_at + freshness_limit(category.place_type)
        if expires_at - before <= now < expires_at:
            known = expiring.get(category.structure_id)
            if known is None or expires_at < known[1]:
                expiring[category.structure_id] = (category.structure, expires_at)
    reminded = 0
    for structure, expires_at in expiring.values():
        round_started = expires_at - settings.CARE_FRESHNESS
        deadline = timezone.localtime(expires_at)
        with transaction.atomic():
            claimed = (
                Structure.objects.filter(pk=structure.pk)
                .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=round_started))
                .update(reminded_at=now)
            )
            if not claimed:
                continue
            for link in structure.manager_links.select_related("user"):
                notifications.send(
                    "care/emails/freshness_reminder.txt",
                    {
                        "structure": structure,
                        "expires_at": expires_at,
                        "declare_url": notifications.absolute_url(
                            reverse("care:declare", args=[structure.pk])
                        ),
                    },
                    subject=f"Vos places libres : à confirmer avant {deadline:%H:%M}",
                    to=link.user.email,
                )
            reminded += 1
    return reminded


def join_departement(departement, *, by: User, joined_on) -> DepartementParticipation:
    """A département takes part in the shared tool, by a decision of its services."""
    permit(
        perms.is_departement_services(by, departement.pk) or perms.is_national_administrator(by),
        "Seuls les services du département enregistrent sa participation.",
    )
    JOINED_DAY.check(joined_on, field="joined_on")
    try:
        with transaction.atomic():
            participation = DepartementParticipation.objects.create(
                departement=departement, joined_on=joined_on, decided_by=by
            )
            record_event(
                by=by,
                action="care.departement_joined",
                summary=f"Le département {departement} participe depuis le {joined_on:%d/%m/%Y}",
                target=participation,
                public=True,
            )
    except IntegrityError:
        raise ValidationError("Ce département participe déjà.") from None
    return participation


# The software of a structure ---------------------------------------------------------------------

TOKEN_PREFIX = "pe_"  # noqa: S105 - tells the platform's tokens apart, not a secret


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(structure: Structure, *, by: User, label: str) -> tuple[StructureToken, str]:
    """A token for the structure's software; returns it with the token itself, shown once."""
    permit(
        structure.abilities(by)["declare"],
        "Seuls les gestionnaires de la structure donnent un accès à son logiciel.",
    )
    label = bounded_text(
        label,
        limit=100,
        field="label",
        label="Logiciel",
        required="Nommez le logiciel qui utilisera ce jeton.",
    )
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        access = StructureToken.objects.create(
            structure=structure,
            label=label,
            digest=token_digest(token),
            prefix=token[:10],
            created_by=by,
        )
        record_event(
            by=by,
            action="care.token_created",
            summary=f"Jeton d'accès créé pour {structure} : {label}",
            target=structure,
        )
    return access, token


def revoke_token(access: StructureToken, *, by: User) -> StructureToken:
    permit(
        access.structure.abilities(by)["declare"],
        "Seuls les gestionnaires de la structure révoquent l'accès de son logiciel.",
    )
    with transaction.atomic():
        revoked = StructureToken.objects.filter(pk=access.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if revoked:
            record_event(
                by=by,
                action="care.token_revoked",
                summary=f"Jeton d'accès révoqué pour {access.structure} : {access.label}",
                target=access.structure,
            )
    access.refresh_from_db()
    return access


def structure_of_token(token: str, *, now=None) -> StructureToken | None:
    """The active token matching ``token`` (its use recorded), or None."""
    access = (
        StructureToken.objects.select_related("structure", "created_by")
        .filter(digest=token_digest(token), revoked_at__isnull=True)
        .first()
    )
    if access is not None:
        StructureToken.objects.filter(pk=access.pk).update(last_used_at=now or timezone.now())
    return access


def declare_places_by_software(
    access: StructureToken, *, figures: dict[int, dict], now=None
) -> list[PlaceDeclaration]:
    """The same declaration as on the page, pushed by the structure's software with its token:
    the token stands for the gestionnaire who made it."""
    if not access.is_active:
        raise PermissionDenied("Ce jeton a été révoqué.")
    return _record_declarations(
        access.structure,
        by=access.created_by,
        figures=figures,
        now=now,
        source=DeclarationSource.API,
    )
