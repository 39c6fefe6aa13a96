"""Demo practices: published fiches of both levels in several départements and thématiques,
and declarations at every step of the committee's work, for the demo accounts of
enfance/accounts/demo.py (porteur de pratique, comité de sélection, rédacteur ONPE)."""

import datetime

from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import DEMO_DOMAIN
from enfance.accounts.models import User
from enfance.core.demo import DemoReport
from enfance.core.eventlog import record_event
from enfance.territories.models import Commune, Departement

from .enums import (
    CONDITIONS_VERSION,
    EvidenceStage,
    PracticeState,
    ReferenceList,
    Scale,
    StructureKind,
)
from .library import index_practice
from .models import Practice, PracticeMark, PracticeMessage, ReferenceOption
from .reference_data import ensure_reference_options
from .services import review_due_date

S = PracticeState
IT, TH, AU, RE = (
    ReferenceList.INTERVENTION_TYPE,
    ReferenceList.THEME,
    ReferenceList.AUDIENCE,
    ReferenceList.RELAY,
)

# title, entity, département, commune (local scale), scale, type, thématique, public, relais,
# state, level, description
FICHES = [
    (
        "Lieu d'accueil parents-enfants en PMI",
        "Département du Rhône",
        "69",
        "69123",
        Scale.LOCALE,
        "Accueil de jour",
        "Éducation",
        "0 à 4 ans",
        "Département",
        S.PUBLISHED,
        1,
        "Deux après-midi par semaine, un lieu ouvert sans rendez-vous accueille les parents "
        "et leurs enfants de moins de 4 ans dans un centre de PMI. Une puéricultrice et une "
        "éducatrice de jeunes enfants y échangent avec les parents sur le sommeil, les "
        "pleurs, le jeu. Les familles isolées y trouvent du lien ; les professionnels "
        "repèrent tôt les difficultés, sans stigmatiser.",
    ),
    (
        "Parrainage de proximité pour les enfants confiés",
        "Association Liens de Gironde",
        "33",
        "",
        Scale.DEPARTEMENTALE,
        "Placement familial",
        "Séparation et maintien des liens parents-enfants",
        "4 à 12 ans",
        "Association",
        S.PUBLISHED,
        1,
        "Des bénévoles formés et accompagnés deviennent les parrains ou marraines d'un enfant "
        "confié à l'aide sociale à l'enfance. Ils partagent des week-ends, des sorties, du "
        "soutien scolaire. Le lien dure souvent au-delà de la majorité et stabilise les "
        "parcours marqués par les changements de lieu d'accueil.",
    ),
    (
        "Équipe mobile de pédopsychiatrie en foyer",
        "Département du Nord",
        "59",
        "",
        Scale.DEPARTEMENTALE,
        "Placement en établissement",
        "Santé mentale",
        "Adolescents",
        "Département",
        S.PUBLISHED,
        1,
        "Une équipe d'un pédopsychiatre, deux infirmiers et une psychologue se déplace dans "
        "les maisons d'enfants à caractère social. Elle évalue les situations de crise, "
        "soutient les éducateurs et organise les soins sans attendre une place en "
        "consultation. Les hospitalisations en urgence ont nettement diminué.",
    ),
    (
        "Groupes de parole pour enfants exposés aux violences conjugales",
        "Association Horizon Provence",
        "13",
        "13055",
        Scale.LOCALE,
        "Accueil de jour",
        "Violences conjugales",
        "4 à 12 ans",
        "Association",
        S.PUBLISHED,
        1,
        "Huit séances en petit groupe, animées par deux psychologues, permettent aux enfants "
        "témoins de violences conjugales de mettre des mots sur ce qu'ils ont vécu, de "
        "comprendre qu'ils n'en sont pas responsables et d'apprendre à se protéger. Le parent "
        "protecteur est reçu en parallèle.",
    ),
    (
        "Accompagnement des jeunes majeurs vers le logement",
        "Département d'Ille-et-Vilaine",
        "35",
        "",
        Scale.DEPARTEMENTALE,
        "Autre",
        "Éducation",
        "Jeunes majeurs",
        "Département",
        S.PUBLISHED,
        1,
        "Dès 16 ans, un référent construit avec le jeune un projet de sortie : ressources, "
        "logement, formation. Un contrat jeune majeur et une colocation accompagnée évitent "
        "les sorties sèches de l'aide sociale à l'enfance à 18 ans.",
    ),
    (
        "Maintien des liens avec un parent détenu",
        "Association Relais Enfants Parents",
        "75",
        "",
        Scale.REGIONALE,
        "Diagnostic de situation",
        "Parents détenus",
        "Enfants aux besoins multiples (situations complexes)",
        "Association",
        S.PUBLISHED,
        1,
        "Des bénévoles accompagnent les enfants lors des parloirs et préparent les visites "
        "avec le parent incarcéré et la famille d'accueil. Le lien est maintenu quand il sert "
        "l'enfant, dans un cadre rassurant.",
    ),
    (
        "Prévention du harcèlement au collège par les pairs",
        "Département de Loire-Atlantique",
        "44",
        "",
        Scale.DEPARTEMENTALE,
        "Accompagnement de la scolarité",
        "Harcèlement",
        "Adolescents",
        "Département",
        S.PUBLISHED,
        1,
        "Des élèves volontaires, formés par des éducateurs de prévention spécialisée, "
        "deviennent ambassadeurs dans leur collège. Ils repèrent les situations d'isolement "
        "et de harcèlement, y compris en ligne, et orientent vers les adultes.",
    ),
    (
        "Accueil d'urgence de fratries",
        "Département de la Seine-Saint-Denis",
        "93",
        "",
        Scale.DEPARTEMENTALE,
        "Accueil d'urgence",
        "Modalités d'organisation interne",
        "Enfants aux besoins multiples (situations complexes)",
        "Département",
        S.PUBLISHED,
        1,
        "Un service d'accueil d'urgence dédié aux fratries évite de séparer frères et sœurs "
        "lors d'un placement en urgence. Les fratries sont accueillies ensemble dans des "
        "appartements éducatifs, le temps d'organiser un accueil durable.",
    ),
    (
        "Éducation aux écrans pour les parents de jeunes enfants",
        "Association Grandir connecté",
        "69",
        "",
        Scale.NATIONALE,
        "Diagnostic de situation",
        "Numérique (usages et risques)",
        "Parents et familles",
        "Association",
        S.UNDER_REVIEW,
        1,
        "Des ateliers pour les parents d'enfants de moins de six ans sur l'exposition aux "
        "écrans : repères d'âge, alternatives au quotidien, échanges entre parents.",
    ),
    (
        "Tiers digne de confiance : soutien aux grands-parents accueillants",
        "Association Familles Solidaires",
        "33",
        "",
        Scale.DEPARTEMENTALE,
        "Accueil par un tiers digne de confiance",
        "Séparation et maintien des liens parents-enfants",
        "Parents et familles",
        "Association",
        S.INFORMATION_REQUESTED,
        1,
        "Un groupe d'entraide et une permanence juridique pour les grands-parents à qui le "
        "juge a confié leur petit-enfant.",
    ),
    (
        "Mineurs non accompagnés : parrainage linguistique",
        "Association Accueil et Langues",
        "59",
        "",
        Scale.DEPARTEMENTALE,
        "Accompagnement de la scolarité",
        "Éducation",
        "Mineurs non accompagnés",
        "Association",
        S.SUBMITTED,
        1,
        "Des binômes entre étudiants et mineurs non accompagnés pour progresser en français "
        "avant l'entrée en formation.",
    ),
    (
        "Cellule d'écoute pour les assistants familiaux",
        "Département du Rhône",
        "69",
        "",
        Scale.DEPARTEMENTALE,
        "",
        "",
        "",
        "",
        S.DRAFT,
        1,
        "Une ligne d'écoute pour les assistants familiaux confrontés à des situations difficiles…",
    ),
    (
        "Placement éducatif à domicile renforcé",
        "Département du Nord et ONPE",
        "59",
        "",
        Scale.DEPARTEMENTALE,
        "Placement éducatif à domicile (PEAD)",
        "Modalités d'organisation interne",
        "4 à 12 ans",
        "Département",
        S.PUBLISHED,
        2,
        "L'enfant est confié à l'aide sociale à l'enfance mais reste vivre chez ses parents, "
        "avec une équipe éducative joignable jour et nuit et un hébergement de repli possible. "
        "La fiche décrit l'organisation, les moyens et les résultats observés sur trois ans.",
    ),
    (
        "Repérage et accompagnement des mineurs en situation de prostitution",
        "Département de la Gironde et ONPE",
        "33",
        "",
        Scale.DEPARTEMENTALE,
        "Diagnostic de situation",
        "Violences sexuelles",
        "Adolescents",
        "Département",
        S.PUBLISHED,
        2,
        "Une équipe pluridisciplinaire forme les professionnels au repérage des signaux de "
        "prostitution des mineurs et coordonne l'accompagnement avec la justice, la santé et "
        "l'éducation nationale.",
    ),
    (
        "Scolarité des enfants protégés : référent éducation en foyer",
        "Association Réussir ensemble et ONPE",
        "35",
        "",
        Scale.LOCALE,
        "Accompagnement de la scolarité",
        "Éducation",
        "Adolescents",
        "Association",
        S.PUBLISHED,
        2,
        "Un enseignant détaché travaille à mi-temps dans une maison d'enfants : lien avec les "
        "établissements scolaires, suivi des devoirs, orientation. Le décrochage a reculé.",
    ),
]

