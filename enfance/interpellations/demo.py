"""Demo interpellations of the instance of Villeurbanne (its secretary is the demo citizen): one
answered by the département through its link, one waiting for the rectorat's answer, one past its
deadline without an answer from the préfecture, and a draft that only the members see.

Each goes through the real services (draft, vote of the members, sending, answer); the dates of
the past are given to the services, and the adoption ballots are moved to the day of the vote so
that the pages tell a coherent story. Every fact is fictitious; no child is named.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from enfance.accounts.models import User
from enfance.assemblies.models import Instance
from enfance.core.demo import DemoReport
from enfance.votes import services as votes
from enfance.votes.models import Ballot

from . import services
from .enums import InstitutionKind
from .models import Interpellation

DOMAIN = "demo.protection-enfance.fr"
INSTANCE_NAME = "Instance locale de Villeurbanne et Vaulx-en-Velin"

ANSWERED, PENDING, OVERDUE, DRAFT = "answered", "pending", "overdue", "draft"

SPECS = [
    {
        "outcome": ANSWERED,
        "sent_days_ago": 48,
        "answered_days_ago": 19,
        "institution_kind": InstitutionKind.ASE,
        "institution_name": "Métropole de Lyon, direction de la protection de l'enfance",
        "contact_email": "protection.enfance@metropole-lyon.exemple.fr",
        "title": "Des enfants placés loin de Villeurbanne et de leur école",
        "facts": "En 2025, les familles reçues par l'instance ont signalé onze placements "
        "d'enfants de Villeurbanne et de Vaulx-en-Velin dans des foyers situés à plus de 80 km, "
        "faute de place dans la métropole. Neuf de ces enfants ont changé d'école en cours "
        "d'année.",
        "failures": "Le maintien des liens avec les parents et la fratrie, prévu par le Code de "
        "l'action sociale et des familles, n'est pas organisé : visites rares, trajets non pris "
        "en charge. La scolarité n'est pas préservée.",
        "recommendations": "1. Ouvrir des places d'accueil d'urgence dans l'est lyonnais.\n"
        "2. Prendre en charge les trajets des parents pour les visites.\n"
        "3. Maintenir l'enfant dans son école chaque fois que c'est possible.",
        "answer": "La Métropole partage le constat. Quarante places d'accueil d'urgence "
        "ouvriront à Villeurbanne et à Vaulx-en-Velin d'ici la fin de l'année prochaine. Les "
        "trajets des parents pour les visites médiatisées sont pris en charge dès ce mois-ci. "
        "Une instruction rappelle aux services le principe du maintien dans l'école d'origine.",
        "signatory": "La directrice de la protection de l'enfance de la Métropole de Lyon",
    },
    {
        "outcome": PENDING,
        "sent_days_ago": 12,
        "institution_kind": InstitutionKind.EDUCATION,
        "institution_name": "Direction des services départementaux de l'Éducation nationale "
        "du Rhône",
        "contact_email": "dsden69@education.exemple.fr",
        "title": "La scolarité des enfants accueillis en foyer",
        "facts": "Des enfants accueillis en foyer à Vaulx-en-Velin attendent plusieurs semaines "
        "une affectation scolaire après leur arrivée ; certains restent déscolarisés plus d'un "
        "mois.",
        "failures": "L'obligation d'instruction n'est pas garantie pendant ces semaines ; aucun "
        "interlocuteur n'est désigné pour les foyers.",
        "recommendations": "Désigner un référent pour les enfants protégés dans chaque "
        "circonscription et garantir une affectation sous huit jours.",
    },
    {
        "outcome": OVERDUE,
        "sent_days_ago": 80,
        "institution_kind": InstitutionKind.PREFECTURE,
        "institution_name": "Préfecture du Rhône",
        "contact_email": "cabinet@rhone.prefecture.exemple.fr",
        "title": "Les jeunes majeurs sortant de l'ASE sans solution de logement",
        "facts": "Des jeunes suivis par l'aide sociale à l'enfance quittent leur foyer à 18 ans "
        "sans solution de logement ; l'instance en a rencontré six depuis janvier, dont deux "
        "hébergés par le 115.",
        "failures": "Le protocole d'accès au logement des jeunes sortant de l'ASE n'est pas "
        "appliqué dans le département.",
        "recommendations": "Réunir la commission prévue par le protocole et réserver des "
        "logements du contingent préfectoral aux jeunes majeurs sortant de l'ASE.",
    },
    {
        "outcome": DRAFT,
        "institution_kind": InstitutionKind.SANTE,
        "institution_name": "Agence régionale de santé Auvergne-Rhône-Alpes",
        "contact_email": "ars-ara-direction@sante.exemple.fr",
        "title": "Les délais d'attente en centre médico-psychologique",
        "facts": "Les familles rapportent jusqu'à dix-huit mois d'attente pour un premier "
        "rendez-vous en centre médico-psychologique pour enfants.",
        "failures": "À compléter lors de la prochaine séance.",
        "recommendations": "À compléter lors de la prochaine séance.",
    },
]

FIELDS = ("institution_kind", "institution_name", "contact_email", "title", "facts", "failures",
          "recommendations")  # fmt: skip


def _adopt(interpellation, secretary, voted_at):
    """The members adopt the text: most vote for, one against, one abstains."""
    electors = interpellation.ballot_electorate()
    ballot = services.submit_to_vote(
        interpellation,
        by=secretary,
        closes_at=timezone.now() + timedelta(hours=1),
        now=voted_at,
    )
    for n, member in enumerate(electors[:14]):
        votes.cast_vote(ballot, by=member, choice={12: "contre", 13: "abstention"}.get(n, "pour"))
    # Not every member votes: the result is recorded once the vote has run its course, which
    # holds whatever the day the demo is loaded.
    adopted = services.conclude_vote(interpellation, by=secretary, now=ballot.closes_at)
    # The story happened in the past: the ballot and the adoption are moved to that day.
    Ballot.objects.filter(pk=ballot.pk).update(
        opens_at=voted_at, closes_at=voted_at + timedelta(days=3)
    )
    Interpellation.objects.filter(pk=adopted.pk).update(adopted_at=voted_at + timedelta(days=3))
    adopted.refresh_from_db()
    return adopted


def _local_time(day: date, *, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def load(report: DemoReport) -> None:
    instance = Instance.objects.filter(name=INSTANCE_NAME).first()
    secretary = User.objects.filter(email=f"citoyen@{DOMAIN}").first()
    if instance is None or secretary is None:
        report.lines.append(
            "Interpellations de démonstration non chargées : il faut d'abord l'instance de "
            "Villeurbanne (territoires, comptes et instances de démonstration)."
        )
        return
    now = timezone.now()
    today = timezone.localdate()
    for spec in SPECS:
        if Interpellation.objects.filter(instance=instance, title=spec["title"]).exists():
            continue
        interpellation = services.create_interpellation(
            instance, by=secretary, **{key: spec[key] for key in FIELDS}
        )
        if spec["outcome"] == DRAFT:
            continue
        # Anchored on local calendar days, so that the delay told in days stays the same
        # whichever hour the demo is loaded at, a change of summer time included.
        sent_at = _local_time(today - timedelta(days=spec["sent_days_ago"]), hour=10)
        adopted = _adopt(interpellation, secretary, sent_at - timedelta(days=5))
        sent = services.send(adopted, by=secretary, now=sent_at)
        if spec["outcome"] == ANSWERED:
            services.answer_by_link(
                services.answer_token(sent),
                text=spec["answer"],
                signatory=spec["signatory"],
                now=_local_time(today - timedelta(days=spec["answered_days_ago"]), hour=14),
            )
    # Marks the one whose deadline has passed, as the daily job would.
    services.send_reminders(now=now)
    counts = Interpellation.objects.filter(instance=instance).count()
    report.lines.append(
        f"Interpellations : {counts} pour l'instance de Villeurbanne (une répondue par le lien, "
        "une en attente, une hors délai, un brouillon réservé aux membres)."
    )
