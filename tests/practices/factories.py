import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from enfance.accounts.models import Role
from enfance.practices.enums import (
    CONDITIONS_VERSION,
    PracticeLevel,
    PracticeState,
    ReferenceList,
    Scale,
    StructureKind,
)
from enfance.practices.models import Practice, ReferenceOption
from tests.factories import CommuneFactory, DepartementFactory, UserFactory, with_totp


def option(list_name: str, label: str | None = None, **kwargs) -> ReferenceOption:
    """An option of a list (the data migration loads them; transactional tests flush them)."""
    if label is None:
        found = ReferenceOption.objects.filter(list=list_name, asks_precision=False).first()
        if found:
            return found
        label = f"Option {list_name}"
    found, _ = ReferenceOption.objects.get_or_create(list=list_name, label=label, defaults=kwargs)
    return found


def committee_member(**kwargs):
    person = with_totp(UserFactory(**kwargs))
    Role.objects.create(user=person, kind="comite_selection", scope_level="national")
    return person


def redacteur_onpe(**kwargs):
    person = UserFactory(**kwargs)
    Role.objects.create(user=person, kind="redacteur_onpe", scope_level="national")
    return person


class PracticeFactory(DjangoModelFactory):
    """A complete declared practice, published by default."""

    class Meta:
        model = Practice

    level = PracticeLevel.DECLARED
    state = PracticeState.PUBLISHED
    implemented_on = datetime.date(2021, 9, 1)
    entity_name = "Association Les Liens"
    title = factory.Sequence(lambda n: f"Accueil de jour des familles n° {n}")
    description = "Un accueil de jour pour les enfants et leurs parents, en journée."
    scale = Scale.DEPARTEMENTALE
    intervention_type = factory.LazyFunction(lambda: option(ReferenceList.INTERVENTION_TYPE))
    theme = factory.LazyFunction(lambda: option(ReferenceList.THEME))
    audience = factory.LazyFunction(lambda: option(ReferenceList.AUDIENCE))
    relay = factory.LazyFunction(lambda: option(ReferenceList.RELAY))
    departement = factory.SubFactory(DepartementFactory)
    commune = None
    declarant = factory.SubFactory(UserFactory)
    structure_kind = StructureKind.ASSOCIATION
    structure_name = "Association Les Liens"
    conditions_accepted_at = factory.LazyFunction(timezone.now)
    conditions_version = CONDITIONS_VERSION
    submitted_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.state == PracticeState.PUBLISHED else None
    )
    departement_agreement_by = factory.LazyAttribute(
        lambda o: (
            "Claire Petit, directrice enfance-famille" if o.state == PracticeState.PUBLISHED else ""
        )
    )
    refusal_reason = factory.LazyAttribute(
        lambda o: "Pratique hors du champ du recueil." if o.state == PracticeState.REFUSED else ""
    )
    departement_agreement_on = factory.LazyAttribute(
        lambda o: datetime.date(2024, 1, 15) if o.state == PracticeState.PUBLISHED else None
    )


class LocalPracticeFactory(PracticeFactory):
    scale = Scale.LOCALE
    commune = factory.SubFactory(CommuneFactory)
    departement = factory.LazyAttribute(lambda o: o.commune.departement)
