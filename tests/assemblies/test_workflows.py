from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enfance.assemblies import services
from enfance.assemblies.enums import ApplicationStatus, InstanceStatus
from enfance.assemblies.models import College, Instance
from enfance.assemblies.workflows import INSTANCE_WORKFLOW
from enfance.votes import services as votes
from tests.assemblies.factories import MINIMUM, InstanceFactory, fill, secretary_of
from tests.factories import DepartementFactory, UserFactory

pytestmark = pytest.mark.django_db

S = InstanceStatus
# (state, decision) -> the state after it, for the administrateur national; absent: refused.
EXPECTED = {
    (S.CONSTITUEE, "activer"): S.ACTIVE,
    (S.CONSTITUEE, "suspendre"): S.SUSPENDUE,
    (S.ACTIVE, "suspendre"): S.SUSPENDUE,
    (S.SUSPENDUE, "reprendre"): S.ACTIVE,
    (S.EN_CREATION, "dissoudre"): S.DISSOUTE,
    (S.CONSTITUEE, "dissoudre"): S.DISSOUTE,
    (S.ACTIVE, "dissoudre"): S.DISSOUTE,
    (S.SUSPENDUE, "dissoudre"): S.DISSOUTE,
}
DECISIONS = ["activer", "suspendre", "reprendre", "dissoudre"]


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("decision", DECISIONS)
def test_every_state_and_decision(admin_national, state, decision):
    instance = InstanceFactory(status=state)
    fill(instance, MINIMUM)
    expected = EXPECTED.get((state, decision))
    if expected is None:
        with pytest.raises(ValidationError):
            services.change_instance_status(instance, by=admin_national, transition=decision)
        assert Instance.objects.get(pk=instance.pk).status == state
    else:
        services.change_instance_status(instance, by=admin_national, transition=decision)
        assert Instance.objects.get(pk=instance.pk).status == expected


def test_the_secretary_activates_but_only_the_administrator_suspends(admin_national):
    instance = InstanceFactory(status=S.CONSTITUEE)
    fill(instance, MINIMUM)
    secretary = secretary_of(instance)
    with pytest.raises(PermissionDenied):
        services.change_instance_status(instance, by=secretary, transition="suspendre")
    services.change_instance_status(instance, by=secretary, transition="activer")
    names = [t.name for t in INSTANCE_WORKFLOW.available(instance, secretary)]
    assert "suspendre" not in names
    with pytest.raises(ValidationError, match="automatique"):
        services.change_instance_status(instance, by=admin_national, transition="constituer")


def test_an_incomplete_instance_cannot_be_activated(admin_national):
    instance = InstanceFactory(status=S.CONSTITUEE)
    with pytest.raises(PermissionDenied):
        services.change_instance_status(instance, by=admin_national, transition="activer")


def test_an_elected_application_becomes_a_membership():
    instance = InstanceFactory()
    secretary = secretary_of(instance)
    application = services.apply(
        instance,
        by=UserFactory(),
        college=College.objects.get(code="grands_parents"),
        motivation="Grand-mère de cinq petits-enfants.",
    )
    services.shortlist(application, by=secretary)
    now = timezone.now()
    ballot = votes.create_ballot(
        instance,
        by=secretary,
        title="Élection au collège des grands-parents",
        method="majority_judgment",
        opens_at=now,
        closes_at=now + timedelta(hours=2),
        candidates=[application.applicant],
    )
    membership = services.seat_elected(application, by=secretary, ballot=ballot)
    assert membership.selection_method == "elu_atelier"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.MEMBRE


def test_only_the_administrator_creates_an_instance(admin_national):
    with pytest.raises(PermissionDenied):
        services.create_instance(DepartementFactory(), by=UserFactory(), name="Instance pirate")
    created = services.create_instance(
        DepartementFactory(), by=admin_national, name="Instance de test"
    )
    again = services.create_instance(
        DepartementFactory(), by=admin_national, name="Instance de test"
    )
    assert (created.slug, again.slug) == ("instance-de-test", "instance-de-test-2")
