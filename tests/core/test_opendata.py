"""The open-data layer: every dataset registered by its module is listed in the catalogue with its
schema, and downloads as CSV and JSON whose columns are the schema's; none of them holds a
person's name, address or account."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.care import services as care
from enfance.care.models import Associate, Cooperative, Transfer
from enfance.core import opendata
from enfance.inspections import referentiel
from enfance.inspections.models import Inspection
from enfance.measures import services as measures
from enfance.measures.models import Measure
from enfance.petitions.models import DepartementCount
from enfance.strategy import indicators, reference
from enfance.strategy.models import DepartementFact, FactKind
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.care.factories import CategoryFactory, manager_of
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.petitions.factories import PetitionFactory
from tests.practices.factories import PracticeFactory
from tests.proposals.factories import ProposalFactory

pytestmark = pytest.mark.django_db

# What must never be in a dataset: the person's names and their addresses.
SECRET_NAMES = ("Jeanne", "Secretaire", "Benali")


def downloads(client, dataset):
    """The CSV text, its table, the JSON and the schema of ``dataset`` (every file read whole:
    the CSV is streamed). The modules' own tests read theirs with it."""
    urls = dataset.urls()
    response = client.get(urls["csv"])
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    payload = json.loads(client.get(urls["json"]).content)
    schema = json.loads(client.get(urls["schema"]).content)
    return text, table, payload, schema


@pytest.fixture
def platform_data(colleges):
    # The college reference needs a transactional database, whose flush took the strategy
    # and its official indicators (data migrations) away: loaded again.
    reference.load()
    indicators.load()
    person = UserFactory(first_name="Jeanne", last_name="Secretaire", email="jeanne@prive.example")
    instance = InstanceFactory(status="active", created_by=person)
    seat_directly(instance, "parents", user=person)
    scic = Cooperative.objects.create(
        name="SCIC Grandir ensemble",
        siren="732829320",
        registered_on=date(2025, 9, 15),
        departement=instance.departement,
        instance=instance,
        created_by=person,
    )
    Associate.objects.create(
        cooperative=scic,
        category="beneficiaires",
        name="Famille Benali",
        shares=1,
        joined_on=date(2025, 9, 15),
        user=person,
    )
    Transfer.objects.create(
        competence="gestion_foyers",
        departement=instance.departement,
        instance=instance,
        cooperative=scic,
        phase=4,
        starts_on=date(2026, 9, 1),
        yearly_budget=2_400_000,
        proposed_by=person,
    )
    category = CategoryFactory(capacity=12)
    care.declare_places(
        category.structure, by=manager_of(category.structure), figures={category.pk: {"free": 3}}
    )
    petition = PetitionFactory()
    DepartementCount.objects.create(
        petition=petition, departement=instance.departement, confirmed=42
    )
    _activity(instance, person, category.structure)
    return instance


def _activity(instance, person, structure):
    """What the other datasets read, each row holding the person somewhere it must not leak
    from: an event she hosts at her home, her proposal, a fiche she co-wrote, an inspection
    that met her, measures of her département."""
    EventFactory(
        instance=instance,
        hosts=[person],
        proposed_by=person,
        place="Chez Jeanne Secretaire, 3 rue des Lilas",
    )
    ProposalFactory(
        author=person,
        instance=instance,
        departement=instance.departement,
        title="L'écoute des familles, par Jeanne Secretaire",
        support_count=3,
    )
    PracticeFactory(
        declarant=person,
        departement=instance.departement,
        co_authors="Karim Benali, éducateur",
    )
    Inspection.objects.create(
        structure=structure,
        referentiel=referentiel.load("2026"),
        origin="plan",
        visit_on=date(2026, 10, 6),
        status="publiee",
        created_by=person,
        report="Entretien avec Jeanne Secretaire, directrice.",
        observations_by=person,
        published_at=timezone.now(),
        mean=Decimal("3.20"),
        judgement="bien",
        level="B",
    )
    DepartementFact.objects.create(
        departement=instance.departement,
        kind=FactKind.ODPE,
        present=True,
        observed_on=date(2021, 3, 1),
        source="Rapport annuel de l'ODPE 2020",
        detail="Animé par Jeanne Secretaire",
        recorded_by=person,
    )
    today = timezone.localdate()
    Measure.objects.bulk_create(
        Measure(
            departement=instance.departement,
            reference_hash=measures.reference_hash("69", f"M-{n}"),
            kind="aemo",
            age_band="6-10",
            ordered_on=today - timedelta(days=40),
            started_on=today - timedelta(days=10) if n < 6 else None,
            delay_days=30 if n < 6 else None,
        )
        for n in range(12)
    )


