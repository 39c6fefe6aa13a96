"""Demo events: a forum ouvert in Lyon, an atelier in Bordeaux with a waiting list, a live
d'écoute online, a proposal waiting for review and a finished atelier with its minutes."""

import unicodedata
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import DEMO_DOMAIN, demo_account
from enfance.accounts.models import User
from enfance.core.demo import DemoReport
from enfance.territories.models import Commune

from . import services
from .enums import EventKind, EventStatus
from .models import Event

LYON, BORDEAUX = "69123", "33063"

PARTICIPANTS = [
    ("Nadia", "Benali", BORDEAUX),
    ("Julien", "Marchetti", BORDEAUX),
    ("Claire", "Dubreuil", BORDEAUX),
    ("Rémi", "Lagarde", BORDEAUX),
    ("Aïcha", "Traoré", BORDEAUX),
    ("Paul", "Esnault", BORDEAUX),
    ("Marion", "Vidal", LYON),
    ("Hugo", "Perret", LYON),
]


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _ascii(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).lower()


def _participant(first_name, last_name, commune) -> User:
    email = f"{_ascii(first_name)}.{_ascii(last_name)}@{DEMO_DOMAIN}"
    return demo_account(email, first_name, last_name, commune)


def _event(title, **fields) -> tuple[Event, bool]:
    existing = Event.objects.filter(title=title).first()
    if existing is not None:
        return existing, False
    return services.propose_event(title=title, **fields), True


@transaction.atomic
def load(report: DemoReport) -> None:
    admin = User.objects.filter(email=f"administrateur.national@{DEMO_DOMAIN}").first()
    citizen = User.objects.filter(email=f"citoyen@{DEMO_DOMAIN}").first()
    communes = {c.code: c for c in Commune.objects.filter(code__in=[LYON, BORDEAUX])}
    if admin is None or citizen is None or len(communes) < 2:
        report.lines.append(
            "Agenda de démonstration non chargé : importez d'abord les territoires (Lyon et "
            "Bordeaux) et les comptes de démonstration."
        )
        return
    people = [_participant(f, last, communes[code]) for f, last, code in PARTICIPANTS]

    forum, created = _event(
        "Forum ouvert : lancer l'instance locale de Lyon",
        by=admin,
        kind=EventKind.FORUM,
        description=(
            "Un forum ouvert à toutes et à tous pour découvrir le projet du Ministère de la "
            "Protection de l'Enfance et constituer l'instance locale de Lyon : parents, "
            "grands-parents, jeunes de 12 à 17 ans, professionnels et associations. Chacun peut "
            "proposer un sujet ; les ateliers se forment sur place."
        ),
        starts_at=_at(21, 14),
        ends_at=_at(21, 18),
        place="Maison des associations, 28 rue Denfert-Rochereau",
        commune=communes[LYON],
        capacity=120,
    )
    if created:
        forum.hosts.add(citizen)
        for person in people[6:]:
            services.register(forum, by=person)

    atelier, created = _event(
        "Atelier citoyen : les priorités locales de la protection de l'enfance en Gironde",
        by=admin,
        kind=EventKind.ATELIER,
        description=(
            "Un atelier en petit groupe pour dresser le diagnostic local : les besoins des "
            "familles, ce qui manque sur le territoire, ce qui marche déjà. Les priorités seront "
            "classées au jugement majoritaire à la fin de l'atelier."
        ),
        starts_at=_at(10, 18, 30),
        ends_at=_at(10, 20, 30),
        place="Centre social Bordeaux Nord, 12 rue Joséphine",
        commune=communes[BORDEAUX],
        capacity=4,
    )
    if created:
        # Six people for four places: the last two wait for a place.
        for person in people[:6]:
            services.register(atelier, by=person)

    live, created = _event(
        "Live d'écoute : vos questions sur l'ASE, avec une juriste",
        by=admin,
        kind=EventKind.LIVE,
        description=(
            "Un live d'écoute pour les parents confrontés à l'Aide sociale à l'enfance : une "
            "juriste et une psychologue répondent à vos questions, sans jugement. Vous pouvez "
            "envoyer vos questions à l'avance, de façon anonyme."
        ),
        starts_at=_at(5, 20),
        ends_at=_at(5, 21, 30),
        online_url="https://live.exemple.fr/ecoute-parents",
    )
    if created:
        for person in people[2:5]:
            services.register(live, by=person)

    _event(
        "Atelier citoyen : imaginer l'instance locale de la Croix-Rousse",
        by=citizen,
        kind=EventKind.ATELIER,
        description=(
            "Je propose d'accueillir un atelier dans la salle de notre association de quartier "
            "pour réfléchir ensemble à l'instance locale : qui y siège, comment elle écoute les "
            "familles, comment elle rend compte."
        ),
        starts_at=_at(30, 18),
        ends_at=_at(30, 20),
        place="Salle associative, 5 place de la Croix-Rousse",
        commune=communes[LYON],
        capacity=25,
    )

    title = "Atelier citoyen : diagnostic local à Lyon"
    if not Event.objects.filter(title=title).exists():
        # An atelier that already took place: written directly, since the services rightly
        # refuse to schedule an event in the past.
        past = Event.objects.create(
            kind=EventKind.ATELIER,
            title=title,
            description="Le premier atelier lyonnais : le diagnostic des besoins du territoire.",
            starts_at=_at(-30, 18),
            ends_at=_at(-30, 20),
            place="Mairie du 1er arrondissement, 2 place Sathonay",
            commune=communes[LYON],
            departement=communes[LYON].departement,
            capacity=30,
            status=EventStatus.FINISHED,
            proposed_by=citizen,
            minutes=(
                "Vingt-deux personnes présentes. Après un tour de table, trois groupes ont "
                "travaillé sur les besoins des familles, le soutien avant placement et la parole "
                "des enfants. Les priorités ont été classées au jugement majoritaire."
            ),
            priorities=[
                "Un lieu d'accueil pour les parents dans chaque arrondissement",
                "Des visites médiatisées plus proches et plus fréquentes",
                "Associer les enfants placés aux décisions qui les concernent",
            ],
            elected=["Sophie M. — collège des parents", "Bernard G. — collège des grands-parents"],
            outcome_recorded_at=_at(-28, 10),
        )
        past.hosts.add(citizen)
