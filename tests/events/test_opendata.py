"""The events' dataset: the agenda as a visitor sees it, read in a bounded number of queries."""

import json

import pytest
from django.utils import timezone

from enfance.core import opendata
from enfance.events.enums import EventKind, EventStatus
from tests.assemblies.factories import InstanceFactory
from tests.core.test_opendata import downloads

from .factories import EventFactory, LiveFactory, paris

pytestmark = pytest.mark.django_db


def _rows(client):
    dataset = opendata.get("evenements")
    return json.loads(client.get(dataset.urls()["json"]).content)["lignes"]


def test_a_public_event_is_a_row_and_what_a_visitor_cannot_see_is_not(client):
    instance = InstanceFactory()
    event = EventFactory(instance=instance, starts_at=paris(3, hour=18, minute=30))
    cancelled = EventFactory(status=EventStatus.CANCELLED)
    live = LiveFactory()
    EventFactory(status=EventStatus.PROPOSED)
    EventFactory(status=EventStatus.REFUSED)
    EventFactory(kind=EventKind.GROUPE)
    rows = _rows(client)
    assert {r["id"] for r in rows} == {event.pk, cancelled.pk, live.pk}
    start = timezone.localtime(event.starts_at)
    assert next(r for r in rows if r["id"] == event.pk) == {
        "id": event.pk,
        "adresse": event.get_absolute_url(),
        "titre": event.title,
        "type": "Atelier citoyen",
        "instance": instance.slug,
        "departement": event.departement.code,
        "date": start.date().isoformat(),
        "debut": start.isoformat(),
        "etat": "Publié",
    }
    assert next(r for r in rows if r["id"] == cancelled.pk)["etat"] == "Annulé"
    online = next(r for r in rows if r["id"] == live.pk)
    assert (online["departement"], online["instance"], online["type"]) == ("", "", "Live d'écoute")


def test_the_downloads_answer_with_the_schemas_columns(client):
    EventFactory()
    dataset = opendata.get("evenements")
    text, table, payload, schema = downloads(client, dataset)
    assert table[0] == [
        "id",
        "adresse",
        "titre",
        "type",
        "instance",
        "departement",
        "date",
        "debut",
        "etat",
    ]
    assert [f["name"] for f in schema["fields"]] == table[0]
    assert len(table) == 2 and len(payload["lignes"]) == 1
    assert dataset.date_field == "date"
    assert "Salle des fêtes" not in text


def test_the_rows_are_read_in_a_number_of_queries_that_does_not_grow_with_them(
    client, django_assert_max_num_queries
):
    instance = InstanceFactory()
    EventFactory.create_batch(25, instance=instance)
    dataset = opendata.get("evenements")
    with django_assert_max_num_queries(4):
        response = client.get(dataset.urls()["csv"])
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 26
    with django_assert_max_num_queries(4):
        assert len(client.get(dataset.urls()["json"]).json()["lignes"]) == 25
