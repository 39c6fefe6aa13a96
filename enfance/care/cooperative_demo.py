"""A demo SCIC, supervised by the Villeurbanne instance whose secretary is the demo citizen: its
register in four colleges, two associates with an account (the demo parent; the demo gestionnaire,
who represents it), one foyer it runs, its 2025 report and accounts, two questions of the
instance (one answered), and the transfer of the management of foyers proposed to the
instance's vote."""

from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from reportlab.platypus import Paragraph

from enfance.accounts.demo import DEMO_DOMAIN
from enfance.accounts.models import User
from enfance.assemblies.demo import CITIZEN_EMAIL, INSTANCES
from enfance.assemblies.models import Instance
from enfance.core import pdf
from enfance.core.demo import DemoReport

from . import cooperatives, supervision, transfers
from .cooperatives import Entry
from .finess import luhn_valid
from .models import Cooperative, RunStructure, Structure

NAME = "SCIC Grandir ensemble — Villeurbanne"
FOUNDED = date(2025, 9, 15)
COLLEGES = [("Salariés", 30), ("Familles et jeunes", 30), ("Bénévoles et partenaires", 20)]
COLLEGES += [("Collectivités et instance", 20)]
REGISTER = (
    ("salaries", "Équipe éducative (12 salariés)", 12, 0),
    ("salaries", "Équipe administrative (3 salariés)", 3, 0),
    ("beneficiaires", "Familles accompagnées (8 familles)", 8, 1),
    ("beneficiaires", "Jeunes majeurs accueillis (4 jeunes)", 4, 1),
    ("benevoles", "Bénévoles du foyer (6 personnes)", 6, 2),
    ("partenaires", "Association des familles d'accueil du Rhône", 5, 2),
    ("collectivites", "Ville de Villeurbanne", 10, 3),
    ("instance", "Instance locale de Villeurbanne et Vaulx-en-Velin", 2, 3),
)


def _siren() -> str:
    base = "91234567"
    return next(base + str(key) for key in range(10) if luhn_valid(base + str(key)))


@transaction.atomic
def load(report: DemoReport) -> None:
    secretary = User.objects.filter(email=CITIZEN_EMAIL).first()
    instance = Instance.objects.filter(name=INSTANCES[0]["name"]).first()
    if secretary is None or instance is None or Cooperative.objects.filter(name=NAME).exists():
        return
    scic = cooperatives.register_cooperative(
        by=secretary,
        name=NAME,
        siren=_siren(),
        registered_on=FOUNDED,
        instance=instance,
        missions=["foyers", "mesures_educatives"],
    )
    cooperatives.set_colleges(scic, by=secretary, colleges=COLLEGES)
    colleges = list(scic.colleges.order_by("pk"))
    parent = User.objects.filter(email=f"parent.accompagne@{DEMO_DOMAIN}").first()
    for category, name, shares, college in REGISTER:
        cooperatives.add_associate(
            scic,
            by=secretary,
            entry=Entry(
                category=category,
                name=name,
                shares=shares,
                joined_on=FOUNDED,
                college=colleges[college],
            ),
        )
    if parent is not None:
        cooperatives.add_associate(
            scic,
            by=secretary,
            entry=Entry(
                category="beneficiaires",
                name=parent.get_full_name() or "Parent accompagné",
                shares=1,
                joined_on=FOUNDED,
                user=parent,
                college=colleges[1],
            ),
        )
    _supervision(scic, secretary, colleges[0])
    foyer = Structure.objects.filter(departement=instance.departement, kind="foyer_enfance")
    if (structure := foyer.order_by("pk").first()) is not None:
        RunStructure.objects.get_or_create(structure=structure, defaults={"cooperative": scic})
    transfers.propose_transfer(
        by=secretary,
        instance=instance,
        competence="gestion_foyers",
        cooperative=scic,
        phase=4,
        starts_on=timezone.localdate() + timedelta(days=90),
        yearly_budget=2_400_000,
    )
    report.lines.append(
        f"SCIC : « {NAME} », supervisée par l'instance de Villeurbanne, 4 collèges, "
        f"{len(REGISTER) + 2} lignes au registre, son rapport annuel 2025, deux questions de "
        "l'instance (une répondue par le compte gestionnaire, qui la représente) ; un "
        "transfert de la gestion des foyers proposé (2,4 M€ par an), à mettre au vote de "
        "l'instance."
    )


REPORT = """La SCIC a repris en septembre 2025 la gestion du foyer de Villeurbanne : 24 places en
internat, 6 en accueil d'urgence. Taux d'occupation moyen : 91 %.

Les familles accompagnées siègent au conseil de coopération depuis janvier ; trois
propositions des jeunes accueillis ont été mises en œuvre (horaires de sortie, repas du
dimanche, accès au numérique)."""
ACCOUNTS = """Produits : 2 310 000 € (dont dotation départementale 2 150 000 €).
Charges : 2 287 000 €, dont 1 790 000 € de personnel.
Résultat : 23 000 €, mis en réserve impartageable comme l'exige le statut de SCIC."""


def _pdf(title: str, text: str) -> ContentFile:
    story = [*pdf.letterhead(), Paragraph(title, pdf.HEADING), *pdf.paragraphs(text, pdf.BODY)]
    return ContentFile(pdf.document(story, title=title), name="document.pdf")


def _supervision(scic, secretary, college) -> None:
    """Its director (the demo gestionnaire) represents it; its 2025 report and accounts are
    public; the instance asked a question, answered, and another one waits."""
    director = User.objects.filter(email=f"gestionnaire.structure@{DEMO_DOMAIN}").first()
    if director is None:
        return
    cooperatives.add_associate(
        scic,
        by=secretary,
        entry=Entry(
            category="salaries",
            name="Direction de la SCIC",
            shares=2,
            joined_on=FOUNDED,
            user=director,
            college=college,
            represents=True,
        ),
    )
    supervision.publish_report(
        scic,
        by=director,
        year=2025,
        report=_pdf("Rapport annuel 2025", REPORT),
        accounts=_pdf("Comptes annuels 2025", ACCOUNTS),
    )
    asked = supervision.ask(
        scic,
        by=secretary,
        question="Combien d'enfants ont attendu une place au foyer cet automne, et combien de "
        "temps ?",
        now=timezone.now() - timedelta(days=12),
    )
    supervision.answer(
        asked,
        by=director,
        text="Sept enfants ont attendu, onze jours en moyenne. Deux places d'urgence ouvriront "
        "en janvier.",
    )
    supervision.ask(
        scic,
        by=secretary,
        question="Quand les jeunes accueillis pourront-ils élire leurs représentants au collège "
        "des familles ?",
    )
