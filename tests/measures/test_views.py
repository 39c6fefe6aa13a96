"""The public pages, the détail of a département for its services and magistrates only, the
form and the import, the downloads."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enfance.measures import services
from enfance.measures.models import Measure

from .conftest import HEADER, add_measure, add_started, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures_data(rhone, gironde):
    """The Rhône: 6 AEMO started this month (delays 10 to 60 days), 2 placements started (too
    few: secret), 5 AED started in 15 days (hidden with them: the Rhône's total would give the
    placements back), 7 AEMO waiting. The Gironde: 3 measures waiting (secret)."""
    today = timezone.localdate()
    start = today.replace(day=1)
    add_started(rhone, [10, 20, 30, 40, 50, 60], started_on=start)
    add_started(rhone, [5, 200], started_on=start, kind="placement")
    add_started(rhone, [15] * 5, started_on=start, kind="aed", prefix="aed")
    for n in range(7):
        add_measure(rhone, f"w-{n}", ordered_on=today - timedelta(days=10 + 40 * n))
    for n in range(3):
        add_measure(gironde, f"g-{n}", ordered_on=today - timedelta(days=3))
    return today


def test_the_public_page_shows_the_map_the_chart_and_its_table(client, figures_data):
    response = client.get(reverse("measures:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Délais d'exécution des mesures" in html
    assert 'class="fr-table' in html and "Mesures débutées chaque mois" in html
    assert 'class="fr-mb-4w tile-map"' in html and "Rhône (69)" in html
    assert 'role="img"' in html  # the chart, with the table beside it
    # Its bars, with SVG numbers (never « 12,5 », which a browser does not draw).
    assert re.search(
        r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="#000091"', html
    )
    assert ">secret<" in html and "secret statistique" in html
    assert "Chiffres au" in html


def test_the_public_page_asks_few_queries(client, figures_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        assert client.get(reverse("measures:index")).status_code == 200


def test_a_departements_page_is_public(client, figures_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get(reverse("measures:departement", args=["69"]))
    html = response.content.decode()
    assert response.status_code == 200 and "Rhône (69)" in html
    # The 6 AEMO started: median 35 days; the 2 placements: secret, and no delay of theirs.
    assert "35 jours" in html
    placement = html.split('<th scope="row">Placement</th>')[1].split("</tr>")[0]
    assert "secret" in placement and "secret statistique" in placement
    assert "jours" not in placement
    assert client.get(reverse("measures:departement", args=["99"])).status_code == 404


def test_the_detail_is_for_the_departements_people(
    client, figures_data, agent, magistrate, gironde_magistrate, django_assert_max_num_queries
):
    url = reverse("measures:follow", args=["69"])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/comptes/login/" in anonymous["Location"]
    client.force_login(gironde_magistrate)
    refused = client.get(url)
    assert refused.status_code == 403 and "AEMO" not in refused.content.decode()
    for person in (magistrate, agent):
        client.force_login(person)
        with django_assert_max_num_queries(15):
            response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "7 mesures en attente" in html
        assert "Attend depuis" in html and "250 jours" in html
    client.force_login(magistrate)
    assert "Importer un fichier" not in client.get(url).content.decode()
    assert client.get(reverse("measures:import", args=["69"])).status_code == 403
    assert client.get(reverse("measures:record", args=["69"])).status_code == 403


def test_the_services_record_a_measure_with_the_form(client, rhone, agent):
    client.force_login(agent)
    url = reverse("measures:record", args=["69"])
    today = timezone.localdate()
    bad = client.post(
        url,
        {"reference": "R-1", "kind": "aed", "age_band": "3-5", "ordered_on": "1999-01-01"},
    )
    assert bad.status_code == 400 and "1er janvier 2000" in bad.content.decode()
    response = client.post(
        url,
        {
            "reference": "R-1",
            "kind": "aed",
            "age_band": "3-5",
            "ordered_on": (today - timedelta(days=9)).isoformat(),
            "started_on": today.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Measure.objects.get().delay_days == 9


def test_the_import_page_reports_each_refused_line(client, rhone, agent, gironde_agent):
    url = reverse("measures:import", args=["69"])
    client.force_login(gironde_agent)
    assert client.get(url).status_code == 403
    client.force_login(agent)
    data = csv_bytes(HEADER, "A-1;AED;3-5;01/02/2025;", "A-2;AED;3-5;01/02/2025;31/01/2025")
    response = client.post(url, {"file": SimpleUploadedFile("mesures.csv", data)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 mesure ajoutée" in html and "1 ligne refusée" in html
    assert '<th scope="row">3</th>' in html and "avant d&#x27;être ordonnée" in html
    wrong = client.post(
        url, {"file": SimpleUploadedFile("m.csv", csv_bytes(HEADER.replace(";", ",")))}
    )
    assert wrong.status_code == 400 and "point-virgule" in wrong.content.decode()


def test_the_downloads_give_the_public_figures_under_secrecy(client, figures_data):
    response = client.get(reverse("measures:download_csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    by_key = {(r["code"], r["type_de_mesure"]): r for r in rows}
    assert by_key[("69", "aemo")]["delai_median_jours"] == "35.0"
    assert by_key[("69", "placement")]["mesures_debutees"] == "secret"
    assert by_key[("69", "placement")]["delai_median_jours"] == ""
    assert by_key[("33", "toutes")]["mesures_en_attente"] == "secret"
    # Complementary suppression: the next smallest type is hidden with the placements.
    assert by_key[("69", "aed")]["mesures_debutees"] == "secret"
    assert by_key[("69", "aed")]["delai_median_jours"] == ""
    assert by_key[("", "toutes")]["mesures_debutees"] == "13"
    payload = json.loads(client.get(reverse("measures:download_json")).content)
    lines = {(r["code"], r["type_de_mesure"]): r for r in payload["lignes"]}
    assert lines[("69", "aemo")]["delai_90e_centile_jours"] == 55.0
    assert lines[("69", "placement")]["delai_median_jours"] is None
    assert lines[("69", "aemo")]["part_debutees_sous_30_jours_pourcent"] == 50
    months = payload["france_par_mois_de_debut"]
    assert len(months) == 12 and months[-1]["en_cours"]
    assert months[-1]["mesures_debutees"] == 13 and months[-1]["delai_median_jours"] == 15.0
    assert months[0]["mesures_debutees"] == 0 and months[0]["delai_median_jours"] is None


def test_the_public_figures_are_cached_until_a_write_bumps_their_version(
    client, rhone, agent, django_capture_on_commit_callbacks
):
    url = reverse("measures:departement", args=["69"])
    today = timezone.localdate()
    add_started(rhone, [10] * 5, started_on=today)
    assert "10 jours" in client.get(url).content.decode()
    # Written behind the services' back: the cached page does not move.
    add_started(rhone, [90] * 20, started_on=today, prefix="direct")
    assert "10 jours" in client.get(url).content.decode()
    # An import bumps the version once committed: the page is computed again.
    lines = [
        f"I-{n};AEMO;6-10;{today - timedelta(days=90):%d/%m/%Y};{today:%d/%m/%Y}" for n in range(5)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.import_measures(rhone, by=agent, data=csv_bytes(HEADER, *lines))
    assert "90 jours" in client.get(url).content.decode()


def test_the_public_page_leads_a_magistrate_to_the_follow_up(client, figures_data, magistrate):
    client.force_login(magistrate)
    html = client.get(reverse("measures:index")).content.decode()
    assert reverse("measures:follow", args=["69"]) in html
    html = client.get(reverse("measures:departement", args=["33"])).content.decode()
    assert reverse("measures:follow", args=["33"]) not in html
