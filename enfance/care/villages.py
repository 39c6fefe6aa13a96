"""Séjours d'observation in the villages de protection: who may book and answer them, their
workflow, and the services that change them.

The département's services (ASE) book a stay, a magistrate of the tribunal pour enfants asks for
one, in a village of their département or of a neighbouring one (the same reach as their search
of free places). The village's gestionnaires confirm or refuse it, and write the observation
summary once the family has left. The summary is read by the requesting service only (the ASE or
the tribunal of the département that asked), each read recorded.
"""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from enfance.accounts.enums import RoleKind
from enfance.core import notifications
from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.core.workflow import Transition, Workflow, abilities_for, apply_transition

from .enums import StayRequester, StayStatus, StructureKind, StructureStatus
from .models import FamilyUnit, ObservationStay, StayNight, StayRead, Structure, nights_of
from .models.villages import (
    ADULTS_MAX,
    BOOKING_HORIZON_DAYS,
    CHILDREN_MAX_BY_BAND,
    REFUSAL_MAX,
    STAY_HOURS_MAX,
    STAY_HOURS_MIN,
    SUMMARY_MAX,
    UNIT_CAPACITY_MAX,
    UNIT_NAME_MAX,
)
from .perms import can_search_near, departements_of, is_manager_of

BANDS = ("children_0_2", "children_3_5", "children_6_12", "children_13_17")
ROLE_OF = {
    StayRequester.ASE: RoleKind.SERVICES_DEPARTEMENT,
    StayRequester.MAGISTRATE: RoleKind.MAGISTRAT,
}
NOT_BOOKER = (
    "Seuls les services de l'aide sociale à l'enfance et les magistrats du département du "
    "village, ou d'un département voisin, demandent un séjour d'observation."
)


def is_village(structure) -> bool:
    return (
        structure is not None
        and structure.kind == StructureKind.VILLAGE
        and structure.status == StructureStatus.VALIDATED
    )


def can_book(user, village) -> bool:
    return is_village(village) and can_search_near(user, village.departement_id)


def is_requesting_service(user, stay) -> bool:
    """The service that asked for the stay: the ASE or the magistrates of its département."""
    return stay.departement_id in departements_of(user, ROLE_OF[stay.requester])


def manages_village(user, stay) -> bool:
    return is_manager_of(user, stay.village)


def can_read_stay(user, stay) -> bool:
    return stay is not None and (manages_village(user, stay) or is_requesting_service(user, stay))


def _not_ended(stay, at) -> str | None:
    if (at or timezone.now()) >= stay.ends_at:
        return "Le séjour est passé : il ne peut plus être confirmé."
    return None


def _not_begun(stay, at) -> str | None:
    if (at or timezone.now()) >= stay.starts_at:
        return "Le séjour a commencé : il ne peut plus être annulé."
    return None


def _ended(stay, at) -> str | None:
    if (at or timezone.now()) < stay.ends_at:
        return (
            "La synthèse s'écrit après le départ de la famille, "
            f"le {timezone.localtime(stay.ends_at):%d/%m/%Y à %H:%M}."
        )
    return None


STAY_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "confirm",
            {StayStatus.REQUESTED},
            StayStatus.CONFIRMED,
            "confirmer le séjour",
            manages_village,
            guard=_not_ended,
        ),
        Transition(
            "refuse",
            {StayStatus.REQUESTED},
            StayStatus.REFUSED,
            "refuser le séjour",
            manages_village,
        ),
        Transition(
            "cancel",
            {StayStatus.REQUESTED, StayStatus.CONFIRMED},
            StayStatus.CANCELLED,
            "annuler le séjour",
            is_requesting_service,
            guard=_not_begun,
        ),
        Transition(
            "observe",
            {StayStatus.CONFIRMED},
            StayStatus.OBSERVED,
            "transmettre la synthèse d'observation",
            manages_village,
            guard=_ended,
        ),
    ],
)


@abilities_for(ObservationStay)
def stay_abilities(user, stay) -> dict[str, bool]:
    return {
        **STAY_WORKFLOW.abilities(stay, user),
        "read_summary": stay.status == StayStatus.OBSERVED and is_requesting_service(user, stay),
    }


def visible_stays(user):
    """The stays a person follows: those their service asked for, those of the villages they
    manage."""
    asked = Q(pk__in=[])
    for requester, role in ROLE_OF.items():
        if departements := departements_of(user, role):
            asked |= Q(requester=requester, departement_id__in=departements)
    managed = Q(
        village__manager_links__user=user,
        village__departement_id__in=departements_of(user, RoleKind.GESTIONNAIRE_STRUCTURE),
    )
    return ObservationStay.objects.filter(asked | managed).distinct()


