"""Issue 17's « Done when », in a browser: an instance's secretary registers a SCIC with associates
in four colleges; its general assembly adopts a resolution by weighted college vote and the result
shows each college's share; the instance votes a transfer of « gestion des foyers » with its
budget, the convention is attached and the transfer becomes effective; an ASE agent books a
60-hour séjour d'observation in a village, and a second booking of the same unit for the same
night is refused. The other associates and members vote through the engine's services: they are
other people, each on their own device."""

import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from enfance.care.models import Cooperative, FamilyUnit, ObservationStay, Transfer
from enfance.votes import services as votes
from enfance.votes.models import Ballot
from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of
from tests.care.factories import StructureFactory, role
from tests.care.test_cooperatives import FOUNDED, siren
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_care_journey import sign_in, with_secret
from tests.factories import UserFactory

COLLEGES = "Salariés = 30\nFamilles = 30\nBénévoles = 20\nCollectivités = 20"
# category, name, college, how they vote on the resolution
ASSOCIATES = [
    ("salaries", "Léa Martin", "Salariés", "pour"),
    ("beneficiaires", "Famille Benali", "Familles", "pour"),
    ("benevoles", "Marc Petit", "Bénévoles", "contre"),
    ("collectivites", "Ville de Villeurbanne", "Collectivités", "pour"),
]


