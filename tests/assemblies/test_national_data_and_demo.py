import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from enfance.accounts.models import User
from enfance.assemblies.composition import composition
from enfance.assemblies.demo import load
from enfance.assemblies.enums import InstanceStatus
from enfance.assemblies.models import ChildProfile, Instance, Membership
from enfance.assemblies.national_data import generate_instances, generated_instances
from enfance.core.demo import DemoReport
from enfance.core.eventlog import verify_chain
from enfance.core.national_data import load_steps, step_rng
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _options(instances):
    return {"seed": 7, "instances": instances, "log": lambda line: None}


def _users(n):
    CommuneFactory()
    call_command(
        "generate_national_data",
        users=n,
        steps="utilisateurs",
        verbosity=0,
        allow_production=True,
    )


def test_generated_instances_are_complete_reproducible_and_resumable():
    # Registered steps run in import order: the registered modules first, as the command does.
    load_steps()

    _users(26 * 130)
    with pytest.raises(CommandError, match="comptes générés"):
        generate_instances(step_rng(7, "instances"), _options(200))
    generate_instances(step_rng(7, "instances"), _options(30))
    generate_instances(step_rng(7, "instances"), _options(130))
    assert generated_instances().count() == 130
    first = list(
        Membership.objects.order_by("instance__slug", "seat_id").values_list(
            "instance__slug", "user__email", "seat_id"
        )
    )
    sample = generated_instances().order_by("slug")[:5]
    assert all(
        composition(i, on=i.memberships.first().mandate_start).is_constituted for i in sample
    )
    # A person sits in one generated instance only.
    assert Membership.objects.values("user").distinct().count() == len(first)
    Membership.objects.all().delete()
    ChildProfile.objects.all().delete()
    Instance.objects.all().delete()
    generate_instances(step_rng(7, "instances"), _options(130))
    again = list(
        Membership.objects.order_by("instance__slug", "seat_id").values_list(
            "instance__slug", "user__email", "seat_id"
        )
    )
    assert again == first


def test_demo_instances_are_believable_and_idempotent():
    call_command("load_demo_data", verbosity=0)
    early = DemoReport()
    load(early)
    assert not Instance.objects.exists()
    assert "importez d'abord les territoires" in early.lines[0]
    rhone = DepartementFactory()
    for code, name in [("69266", "Villeurbanne"), ("69256", "Vaulx-en-Velin")]:
        CommuneFactory(code=code, name=name, departement=rhone)
    gironde = DepartementFactory(
        code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
    )
    CommuneFactory(code="33243", name="Libourne", departement=gironde)
    reunion = DepartementFactory(
        code="974", name="La Réunion", region=RegionFactory(code="04", name="La Réunion")
    )
    CommuneFactory(code="97411", name="Saint-Denis", departement=reunion)
    report = DemoReport()
    load(report)
    counts = (Instance.objects.count(), Membership.objects.count(), User.objects.count())
    load(DemoReport())
    assert (Instance.objects.count(), Membership.objects.count(), User.objects.count()) == counts
    statuses = dict(Instance.objects.values_list("departement__code", "status"))
    assert statuses == {
        "69": InstanceStatus.CONSTITUEE,
        "33": InstanceStatus.EN_CREATION,
        "974": InstanceStatus.EN_CREATION,
    }
    members = User.objects.filter(memberships__isnull=False, is_demo=True)
    assert all(not u.has_usable_password() for u in members.exclude(email__startswith="citoyen"))
    children = User.objects.filter(child_profile__isnull=False)
    assert children.exists() and all(c.last_name == "" for c in children)
    assert "il manque" in composition(Instance.objects.get(departement__code="33")).summary
    assert verify_chain().intact
