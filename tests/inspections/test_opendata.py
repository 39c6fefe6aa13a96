"""The published inspection reports' dataset: anonymised as their pages, only the published
ones, read in a bounded number of queries."""

import json
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.core import opendata
from enfance.inspections import services
from tests.care.factories import StructureFactory
from tests.core.test_opendata import downloads

from .factories import controleur, opened, score_all

pytestmark = pytest.mark.django_db

VISIT_MORNING = datetime(2026, 12, 10, 8, tzinfo=UTC)


def _published(structure, lead, visit_on=date(2026, 12, 10)):
    inspection = opened(structure, lead, visit_on=visit_on)
    inspection = services.start_visit(
        inspection, by=lead, at=datetime.combine(visit_on, VISIT_MORNING.timetz())
    )
    score_all(inspection, lead, value=4, **{"cadre.2": 2})
    inspection = services.send_provisional(
        inspection, by=lead, at=datetime(2026, 12, 11, tzinfo=UTC)
    )
    inspection = services.finalise(inspection, by=lead, at=datetime(2027, 1, 1, tzinfo=UTC))
    services.save_report(inspection, by=lead, text="Entretien avec la directrice, Mme Durand.")
    return services.publish(inspection, by=lead)


@pytest.fixture
def structure():
    return StructureFactory(name="Foyer Les Cèdres")


@pytest.fixture
def lead(structure):
    return controleur(structure.departement)


def _rows(client):
    dataset = opendata.get("inspections-publiees")
    return json.loads(client.get(dataset.urls()["json"]).content)["lignes"]


def test_a_published_report_is_a_row_and_an_unpublished_one_is_not(client, structure, lead):
    report = _published(structure, lead)
    opened(StructureFactory(departement=structure.departement, commune=structure.commune), lead)
    rows = _rows(client)
    assert rows == [
        {
            "id": report.pk,
            "adresse": reverse("inspections:public_report", args=[report.pk]),
            "structure": report.public_identifier,
            "type_de_structure": structure.get_kind_display(),
            "departement": structure.departement.code,
            "mois_de_visite": "2026-12",
            "visite_annoncee": True,
            "origine": report.get_origin_display(),
            "conjointe": False,
            "referentiel": report.referentiel.version,
            "publie_le": timezone.localdate(report.published_at).isoformat(),
            "moyenne": float(report.mean),
            "appreciation": report.get_judgement_display(),
            "niveau": report.level,
        }
    ]
    assert client.get(rows[0]["adresse"]).status_code == 200


def test_the_downloads_answer_with_the_schemas_columns_and_no_name(client, structure, lead):
    _published(structure, lead)
    dataset = opendata.get("inspections-publiees")
    text, table, payload, schema = downloads(client, dataset)
    assert table[0] == [
        "id",
        "adresse",
        "structure",
        "type_de_structure",
        "departement",
        "mois_de_visite",
        "visite_annoncee",
        "origine",
        "conjointe",
        "referentiel",
        "publie_le",
        "moyenne",
        "appreciation",
        "niveau",
    ]
    assert [f["name"] for f in schema["fields"]] == table[0]
    assert len(table) == 2 and len(payload["lignes"]) == 1
    assert dataset.date_field == "publie_le"
    # Neither the structure's name, nor its manager, nor the report's text, nor the visit's day.
    for secret in ("Cèdres", "Sauvegarde", "Durand", "2026-12-10"):
        assert secret not in text


def test_the_rows_are_read_in_a_number_of_queries_that_does_not_grow_with_them(
    client, structure, lead, django_assert_max_num_queries
):
    _published(structure, lead)
    for _ in range(4):
        other = StructureFactory(departement=structure.departement, commune=structure.commune)
        _published(other, lead)
    dataset = opendata.get("inspections-publiees")
    with django_assert_max_num_queries(4):
        response = client.get(dataset.urls()["csv"])
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 6
    with django_assert_max_num_queries(4):
        assert len(client.get(dataset.urls()["json"]).json()["lignes"]) == 5
