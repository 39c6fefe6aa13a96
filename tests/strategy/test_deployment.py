"""The ministry's deployment: its phases and targets from the seed, each against the figures the
platform holds now; a phase reached by the seed's own test."""

import html
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.care.models import Cooperative, Transfer
from enfance.strategy import deployment
from tests.assemblies.factories import InstanceFactory
from tests.events.factories import EventFactory
from tests.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _page(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return html.unescape(response.content.decode())


def test_the_seed_gives_five_phases_and_its_targets_as_ranges():
    data = deployment.reference()
    assert [p["name"] for p in data["phases"]] == [
        "Forums introductifs",
        "Expansion locale",
        "Adoption officielle",
        "Transfert progressif des compétences",
        "Généralisation nationale",
    ]
    national = [t for t in data["targets"] if t["scope"] == "national"]
    assert [(t["min"], t["max"]) for t in national[:2]] == [(1000, 1200), (300, 500)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, "en deçà"), (6, "dans la cible"), (10, "dans la cible"), (11, "au-delà")],
)
def test_a_figure_stands_below_within_or_above_its_range(value, expected):
    assert deployment.position(value, 6, 10) == expected
    assert deployment.position(value, 6, None) == ("en deçà" if value < 6 else "dans la cible")


def test_the_phases_follow_what_the_platform_holds(client, django_assert_max_num_queries):
    found = deployment.figures()
    assert [p["reached"] for p in deployment.phases(found)] == [False, False, None, False, False]
    rhone = DepartementFactory()
    others = [
        DepartementFactory(code=code, name=f"Département {code}", region=RegionFactory())
        for code in ("01", "38", "42")
    ]
    InstanceFactory(departement=rhone, status="constituee")
    InstanceFactory(departement=rhone, status="active")
    InstanceFactory(departement=others[0], status="en_creation")
    InstanceFactory(departement=others[0], status="dissoute")
    found = deployment.figures()
    assert (found.instances, found.territories) == (2, 1)
    assert [p["reached"] for p in deployment.phases(found)][:2] == [True, False]
    for departement in others:
        InstanceFactory(departement=departement, status="active")
    instance = InstanceFactory(departement=rhone, status="active")
    scic = Cooperative.objects.create(
        name="SCIC Grandir ensemble",
        siren="732829320",
        registered_on=date(2025, 9, 15),
        departement=rhone,
        instance=instance,
    )
    Transfer.objects.create(
        competence="gestion_foyers",
        departement=rhone,
        instance=instance,
        cooperative=scic,
        phase=4,
        starts_on=date(2026, 9, 1),
        yearly_budget=2_400_000,
        convention="transferts/convention.pdf",
        status="effectif",
    )
    past = timezone.now() - timedelta(days=3)
    EventFactory(kind="forum", starts_at=past, ends_at=past + timedelta(hours=3))
    EventFactory(kind="forum")
    found = deployment.figures()
    assert (found.instances, found.territories, found.cooperatives) == (6, 4, 1)
    assert (found.transferred, found.forums) == (2_400_000, 1)
    assert [p["reached"] for p in deployment.phases(found)] == [True, True, None, True, False]
    with django_assert_max_num_queries(12):
        page = _page(client.get(reverse("strategy:deployment")))
    assert (
        "<strong>6</strong> instances locales constituées ou actives, dans 4 départements" in page
    )
    assert "Nombre d'instances locales" in page and "dans la cible" in page
    assert "Atteinte" in page and "Hors de la plateforme" in page


def test_the_dashboard_draws_one_indicator_and_gives_every_figure(
    client, django_assert_max_num_queries
):
    rhone = DepartementFactory()
    ain = DepartementFactory(code="01", name="Ain", region=RegionFactory())
    InstanceFactory(departement=rhone, status="active")
    InstanceFactory(departement=rhone, status="constituee")
    InstanceFactory(departement=ain, status="active")
    with django_assert_max_num_queries(12):
        page = _page(client.get(reverse("strategy:dashboard")))
    assert "Rhône (69), instances locales constituées ou actives : 2" in page
    assert "Ain (01), instances locales constituées ou actives : 1" in page
    # Counted and drawn once a minute, not on every visit.
    with django_assert_max_num_queries(0):
        again = client.get(reverse("strategy:dashboard"))
    assert again.templates == [] and "Ain (01), instances locales" in again.content.decode()
    page = _page(client.get(reverse("strategy:dashboard"), {"indicateur": "scic"}))
    assert "Rhône (69), scic : 0" in page
    response = client.get(reverse("strategy:dashboard"), {"format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == '"departement";"nom";"instances";"scic";"places";"signatures";"criteres"'
    assert lines[1:] == ['"01";"Ain";"1";"0";"0";"0";"0"', '"69";"Rhône";"2";"0";"0";"0";"0"']
