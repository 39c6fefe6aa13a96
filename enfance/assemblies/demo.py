"""Three believable instances in three départements (Rhône, Gironde, La Réunion).

The instance of Villeurbanne is constituted, with a meeting, its published minutes and a local
diagnostic; the Libournais is still being formed and says what it misses; Saint-Denis has just
started. Every person is fictitious. Members are demo accounts that cannot log in, except the demo
citizen (the secretary of Villeurbanne), so that a visitor can try the management pages. Children
appear by a fictitious first name only; their dates of birth only make them 13 to 16.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import demo_account
from enfance.accounts.models import User
from enfance.core.demo import DemoReport
from enfance.territories.models import Commune, Departement

from . import services
from .enums import ConsentMethod, MemberRole, SelectionMethod
from .models import ChildProfile, College, Instance, Meeting, Membership

DOMAIN = "demo.protection-enfance.fr"
CITIZEN_EMAIL = f"citoyen@{DOMAIN}"
ADMIN_EMAIL = f"administrateur.national@{DOMAIN}"

ADULTS = [
    ("Nathalie", "Garnier"),
    ("Karim", "Benali"),
    ("Sophie", "Marchand"),
    ("Julien", "Roussel"),
    ("Aïcha", "Diallo"),
    ("Marc", "Fontaine"),
    ("Hélène", "Vasseur"),
    ("Pierre", "Lacroix"),
    ("Yvette", "Morel"),
    ("Gérard", "Lemoine"),
    ("Claire", "Dumas"),
    ("Thomas", "Perrin"),
    ("Fatima", "Haddad"),
    ("Luc", "Bertin"),
    ("Isabelle", "Noël"),
    ("Rémi", "Caron"),
    ("Sandrine", "Payet"),
    ("Olivier", "Hoarau"),
    ("Chantal", "Grondin"),
    ("Daniel", "Rivière"),
    ("Manon", "Leclerc"),
    ("Antoine", "Giraud"),
    ("Élodie", "Renaud"),
    ("Bernard", "Fleury"),
]
CHILDREN = ["Lina", "Noah", "Jade", "Ethan", "Maëlys", "Rayan"]
EXPERT_FIELDS = ["psychologie", "sante", "education", "droit", "autre"]

INSTANCES = [
    {
        "key": "69",
        "name": "Instance locale de Villeurbanne et Vaulx-en-Velin",
        "communes": ["69266", "69256"],
        "description": "Instance née du forum ouvert de Villeurbanne : parents, grands-parents, "
        "jeunes, professionnels et associations des deux communes.",
        "counts": {"parents": 5, "grands_parents": 3, "enfants": 3, "experts": 4, "associatifs": 4},
    },
    {
        "key": "33",
        "name": "Instance locale du Libournais",
        "communes": ["33243"],
        "description": "En cours de constitution après l'atelier citoyen de Libourne.",
        "counts": {"parents": 3, "grands_parents": 1, "enfants": 2, "experts": 2, "associatifs": 3},
    },
    {
        "key": "974",
        "name": "Instance locale de Saint-Denis de La Réunion",
        "communes": ["97411"],
        "description": "Premiers membres réunis lors du forum ouvert de Saint-Denis.",
        "counts": {"parents": 2, "grands_parents": 1, "experts": 1, "associatifs": 2},
    },
]

PRIORITIES = [
    (
        "Des places d'accueil d'urgence près des familles",
        "Les enfants placés en urgence partent souvent loin de leur école et de leurs proches.",
    ),
    (
        "Soutenir les parents avant la crise",
        "Des lieux d'écoute et d'aide éducative à domicile, sans attendre un signalement.",
    ),
    ("Écouter les enfants dans les décisions qui les concernent", ""),
    ("Accompagner les jeunes majeurs à la sortie de l'ASE", ""),
]


def _person(email, first_name, last_name, commune) -> User:
    return demo_account(email, first_name, last_name, commune, can_sign_in=False)


def _child(email, first_name, commune, years, extra_days, by, instance) -> User:
    user = _person(email, first_name, "", commune)
    today = timezone.localdate()
    birth = today.replace(year=today.year - years) - timedelta(days=extra_days)
    ChildProfile.objects.get_or_create(user=user, defaults={"birth_date": birth})
    if years < services.PARENTAL_CONSENT_AGE:
        services.record_parental_consent(
            instance,
            by=by,
            child=user,
            parent_name="Parent (démonstration)",
            given_on=today - timedelta(days=90),
            method=ConsentMethod.ECRIT,
        )
    return user


def _instance(spec, admin) -> Instance | None:
    departement = Departement.objects.filter(code=spec["key"]).first()
    if departement is None:
        return None
    existing = Instance.objects.filter(name=spec["name"]).first()
    if existing is not None:
        return existing
    communes = Commune.objects.filter(code__in=spec["communes"], departement=departement)
    return services.create_instance(
        departement, by=admin, name=spec["name"], communes=communes, description=spec["description"]
    )


def _compose(instance, spec, admin, secretary, names):
    if Membership.objects.filter(instance=instance).exists():
        return
    start = timezone.localdate() - timedelta(days=60)
    commune = instance.communes.first()
    colleges = {c.code: c for c in College.objects.all()}
    for code, n in spec["counts"].items():
        college = colleges[code]
        for i in range(n):
            role = MemberRole.MEMBRE
            if code == "enfants":
                user = _child(
                    f"instance.{spec['key']}.enfant{i + 1}@{DOMAIN}",
                    CHILDREN[i],
                    commune,
                    13 + i,
                    40 + 30 * i,
                    admin,
                    instance,
                )
            elif code == "associatifs" and i == 0 and secretary is not None:
                user, role = secretary, MemberRole.SECRETAIRE
            else:
                first, last = next(names)
                user = _person(
                    f"instance.{spec['key']}.{code}{i + 1}@{DOMAIN}", first, last, commune
                )
                if code == "parents" and i == 0:
                    role = MemberRole.ANIMATEUR
            services.add_member(
                instance,
                by=admin,
                user=user,
                college=college,
                mandate_start=start,
                selection_method=[
                    SelectionMethod.ELU_ATELIER,
                    SelectionMethod.TIRE_AU_SORT,
                    SelectionMethod.COOPTE,
                ][i % 3],
                role=role,
                expert_field=EXPERT_FIELDS[i % len(EXPERT_FIELDS)]
                if college.asks_expert_field
                else "",
            )


def _meeting_with_minutes(instance, by):
    if Meeting.objects.filter(instance=instance).exists():
        return
    held = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=20), time(18, 30))
    )
    meeting = services.schedule_meeting(
        instance,
        by=by,
        title="Séance d'installation",
        starts_at=held,
        place="Maison de quartier des Brosses, Villeurbanne",
        agenda=[
            "Accueil des membres et tour de table",
            "Adoption du règlement intérieur",
            "Premier diagnostic des besoins du territoire",
        ],
    )
    members = list(services.members_for_meeting(meeting))
    services.record_attendance(meeting, by=by, present={m.pk for m in members[:-3]})
    services.record_decision(meeting, by=by, text="Le règlement intérieur est adopté.")
    services.record_decision(
        meeting,
        by=by,
        text="Les membres classeront les besoins du territoire au jugement "
        "majoritaire avant la prochaine séance.",
    )
    minutes = services.save_minutes(
        meeting,
        by=by,
        text="Les membres se sont présentés ; chaque collège a désigné un porte-parole.\n\n"
        "Le règlement intérieur a été adopté. Quatre besoins du territoire ont été retenus "
        "pour le diagnostic local, à classer par vote.",
    )
    services.publish_minutes(minutes, by=by)
    services.schedule_meeting(
        instance,
        by=by,
        title="Séance sur le diagnostic local",
        starts_at=timezone.now() + timedelta(days=25),
        place="Mairie de Vaulx-en-Velin",
        agenda=["Résultat du classement des priorités", "Propositions à faire remonter"],
    )


@transaction.atomic
def load(report: DemoReport) -> None:
    admin = User.objects.filter(email=ADMIN_EMAIL).first()
    if admin is None or not College.objects.exists():
        report.lines.append("Instances locales non créées : chargez d'abord les comptes.")
        return
    citizen = User.objects.filter(email=CITIZEN_EMAIL).first()
    names = iter(ADULTS * 3)
    for spec in INSTANCES:
        instance = _instance(spec, admin)
        if instance is None:
            report.lines.append(
                f"Instance « {spec['name']} » non créée : importez d'abord les territoires."
            )
            continue
        is_first = spec["key"] == "69"
        _compose(instance, spec, admin, citizen if is_first else None, names)
        if is_first:
            _meeting_with_minutes(instance, admin)
            if not instance.priorities.exists():
                for title, description in PRIORITIES:
                    services.add_priority(instance, by=admin, title=title, description=description)
        instance.refresh_from_db()
        report.lines.append(
            f"Instance « {instance.name} » : {instance.get_status_display().lower()}"
            + (" (secrétaire : le compte citoyen de démonstration)" if is_first else "")
        )
