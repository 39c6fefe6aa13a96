"""Demo petition: open, with 12,000 fictitious online signatories on exemple.fr spread across
the départements in proportion to their population (most confirmed), and two paper entries
by the secretary of the demo instance in the Rhône (the demo citizen account)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import DEMO_DOMAIN
from enfance.accounts.models import User
from enfance.assemblies.enums import MemberRole
from enfance.assemblies.models import Membership
from enfance.core.demo import DemoReport
from enfance.territories.models import Commune

from . import services
from .content import ensure_petition
from .models import PaperSheet, Signature

DEMO_SIGNATURES = 12_000
CONFIRMED_SHARE = 0.94
EMAIL_PREFIX = "demo.signataire."
FIRST_NAMES = ["Camille", "Dominique", "Claude", "Alix", "Sacha", "Andrea", "Charlie", "Morgan"]
LAST_NAMES = ["Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent"]
PAPER = [
    ("Forum ouvert de Lyon", 21, 143, 12),
    ("Forum ouvert de Villeurbanne", 9, 61, 5),
]


def _signatures(petition) -> int:
    existing = Signature.objects.filter(
        petition=petition, email_normalized__startswith=EMAIL_PREFIX
    ).count()
    if existing:
        return 0
    communes = list(
        Commune.objects.filter(population__gt=0).values_list("id", "departement_id", "population")
    )
    if not communes:
        return 0
    rng = random.Random(2026)  # the same demo every time
    places = rng.choices(communes, weights=[c[2] for c in communes], k=DEMO_SIGNATURES)
    now = timezone.now()
    rows = []
    for n, (commune_id, departement_id, _) in enumerate(places, start=1):
        created = now - timedelta(minutes=rng.randint(10, 60 * 24 * 60))
        email = f"{EMAIL_PREFIX}{n}@exemple.fr"
        rows.append(
            Signature(
                petition=petition,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=email,
                email_normalized=email,
                commune_id=commune_id,
                departement_id=departement_id,
                created_at=created,
                confirmed_at=created + timedelta(minutes=5)
                if rng.random() < CONFIRMED_SHARE
                else None,
                email_pending=False,
                emailed_at=created,
            )
        )
    Signature.objects.bulk_create(rows, batch_size=2_000)
    services.recount(petition)
    return len(rows)


def _paper_sheets(petition, report: DemoReport) -> None:
    membership = (
        Membership.objects.current()
        .filter(user__email=f"citoyen@{DEMO_DOMAIN}", role=MemberRole.SECRETAIRE)
        .select_related("instance", "user")
        .first()
    )
    if membership is None:
        report.lines.append("Feuilles papier non saisies : chargez d'abord les instances.")
        return
    if PaperSheet.objects.filter(petition=petition, instance=membership.instance).exists():
        return
    today = timezone.localdate()
    for place, sheets, signatures, days_ago in PAPER:
        services.add_paper_sheet(
            petition,
            by=membership.user,
            instance=membership.instance,
            signatures=signatures,
            sheets=sheets,
            collected_at=place,
            collected_on=today - timedelta(days=days_ago),
        )


@transaction.atomic
def load(report: DemoReport) -> None:
    petition = ensure_petition()
    added = _signatures(petition)
    if not User.objects.filter(email=f"citoyen@{DEMO_DOMAIN}").exists():
        report.lines.append("Pétition : comptes de démonstration absents.")
    _paper_sheets(petition, report)
    figures = services.counts(petition)
    report.lines.append(
        f"Pétition « {petition.title} » : {figures.online} signatures en ligne confirmées"
        f"{f' ({added} créées)' if added else ''}, {figures.paper} sur papier."
    )