def add_unit(village: Structure, *, by, name: str, capacity: int) -> FamilyUnit:
    permit(
        is_village(village) and is_manager_of(by, village),
        "Seuls les gestionnaires du village ajoutent ses unités familiales.",
    )
    name = bounded_text(name, limit=UNIT_NAME_MAX, field="name", required="Nommez l'unité.")
    if not 1 <= (capacity or 0) <= UNIT_CAPACITY_MAX:
        raise ValidationError(
            {"capacity": f"Une unité accueille de 1 à {UNIT_CAPACITY_MAX} personnes par nuit."}
        )
    twice = ValidationError({"name": "Le village a déjà une unité de ce nom."})
    if village.units.filter(name__iexact=name).exists():
        raise twice
    try:
        with transaction.atomic():
            unit = FamilyUnit.objects.create(village=village, name=name, capacity=capacity)
            record_event(
                by=by,
                action="care.family_unit.add",
                summary=f"Unité familiale ajoutée : {unit.name}",
                target=village,
                data={"unit": unit.pk, "capacity": capacity},
            )
    except IntegrityError as concurrent:
        # A double click: the other request created it between the check and this one.
        raise twice from concurrent
    return unit


def requester_in(user, departement_id: int) -> str | None:
    """As whom the person asks for a stay in this département: the ASE books, a magistrate
    requests."""
    for requester, role in ROLE_OF.items():
        if departement_id in departements_of(user, role):
            return requester
    return None


def _family_errors(unit, *, adults: int, children: dict[str, int]) -> dict[str, str]:
    errors = {}
    if not 1 <= (adults or 0) <= ADULTS_MAX:
        errors["adults"] = f"Un séjour accueille de 1 à {ADULTS_MAX} adultes."
    for band, count in children.items():
        if not 0 <= (count or 0) <= CHILDREN_MAX_BY_BAND:
            errors[band] = f"Indiquez de 0 à {CHILDREN_MAX_BY_BAND} enfants."
    if not any(children.values()):
        errors["children_0_2"] = "Indiquez au moins un enfant, dans sa tranche d'âge."
    people = (adults or 0) + sum(c or 0 for c in children.values())
    if not errors and people > unit.capacity:
        errors["unit"] = (
            f"L'unité « {unit.name} » accueille {unit.capacity} personnes par nuit : "
            f"la famille en compte {people}."
        )
    return errors


def _taken(unit, nights: list[date]) -> str | None:
    held = sorted(
        StayNight.objects.filter(unit=unit, night__in=nights).values_list("night", flat=True)
    )
    if not held:
        return None
    listed = ", ".join(f"{night:%d/%m/%Y}" for night in held)
    return f"L'unité « {unit.name} » est déjà réservée pour la nuit du {listed}."


def book_stay(
    *,
    by,
    village: Structure,
    unit: FamilyUnit,
    departement_id: int,
    starts_at: datetime,
    hours: int,
    adults: int,
    now: datetime | None = None,
    **children: int,
) -> ObservationStay:
    """Hold a unit's nights for a family's stay of 48 to 72 hours, waiting for the village's
    answer. Two people booking the same unit for the same night: one of them is told it is
    taken, by the database's unique (unit, night) if they clicked at the same moment."""
    permit(can_book(by, village), NOT_BOOKER)
    now = now or timezone.now()
    requester = requester_in(by, departement_id)
    errors = {}
    if requester is None:
        errors["departement"] = "Choisissez un département où vous exercez."
    if unit.village_id != village.pk or not unit.active:
        errors["unit"] = "Choisissez une unité ouverte de ce village."
    if not STAY_HOURS_MIN <= (hours or 0) <= STAY_HOURS_MAX:
        errors["hours"] = (
            f"Un séjour d'observation dure de {STAY_HOURS_MIN} à {STAY_HOURS_MAX} heures."
        )
    if starts_at <= now:
        errors["starts_at"] = "L'arrivée est à venir : choisissez une date et une heure futures."
    elif starts_at > now + timedelta(days=BOOKING_HORIZON_DAYS):
        errors["starts_at"] = "Un séjour se réserve au plus un an à l'avance."
    children = {band: children.get(band, 0) for band in BANDS}
    if "unit" not in errors:
        errors |= _family_errors(unit, adults=adults, children=children)
    if errors:
        raise ValidationError(errors)
    nights = nights_of(starts_at, hours)
    if taken := _taken(unit, nights):
        raise ValidationError({"unit": taken})
    try:
        with transaction.atomic():
            stay = ObservationStay.objects.create(
                village=village,
                unit=unit,
                departement_id=departement_id,
                requester=requester,
                requested_by=by,
                starts_at=starts_at,
                hours=hours,
                adults=adults,
                created_at=now,
                **children,
            )
            StayNight.objects.bulk_create(
                StayNight(stay=stay, unit=unit, night=night) for night in nights
            )
            record_event(
                by=by,
                action="care.stay.book",
                summary=f"Séjour d'observation demandé : {stay.reference}",
                target=stay,
                data={"unit": unit.pk, "nights": len(nights), "hours": hours},
            )
            _tell_village(stay)
    except IntegrityError as clash:
        raise ValidationError(
            {"unit": _taken(unit, nights) or "Cette unité vient d'être réservée pour ces nuits."}
        ) from clash
    return stay


