"""A demo village de protection in the Rhône, managed by the demo gestionnaire: three family
units; a stay observed last month (its summary readable by the demo ASE account), a stay the ASE
booked and the village confirmed for next week, and a magistrate's request waiting for the
village's answer."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import DEMO_DEPARTEMENT, DEMO_DOMAIN
from enfance.accounts.models import User
from enfance.core.demo import DemoReport
from enfance.territories.models import Commune

from . import villages
from .enums import StayRequester, StayStatus, StructureStatus
from .finess import luhn_valid
from .models import FamilyUnit, ObservationStay, StayNight, Structure, StructureManager, nights_of

NAME = "Village de protection des Monts d'Or"
COMMUNE = "69191"
UNITS = (("Maison des Tilleuls", 6), ("Maison des Érables", 5), ("Maison des Noisetiers", 4))
SUMMARY = (
    "La mère s'est montrée attentive aux besoins de la plus jeune, plus en difficulté avec "
    "l'aîné, qu'elle reprend souvent devant les autres. Les repas ont été des moments calmes. "
    "Le deuxième soir, une dispute au sujet des écrans a été apaisée par la mère seule. "
    "Nous proposons un accompagnement éducatif à domicile plutôt qu'un placement, avec un "
    "soutien à la parentalité centré sur l'adolescent."
)


def _finess() -> str:
    base = "69099990"
    return next(base + str(key) for key in range(10) if luhn_valid(base + str(key)))


def _evening(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _past_stay(village, unit, services, manager, *, starts_at, hours, summary) -> None:
    stay = ObservationStay.objects.create(
        village=village,
        unit=unit,
        departement=village.departement,
        requester=StayRequester.ASE,
        requested_by=services,
        starts_at=starts_at,
        hours=hours,
        adults=1,
        children_3_5=1,
        children_13_17=1,
        status=StayStatus.OBSERVED,
        created_at=starts_at - timedelta(days=6),
        summary=summary,
        summary_by=manager,
        summary_at=starts_at + timedelta(hours=hours + 20),
    )
    StayNight.objects.bulk_create(
        StayNight(stay=stay, unit=unit, night=night) for night in nights_of(starts_at, hours)
    )


@transaction.atomic
def load(report: DemoReport) -> None:
    commune = Commune.objects.filter(code=COMMUNE).select_related("departement").first()
    manager = User.objects.filter(email=f"gestionnaire.structure@{DEMO_DOMAIN}").first()
    services = User.objects.filter(email=f"services.departement@{DEMO_DOMAIN}").first()
    magistrate = User.objects.filter(email=f"magistrat@{DEMO_DOMAIN}").first()
    if (
        None in (commune, manager, services, magistrate)
        or Structure.objects.filter(name=NAME).exists()
    ):
        return
    if commune.departement.code != DEMO_DEPARTEMENT:
        return
    now = timezone.now()
    village = Structure.objects.create(
        name=NAME,
        kind="village",
        finess=_finess(),
        commune=commune,
        departement=commune.departement,
        authority="departement",
        authorised_on=date(2025, 6, 1),
        authorised_capacity=15,
        manager_kind="association",
        manager_name="Association Villages de protection du Rhône",
        age_min=0,
        age_max=17,
        takes_siblings=True,
        status=StructureStatus.VALIDATED,
        created_by=manager,
        validated_by=services,
        validated_at=now - timedelta(days=60),
    )
    StructureManager.objects.create(structure=village, user=manager)
    units = [
        FamilyUnit.objects.create(village=village, name=name, capacity=capacity)
        for name, capacity in UNITS
    ]
    today = timezone.localdate()
    _past_stay(
        village,
        units[0],
        services,
        manager,
        starts_at=_evening(today - timedelta(days=24), 10),
        hours=60,
        summary=SUMMARY,
    )
    booked = villages.book_stay(
        by=services,
        village=village,
        unit=units[1],
        departement_id=village.departement_id,
        starts_at=_evening(today + timedelta(days=5), 10),
        hours=60,
        adults=2,
        children_0_2=1,
        children_6_12=2,
        now=now,
    )
    villages.confirm(booked, by=manager)
    villages.book_stay(
        by=magistrate,
        village=village,
        unit=units[0],
        departement_id=village.departement_id,
        starts_at=_evening(today + timedelta(days=9), 14),
        hours=48,
        adults=1,
        children_6_12=1,
        now=now,
    )
    report.lines.append(
        f"Villages de protection : {NAME}, trois unités familiales, un séjour observé (synthèse "
        "lisible par le compte des services du département), un séjour confirmé, une demande "
        "du magistrat à confirmer."
    )
