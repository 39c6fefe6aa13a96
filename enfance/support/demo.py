"""Demo support requests: the demo parent's request about visiting rights, answered by the demo
professional; requests of other parents waiting in the queue, one of them late. Written through
the services, so they are encrypted and logged as real ones are."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import DEMO_DOMAIN, demo_account
from enfance.accounts.models import User
from enfance.core.demo import DemoReport
from enfance.events import services as events
from enfance.events.enums import EventKind
from enfance.events.models import Event
from enfance.territories.models import Commune, Departement

from . import groups, lives, services
from .enums import Subject
from .models import (
    LiveQuestion,
    RequestRead,
    Specialty,
    SupportGroup,
    SupportMessage,
    SupportRequest,
)

PARENT = f"parent.accompagne@{DEMO_DOMAIN}"
PROFESSIONAL = f"professionnel@{DEMO_DOMAIN}"

ANSWERED = (
    "Ma fille de 8 ans est placée en famille d'accueil depuis six mois. Je la vois une heure "
    "toutes les deux semaines, en présence d'une éducatrice, et on m'a dit que rien ne changerait "
    "avant l'audience de l'an prochain. J'ai un travail stable maintenant et un appartement avec "
    "une chambre pour elle. Est-ce que je peux demander à la voir plus souvent, ou chez moi ?"
)
THREAD = (
    (
        False,
        "Bonjour, merci pour votre message. Oui : vous pouvez demander au juge des enfants de "
        "modifier les droits de visite sans attendre l'audience, par une simple lettre. Joignez "
        "ce qui a changé (contrat de travail, bail, photos de la chambre). Voulez-vous que nous "
        "la préparions ensemble ?",
    ),
    (True, "Oui, je veux bien. Faut-il en parler d'abord à l'éducatrice de l'ASE ?"),
    (
        False,
        "C'est préférable : le juge lui demandera son avis. Dites-lui que vous écrivez au juge et "
        "pourquoi. Je vous envoie ici demain un modèle de lettre.",
    ),
)
WAITING = (
    (
        Subject.SCHOOL,
        "11-14",
        30,
        "Mon fils est en foyer et il a changé trois fois de collège cette année. Personne ne me "
        "dit où il sera scolarisé à la rentrée. À qui dois-je m'adresser ?",
    ),
    (
        Subject.HEARING,
        "3-5",
        96,
        "J'ai une audience dans trois semaines et je n'ai pas d'avocat. Ai-je droit à l'aide "
        "juridictionnelle et comment la demander à temps ?",
    ),
    (
        Subject.ASE,
        "plusieurs",
        6,
        "Les rendez-vous avec la référente de l'ASE sont annulés au dernier moment depuis deux "
        "mois. Je ne sais plus comment avoir des nouvelles de mes enfants.",
    ),
)


QUESTIONS = (
    ("Maman de Léa", "Peut-on demander un changement de famille d'accueil ?", True),
    ("Papa69", "L'ASE doit-elle me prévenir avant un changement d'école ?", True),
    ("Grand-mère", "Comment être consultée sur la situation de mes petits-enfants ?", False),
)


def _live_questions(report: DemoReport) -> None:
    """Questions sent ahead of the demo live: two shown (one supported), one waiting for its
    host's reading."""
    live = (
        Event.objects.filter(kind=EventKind.LIVE)
        .prefetch_related("hosts")
        .order_by("starts_at")
        .first()
    )
    if live is None or LiveQuestion.objects.filter(event=live).exists():
        return
    host = live.hosts.first()
    askers = [
        demo_account(f"parent.{n}@{DEMO_DOMAIN}", "Parent", f"n° {n}", can_sign_in=False)
        for n in range(1, 4)
    ]
    shown = []
    for asker, (pseudonym, text, show) in zip(askers, QUESTIONS, strict=True):
        question = lives.ask(live, by=asker, pseudonym=pseudonym, text=text)
        if show and host is not None:
            shown.append(lives.moderate(question, by=host, show=True))
    if shown:
        lives.support(shown[0], by=askers[2])
    report.lines.append(f"Live d'écoute : {len(QUESTIONS)} questions, dont une à relire.")


GROUP = "Parents d'enfants placés — Lyon"
GROUP_DESCRIPTION = (
    "Pour les parents dont un enfant est placé, dans le Rhône. Une séance par mois, en soirée, à "
    "Lyon ou en ligne : on y parle des visites, des audiences, du lien avec l'enfant, et de ce qui "
    "aide à tenir. Animé par un travailleur social ; huit à dix personnes par séance."
)


