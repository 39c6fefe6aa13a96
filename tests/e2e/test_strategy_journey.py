"""The national strategy and open data, in a browser: a visitor opens the strategy, a measure and
its official indicators for the Rhône, follows them to the département's page and its contract
with the State (criteria, objectives); reads the deployment page, whose count of constituted
instances is the one the instances list gives; opens the national dashboard, switches the map's
indicator and downloads the CSV, whose rows are the table's and the map's; the open-data catalogue
lists every dataset with its schema; the API documentation page loads with no request leaving
the platform."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlparse

import pytest

from enfance.core import opendata
from enfance.strategy import contracts, indicators, reference
from enfance.strategy.models import ContractCriterion, Measure
from tests.assemblies.factories import InstanceFactory
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.factories import DepartementFactory, RegionFactory


def _platform(admin):
    rhone = DepartementFactory()
    ain = DepartementFactory(code="01", name="Ain", region=RegionFactory(code="84"))
    InstanceFactory(departement=rhone, status="constituee")
    InstanceFactory(departement=rhone, status="active")
    InstanceFactory(departement=ain, status="constituee")
    InstanceFactory(departement=ain, status="en_creation")
    contract = contracts.create_contract(by=admin, departement=rhone, year=2020, wave=1)
    contracts.set_criterion(
        contract,
        by=admin,
        criterion=ContractCriterion.objects.get(number=1),
        met=True,
        evidence="Schéma départemental enfance-famille adopté le 3 mars 2020.",
    )
    contracts.write_assessment(contract, by=admin, assessment="Bilans de santé : 70 %.")
    contracts.add_objective(
        contract,
        by=admin,
        title="Bilans de santé en école maternelle",
        indicator="Part des enfants de 3-4 ans ayant eu un bilan",
        unit="%",
        baseline=Decimal("70"),
        target=Decimal("100"),
        state_commitment="Financer deux postes de médecin de PMI.",
        departement_commitment="Organiser les bilans dans toutes les écoles maternelles.",
    )
    contracts.sign(contract, by=admin, signed_on=date(2020, 6, 1))
    return rhone


def _count(page) -> int:
    caption = page.locator("table caption").first.inner_text()
    found = re.match(r"(\d+) instances?", caption)
    if found:
        return int(found.group(1))
    assert page.get_by_text("Aucune instance").count(), caption
    return 0


@pytest.mark.django_db(transaction=True)
def test_a_visitor_reads_the_strategy_its_figures_and_the_open_data(
    new_context, live_server, admin_national, tmp_path
):
    # A flush before took the strategy and its indicators (data migrations) away.
    reference.load()
    indicators.load()
    rhone = _platform(admin_national)
    measure = Measure.objects.filter(official_indicators__isnull=False).order_by("position")[0]
    # bypass_csp: axe-core is injected as a script of its own.
    page = new_context(bypass_csp=True).new_page()

    page.goto(live_server.url + "/strategie/")
    page.get_by_role("link", name=re.compile(re.escape(measure.title[:40]))).first.click()
    page.wait_for_url(re.compile(r"/strategie/mesures/"))
    page.locator("#departement").select_option("69")
    page.get_by_role("button", name="Afficher les indicateurs").click()
    page.wait_for_url(re.compile(r"departement=69"))
    assert "Rhône (69)" in page.locator("#indicateurs ~ div table caption").first.inner_text()
    page.get_by_role("link", name=re.compile("Tous les chiffres de ce département")).click()
    page.wait_for_url(re.compile(r"/strategie/departements/69/$"))
    page.get_by_role("link", name=re.compile(r"Contrat 2020 \(vague 1\)")).click()
    page.wait_for_url(re.compile(r"/strategie/contrats/69/2020/$"))
    text = page.locator("main").inner_text()
    assert "1 critère rempli sur 7" in text
    assert "Schéma départemental enfance-famille adopté le 3 mars 2020." in text
    assert "Bilans de santé en école maternelle" in text
    assert "Financer deux postes de médecin de PMI." in text

    page.goto(live_server.url + "/strategie/deploiement/")
    shown = page.locator("main li", has_text="constituée").first.inner_text()
    constituted = int(re.match(r"(\d+) instances? locales?", shown).group(1))
    assert constituted == 3
    page.get_by_role("link", name="les instances", exact=True).click()
    listed = 0
    for status in ("constituee", "active"):
        page.locator("#id_status").select_option(status)
        page.locator('form[aria-label="Filtrer les instances"]').get_by_role(
            "button", name="Filtrer"
        ).click()
        page.wait_for_url(re.compile(f"status={status}"))
        listed += _count(page)
    assert listed == constituted

    page.goto(live_server.url + "/strategie/tableau-de-bord/")
    page.locator("#indicateur").select_option("criteres")
    page.get_by_role("button", name="Afficher sur la carte").click()
    page.wait_for_url(re.compile(r"indicateur=criteres"))
    assert page.locator("h2", has_text="Critères préalables remplis").count() == 1
    tile = page.locator("svg.tile-map title", has_text="(69)").text_content()
    assert tile.endswith(": 1"), tile
    rows = {
        row.locator("th").inner_text(): [cell.inner_text() for cell in row.locator("td").all()]
        for row in page.locator("main table tbody tr").all()
    }
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ces chiffres (CSV)").click()
    path = tmp_path / "tableau.csv"
    download.value.save_as(path)
    table = list(csv.reader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))
    keys = ["instances", "scic", "places", "signatures", "criteres"]
    assert table[0] == ["departement", "nom", *keys]
    assert len(table) - 1 == len(rows)
    for code, name, *values in table[1:]:
        assert rows[f"{name} ({code})"] == values
    assert {r[0]: r[2:] for r in table[1:]}[rhone.code] == ["2", "0", "0", "0", "1"]
    assert_no_blocking_violation(page)

    page.goto(live_server.url + "/donnees-ouvertes/")
    for dataset in opendata.datasets():
        block = page.locator(f"#{dataset.slug}")
        assert block.count() == 1, dataset.slug
        schema = page.locator(f'a[href="{dataset.urls()["schema"]}"]')
        assert schema.count() >= 1, dataset.slug

    offline = new_context(bypass_csp=True).new_page()
    left = []
    here = urlparse(live_server.url).netloc

    def only_the_platform(route):
        if urlparse(route.request.url).netloc == here:
            route.continue_()
        else:
            left.append(route.request.url)
            route.abort()

    offline.route("**/*", only_the_platform)
    failed = []
    offline.on("requestfailed", lambda request: failed.append(request.url))
    offline.goto(live_server.url + "/api/v1/docs/")
    offline.wait_for_load_state("load")
    assert offline.locator("h1").inner_text().startswith("API publique")
    assert offline.locator("main h3 code", has_text="/api/v1/pratiques").count() >= 1
    assert left == [] and failed == []
    assert_no_blocking_violation(offline)