ONPE_SECTIONS = {
    "objectives": "Sécuriser le parcours de l'enfant et limiter les ruptures.",
    "means": "Une équipe éducative dédiée, une astreinte, un partenariat formalisé.",
    "keys_to_success": "L'adhésion des familles, un pilotage partagé avec les partenaires.",
    "expected_results": "Moins de placements en urgence, des parcours plus stables.",
    "difficulties": "Le recrutement et la stabilité des équipes.",
    "evaluation_method": "Étude avant/après sur trois cohortes, entretiens avec les familles.",
    "evaluation_results": "Les ruptures de parcours ont diminué d'un tiers.",
}


def _option(list_name, label):
    if not label:
        return None
    return ReferenceOption.objects.filter(list=list_name, label=label).first()


def _user(kind: str):
    return User.objects.filter(email=f"{kind}@{DEMO_DOMAIN}").first()


def _history(practice: Practice, member) -> None:
    """The steps a fiche went through, in the event log, as if the services had run."""
    steps = []
    if practice.level == 1 and practice.state != S.DRAFT:
        steps.append((practice.declarant, "submit", "Pratique transmise au comité", False))
    if practice.reviewer_id or (practice.state == S.PUBLISHED and practice.level == 1):
        steps.append((member, "take_for_review", "Examen pris en charge", False))
    if practice.state == S.INFORMATION_REQUESTED:
        steps.append((member, "request_information", "Compléments demandés", False))
    if practice.state == S.PUBLISHED:
        name = "publish_onpe" if practice.level == 2 else "publish"
        steps.append(
            (practice.declarant if practice.level == 2 else member, name, "Fiche publiée", True)
        )
    for by, action, summary, public in steps:
        record_event(
            by=by,
            action=f"practices.practice.{action}",
            summary=f"{summary} : {practice}",
            target=practice,
            public=public,
        )


