"""The library's dataset: the published fiches with the export's columns, without their
co-authors' names, read in a bounded number of queries."""

import json
from datetime import date

import pytest
from django.utils import timezone

from enfance.core import opendata
from enfance.practices.enums import PracticeState
from enfance.practices.library import EXPORT_COLUMNS
from enfance.practices.opendata import COLUMNS
from tests.core.test_opendata import downloads

from .factories import PracticeFactory

pytestmark = pytest.mark.django_db


def _rows(client):
    dataset = opendata.get("pratiques-inspirantes")
    return json.loads(client.get(dataset.urls()["json"]).content)["lignes"]


def test_a_published_fiche_is_a_row_and_a_draft_or_a_refused_one_is_not(client):
    fiche = PracticeFactory(co_authors="Karim Benali, éducateur", implemented_on=date(2021, 9, 1))
    PracticeFactory(state=PracticeState.DRAFT)
    PracticeFactory(state=PracticeState.REFUSED)
    rows = _rows(client)
    assert [r["id"] for r in rows] == [fiche.pk]
    row = rows[0]
    assert row["adresse"] == fiche.get_absolute_url()
    assert (row["intitule"], row["entite"], row["departement"]) == (
        fiche.title,
        "Association Les Liens",
        fiche.departement.code,
    )
    assert row["mise_en_oeuvre_le"] == "2021-09-01"
    assert row["publiee_le"] == timezone.localdate(fiche.published_at).isoformat()
    assert "co_auteurs" not in row and "Benali" not in json.dumps(rows)


def test_the_columns_are_those_of_the_librarys_export_but_the_co_authors(client):
    PracticeFactory(co_authors="Karim Benali, éducateur")
    dataset = opendata.get("pratiques-inspirantes")
    text, table, payload, schema = downloads(client, dataset)
    assert table[0] == [field.name for _, field in COLUMNS]
    assert [f["name"] for f in schema["fields"]] == table[0]
    assert [key for key, _ in COLUMNS] == [key for key, _ in EXPORT_COLUMNS][:-1]
    assert len(table) == 2 and len(payload["lignes"]) == 1
    assert dataset.date_field == "publiee_le"
    assert "Benali" not in text


def test_the_rows_are_read_in_a_number_of_queries_that_does_not_grow_with_them(
    client, django_assert_max_num_queries
):
    PracticeFactory.create_batch(25)
    dataset = opendata.get("pratiques-inspirantes")
    with django_assert_max_num_queries(4):
        response = client.get(dataset.urls()["csv"])
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 26
    with django_assert_max_num_queries(4):
        assert len(client.get(dataset.urls()["json"]).json()["lignes"]) == 25
