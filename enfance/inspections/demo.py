"""Demo data of the control body, on the care network's demo structures: two reports published
(one « très bien », one « à améliorer » with an impératif not met), a rapport provisoire waiting for
the demo gestionnaire's observations, an unannounced visit under way led by the demo contrôleur,
and a visit announced for next month."""

from datetime import datetime, time, timedelta

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import DEMO_DOMAIN, demo_account, demo_totp_secret
from enfance.accounts.enums import RoleKind, ScopeLevel
from enfance.accounts.models import Role, User
from enfance.care.models import Structure
from enfance.core.demo import DemoReport

from . import plans, services
from .models import Criterion, Inspection

# structure, days ago of the visit (negative: to come), announced, scores (a base and the
# exceptions), where it stands, the report's text.
SCENARIOS = [
    (
        "Pouponnière Les Petits Pas",
        170,
        True,
        (4, {"equipe.2": 3, "cadre.5": 3, "famille.3": 3, "gouvernance.4": 3}),
        "published",
        "Les tout-petits sont accueillis dans un cadre calme et sûr. Les équipes connaissent "
        "chaque enfant et ses habitudes ; les liens avec les parents sont soutenus par des visites "
        "régulières. Le plan de formation doit mieux couvrir les nuits et les week-ends.",
    ),
    (
        "Foyer départemental de l'enfance du Rhône",
        330,
        False,
        (3, {"securite.5": 2, "equipe.1": 2, "equipe.3": 2, "parcours.2": 2, "sante.3": 2}),
        "published",
        "Le foyer accueille en urgence à toute heure et les jeunes y trouvent un adulte "
        "disponible. Les taux d'encadrement de nuit sont insuffisants et la vérification des "
        "antécédents des personnes recrutées en remplacement n'est pas systématique : c'est une "
        "action exigée.",
    ),
    (
        "Maison d'enfants Les Cèdres",
        12,
        True,
        (3, {"droits.2": 4, "famille.1": 4, "parcours.4": 2, "cadre.3": 2, "sante.5": "nc"}),
        "provisional",
        "Les jeunes participent à la vie de la maison et les liens familiaux sont bien "
        "accompagnés. La préparation à la sortie de l'aide sociale à l'enfance commence trop tard.",
    ),
    ("Lieu de vie La Combe", 0, False, (3, {}), "in_progress", ""),
    ("Foyer départemental de l'enfance de l'Ain", -30, True, None, "scheduled", ""),
]


def _moment(days_ago: int, hour: int = 9) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _score(inspection, lead, base, exceptions, *, only_theme=None) -> None:
    criteria = Criterion.objects.filter(referentiel=inspection.referentiel).select_related("theme")
    for criterion in criteria:
        if only_theme and criterion.theme.code != only_theme:
            continue
        value = exceptions.get(criterion.code, base)
        services.save_finding(
            inspection,
            criterion,
            by=lead,
            score=None if value == "nc" else value,
            not_concerned=value == "nc",
            evidence="Constaté lors de la visite et dans les documents remis.",
        )


# The structure whose visit follows an alert rather than the plan.
ALERTED = "Lieu de vie La Combe"

# What each report asks: criterion, kind, text, deadline in days after the visit.
ACTIONS = {
    "Foyer départemental de l'enfance du Rhône": [
        (
            "securite.5",
            "exigee",
            "Organiser une présence éveillée de deux adultes chaque nuit dans l'unité des "
            "adolescents.",
            90,
        ),
        (
            "equipe.1",
            "exigee",
            "Vérifier le bulletin n° 2 du casier judiciaire et le FIJAIS de chaque personne "
            "recrutée, remplaçants compris, avant sa prise de poste.",
            30,
        ),
    ],
    "Maison d'enfants Les Cèdres": [
        (
            "parcours.4",
            "exigee",
            "Commencer la préparation de la sortie dès les 16 ans de chaque jeune, avec lui.",
            120,
        ),
        (
            "cadre.3",
            "recommandation",
            "Associer les jeunes au choix des activités des vacances.",
            None,
        ),
    ],
}


