from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from enfance.assemblies.enums import MemberRole, SelectionMethod
from enfance.assemblies.models import ChildProfile, College, CollegeSeat, Instance, Membership
from tests.factories import DepartementFactory, UserFactory

START = timezone.localdate() - timedelta(days=30)


class InstanceFactory(DjangoModelFactory):
    class Meta:
        model = Instance

    name = factory.Sequence(lambda n: f"Instance locale n° {n}")
    slug = factory.Sequence(lambda n: f"instance-{n}")
    departement = factory.SubFactory(DepartementFactory)


def college(code: str) -> College:
    return College.objects.get(code=code)


def seat_directly(instance, code: str, *, user=None, role=MemberRole.MEMBRE, start=START):
    """A membership written without the service (fixtures, database-level tests)."""
    chosen = college(code)
    taken = Membership.objects.seated().filter(instance=instance, seat__college=chosen)
    seat = (
        CollegeSeat.objects.filter(college=chosen)
        .exclude(pk__in=taken.values("seat_id"))
        .order_by("number")
        .first()
    )
    return Membership.objects.create(
        instance=instance,
        user=user or UserFactory(),
        seat=seat,
        mandate_start=start,
        mandate_end=start + timedelta(days=730),
        selection_method=SelectionMethod.TIRE_AU_SORT,
        role=role,
        expert_field="sante" if chosen.asks_expert_field else "",
    )


def child(birth_date: date, *, consent=True, first_name="Lina"):
    user = UserFactory(first_name=first_name, last_name="Nom-Jamais-Affiché")
    ChildProfile.objects.create(
        user=user,
        birth_date=birth_date,
        consent_parent_name="Parent Responsable" if consent else "",
        consent_given_on=START if consent else None,
        consent_method="ecrit" if consent else "",
    )
    return user


MINIMUM = {"parents": 4, "grands_parents": 2, "enfants": 2, "experts": 4, "associatifs": 4}


def fill(instance, counts=None, start=START):
    """Seat members directly: the minimum of every college unless told otherwise."""
    for code, n in (counts or MINIMUM).items():
        for i in range(n):
            user = None
            if code == "enfants":
                user = child(date(start.year - 14, 1, 1 + i), first_name=f"Enfant{i}")
            seat_directly(instance, code, user=user, start=start)


def secretary_of(instance):
    return seat_directly(instance, "associatifs", role=MemberRole.SECRETAIRE).user
