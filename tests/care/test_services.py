from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enfance.care import services
from enfance.care.enums import AgeBand, DeclarationSource, PlaceType, StructureStatus
from enfance.care.finess import validate_finess
from enfance.care.models import PlaceCategory, PlaceDeclaration, StructureManager
from enfance.core.models import LogEntry
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

from .factories import CategoryFactory, StructureFactory, manager_of, role

pytestmark = pytest.mark.django_db


def record(**overrides):
    return {
        "name": "Maison d'enfants Les Tilleuls",
        "kind": "mecs",
        "finess": "69 078 001 0",
        "commune": CommuneFactory(),
        "authority": "departement",
        "authorised_on": date(2015, 3, 1),
        "authorised_capacity": 30,
        "manager_kind": "association",
        "manager_name": "Association Les Tilleuls",
        "age_min": 6,
        "age_max": 17,
        "takes_siblings": True,
        "takes_disability": False,
        "takes_mother_child": False,
        "takes_urgent": False,
        **overrides,
    }


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("69078001", "finess_format"),
        ("6907800100", "finess_format"),
        ("69O780010", "finess_format"),
        ("690780011", "finess_key"),
        ("000000000", "finess_key"),
    ],
)
def test_a_malformed_or_unknown_finess_number_is_refused(number, code):
    with pytest.raises(ValidationError) as refusal:
        validate_finess(number)
    assert refusal.value.code == code


def test_a_finess_number_of_corsica_is_accepted():
    validate_finess("2A0000057")


def test_a_manager_declares_a_structure_that_waits_for_the_departements_services():
    commune = CommuneFactory()
    manager = role("gestionnaire_structure", commune.departement)
    structure = services.create_structure(by=manager, **record(commune=commune))
    assert structure.finess == "690780010"
    assert structure.status == StructureStatus.PROPOSED
    assert structure.departement == commune.departement
    assert StructureManager.objects.filter(structure=structure, user=manager).exists()
    assert LogEntry.objects.filter(action="care.structure_created").count() == 1

    services_user = role("services_departement", commune.departement)
    validated = services.validate_structure(structure, by=services_user)
    assert (validated.status, validated.validated_by) == (StructureStatus.VALIDATED, services_user)
    with pytest.raises(PermissionDenied):
        services.validate_structure(
            StructureFactory(status=StructureStatus.PROPOSED),
            by=manager,
        )


def test_a_structure_of_another_departement_is_refused():
    ain = DepartementFactory(code="01", name="Ain", region=RegionFactory())
    manager = role("gestionnaire_structure", ain)
    with pytest.raises(PermissionDenied):
        services.create_structure(by=manager, **record())


def test_two_structures_never_share_a_finess_number():
    commune = CommuneFactory()
    manager = role("gestionnaire_structure", commune.departement)
    services.create_structure(by=manager, **record(commune=commune))
    with pytest.raises(ValidationError) as refusal:
        services.create_structure(by=manager, **record(commune=commune, name="Autre"))
    assert "FINESS" in refusal.value.message_dict["finess"][0]


def test_categories_never_exceed_the_authorised_capacity():
    structure = StructureFactory(authorised_capacity=20)
    manager = manager_of(structure)
    fields = {"place_type": PlaceType.INTERNAT, "siblings": True, "disability": False}
    services.add_category(structure, by=manager, age_band=AgeBand.TEENAGERS, capacity=12, **fields)
    with pytest.raises(ValidationError, match="il en reste 8"):
        services.add_category(
            structure, by=manager, age_band=AgeBand.CHILDREN, capacity=9, **fields
        )
    with pytest.raises(ValidationError, match="existe déjà"):
        services.add_category(
            structure, by=manager, age_band=AgeBand.TEENAGERS, capacity=2, **fields
        )


def test_free_places_are_declared_within_the_open_capacity_and_kept_in_history():
    category = CategoryFactory(capacity=12, closed=2)
    manager = manager_of(category.structure)
    services.declare_places(category.structure, by=manager, figures={category.pk: {"free": 10}})
    for wrong in (-1, 11):
        with pytest.raises(ValidationError, match="de 0 à 10"):
            services.declare_places(
                category.structure, by=manager, figures={category.pk: {"free": wrong}}
            )
    category.refresh_from_db()
    assert (category.free, category.declared_by) == (10, manager)
    declaration = PlaceDeclaration.objects.get()
    assert (declaration.free, declaration.closed, declaration.capacity) == (10, 2, 12)


