"""A département's page of the strategy, as a visitor reads it: the platform's figures there,
the official ones with their year and source (France entière, said so, when the département has
none), its contracts and facts, charts whose tables give the rows of their CSV; a 404 for an
unknown code; the selectors of the dashboard and of a measure's page."""

import csv
import html
import io
import re
import shutil
from datetime import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.care.models import Cooperative
from enfance.strategy import contracts, departement_views, indicators
from enfance.strategy.models import Measure
from tests.assemblies.factories import InstanceFactory
from tests.factories import DepartementFactory

pytestmark = pytest.mark.django_db

N119 = "DREES, Les Dossiers de la DREES n° 119"
TEST_SOURCE = "Fichier de test : chiffre inventé pour le test"


def _page(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return html.unescape(response.content.decode()).replace("\xa0", " ")


def _without_nonce(page):
    return re.sub(r'nonce="[^"]*"', "", page)


def _csv(client, code, chart):
    response = client.get(
        reverse("strategy:departement", args=[code]), {"graphique": chart, "format": "csv"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _table_rows(page, chart):
    """(year, value as shown, source) of each row of the chart's table."""
    table = re.search(rf'<table id="tableau-{chart}">(.*?)</table>', page, re.S).group(1)
    return re.findall(
        r'<tr><th scope="row">(\d+)</th><td class="fr-cell--right">([^<]+)</td><td>(?:<a [^>]+>)?'
        r"([^<]+)",
        table,
    )


@pytest.fixture
def rhone():
    departement = DepartementFactory()
    instance = InstanceFactory(departement=departement, status="active")
    instance.created_at = timezone.make_aware(datetime(2025, 3, 1))
    instance.save(update_fields=["created_at"])
    InstanceFactory(departement=departement, status="constituee")
    Cooperative.objects.create(
        name="SCIC Grandir ensemble",
        siren="732829320",
        registered_on=datetime(2025, 9, 15).date(),
        departement=departement,
        instance=instance,
    )
    return departement


def test_a_visitor_reads_the_platform_and_the_national_figures_with_year_and_source(
    client, rhone, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        page = _page(client.get(reverse("strategy:departement", args=["69"])))
    assert "<h1>Rhône (69)</h1>" in page
    assert (
        'Instances locales constituées ou actives</th><td class="fr-cell--right">2 instances'
        in (page)
    )
    assert 'SCIC</th><td class="fr-cell--right">1 SCIC' in page
    assert 'libres déclarées récemment</th><td class="fr-cell--right">0 place</td>' in page
    # No official figure for the Rhône: the national ones, marked as such, with year and source.
    assert "Aucun chiffre officiel n'est encore enregistré pour ce département" in page
    assert "381 000 mesures" in page and "22,9 ‰" in page and "55 %" in page
    assert "9,1 milliards d'euros" in page
    assert "France entière" in page and N119 in page
    assert "<td>2022</td>" in page and "<td>2021</td>" in page
    assert "Aucun contrat entre l'État et ce département" in page
    assert "Les dispositifs attendus d'ici 2022" in page
    assert f'href="{reverse("strategy:dashboard")}"' in page
    # Served whole from the page cache the second time.
    with django_assert_max_num_queries(0):
        again = _page(client.get(reverse("strategy:departement", args=["69"])))
    assert _without_nonce(again) == _without_nonce(page)


def test_each_chart_table_gives_the_rows_of_its_csv(client, rhone):
    page = _page(client.get(reverse("strategy:departement", args=["69"])))
    assert '<figure class="fr-mb-6w">' in page and "<figcaption>" in page
    assert '<title id="graphique-france-taux-ase-title">' in page
    for chart in ("france-taux-ase", "france-mesures-ase", "plateforme-instances"):
        table = _table_rows(page, chart)
        rows = _csv(client, "69", chart)
        assert rows[0] == departement_views.CSV_HEADER
        assert len(table) == len(rows) - 1 > 0
        for (year, shown, source), row in zip(table, rows[1:], strict=True):
            assert year == row[0] and source == row[4]
            assert shown == indicators.with_unit(Decimal(row[1]), row[2]).replace("\xa0", " ")
    assert [row[0] for row in _table_rows(page, "france-taux-ase")] == [
        "1998",
        "2018",
        "2021",
        "2022",
    ]
    # Created in 2025 and still constituted: counted from 2025 to this year.
    instances = _table_rows(page, "plateforme-instances")
    assert instances[0] == (
        "2025",
        "1 instance",
        "Plateforme : instances locales, date de création",
    )
    assert instances[-1][:2] == (str(timezone.localdate().year), "2 instances")
    # The address of a source where it is known, none invented where it is not.
    taux = _csv(client, "69", "france-taux-ase")
    assert taux[1][5].startswith("https://drees.") and taux[2][5] == ""
    unknown = client.get(
        reverse("strategy:departement", args=["69"]), {"graphique": "nul", "format": "csv"}
    )
    assert unknown.status_code == 302


def test_a_departement_with_its_own_figures_shows_them_before_the_national_ones(
    client, rhone, tmp_path, django_capture_on_commit_callbacks
):
    shutil.copy(indicators.DATA_DIR / indicators.INDICATORS_FILE, tmp_path)
    (tmp_path / "departements-test.csv").write_text(
        "indicateur;departement;annee;valeur;source;source_url\n"
        f"taux-ase;69;2022;20.1;{TEST_SOURCE};\n",
        encoding="utf-8",
    )
    client.get(reverse("strategy:departement", args=["69"]))
    with django_capture_on_commit_callbacks(execute=True):
        indicators.load(directory=tmp_path)
    # The load made the cached page stale.
    page = _page(client.get(reverse("strategy:departement", args=["69"])))
    assert "Aucun chiffre officiel n'est encore enregistré pour ce département" not in page
    assert "20,1 ‰</td>\n        <td>Rhône</td>" in page and TEST_SOURCE in page
    # The others have none for the Rhône: the national figure, said so.
    assert "aucun chiffre officiel pour ce département" in page
    assert _table_rows(page, "69-taux-ase") == [("2022", "20,1 ‰", TEST_SOURCE)]


def test_the_page_links_to_the_contracts_of_the_departement(
    client, rhone, admin_national, django_assert_max_num_queries
):
    for year in (2020, 2021):
        contracts.create_contract(by=admin_national, departement=rhone, year=year, wave=1)
    with django_assert_max_num_queries(16):
        page = _page(client.get(reverse("strategy:departement", args=["69"])))
    assert page.index(reverse("strategy:contract", args=["69", 2021])) < page.index(
        reverse("strategy:contract", args=["69", 2020])
    )
    assert "Contrat 2021 (vague 1)" in page


def test_an_unknown_departement_is_a_404(client):
    assert client.get(reverse("strategy:departement", args=["99"])).status_code == 404
    assert client.get(reverse("strategy:departement", args=["691"])).status_code == 404


def test_the_dashboard_and_a_measure_lead_to_a_departement(client, rhone):
    page = _page(client.get(reverse("strategy:dashboard")))
    url = reverse("strategy:departement", args=["69"])
    assert f'href="{url}"' in page
    chosen = client.get(reverse("strategy:choose_departement"), {"departement": "69"})
    assert chosen.status_code == 302 and chosen["Location"] == url
    unknown = client.get(reverse("strategy:choose_departement"), {"departement": "zz"})
    assert unknown["Location"] == reverse("strategy:dashboard")
    measure = Measure.objects.get(number="2.7").get_absolute_url()
    page = _page(client.get(measure))
    assert "Les indicateurs officiels de la mesure" in page
    assert "Part des mesures d'accueil parmi les mesures d'ASE" in page and "55 %" in page
    assert "Taux de mesures d'ASE" not in page
    page = _page(client.get(measure, {"departement": "69"}))
    assert '<option value="69" selected>' in page
    assert "Indicateurs officiels : Rhône (69)" in page
    assert "aucun chiffre officiel pour ce département" in page
    assert f'href="{url}"' in page
    # A measure no indicator helps to read shows none.
    page = _page(client.get(Measure.objects.get(number="3.1").get_absolute_url()))
    assert "Les indicateurs officiels de la mesure" not in page
