"""Every (state, role, action) of a danger report: the page offers exactly what the service
accepts (tests/workflow_matrix.py)."""

import itertools

import pytest
from django.urls import reverse

from enfance.accounts.models import Role
from enfance.safeguarding import services
from enfance.safeguarding.enums import DangerReportState
from enfance.safeguarding.models import DangerReport
from tests.factories import UserFactory, with_totp
from tests.proposals.factories import CommentFactory
from tests.workflow_matrix import assert_page_and_service_agree

pytestmark = pytest.mark.django_db

STATES = list(DangerReportState.values)
ROLES = ["referent_protection", "administrateur_national", "citoyen"]
BUTTONS = {
    "transmit": 'value="transmit"',
    "restore": 'value="restore"',
}


def _person(role):
    person = with_totp(UserFactory())
    if role != "citoyen":
        Role.objects.create(user=person, kind=role, scope_level="national")
    return person


def _report(state):
    report = services.flag_danger(CommentFactory(), by=UserFactory())
    if state == DangerReportState.TRANSMITTED:
        DangerReport.objects.filter(pk=report.pk).update(
            state=state, transmitted_to="119", transmitted_at=report.created_at
        )
    else:
        DangerReport.objects.filter(pk=report.pk).update(state=state)
    report.refresh_from_db()
    return report


@pytest.mark.parametrize(("state", "role"), list(itertools.product(STATES, ROLES)))
def test_the_page_offers_what_the_service_accepts(client, state, role):
    report, person = _report(state), _person(role)
    client.force_login(person)
    response = client.get(reverse("safeguarding:detail", args=[report.pk]))
    html = response.content.decode() if response.status_code == 200 else ""
    assert response.status_code == (200 if role == "referent_protection" else 403)
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=report.abilities(person),
        attempts={
            "transmit": lambda: services.transmit(report, by=person, to="CRIP du Rhône"),
            "restore": lambda: services.restore(report, by=person, note="Pas un danger"),
        },
        html=html,
        buttons=BUTTONS,
    )