def _sources(structure, lead, days_ago) -> dict:
    """The plan's line or the alert an inspection answers: the year's plan of the structure's
    département for a planned one, an alert received days before for an unannounced one."""
    visit = _moment(days_ago)
    if structure.name == ALERTED:
        alert = plans.record_alert(
            structure,
            by=lead,
            source="signalement",
            summary="Un signalement de l'aide sociale à l'enfance : des sorties de nuit sans "
            "adulte, rapportées par un jeune accueilli.",
            received_on=visit.date() - timedelta(days=6),
        )
        return {"alert": alert}
    plan = plans.plan_for(structure.departement, visit.year, by=lead)
    entry = plan.entries.filter(structure=structure).first() or plans.add_to_plan(
        plan, structure, by=lead, reason="Au plan de l'année, visite prévue de longue date."
    )
    return {"plan_entry": entry}


def _run(structure, lead, days_ago, announced, scores, stage, text) -> None:
    visit = _moment(days_ago)
    inspection = services.open_inspection(
        structure,
        by=lead,
        visit_on=visit.date(),
        announced=announced,
        joint_with=["departement"] if not announced else [],
        has_link=False,
        **_sources(structure, lead, days_ago),
    )
    # The opening is dated like the rest of the story, before the visit.
    Inspection.objects.filter(pk=inspection.pk).update(created_at=visit - timedelta(days=20))
    if stage == "scheduled":
        return
    inspection = services.start_visit(inspection, by=lead, at=visit)
    base, exceptions = scores
    if stage == "in_progress":
        _score(inspection, lead, base, exceptions, only_theme="securite")
        return
    _score(inspection, lead, base, exceptions)
    services.save_report(inspection, by=lead, text=text)
    for code, kind, wording, due_days in ACTIONS.get(structure.name, []):
        services.add_action(
            inspection,
            by=lead,
            criterion=Criterion.objects.get(referentiel=inspection.referentiel, code=code),
            kind=kind,
            text=wording,
            due_on=visit.date() + timedelta(days=due_days) if due_days else None,
        )
    inspection = services.send_provisional(inspection, by=lead, at=visit + timedelta(days=5))
    if stage == "provisional":
        return
    inspection = services.finalise(inspection, by=lead, at=visit + timedelta(days=25))
    services.publish(inspection, by=lead, at=visit + timedelta(days=26))


@transaction.atomic
def load(report: DemoReport) -> None:
    lead = User.objects.filter(email=f"controleur@{DEMO_DOMAIN}").first()
    structures = {s.name: s for s in Structure.objects.filter(name__in=[s[0] for s in SCENARIOS])}
    if lead is None or not structures:
        report.lines.append(
            "Inspections de démonstration non chargées : il faut d'abord les comptes et le réseau "
            "d'accueil de démonstration."
        )
        return
    if Inspection.objects.filter(structure__in=structures.values()).exists():
        return
    # A colleague of the demo contrôleur: appears in a team, never signs in.
    colleague = demo_account(f"controle.equipe@{DEMO_DOMAIN}", "Claire", "Morel", can_sign_in=False)
    Role.objects.get_or_create(
        user=colleague, kind=RoleKind.CONTROLEUR, scope_level=ScopeLevel.NATIONAL
    )
    # A sensitive role always goes with a second factor, even for an account that never signs in.
    if not Authenticator.objects.filter(user=colleague, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(colleague, demo_totp_secret(colleague.email))
    made = 0
    for name, days_ago, announced, scores, stage, text in SCENARIOS:
        structure = structures.get(name)
        if structure is None:
            continue
        _run(
            structure,
            colleague if stage == "published" else lead,
            days_ago,
            announced,
            scores,
            stage,
            text,
        )
        made += 1
    report.lines.append(
        f"Inspections : {made} de démonstration (rapports publiés, rapport provisoire, visite en "
        "cours)."
    )