@transaction.atomic
def load(report: DemoReport) -> None:
    ensure_reference_options(ReferenceOption)
    declarant = _user("porteur.pratique")
    member = _user("comite.selection")
    writer = _user("redacteur.onpe")
    if not (declarant and member and writer):
        report.lines.append("Pratiques : chargez d'abord les comptes de démonstration.")
        return
    if Practice.objects.filter(declarant__in=[declarant, writer]).exists():
        return
    departements = {
        d.code: d
        for d in Departement.objects.filter(
            code__in=["13", "33", "35", "44", "59", "69", "75", "93"]
        )
    }
    if not departements:
        report.lines.append("Pratiques : importez d'abord les territoires.")
        return
    fallback = next(iter(departements.values()))
    communes = {c.code: c for c in Commune.objects.filter(code__in=["69123", "13055"])}
    today = timezone.localdate()
    created = []
    for n, fiche in enumerate(FICHES):
        (title, entity, dep, commune_code, scale, it, th, au, re, state, level, text) = fiche
        commune = communes.get(commune_code)
        if scale == Scale.LOCALE and commune is None:
            scale = Scale.DEPARTEMENTALE
        departement = commune.departement if commune else departements.get(dep, fallback)
        reviewed_on = today - datetime.timedelta(days=30 * (n + 1))
        published = state == S.PUBLISHED
        intervention_type = _option(IT, it)
        practice = Practice.objects.create(
            level=level,
            state=state,
            title=title,
            entity_name=entity,
            description=text,
            implemented_on=datetime.date(2015 + n % 9, 1 + n % 12, 1),
            scale=scale,
            intervention_type=intervention_type,
            intervention_type_other="Accompagnement vers l'autonomie" if it == "Autre" else "",
            theme=_option(TH, th),
            audience=_option(AU, au),
            relay=_option(RE, re),
            departement=departement,
            commune=commune if scale == Scale.LOCALE else None,
            declarant=writer if level == 2 else declarant,
            structure_kind=StructureKind.ONPE
            if level == 2
            else (
                StructureKind.DEPARTEMENT if "Département" in entity else StructureKind.ASSOCIATION
            ),
            structure_name=entity,
            conditions_accepted_at=timezone.now() if level == 1 else None,
            conditions_version=CONDITIONS_VERSION if level == 1 else "",
            submitted_at=None if state == S.DRAFT else timezone.now(),
            published_at=timezone.now() - datetime.timedelta(days=20 * n) if published else None,
            reviewer=member if state in (S.UNDER_REVIEW, S.INFORMATION_REQUESTED) else None,
            departement_agreement_by="Claire Petit, directrice enfance-famille"
            if published and level == 1
            else "",
            departement_agreement_on=reviewed_on if published and level == 1 else None,
            departement_agreement_recorded_by=member if published and level == 1 else None,
            evidence_stage=EvidenceStage.ONPE
            if level == 2
            else (EvidenceStage.REVIEWED if published else EvidenceStage.DECLARED),
            evidence_level=(3 if n % 2 else 4) if level == 2 else None,
            reviewed_on=reviewed_on if published else None,
            review_due_on=review_due_date(reviewed_on) if published else None,
            outcome_stability=level == 2,
            outcome_wellbeing=level == 2 and n % 2 == 0,
            cost="moyen" if level == 2 else "",
            transferability="forte" if level == 2 else "",
            co_authors="Les équipes du dispositif" if level == 2 else "",
            **(ONPE_SECTIONS if level == 2 else {}),
        )
        created.append(practice)
        _history(practice, member)
        if published:
            index_practice(practice)
        if state == S.INFORMATION_REQUESTED:
            PracticeMessage.objects.create(
                practice=practice,
                author=member,
                from_committee=True,
                body="Merci pour cette pratique. Pouvez-vous préciser le nombre de familles "
                "accompagnées chaque année et le budget ?",
            )
    year = today.year
    for practice, criterion in zip(
        [p for p in created if p.state == S.PUBLISHED][:4],
        ["pertinence", "originalite", "efficacite", "pertinence"],
        strict=True,
    ):
        PracticeMark.objects.create(
            practice=practice, member=member, criterion=criterion, year=year
        )
    report.lines.append(f"Pratiques inspirantes : {len(created)} fiches de démonstration.")