def test_the_database_refuses_more_free_places_than_open_ones():
    category = CategoryFactory(capacity=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceCategory.objects.filter(pk=category.pk).update(free=6, declared_at=timezone.now())


def test_only_the_structures_managers_declare_its_places():
    category = CategoryFactory()
    other = manager_of(StructureFactory())
    with pytest.raises(PermissionDenied):
        services.declare_places(category.structure, by=other, figures={category.pk: {"free": 1}})
    mine = CategoryFactory(structure=StructureFactory())
    manager = manager_of(category.structure)
    with pytest.raises(ValidationError, match="n'appartient pas"):
        services.declare_places(category.structure, by=manager, figures={mine.pk: {"free": 1}})


def test_a_stale_figure_is_unknown_never_free():
    category = CategoryFactory()
    urgent = CategoryFactory(structure=category.structure, place_type=PlaceType.URGENCE)
    manager = manager_of(category.structure)
    declared = timezone.now() - timedelta(hours=25)
    services.declare_places(
        category.structure,
        by=manager,
        now=declared,
        figures={category.pk: {"free": 2}, urgent.pk: {"free": 1}},
    )
    now = declared + timedelta(hours=9)
    category.refresh_from_db()
    urgent.refresh_from_db()
    assert category.known_free(now) == 2
    assert urgent.known_free(now) is None  # urgent admissions: 8 hours
    assert list(PlaceCategory.objects.available(now)) == [category]
    later = declared + timedelta(hours=25)
    assert category.known_free(later) is None
    assert not PlaceCategory.objects.available(later).exists()


def test_nothing_changed_declares_every_figure_again():
    category = CategoryFactory()
    manager = manager_of(category.structure)
    with pytest.raises(ValidationError, match="jamais été déclarées"):
        services.confirm_unchanged(category.structure, by=manager)
    services.declare_places(category.structure, by=manager, figures={category.pk: {"free": 3}})
    services.confirm_unchanged(category.structure, by=manager)
    sources = list(PlaceDeclaration.objects.order_by("pk").values_list("source", "free"))
    assert sources == [(DeclarationSource.PAGE, 3), (DeclarationSource.UNCHANGED, 3)]


def test_a_departement_joins_by_a_decision_of_its_services():
    departement = DepartementFactory()
    services_user = role("services_departement", departement)
    with pytest.raises(PermissionDenied):
        services.join_departement(
            departement, by=role("magistrat", departement), joined_on=date(2026, 11, 2)
        )
    with pytest.raises(ValidationError):
        services.join_departement(
            departement, by=services_user, joined_on=timezone.localdate() + timedelta(days=1)
        )
    services.join_departement(departement, by=services_user, joined_on=date(2026, 11, 2))
    with pytest.raises(ValidationError, match="participe déjà"):
        services.join_departement(departement, by=services_user, joined_on=date(2026, 11, 2))
    assert LogEntry.objects.get(action="care.departement_joined").public


def test_managers_are_reminded_once_before_their_figures_turn_unknown(
    mailoutbox, django_capture_on_commit_callbacks
):
    category = CategoryFactory()
    manager = manager_of(category.structure)
    declared = timezone.now()
    services.declare_places(
        category.structure, by=manager, figures={category.pk: {"free": 2}}, now=declared
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_freshness_reminders(now=declared + timedelta(hours=20)) == 0
        assert services.send_freshness_reminders(now=declared + timedelta(hours=22)) == 1
        assert services.send_freshness_reminders(now=declared + timedelta(hours=23)) == 0
    [message] = mailoutbox
    assert message.to == [manager.email]
    assert "inconnues" in message.body and "/accueil/structures/" in message.body
    assert "119" in message.body
    # A new round of declarations, a new reminder.
    again = declared + timedelta(hours=23)
    services.confirm_unchanged(category.structure, by=manager, now=again)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_freshness_reminders(now=again + timedelta(hours=22)) == 1
        # Past the limit, too late to remind: the figure is unknown.
        assert services.send_freshness_reminders(now=again + timedelta(hours=30)) == 0
    assert len(mailoutbox) == 2


def test_every_wrong_figure_is_told_with_its_category():
    first = CategoryFactory(capacity=4)
    second = CategoryFactory(structure=first.structure, age_band=AgeBand.CHILDREN, capacity=3)
    manager = manager_of(first.structure)
    with pytest.raises(ValidationError) as refusal:
        services.declare_places(
            first.structure,
            by=manager,
            figures={first.pk: {"free": 5}, second.pk: {"free": 1, "closed": 4}},
        )
    assert refusal.value.messages == [
        "Internat, 13 à 17 ans, fratries : les places libres vont de 0 à 4 (places installées "
        "moins places fermées).",
        "Internat, 6 à 12 ans, fratries : les places fermées vont de 0 à 3.",
    ]
