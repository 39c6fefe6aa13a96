"""The control body, in a browser: the département's yearly plan proposes a structure whose places
are unknown and about which an alert was received; a contrôleur (TOTP) adds it, runs an
unannounced inspection and scores the limiting theme with one impératif not met; the overall
judgement is « insuffisant »; the gestionnaire sends observations within the period; the report,
first refused for naming the structure, is published anonymised and the structure's public
history shows it; the gestionnaire answers the required action and the contrôleur accepts it.
axe-core passes the plan and the findings pages."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from enfance.inspections.models import Criterion, Inspection
from enfance.inspections.referentiel import load as load_referentiel
from enfance.inspections.services import join_team, save_finding
from tests.care.factories import CategoryFactory, StructureFactory, manager_of
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_care_journey import sign_in, with_secret
from tests.factories import DepartementFactory
from tests.inspections.factories import controleur

# The limiting theme: 1, 1 on two criteria, 1 on the impératif securite.2 (not met), 3 on the
# impératif securite.6 (met), two impératifs « non concerné »: a mean of 1.5, « insuffisant ».
SECURITY_SCORES = {
    "securite.1": "1",
    "securite.2": "1",
    "securite.3": "1",
    "securite.4": "nc",
    "securite.5": "nc",
    "securite.6": "3",
}


def tick(scope, label) -> None:
    """Checks a box or a radio as a person does: on its label (DSFR draws the box there)."""
    scope.locator("label").filter(has_text=label).first.click()


def score(page, code: str, value: str) -> None:
    section = page.locator("section").filter(has=page.get_by_role("heading", name=code))
    tick(section, "Non concerné" if value == "nc" else re.compile(f"^{value} —"))
    section.get_by_role("status").get_by_text(re.compile("^Enregistré")).wait_for()


@pytest.mark.django_db(transaction=True)
def test_a_plan_leads_to_an_inspection_whose_report_is_published_and_followed(
    new_context, live_server
):
    # A transactional test run before this one empties the tables, the référentiel's too (which
    # a migration fills): load it again, as that migration does.
    load_referentiel("2026")
    rhone = DepartementFactory()
    structure = StructureFactory(name="Foyer Les Tilleuls")
    CategoryFactory(structure=structure)  # never declared: its places are unknown
    calm = StructureFactory(name="Maison Claire", commune=structure.commune)
    CategoryFactory(structure=calm, free=1, declared_at=timezone.now())
    manager = manager_of(structure, first_name="Odile", last_name="Marchetti")
    lead = controleur(rhone, email="controle@exemple.fr")
    colleague = controleur(rhone)
    base = live_server.url

    # 1. An alert, then the plan: the structure comes first, and the page says why.
    office = sign_in(new_context(bypass_csp=True), live_server, lead, with_secret(lead))
    office.goto(f"{base}/controle/structures/{structure.pk}/alerte/")
    office.get_by_label("Origine").select_option(label="Plainte reçue par l'organe de contrôle")
    office.get_by_label("Reçue le").fill(f"{timezone.localdate():%Y-%m-%d}")
    office.get_by_label("Ce qui est signalé").fill(
        "Des sorties de nuit sans adulte, signalées par une famille."
    )
    office.get_by_role("button", name="Enregistrer l'alerte").click()
    office.get_by_text("L'alerte est enregistrée").wait_for()
    year = timezone.localdate().year
    office.goto(f"{base}/controle/plans/{rhone.code}/{year}/")
    office.get_by_role("button", name=f"Ouvrir le plan {year}").click()
    first = office.get_by_role("table", name=re.compile("les plus à risque")).get_by_role("row")
    assert "Foyer Les Tilleuls" in first.nth(1).inner_text()
    assert re.search(r"1 alerte en un an.*100 % de places inconnues", first.nth(1).inner_text())
    assert_no_blocking_violation(office)
    office.get_by_role("button", name="Ajouter au plan Foyer Les Tilleuls").click()
    office.get_by_role("link", name="Ouvrir l'inspection de Foyer Les Tilleuls").click()

    # 2. An unannounced visit, today; the gestionnaire cannot see it before it begins.
    office.get_by_label("Date de la visite").fill(f"{timezone.localdate():%Y-%m-%d}")
    tick(office, "Visite annoncée à la structure")
    tick(office, "Je n'ai aucun lien")
    office.get_by_role("button", name="Ouvrir l'inspection", exact=True).click()
    office.wait_for_url(re.compile(r"/controle/inspections/\d+/$"))
    office.get_by_text("L'inspection est ouverte").wait_for()
    inspection = Inspection.objects.get(structure=structure)
    assert inspection.plan_entry is not None and not inspection.announced
    director = sign_in(new_context(), live_server, manager)
    assert director.goto(f"{base}{inspection.get_absolute_url()}").status == 404
    office.get_by_role("button", name="Commencer la visite").click()

    # 3. The limiting theme scored on the lead's tablet, saved as it is typed; a colleague of
    # the team scores the seven other themes on theirs.
    office.goto(f"{base}/controle/inspections/{inspection.pk}/constats/securite/")
    for code, value in SECURITY_SCORES.items():
        score(office, code, value)
    assert_no_blocking_violation(office)
    join_team(Inspection.objects.get(pk=inspection.pk), by=colleague, has_link=False)
    inspection = Inspection.objects.get(pk=inspection.pk)
    for criterion in Criterion.objects.filter(referentiel=inspection.referentiel).exclude(
        theme__code="securite"
    ):
        save_finding(inspection, criterion, by=colleague, score=4, not_concerned=False)

    # 4. The impératif not met calls a required action before the rapport provisoire.
    office.goto(f"{base}{inspection.get_absolute_url()}")
    office.get_by_text(re.compile(r"ajoutez-en une pour securite\.2\.$")).wait_for()
    assert office.get_by_role("button", name="Envoyer le rapport provisoire").count() == 0
    office.get_by_role("combobox", name=re.compile("^Critère")).select_option(
        value=str(Criterion.objects.get(referentiel=inspection.referentiel, code="securite.2").pk)
    )
    tick(office, "Action exigée")
    office.get_by_label("Ce qui est demandé").fill("Un adulte présent la nuit, chaque nuit.")
    due = timezone.localdate() + timedelta(days=60)
    office.get_by_label("Échéance").fill(f"{due:%Y-%m-%d}")
    office.get_by_role("button", name="Ajouter", exact=True).click()
    office.get_by_text("L'action est ajoutée au rapport.").wait_for()
    office.get_by_role("button", name="Envoyer le rapport provisoire").click()
    office.get_by_text("Le rapport provisoire est envoyé").wait_for()
    office.get_by_text("Appréciation d'ensemble : Insuffisant").wait_for()
    assert "Le thème limitant étant « insuffisant »" in office.inner_text("main")

    # 5. The gestionnaire, within the period, sends observations.
    director.goto(f"{base}{inspection.get_absolute_url()}")
    director.get_by_label("Vos observations sur le rapport provisoire").fill(
        "Une veilleuse de nuit est recrutée depuis lundi."
    )
    director.get_by_role("button", name="Envoyer mes observations").click()
    director.get_by_text("Vos observations sont envoyées").wait_for()

    # 6. The rapport définitif, refused while it names the structure, then published.
    office.reload()
    office.get_by_role("button", name="Arrêter le rapport définitif").click()
    office.get_by_text("Le rapport définitif est arrêté.").wait_for()
    office.get_by_role("textbox", name=re.compile("^Rapport")).fill(
        "Au Foyer Les Tilleuls, la nuit n'est pas assez encadrée."
    )
    office.get_by_role("button", name="Enregistrer le rapport").click()
    office.get_by_text(re.compile(r"cite encore un nom propre .*\(Foyer Les Tilleuls\)")).wait_for()
    assert office.get_by_role("button", name="Publier le rapport anonymisé").count() == 0
    office.get_by_role("textbox", name=re.compile("^Rapport")).fill(
        "La nuit n'est pas assez encadrée ; l'accueil de jour est attentif."
    )
    office.get_by_role("button", name="Enregistrer le rapport").click()
    office.get_by_role("button", name="Publier le rapport anonymisé").click()
    office.get_by_text("Le rapport est publié, anonymisé.").wait_for()
    inspection.refresh_from_db()
    history = new_context().new_page()
    history.goto(f"{base}/controle/etablissements/{inspection.public_identifier}/")
    history_text = history.inner_text("main")
    assert "1 rapport publié" in history_text and "niveau" in history_text
    assert "Tilleuls" not in history_text and "Marchetti" not in history_text

    # 7. The gestionnaire answers the required action; the contrôleur accepts the answer.
    director.goto(f"{base}{inspection.get_absolute_url()}")
    director.get_by_label("Ce que la structure fait ou fera").fill(
        "Une veilleuse de nuit, en poste depuis le 1er du mois."
    )
    director.get_by_role("button", name=re.compile("^Envoyer la réponse")).click()
    director.get_by_text("Votre réponse est envoyée").wait_for()
    office.goto(f"{base}{inspection.get_absolute_url()}")
    office.get_by_role("button", name=re.compile(r"^Accepter")).click()
    office.get_by_text("La réponse est acceptée.").wait_for()
    report = new_context().new_page()
    report.goto(f"{base}/controle/rapports/{inspection.pk}/")
    report.get_by_text("Acceptée", exact=True).wait_for()
    # The weak grade scheduled an unannounced second visit within the year.
    assert Inspection.objects.filter(structure=structure, origin="seconde_visite").exists()
