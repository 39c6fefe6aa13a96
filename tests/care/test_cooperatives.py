"""The SCIC and their associates: registered by the supervising instance, the law's composition
rules said in French, colleges of 10 to 50 % adding up to 100, and what the database refuses."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from enfance.care import cooperatives
from enfance.care.cooperatives import Entry
from enfance.care.finess import luhn_valid
from enfance.care.models import Associate, College
from tests.assemblies.factories import InstanceFactory, secretary_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FOUNDED = date(2025, 3, 1)


def siren(base: str = "73282932") -> str:
    return next(base + str(key) for key in range(10) if luhn_valid(base + str(key)))


@pytest.fixture
def instance():
    return InstanceFactory()


@pytest.fixture
def secretary(instance):
    return secretary_of(instance)


@pytest.fixture
def scic(instance, secretary):
    return cooperatives.register_cooperative(
        by=secretary,
        name="SCIC Enfance Rhône",
        siren=siren(),
        registered_on=FOUNDED,
        instance=instance,
        missions=["foyers", "placements"],
    )


def _enter(scic, secretary, category, shares=1, **fields):
    return cooperatives.add_associate(
        scic,
        by=secretary,
        entry=Entry(
            category=category,
            name=fields.pop("name", f"Sociétaire {category}"),
            shares=shares,
            joined_on=fields.pop("joined_on", FOUNDED),
            **fields,
        ),
    )


def test_the_supervising_instance_registers_a_scic_and_no_one_else(instance, secretary):
    other_secretary = secretary_of(InstanceFactory(departement=instance.departement))
    fields = {
        "name": "SCIC",
        "siren": siren(),
        "registered_on": FOUNDED,
        "instance": instance,
        "missions": ["foyers"],
    }
    with pytest.raises(PermissionDenied, match="supervise"):
        cooperatives.register_cooperative(by=other_secretary, **fields)
    with pytest.raises(ValidationError) as refused:
        cooperatives.register_cooperative(
            by=secretary,
            **{
                **fields,
                "siren": "732829321",
                "registered_on": date.today() + timedelta(days=1),
                "missions": [],
            },
        )
    assert set(refused.value.message_dict) == {"siren", "registered_on", "missions"}
    scic = cooperatives.register_cooperative(by=secretary, **fields)
    assert scic.departement_id == instance.departement_id
    assert [m.mission for m in scic.missions.all()] == ["foyers"]
    with pytest.raises(ValidationError, match="déjà ce numéro SIREN"):
        cooperatives.register_cooperative(by=secretary, **fields)


def test_the_law_s_composition_is_said_with_what_is_missing(scic, secretary):
    _enter(scic, secretary, "salaries", shares=10)
    _enter(scic, secretary, "collectivites", shares=30)
    problems = cooperatives.composition_problems(scic)
    assert any("au moins 3 catégories" in p and "en compte 2" in p for p in problems)
    assert any("Bénéficiaires" in p for p in problems)
    assert any("75 % du capital" in p for p in problems)
    _enter(scic, secretary, "beneficiaires", shares=15)
    _enter(scic, secretary, "benevoles", shares=5)
    assert cooperatives.composition_problems(scic) == []  # 30 of 60 shares: half at most
    assert cooperatives.capital(scic) == 60


def test_an_associate_who_left_no_longer_counts(scic, secretary):
    employee = _enter(scic, secretary, "salaries")
    _enter(scic, secretary, "beneficiaires")
    _enter(scic, secretary, "benevoles")
    with pytest.raises(ValidationError, match="suit l'entrée"):
        cooperatives.remove_associate(employee, by=secretary, left_on=FOUNDED)
    cooperatives.remove_associate(employee, by=secretary, left_on=FOUNDED + timedelta(days=30))
    assert any("Salariés" in p for p in cooperatives.composition_problems(scic))
    assert cooperatives.composition_problems(scic, on=FOUNDED + timedelta(days=1)) == []
    with pytest.raises(ValidationError, match="déjà sorti"):
        cooperatives.remove_associate(employee, by=secretary)


@pytest.mark.parametrize(
    ("colleges", "message"),
    [
        ([("A", 9), ("B", 45), ("C", 46)], "de 10 à 50 %"),
        ([("A", 51), ("B", 39), ("C", 10)], "de 10 à 50 %"),
        ([("A", 30), ("B", 30), ("C", 30)], "totalisent 90 %"),
        ([("A", 50), ("B", 50)], "au moins 3 collèges"),
        ([("A", 40), ("A", 30), ("C", 30)], "différent des autres"),
    ],
)
def test_colleges_weigh_10_to_50_and_add_up_to_100(scic, secretary, colleges, message):
    with pytest.raises(ValidationError, match=message):
        cooperatives.set_colleges(scic, by=secretary, colleges=colleges)
    assert not scic.colleges.exists()


def test_colleges_are_set_together_and_keep_their_associates(scic, secretary):
    cooperatives.set_colleges(
        scic, by=secretary, colleges=[("Salariés", 30), ("Usagers", 40), ("Partenaires", 30)]
    )
    employees = scic.colleges.get(name="Salariés")
    _enter(scic, secretary, "salaries", college=employees)
    with pytest.raises(ValidationError, match="compte des sociétaires"):
        cooperatives.set_colleges(
            scic, by=secretary, colleges=[("Usagers", 50), ("Partenaires", 30), ("Autres", 20)]
        )
    cooperatives.set_colleges(
        scic,
        by=secretary,
        colleges=[("Salariés", 20), ("Usagers", 40), ("Partenaires", 20), ("Bénévoles", 20)],
    )
    assert scic.colleges.get(name="Salariés").pk == employees.pk
    assert sorted(scic.colleges.values_list("weight", flat=True)) == [20, 20, 20, 40]
    with pytest.raises(PermissionDenied):
        cooperatives.set_colleges(scic, by=UserFactory(), colleges=[("A", 50)])


def test_the_database_refuses_what_the_rules_refuse(scic, secretary):
    with pytest.raises(IntegrityError), transaction.atomic():
        College.objects.create(cooperative=scic, name="Trop lourd", weight=60)
    with pytest.raises(IntegrityError), transaction.atomic():
        Associate.objects.create(
            cooperative=scic,
            category="salaries",
            name="X",
            shares=1,
            joined_on=FOUNDED,
            left_on=FOUNDED,
        )
    person = UserFactory()
    _enter(scic, secretary, "salaries", user=person)
    with pytest.raises(ValidationError, match="déjà sociétaire"):
        _enter(scic, secretary, "benevoles", user=person)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferred trigger, PostgreSQL")
def test_postgresql_refuses_colleges_that_do_not_add_up_to_100_at_commit(scic):
    with pytest.raises(IntegrityError), transaction.atomic():
        for name in ("A", "B", "C"):
            College.objects.create(cooperative=scic, name=name, weight=30)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with transaction.atomic():
        for name, weight in (("A", 30), ("B", 30), ("C", 40)):
            College.objects.create(cooperative=scic, name=name, weight=weight)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_double_click_enters_one_associate_and_convenes_one_assembly(scic, secretary):
    _enter(scic, secretary, "salaries", name="Léa Martin")
    with pytest.raises(ValidationError, match="déjà inscrit au registre"):
        _enter(scic, secretary, "salaries", name="Léa Martin")
    # The same name entered another day is another line (a person who came back).
    _enter(scic, secretary, "salaries", name="Léa Martin", joined_on=FOUNDED + timedelta(1))
    held_on = date.today() + timedelta(days=30)
    cooperatives.convene(scic, by=secretary, title="AG 2026", held_on=held_on, agenda="1. Comptes")
    with pytest.raises(ValidationError, match="déjà convoquée"):
        cooperatives.convene(
            scic, by=secretary, title="AG 2026", held_on=held_on, agenda="1. Comptes"
        )
    assert scic.assemblies.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_the_database_keeps_an_associates_college_within_its_cooperative(scic, secretary, instance):
    other = cooperatives.register_cooperative(
        by=secretary,
        name="SCIC voisine",
        siren=siren("73282933"),
        registered_on=FOUNDED,
        instance=instance,
        missions=["foyers"],
    )
    cooperatives.set_colleges(other, by=secretary, colleges=[("A", 40), ("B", 30), ("C", 30)])
    associate = _enter(scic, secretary, "salaries")
    with pytest.raises(IntegrityError), transaction.atomic():
        Associate.objects.filter(pk=associate.pk).update(college=other.colleges.first())