def test_every_dataset_is_listed_with_its_schema_and_its_downloads(
    client, platform_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        page = client.get(reverse("core:opendata")).content.decode()
    assert "Licence Ouverte" in page
    found = opendata.datasets()
    assert {d.slug for d in found} >= {
        "instances-locales",
        "scic",
        "transferts-de-competences",
        "places-libres-par-departement",
        "petition-signatures-par-departement",
        "strategie-2020-2022-mesures",
        "strategie-2020-2022-cibles",
        "contrats-etat-departements",
        "evenements",
        "propositions",
        "pratiques-inspirantes",
        "delais-d-attente-par-departement",
        "inspections-publiees",
        "indicateurs-officiels",
        "dispositifs-par-departement",
    }
    for dataset in found:
        assert f'id="{dataset.slug}"' in page and dataset.urls()["schema"] in page
        text, table, payload, schema = downloads(client, dataset)
        assert table[0] == dataset.names, dataset.slug
        assert [f["name"] for f in schema["fields"]] == dataset.names
        assert schema["licenses"][0]["title"].startswith("Licence Ouverte")
        assert all(list(row) == dataset.names for row in payload["lignes"]), dataset.slug
        # Every dataset is read with a row in it, so that the check below reads something
        # (the fixture signs no contract).
        assert payload["lignes"] or dataset.slug == "contrats-etat-departements", dataset.slug
        assert len(payload["lignes"]) == len(table) - 1
        # No name, no e-mail address of a person, in any dataset.
        assert "@" not in text and not any(name in text for name in SECRET_NAMES), dataset.slug


def test_the_figures_are_those_of_the_platform(client, platform_data):
    rows = json.loads(client.get(opendata.get("instances-locales").urls()["json"]).content)
    assert rows["lignes"] == [
        {
            "adresse": platform_data.slug,
            "nom": platform_data.name,
            "departement": "69",
            "etat": "Active",
            "creee_le": timezone.localdate().isoformat(),
            "membres": 1,
        }
    ]
    places = json.loads(
        client.get(opendata.get("places-libres-par-departement").urls()["json"]).content
    )["lignes"]
    assert places == [
        {
            "departement": "69",
            "structures": 1,
            "places_installees": 12,
            "places_libres": 3,
            "categories_connues": 1,
            "categories": 1,
        }
    ]
    petition = json.loads(
        client.get(opendata.get("petition-signatures-par-departement").urls()["json"]).content
    )["lignes"]
    assert {"departement": "69", "en_ligne": 42} in [
        {"departement": r["departement"], "en_ligne": r["en_ligne"]} for r in petition
    ]
    cibles = json.loads(
        client.get(opendata.get("strategie-2020-2022-cibles").urls()["json"]).content
    )["lignes"]
    assert cibles and all(isinstance(r["valeur"], float) for r in cibles)


def test_an_unknown_dataset_is_a_404(client):
    assert client.get("/donnees-ouvertes/inconnu.csv").status_code == 404
    assert client.get("/donnees-ouvertes/inconnu/schema.json").status_code == 404


def test_a_field_of_an_unknown_type_is_refused():
    with pytest.raises(ValueError, match="inconnu de Table Schema"):
        opendata.Field("x", "texte", "X")
