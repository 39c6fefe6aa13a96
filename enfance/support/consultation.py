"""« Consultation élargie » (seed 000): the people a parent asks the services to consult about
their situation, whether the services did, the dated letter that lists them, and the public
share of named people actually consulted. Rules here; pages in consultation_views.py."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.measures.stats import SECRECY_THRESHOLD

from .enums import InterlocutorRole
from .models import (
    CONSULTED_DAY,
    NAME_MAX,
    REACH_MAX,
    WHY_MAX,
    Interlocutor,
)


def add(*, parent, role: str, name: str, reach: str = "", why: str = "") -> Interlocutor:
    permit(parent.is_authenticated, "Connectez-vous pour noter les personnes à consulter.")
    if role not in InterlocutorRole.values:
        raise ValidationError({"role": "Dites qui est cette personne pour l'enfant."})
    name = bounded_text(
        name, limit=NAME_MAX, field="name", label="Le nom", required="Écrivez son nom."
    )
    reach = bounded_text(reach, limit=REACH_MAX, field="reach", label="Le moyen de la joindre")
    why = bounded_text(why, limit=WHY_MAX, field="why", label="La raison")
    with transaction.atomic():
        interlocutor = Interlocutor.objects.create(
            parent=parent, role=role, name=name, reach=reach, why=why
        )
        record_event(
            by=parent,
            action="support.interlocutor",
            summary=f"Personne à consulter ajoutée ({interlocutor.get_role_display()})",
            target=interlocutor,
        )
    return interlocutor


def record_outcome(interlocutor: Interlocutor, *, by, consulted: bool | None, on=None) -> None:
    """What the parent learnt: consulted (and when), not consulted, or not known yet."""
    permit(interlocutor.parent_id == by.pk, "Seul le parent tient sa liste.")
    if consulted and on is not None:
        CONSULTED_DAY.check(on, field="consulted_on")
    interlocutor.consulted = consulted
    interlocutor.consulted_on = on if consulted else None
    interlocutor.save(update_fields=["consulted", "consulted_on"])


def remove(interlocutor: Interlocutor, *, by) -> None:
    permit(interlocutor.parent_id == by.pk, "Seul le parent tient sa liste.")
    interlocutor.delete()


@dataclass(frozen=True)
class RoleShare:
    label: str
    known: int
    consulted_percent: int | None

    @property
    def hidden(self) -> bool:
        return 0 < self.known < SECRECY_THRESHOLD


def shares() -> tuple[list[RoleShare], RoleShare]:
    """Per role and overall: among the named people whose outcome the parent knows, the share
    the services consulted."""
    counts = {
        row["role"]: row
        for row in Interlocutor.objects.exclude(consulted=None)
        .values("role")
        .annotate(known=Count("pk"), yes=Count("pk", filter=Q(consulted=True)))
    }

    def share(label, known, yes):
        shown = known >= SECRECY_THRESHOLD
        return RoleShare(label, known, round(100 * yes / known) if shown else None)

    rows = [
        share(label, counts.get(role, {}).get("known", 0), counts.get(role, {}).get("yes", 0))
        for role, label in InterlocutorRole.choices
    ]
    total = share(
        "Ensemble",
        sum(r["known"] for r in counts.values()),
        sum(r["yes"] for r in counts.values()),
    )
    return rows, total
