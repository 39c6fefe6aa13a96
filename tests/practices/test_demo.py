import pytest

from enfance.accounts import demo as accounts_demo
from enfance.core.demo import DemoReport
from enfance.practices import demo
from enfance.practices.enums import PracticeState
from enfance.practices.models import Practice
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_demo_practices_are_believable_and_idempotent():
    CommuneFactory()
    DepartementFactory(code="33", name="Gironde", region=RegionFactory(code="75"))
    DepartementFactory(code="59", name="Nord", region=RegionFactory(code="32"))
    report = DemoReport()
    accounts_demo.load(report)
    demo.load(report)
    demo.load(report)
    practices = Practice.objects.all()
    assert practices.count() >= 12
    assert {p.level for p in practices} == {1, 2}
    assert practices.filter(state=PracticeState.PUBLISHED).count() >= 8
    assert practices.filter(state=PracticeState.DRAFT).exists()
    assert practices.filter(state=PracticeState.UNDER_REVIEW).exists()
    assert len({p.theme_id for p in practices if p.theme_id}) >= 5
    assert len({p.departement_id for p in practices}) >= 3
