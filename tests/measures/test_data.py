"""The demo measures and the national-scale generator."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from enfance.core.eventlog import verify_chain
from enfance.core.models import LogEntry
from enfance.core.national_data import load_steps, step_rng
from enfance.measures.models import Measure, MeasureImport
from enfance.measures.national_data import generate_measures
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_demo_measures_are_imported_by_the_demo_agent_once(client):
    CommuneFactory()
    DepartementFactory(code="33", name="Gironde", region=RegionFactory(code="75", name="N-A"))
    call_command("load_demo_data")
    rhone = Measure.objects.filter(departement__code="69")
    count = rhone.count()
    assert count == 900 and Measure.objects.filter(departement__code="33").count() == 350
    assert rhone.waiting().exists() and rhone.started().exists()
    assert MeasureImport.objects.get().imported_by.email.startswith("services.departement@")
    call_command("load_demo_data")
    assert Measure.objects.count() == 900 + 350
    second = MeasureImport.objects.order_by("-pk").first()
    assert (second.created, second.changed, second.unchanged) == (0, 0, 900)
    assert LogEntry.objects.filter(action="measures.import").count() == 2
    assert verify_chain().intact
    assert client.get(reverse("measures:index")).status_code == 200


def _snapshot():
    return list(
        Measure.objects.order_by("pk").values_list(
            "departement__code", "reference_hash", "kind", "ordered_on", "started_on"
        )
    )


def _options(n):
    return {"seed": 7, "measures": n, "log": lambda line: None}


def test_generated_measures_are_reproducible_and_resumable(rhone, gironde):
    assert "measures" in [s.name for s in load_steps()]
    generate_measures(step_rng(7, "measures"), _options(10_000))
    assert Measure.objects.count() == 10_000
    generate_measures(step_rng(7, "measures"), _options(25_000))
    resumed = _snapshot()
    assert len(resumed) == 25_000
    assert {code for code, *_ in resumed} == {"69", "33"}
    assert Measure.objects.waiting().exists() and Measure.objects.started().exists()
    for ordered_on, started_on, delay in Measure.objects.started().values_list(
        "ordered_on", "started_on", "delay_days"
    )[:2_000]:
        assert delay == (started_on - ordered_on).days
    generate_measures(step_rng(7, "measures"), _options(25_000))
    assert Measure.objects.count() == 25_000
    Measure.objects.all().delete()
    generate_measures(step_rng(7, "measures"), _options(25_000))
    assert _snapshot() == resumed
