from datetime import date

import factory
from factory.django import DjangoModelFactory

from enfance.accounts.models import Role
from enfance.care.enums import (
    AgeBand,
    Authority,
    ManagerKind,
    PlaceType,
    StructureKind,
    StructureStatus,
)
from enfance.care.finess import luhn_valid
from enfance.care.models import PlaceCategory, Structure, StructureManager
from tests.factories import CommuneFactory, UserFactory, with_totp


def finess_number(n: int) -> str:
    """The n-th valid FINESS number of the Rhône: its key is the one digit Luhn accepts."""
    base = f"69{50000 + n:06d}"
    return next(base + str(k) for k in range(10) if luhn_valid(base + str(k)))


class StructureFactory(DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Maison d'enfants n° {n}")
    kind = StructureKind.MECS
    finess = factory.Sequence(finess_number)
    commune = factory.SubFactory(CommuneFactory)
    departement = factory.LazyAttribute(lambda o: o.commune.departement)
    authority = Authority.DEPARTEMENT
    authorised_on = date(2012, 9, 1)
    authorised_capacity = 40
    manager_kind = ManagerKind.ASSOCIATION
    manager_name = "Association Sauvegarde de l'enfance"
    age_min = 6
    age_max = 17
    takes_siblings = True
    status = StructureStatus.VALIDATED


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = PlaceCategory

    structure = factory.SubFactory(StructureFactory)
    place_type = PlaceType.INTERNAT
    age_band = AgeBand.TEENAGERS
    siblings = True
    disability = False
    capacity = 12


def role(kind: str, departement, **user_fields):
    """A person with ``kind`` in ``departement`` (TOTP set up for the sensitive roles)."""
    user = UserFactory(**user_fields)
    Role.objects.create(user=user, kind=kind, scope_level="departement", departement=departement)
    if kind in {"magistrat", "services_departement"}:
        with_totp(user)
    return user


def manager_of(structure, **user_fields):
    user = role("gestionnaire_structure", structure.departement, **user_fields)
    StructureManager.objects.create(structure=structure, user=user)
    return user