def _tell_village(stay: ObservationStay) -> None:
    for link in stay.village.manager_links.select_related("user"):
        notifications.send(
            "care/emails/stay_requested.txt",
            {"stay": stay, "url": notifications.absolute_url(stay.get_absolute_url())},
            subject=f"Séjour d'observation demandé : {stay.reference}",
            to=link.user.email,
        )


def _tell_requester(stay: ObservationStay, subject: str) -> None:
    if stay.requested_by is not None:
        notifications.send(
            "care/emails/stay_answered.txt",
            {"stay": stay, "url": notifications.absolute_url(stay.get_absolute_url())},
            subject=f"{subject} : {stay.reference}",
            to=stay.requested_by.email,
        )


def confirm(stay: ObservationStay, *, by) -> ObservationStay:
    with transaction.atomic():
        stay = apply_transition(stay, STAY_WORKFLOW, "confirm", by=by)
        _tell_requester(stay, "Séjour d'observation confirmé")
    return stay


def _release(stay: ObservationStay, name: str, *, by, also_update=None) -> ObservationStay:
    """Refusing or cancelling gives the unit's nights back."""
    with transaction.atomic():
        stay = apply_transition(stay, STAY_WORKFLOW, name, by=by, also_update=also_update)
        StayNight.objects.filter(stay=stay).delete()
    return stay


def refuse(stay: ObservationStay, *, by, reason: str) -> ObservationStay:
    reason = bounded_text(
        reason, limit=REFUSAL_MAX, field="reason", label="Le motif", required="Donnez le motif."
    )
    with transaction.atomic():
        stay = _release(stay, "refuse", by=by, also_update={"refusal_reason": reason})
        _tell_requester(stay, "Séjour d'observation refusé")
    return stay


def cancel(stay: ObservationStay, *, by) -> ObservationStay:
    return _release(stay, "cancel", by=by)


def record_observation(stay: ObservationStay, *, by, summary: str, now=None) -> ObservationStay:
    now = now or timezone.now()
    summary = bounded_text(
        summary,
        limit=SUMMARY_MAX,
        field="summary",
        label="La synthèse",
        required="Écrivez la synthèse d'observation.",
    )
    with transaction.atomic():
        stay = apply_transition(
            stay,
            STAY_WORKFLOW,
            "observe",
            by=by,
            at=now,
            also_update={"summary": summary, "summary_by": by, "summary_at": now},
        )
        _tell_requester(stay, "Synthèse d'observation transmise")
    return stay


def read_summary(stay: ObservationStay, *, by) -> str:
    """The summary, for the requesting service only; the read is recorded."""
    permit(
        stay.abilities(by)["read_summary"],
        "La synthèse d'observation se lit par le service qui a demandé le séjour.",
    )
    StayRead.objects.create(stay=stay, reader=by)
    return stay.summary


def occupancy(village: Structure, first: date, days: int, *, user) -> tuple[list, list]:
    """The village's units and, for each, its nights from ``first``: the stay holding the
    night, or None. A stay's reference shows to those who follow it only."""
    units = list(village.units.order_by("name", "pk"))
    last = first + timedelta(days=days)
    held = {
        (n.unit_id, n.night): n.stay
        for n in StayNight.objects.filter(unit__village=village, night__gte=first, night__lt=last)
        .select_related("stay")
        # What the calendar shows and who may see it: never the encrypted summary.
        .only(
            "unit_id",
            "night",
            "stay__created_at",
            "stay__status",
            "stay__requester",
            "stay__departement_id",
        )
    }
    manages = is_manager_of(user, village)
    nights = [first + timedelta(days=n) for n in range(days)]
    rows = []
    for unit in units:
        cells = []
        for night in nights:
            stay = held.get((unit.pk, night))
            shown = stay is not None and (manages or is_requesting_service(user, stay))
            cells.append({"night": night, "stay": stay, "shown": shown})
        rows.append({"unit": unit, "cells": cells})
    return nights, rows
