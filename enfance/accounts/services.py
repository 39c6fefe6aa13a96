"""Every write on accounts and roles: one function per thing a person does."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enfance.core import privacy
from enfance.core.eventlog import record_event

from .enums import ALLOWED_SCOPES, RoleKind, ScopeLevel
from .models import Role, User
from .perms import can_grant_role, can_withdraw_role


def grant_role(user: User, *, by: User, kind: str, region=None, departement=None) -> Role:
    scope_level = (
        ScopeLevel.DEPARTEMENT
        if departement is not None
        else ScopeLevel.REGION
        if region is not None
        else ScopeLevel.NATIONAL
    )
    role = Role(
        user=user,
        kind=kind,
        scope_level=scope_level,
        region=region if departement is None else None,
        departement=departement,
        granted_by=by,
    )
    if not can_grant_role(by, role):
        # Recorded outside any transaction of the caller's so that the refusal stays logged.
        record_event(
            by=by,
            action="accounts.role_grant_refused",
            summary=f"Attribution refusée hors du périmètre : {role.get_kind_display()} "
            f"({role.scope_label}) à l'utilisateur n° {user.pk}",
            target=user,
            data={"kind": kind, "scope": Role.make_scope_key(scope_level, region, departement)},
        )
        raise PermissionDenied("Ce rôle sort de votre périmètre : vous ne pouvez pas l'attribuer.")
    if scope_level not in ALLOWED_SCOPES[kind]:
        allowed = ", ".join(sorted(ScopeLevel(s).label.lower() for s in ALLOWED_SCOPES[kind]))
        raise ValidationError(
            f"Le rôle « {role.get_kind_display()} » se donne à l'échelle : {allowed}."
        )
    try:
        with transaction.atomic():
            _save_granted_role(role, by=by)
    except IntegrityError as exc:
        raise ValidationError("Cette personne a déjà ce rôle sur ce périmètre.") from exc
    return role


def _save_granted_role(role: Role, *, by: User | None) -> None:
    role.save()
    record_event(
        by=by,
        action="accounts.role_granted",
        summary=f"Rôle attribué : {role.get_kind_display()} ({role.scope_label}) "
        f"à l'utilisateur n° {role.user_id}",
        target=role,
        data={"user": role.user_id, "kind": role.kind, "scope": role.scope_key},
    )


def bootstrap_national_administrator(user: User) -> Role:
    """The first national administrator, named by the operator of the server (no one can grant
    it yet). Refused once an active national administrator exists: from then on, roles are
    granted by administrators, on the record."""
    with transaction.atomic():
        existing = Role.objects.active().filter(
            kind=RoleKind.ADMINISTRATEUR_NATIONAL, scope_level=ScopeLevel.NATIONAL
        )
        if existing.exists():
            raise ValidationError(
                "Un administrateur national existe déjà : c'est à lui d'attribuer les rôles."
            )
        role = Role(user=user, kind=RoleKind.ADMINISTRATEUR_NATIONAL)
        _save_granted_role(role, by=None)
    return role


def withdraw_role(role: Role, *, by: User) -> Role:
    with transaction.atomic():
        role = (
            Role.objects.select_for_update(of=("self",))
            .select_related("region", "departement")
            .get(pk=role.pk)
        )
        if not can_withdraw_role(by, role):
            raise PermissionDenied("Vous ne pouvez pas retirer ce rôle.")
        if not role.is_active:
            raise ValidationError("Ce rôle a déjà été retiré.")
        role.withdrawn_at = timezone.now()
        role.withdrawn_by = by
        role.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record_event(
            by=by,
            action="accounts.role_withdrawn",
            summary=f"Rôle retiré : {role.get_kind_display()} ({role.scope_label}) "
            f"à l'utilisateur n° {role.user_id}",
            target=role,
            data={"user": role.user_id, "kind": role.kind, "scope": role.scope_key},
        )
    return role


PROFILE_FIELDS = ("first_name", "last_name", "commune", "full_name_in_instances", "title_form")


def update_profile(
    *,
    by: User,
    first_name: str,
    last_name: str,
    commune,
    full_name_in_instances: bool = False,
    title_form: str = "",
) -> User:
    """The person's own profile. The pages that show their name (an instance's members) follow
    the save's signal."""
    with transaction.atomic():
        by.first_name = first_name
        by.last_name = last_name
        by.commune = commune
        by.full_name_in_instances = full_name_in_instances
        by.title_form = title_form
        by.save(update_fields=list(PROFILE_FIELDS))
    return by


def export_user_data(user: User) -> dict:
    """Everything the platform holds about a person, as they may download it (RGPD art. 15,
    20): what each module declares in its personal_data.py (core.privacy)."""
    return privacy.export(user)


def delete_account(*, by: User) -> None:
    """Erase the account and, module by module, what the person left on the platform, as each
    declares it (core.privacy): erased, anonymised, or kept for the reason the retention table
    publishes. The event log keeps only "user:<id>"."""
    with transaction.atomic():
        user_id = by.pk
        record_event(
            by=by,
            action="accounts.account_deleted",
            summary=f"Compte n° {user_id} supprimé à la demande de la personne",
        )
        privacy.erase(by)
        by.delete()
        # After the delete: simple-history records the deletion itself as one more row.
        User.history.filter(id=user_id).delete()
