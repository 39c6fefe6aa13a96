from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils.formats import date_format

from enfance.assemblies import services
from enfance.assemblies.enums import EndReason
from enfance.assemblies.models import ChildProfile, Membership
from tests.assemblies.factories import (
    START,
    InstanceFactory,
    child,
    college,
    seat_directly,
    secretary_of,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _child_member(instance, birth):
    return seat_directly(instance, "enfants", user=child(birth))


def test_the_mandate_ends_on_the_eighteenth_birthday_and_the_secretary_is_told(
    django_capture_on_commit_callbacks,
):
    instance = InstanceFactory()
    secretary = secretary_of(instance)
    birthday = START + timedelta(days=40)
    birth = birthday.replace(year=birthday.year - 18)
    member = _child_member(instance, birth)
    younger = _child_member(instance, birth + timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.end_adult_child_mandates(today=birthday - timedelta(days=1)) == []
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        ended = services.end_adult_child_mandates(today=birthday)
    assert [m.pk for m in ended] == [member.pk]
    member.refresh_from_db()
    assert member.ended_on == birthday and member.end_reason == EndReason.MAJORITE
    assert Membership.objects.get(pk=younger.pk).ended_on is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [secretary.email]
    assert "a eu 18 ans" in mail.outbox[0].body
    assert member.user.first_name not in mail.outbox[0].body
    assert f"a pris fin le {date_format(birthday, 'j F Y')}" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        assert services.end_adult_child_mandates(today=birthday + timedelta(days=5)) != []
    # Run again the same day: nothing more to do.
    assert services.end_adult_child_mandates(today=birthday + timedelta(days=5)) == []


def test_the_command_runs_the_job_for_a_given_day(django_capture_on_commit_callbacks):
    instance = InstanceFactory()
    secretary_of(instance)
    birthday = START + timedelta(days=10)
    member = _child_member(instance, birthday.replace(year=birthday.year - 18))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("end_adult_child_mandates", date=birthday.isoformat(), stdout=None)
    member.refresh_from_db()
    assert member.ended_on == birthday
    assert len(mail.outbox) == 1


def test_a_later_application_cannot_rewrite_a_recorded_date_of_birth():
    young = UserFactory(first_name="Lina")
    birth = START.replace(year=START.year - 14)
    first, second = InstanceFactory(), InstanceFactory()
    services.apply(first, by=young, college=college("enfants"), motivation="Oui.", birth_date=birth)
    with pytest.raises(ValidationError, match="ne correspond pas"):
        services.apply(
            second,
            by=young,
            college=college("enfants"),
            motivation="Oui.",
            birth_date=birth.replace(year=birth.year - 2),
        )
    assert ChildProfile.objects.get(user=young).birth_date == birth


def test_a_mandate_past_its_term_frees_its_seat():
    instance = InstanceFactory()
    members = [seat_directly(instance, "parents") for _ in range(6)]
    past_term = members[0].mandate_end + timedelta(days=1)
    ended = services.end_expired_mandates(today=past_term)
    assert {m.pk for m in ended} == {m.pk for m in members}
    assert all(m.end_reason == EndReason.TERME for m in ended)
    assert ended[0].ended_on == past_term
    assert services.end_expired_mandates(today=past_term) == []
    services.add_member(
        instance,
        by=secretary_of(instance),
        user=UserFactory(),
        college=college("parents"),
        mandate_start=past_term,
        selection_method="coopte",
    )