def _group(report: DemoReport, professional, parent, rhone) -> None:
    """A groupe de parole led by the demo professional: the demo parent and two others are
    members, the parent registered for the next session; one announcement."""
    if SupportGroup.objects.filter(title=GROUP).exists():
        return
    group = groups.create_group(
        by=professional,
        title=GROUP,
        theme=Subject.PLACEMENT,
        departement=rhone,
        description=GROUP_DESCRIPTION,
    )
    members = [parent] + [
        demo_account(f"parent.{n}@{DEMO_DOMAIN}", "Parent", f"n° {n}", can_sign_in=False)
        for n in (4, 5)
    ]
    for member in members:
        groups.join(group, by=member, charter_accepted=True)
    day = timezone.localtime() + timedelta(days=8)
    evening = day.replace(hour=18, minute=30, second=0, microsecond=0)
    first = groups.schedule_session(
        group,
        by=professional,
        starts_at=evening,
        ends_at=evening + timedelta(hours=2),
        place="Maison des familles, 12 rue Duguesclin, salle 2",
        commune=Commune.objects.filter(code="69123").first(),
        capacity=10,
    )
    groups.schedule_session(
        group,
        by=professional,
        starts_at=evening + timedelta(days=28),
        ends_at=evening + timedelta(days=28, hours=2),
        online_url="https://visio.exemple.fr/groupe-parents-lyon",
        capacity=10,
    )
    events.register(first.event, by=parent)
    groups.announce(
        group,
        by=professional,
        text="Bonsoir à toutes et à tous. La prochaine séance aura pour thème les visites "
        "médiatisées : comment les préparer, comment en parler ensuite avec l'enfant. Venez "
        "comme vous êtes, personne n'est obligé de parler.",
    )
    report.lines.append(
        f"Groupe de parole : « {GROUP} », {len(members)} membres, 2 séances à venir, 1 annonce."
    )


def _backdate(request: SupportRequest, hours: int) -> None:
    moment = timezone.now() - timedelta(hours=hours)
    SupportRequest.objects.filter(pk=request.pk).update(created_at=moment, last_message_at=moment)


@transaction.atomic
def load(report: DemoReport) -> None:
    parent = User.objects.filter(email=PARENT).first()
    professional = User.objects.filter(email=PROFESSIONAL).first()
    rhone = Departement.objects.filter(code="69").first()
    if parent is None or professional is None or rhone is None:
        report.lines.append(
            "Demandes de soutien de démonstration non chargées : il faut d'abord les comptes."
        )
        return
    for subject in Subject.values:
        Specialty.objects.get_or_create(user=professional, subject=subject)
    _live_questions(report)
    _group(report, professional, parent, rhone)
    if SupportRequest.objects.filter(parent=parent).exists():
        return
    request = services.submit(
        parent=parent,
        subject=Subject.VISITING,
        departement=rhone,
        child_age="6-10",
        situation=ANSWERED,
        contact="Par téléphone, en semaine après 18 h.",
    )
    _backdate(request, 50)
    request = services.take(SupportRequest.objects.get(pk=request.pk), by=professional)
    services.read(request, by=professional)
    RequestRead.objects.filter(request=request).update(read_at=timezone.now() - timedelta(hours=31))
    SupportRequest.objects.filter(pk=request.pk).update(
        taken_at=timezone.now() - timedelta(hours=32)
    )
    for hours_ago, (from_parent, body) in zip((30, 20, 4), THREAD, strict=True):
        message = services.send_message(
            request, by=parent if from_parent else professional, body=body
        )
        SupportMessage.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - timedelta(hours=hours_ago)
        )
    SupportRequest.objects.filter(pk=request.pk).update(
        first_answer_at=timezone.now() - timedelta(hours=30),
        last_message_at=timezone.now() - timedelta(hours=4),
    )
    for number, (subject, age, hours, text) in enumerate(WAITING, start=1):
        other = demo_account(
            f"parent.{number}@{DEMO_DOMAIN}", "Parent", f"n° {number}", can_sign_in=False
        )
        waiting = services.submit(
            parent=other, subject=subject, departement=rhone, child_age=age, situation=text
        )
        _backdate(waiting, hours)
    report.lines.append(
        f"Soutien aux parents : 1 demande suivie avec ses échanges, {len(WAITING)} en attente "
        "dans la file du professionnel (dont une en retard)."
    )
