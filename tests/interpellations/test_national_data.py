import pytest

from enfance.core.national_data import step_rng
from enfance.interpellations.enums import State
from enfance.interpellations.models import Institution
from enfance.interpellations.national_data import (
    generate_interpellations,
    generated_interpellations,
)
from tests.assemblies.factories import InstanceFactory
from tests.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _options(n):
    return {"seed": 7, "interpellations": n, "log": lambda line: None}


def _snapshot():
    return list(
        generated_interpellations()
        .order_by("pk")
        .values_list("title", "institution__name", "state", "sent_at", "answer_delay_days")
    )


def test_generated_interpellations_are_reproducible_and_resumable():
    gironde = DepartementFactory(
        code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
    )
    for n, departement in enumerate([DepartementFactory(), gironde]):
        InstanceFactory(slug=f"instance-generee-{n:04d}", departement=departement)
    InstanceFactory(slug="une-vraie-instance")
    generate_interpellations(step_rng(7, "interpellations"), _options(1_500))
    assert generated_interpellations().count() == 1_500
    generate_interpellations(step_rng(7, "interpellations"), _options(2_500))
    resumed = _snapshot()
    assert len(resumed) == 2_500
    assert Institution.objects.count() == 12
    states = {state for _, _, state, _, _ in resumed}
    assert states == {State.ANSWERED, State.OVERDUE, State.SENT}
    generated_interpellations().delete()
    generate_interpellations(step_rng(7, "interpellations"), _options(2_500))
    assert _snapshot() == resumed
