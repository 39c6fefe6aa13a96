"""The waiting times' dataset: the public page's figures by département and type, under the
same statistical secrecy, with the period they cover, in a bounded number of queries."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from enfance.core import opendata
from enfance.measures import stats
from tests.core.test_opendata import downloads

from .conftest import add_measure

pytestmark = pytest.mark.django_db


def _rows(client):
    dataset = opendata.get("delais-d-attente-par-departement")
    return json.loads(client.get(dataset.urls()["json"]).content)["lignes"]


def _measures(departement, *, started: int, waiting: int, kind="aemo", prefix="M"):
    today = timezone.localdate()
    for n in range(started):
        add_measure(
            departement,
            f"{prefix}-{kind}-D{n}",
            ordered_on=today - timedelta(days=40 + n),
            started_on=today - timedelta(days=10),
            kind=kind,
        )
    for n in range(waiting):
        add_measure(
            departement,
            f"{prefix}-{kind}-W{n}",
            ordered_on=today - timedelta(days=20),
            kind=kind,
        )


def test_a_departement_that_sends_its_measures_has_its_rows_and_the_period(client, rhone, gironde):
    _measures(rhone, started=6, waiting=5)
    _measures(rhone, started=6, waiting=0, kind="placement")
    rows = _rows(client)
    today = timezone.localdate()
    # Only the Rhône: the Gironde sent nothing, it has no figure rather than zeros.
    assert {r["departement"] for r in rows} == {"69"}
    assert [r["type_de_mesure"] for r in rows] == [
        "Toutes",
        "AEMO",
        "AEMO renforcée",
        "AED",
        "Placement",
        "MJIE",
    ]
    total = rows[0]
    assert total["debuts_du"] == stats.window_start(today).isoformat()
    assert total["au"] == today.isoformat()
    assert (total["mesures_en_attente"], total["mesures_debutees"]) == (5, 12)
    assert total["delai_median_jours"] == stats.figures(today).by_departement[rhone.pk].median
    aemo = rows[1]
    assert (aemo["mesures_en_attente"], aemo["mesures_debutees"]) == (5, 6)


def test_a_count_from_one_to_four_is_left_empty_and_so_are_its_delays(client, rhone):
    _measures(rhone, started=3, waiting=2)
    total = _rows(client)[0]
    assert total["mesures_en_attente"] is None and total["mesures_debutees"] is None
    assert total["delai_median_jours"] is None and total["part_debutees_sous_30_jours"] is None


def test_the_downloads_answer_with_the_schemas_columns(client, rhone):
    _measures(rhone, started=6, waiting=5)
    dataset = opendata.get("delais-d-attente-par-departement")
    text, table, payload, schema = downloads(client, dataset)
    assert table[0] == [
        "departement",
        "nom",
        "type_de_mesure",
        "debuts_du",
        "au",
        "mesures_en_attente",
        "mesures_debutees",
        "delai_median_jours",
        "delai_90e_centile_jours",
        "part_debutees_sous_30_jours",
    ]
    assert [f["name"] for f in schema["fields"]] == table[0]
    assert len(table) == 7 and len(payload["lignes"]) == 6
    # No measure is there one by one: neither a reference nor a day of decision.
    assert "M-aemo" not in text and "6-10" not in text


def test_the_figures_are_read_in_a_number_of_queries_that_does_not_grow_with_them(
    client, rhone, gironde, django_assert_max_num_queries
):
    _measures(rhone, started=30, waiting=20)
    _measures(gironde, started=30, waiting=20, kind="aed", prefix="G")
    dataset = opendata.get("delais-d-attente-par-departement")
    with django_assert_max_num_queries(12):
        response = client.get(dataset.urls()["csv"])
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 13
    # Then from the cache, until a département sends measures or the day turns.
    with django_assert_max_num_queries(2):
        assert len(client.get(dataset.urls()["json"]).json()["lignes"]) == 12
