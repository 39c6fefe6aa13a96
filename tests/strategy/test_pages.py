"""The strategy as data: loaded from its file with the lines of the seed each entry comes from,
idempotent, refused when a measure has no objective; its public pages."""

import html
import json

import pytest
from django.urls import reverse

from enfance.strategy import reference
from enfance.strategy.models import ContractCriterion, Engagement, Measure, Target

pytestmark = pytest.mark.django_db


def _page(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return html.unescape(response.content.decode())


def test_the_database_holds_every_entry_of_the_data_file():
    data = reference.read()
    measures = [m for e in data["engagements"] for m in e["measures"]]
    assert Engagement.objects.count() == len(data["engagements"]) == 4
    assert Measure.objects.count() == len(measures)
    assert Target.objects.count() == sum(len(m["targets"]) for m in measures)
    assert ContractCriterion.objects.count() == len(data["contract_criteria"]) == 7
    # In the seed's order, numbered within their engagement.
    first = data["engagements"][0]["measures"][0]
    assert (
        Measure.objects.order_by("engagement__number", "position").first().title == first["title"]
    )
    assert reference.load() == {
        "engagements": 4,
        "measures": len(measures),
        "targets": Target.objects.count(),
        "criteria": 7,
    }
    assert Measure.objects.count() == len(measures)


def test_a_measure_without_objective_is_refused(tmp_path):
    data = reference.read()
    data["engagements"][0]["measures"][0]["objectives"] = []
    broken = tmp_path / "strategie.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="n'a pas d'intitulé ou d'objectif"):
        reference.load(path=broken)


def test_the_strategy_an_engagement_and_a_measure_are_public(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        page = _page(client.get(reverse("strategy:home")))
    engagement = Engagement.objects.get(number=1)
    assert f"Engagement 1 : {engagement.title}" in page
    assert "Les contrats entre l'État et les départements" in page
    page = _page(client.get(engagement.get_absolute_url()))
    measure = engagement.measures.order_by("position").first()
    assert measure.title in page
    with django_assert_max_num_queries(8):
        page = _page(client.get(measure.get_absolute_url()))
    assert measure.objectives[0] in page and f"lignes {measure.first_line} à" in page
    with_target = Target.objects.select_related("measure").first()
    page = _page(client.get(with_target.measure.get_absolute_url()))
    assert "Cibles chiffrées de la mesure" in page and with_target.quote in page
    assert client.get(reverse("strategy:measure", args=["9-99"])).status_code == 404
    assert client.get(reverse("strategy:engagement", args=[9])).status_code == 404


def test_a_measure_links_to_the_live_figures_the_platform_holds(client):
    page = _page(client.get(Measure.objects.get(number="2.3").get_absolute_url()))
    assert "Les chiffres en direct sur la plateforme" in page
    assert f'href="{reverse("inspections:home")}"' in page
    # The student housing of 4.2 is not a place of care.
    page = _page(client.get(Measure.objects.get(number="4.2").get_absolute_url()))
    assert "Les chiffres en direct" not in page
    home = _page(client.get(reverse("strategy:home")))
    assert "permettant de connaître en temps réel les places disponibles" in home
