from datetime import timedelta

import pytest

from enfance.accounts.models import Role
from enfance.measures import services
from enfance.measures.models import Measure
from tests.factories import DepartementFactory, RegionFactory, UserFactory, with_totp


@pytest.fixture
def rhone(db):
    return DepartementFactory()


@pytest.fixture
def gironde(db):
    return DepartementFactory(
        code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
    )


def person_with_role(kind, departement):
    person = with_totp(UserFactory())
    Role.objects.create(user=person, kind=kind, scope_level="departement", departement=departement)
    return person


@pytest.fixture
def agent(rhone):
    """Someone of the Rhône's services (aide sociale à l'enfance)."""
    return person_with_role("services_departement", rhone)


@pytest.fixture
def magistrate(rhone):
    return person_with_role("magistrat", rhone)


@pytest.fixture
def gironde_magistrate(gironde):
    return person_with_role("magistrat", gironde)


@pytest.fixture
def gironde_agent(gironde):
    return person_with_role("services_departement", gironde)


def add_measure(departement, reference, *, ordered_on, started_on=None, kind="aemo", age="6-10"):
    """A measure written straight to the table, as an import would."""
    return Measure.objects.create(
        departement=departement,
        reference_hash=services.reference_hash(departement.code, reference),
        kind=kind,
        age_band=age,
        ordered_on=ordered_on,
        started_on=started_on,
        delay_days=services.delay(ordered_on, started_on),
    )


def add_started(departement, delays, *, started_on, kind="aemo", prefix="m"):
    """One measure per delay (days), each started on ``started_on``."""
    for n, days in enumerate(delays):
        add_measure(
            departement,
            f"{prefix}-{kind}-{started_on}-{n}",
            ordered_on=started_on - timedelta(days=days),
            started_on=started_on,
            kind=kind,
        )


def csv_bytes(*lines: str, bom: bool = False, encoding: str = "utf-8") -> bytes:
    text = "\n".join(lines) + "\n"
    data = text.encode(encoding)
    return ("\ufeff".encode() + data) if bom else data


HEADER = "reference;type;tranche_age;ordonnee_le;debutee_le"