def _minute(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def _form(page, button: str):
    return page.locator("main form").filter(has=page.get_by_role("button", name=button))


def _run_ballot(page, live_server, ballot: Ballot, voters: list, choices: list[str]) -> None:
    """The secretary opens the ballot, the others vote, the secretary closes it."""
    page.goto(f"{live_server.url}/votes/{ballot.pk}/gestion/")
    page.get_by_role("button", name="Ouvrir le scrutin").click()
    page.get_by_role("button", name="Clore le scrutin").wait_for()
    ballot.refresh_from_db()
    for voter, choice in zip(voters, choices, strict=True):
        votes.cast_vote(ballot, by=voter, choice=choice)
    page.get_by_role("button", name="Clore le scrutin").click()
    page.wait_for_load_state("load")


@pytest.mark.django_db(transaction=True)
def test_scic_assembly_transfer_and_stay(new_context, live_server, colleges, tmp_path):
    instance = InstanceFactory()
    secretary = secretary_of(instance)
    associates = [UserFactory(email=f"societaire{n}@example.org") for n in range(4)]
    members = [seat_directly(instance, "parents").user for _ in range(3)]
    page = sign_in(new_context(bypass_csp=True), live_server, secretary)

    # A SCIC registered, its colleges set, four associates entered, one per college.
    page.goto(f"{live_server.url}/accueil/scic/nouvelle/")
    page.get_by_label("Raison sociale").fill("SCIC Grandir ensemble")
    page.get_by_label("Numéro SIREN").fill(siren())
    page.get_by_label("Date d'immatriculation").fill(f"{FOUNDED:%Y-%m-%d}")
    page.get_by_label("Instance locale qui la supervise").select_option(value=str(instance.pk))
    page.get_by_label("Administration des foyers").check(force=True)
    page.get_by_role("button", name="Enregistrer la SCIC").click()
    page.get_by_text("La SCIC est enregistrée.").wait_for()
    scic = Cooperative.objects.get()
    page.get_by_label("Collèges des statuts").fill(COLLEGES)
    page.get_by_role("button", name="Enregistrer les collèges").click()
    page.get_by_text("Les collèges sont enregistrés.").wait_for()
    for person, (category, name, college, _choice) in zip(associates, ASSOCIATES, strict=True):
        register = _form(page, "Inscrire au registre")
        register.get_by_label("Catégorie").select_option(value=category)
        register.locator("#id_name").fill(name)
        register.get_by_label("Parts sociales").fill("2")
        register.get_by_label("Entrée le").fill(f"{FOUNDED:%Y-%m-%d}")
        register.get_by_label("Collège").select_option(
            value=str(scic.colleges.get(name=college).pk)
        )
        register.get_by_label("Adresse de son compte").fill(person.email)
        register.get_by_role("button", name="Inscrire au registre").click()
        page.get_by_text("Le sociétaire est inscrit au registre.").wait_for()
    assert scic.associates.filter(user__isnull=False).count() == 4

    # The general assembly: convened, a resolution voted by colleges, each college's share shown.
    convene = _form(page, "Convoquer les sociétaires")
    convene.get_by_label("Intitulé").fill("Assemblée générale ordinaire 2026")
    convene.locator("input[name=held_on]").fill(f"{timezone.localdate():%Y-%m-%d}")
    convene.get_by_label("Ordre du jour").fill("1. Rapport d'activité\n2. Comptes 2025")
    convene.get_by_role("button", name="Convoquer les sociétaires").click()
    page.get_by_role("heading", name="Soumettre une résolution au vote").wait_for()
    now = timezone.now()
    page.locator("input[name=title]").fill("Approbation des comptes 2025")
    page.locator("input[name=opens_at]").fill(_minute(now - timedelta(minutes=1)))
    page.locator("input[name=closes_at]").fill(_minute(now + timedelta(days=1)))
    page.get_by_role("button", name="Préparer le vote").click()
    page.wait_for_url(re.compile(r"/votes/\d+/$"))
    resolution = Ballot.objects.get(title="Approbation des comptes 2025")
    _run_ballot(page, live_server, resolution, associates, [a[3] for a in ASSOCIATES])
    page.goto(f"{live_server.url}/votes/{resolution.pk}/resultats/")
    main = page.inner_text("main")
    assert "La résolution est adoptée : les « pour » pèsent 80,0 % des voix" in main
    shares = page.get_by_role("table", name="Le vote de chaque collège et le poids qu'il a porté")
    assert re.search(r"Bénévoles\s+20 %\s+0\s+1\s+0\s+20,0 %", shares.inner_text())
    assert_no_blocking_violation(page)

    # The transfer: proposed with its budget, voted by the instance, agreed, effective.
    page.goto(f"{live_server.url}/accueil/transferts/nouveau/")
    page.get_by_label("Instance locale qui reçoit").select_option(value=str(instance.pk))
    page.locator("select[name=competence]").select_option(value="gestion_foyers")
    page.get_by_label("SCIC qui l'exercera").select_option(value=str(scic.pk))
    page.get_by_label("Phase").select_option(value="4")
    page.get_by_label("À partir du").fill(f"{timezone.localdate():%Y-%m-%d}")
    page.get_by_label("Budget transféré par an").fill("2400000")
    page.get_by_role("button", name="Proposer le transfert").click()
    page.get_by_text("Le transfert est proposé").wait_for()
    transfer = Transfer.objects.get()
    vote = _form(page, "Préparer le vote")
    vote.locator("input[name=opens_at]").fill(_minute(timezone.now() - timedelta(minutes=1)))
    vote.locator("input[name=closes_at]").fill(_minute(timezone.now() + timedelta(days=1)))
    vote.get_by_role("button", name="Préparer le vote").click()
    page.get_by_text("Le vote est préparé").wait_for()
    ballot = Ballot.objects.for_context(transfer).get()
    _run_ballot(page, live_server, ballot, members, ["pour", "pour", "contre"])
    page.goto(f"{live_server.url}{transfer.get_absolute_url()}")
    page.get_by_role("button", name="Enregistrer le vote de l'instance").click()
    page.get_by_text("Le vote de l'instance est enregistré.").wait_for()
    convention = Path(tmp_path) / "convention.pdf"
    convention.write_bytes(b"%PDF-1.7\nConvention de transfert\n")
    page.get_by_label("Convention signée avec le département").set_input_files(convention)
    page.get_by_role("button", name="Joindre et conventionner").click()
    page.get_by_text("La convention est jointe").wait_for()
    page.get_by_role("button", name="Rendre le transfert effectif").click()
    page.get_by_text("Le transfert est effectif.").wait_for()
    transfer.refresh_from_db()
    assert transfer.status == "effectif" and transfer.yearly_budget == 2_400_000
    page.goto(f"{live_server.url}/accueil/transferts/")
    moved = re.sub(r"[\u00a0\u202f]", " ", page.inner_text("main"))
    assert "En vigueur (effectifs ou suspendus) : 2 400 000 € par an" in moved

    # A séjour d'observation of 60 hours, then the same unit for the same night: refused.
    village = StructureFactory(kind="village", name="Village du Pilat")
    unit = FamilyUnit.objects.create(village=village, name="Maison des Tilleuls", capacity=5)
    ase = role("services_departement", village.departement)
    ase_page = sign_in(new_context(bypass_csp=True), live_server, ase, with_secret(ase))
    arrival = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=4), time(14))
    )
    for hours, outcome in (("60", "est demandé"), ("48", "est déjà réservée pour la nuit du")):
        ase_page.goto(f"{live_server.url}/accueil/villages/{village.pk}/")
        ase_page.get_by_role("link", name="Demander un séjour d'observation").click()
        ase_page.get_by_label("Unité familiale").select_option(value=str(unit.pk))
        ase_page.get_by_label("Arrivée de la famille").fill(_minute(arrival))
        ase_page.get_by_label("Durée du séjour").fill(hours)
        ase_page.get_by_label("Enfants de 6 à 12 ans").fill("2")
        ase_page.get_by_role("button", name="Demander le séjour").click()
        ase_page.get_by_text(outcome).first.wait_for()
        arrival += timedelta(days=1)
    stay = ObservationStay.objects.get()
    assert stay.hours == 60 and stay.status == "demande" and stay.held.count() == 3
    assert_no_blocking_violation(ase_page)
    ase_page.goto(f"{live_server.url}/accueil/villages/{village.pk}/")
    assert stay.reference in ase_page.inner_text("main")
    assert_no_blocking_violation(ase_page)
