import pytest
from django.core.management import call_command

from enfance.accounts.models import User
from enfance.core.national_data import load_steps
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def test_steps_run_in_module_order():
    names = [s.name for s in load_steps()]
    assert names.index("territoires") < names.index("utilisateurs")


def test_generated_accounts_are_reproducible_and_resumable():
    CommuneFactory()
    call_command(
        "generate_national_data",
        users=300,
        steps="utilisateurs",
        verbosity=0,
        allow_production=True,
    )
    first = list(User.objects.order_by("email").values_list("email", "first_name", "last_name"))
    assert len(first) == 300
    call_command(
        "generate_national_data",
        users=500,
        steps="utilisateurs",
        verbosity=0,
        allow_production=True,
    )
    assert User.objects.count() == 500
    assert all(e.endswith("@exemple.fr") for e in User.objects.values_list("email", flat=True))
    User.objects.all().delete()
    call_command(
        "generate_national_data",
        users=300,
        steps="utilisateurs",
        verbosity=0,
        allow_production=True,
    )
    again = list(User.objects.order_by("email").values_list("email", "first_name", "last_name"))
    assert again == first
