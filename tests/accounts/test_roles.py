import html

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enfance.accounts import services
from enfance.accounts.models import Role
from enfance.core.models import LogEntry
from tests.factories import DepartementFactory, RegionFactory, UserFactory, with_totp
from tests.workflow_matrix import assert_page_and_service_agree

pytestmark = pytest.mark.django_db


@pytest.fixture
def rhone():
    return DepartementFactory()


@pytest.fixture
def gironde():
    return DepartementFactory(
        code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
    )


@pytest.fixture
def regional_admin(rhone):
    person = with_totp(UserFactory())
    Role.objects.create(
        user=person, kind="administrateur_national", scope_level="region", region=rhone.region
    )
    return person


def test_a_national_administrator_grants_a_role_and_it_is_logged(admin_national, rhone):
    person = UserFactory()
    role = services.grant_role(person, by=admin_national, kind="magistrat", departement=rhone)
    assert role.scope_key == "departement:69" and role.is_active
    event = LogEntry.objects.get(action="accounts.role_granted")
    assert event.actor == admin_national and event.target_id == str(role.pk)


def test_a_role_outside_the_administrators_scope_is_refused_and_logged(regional_admin, gironde):
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        services.grant_role(person, by=regional_admin, kind="magistrat", departement=gironde)
    assert not Role.objects.filter(user=person).exists()
    refused = LogEntry.objects.get(action="accounts.role_grant_refused")
    assert refused.data["scope"] == "departement:33"


def test_a_regional_administrator_grants_inside_the_region(regional_admin, rhone):
    role = services.grant_role(
        UserFactory(), by=regional_admin, kind="magistrat", departement=rhone
    )
    assert role.departement == rhone


def test_only_a_national_administrator_makes_administrators(regional_admin, rhone):
    with pytest.raises(PermissionDenied):
        services.grant_role(
            UserFactory(),
            by=regional_admin,
            kind="administrateur_national",
            region=rhone.region,
        )


def test_a_role_given_at_a_scope_it_does_not_take_is_refused(admin_national):
    with pytest.raises(ValidationError, match="se donne à l'échelle : département"):
        services.grant_role(UserFactory(), by=admin_national, kind="magistrat")


def test_the_same_active_role_twice_is_refused(admin_national, rhone):
    person = UserFactory()
    services.grant_role(person, by=admin_national, kind="magistrat", departement=rhone)
    with pytest.raises(ValidationError, match="déjà ce rôle"):
        services.grant_role(person, by=admin_national, kind="magistrat", departement=rhone)


def test_the_database_enforces_one_active_role_per_scope(rhone):
    person = UserFactory()
    Role.objects.create(user=person, kind="magistrat", scope_level="departement", departement=rhone)
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(
            user=person, kind="magistrat", scope_level="departement", departement=rhone
        )


def test_the_database_enforces_a_coherent_scope(rhone):
    with pytest.raises(IntegrityError), transaction.atomic():
        Role.objects.create(
            user=UserFactory(), kind="magistrat", scope_level="national", departement=rhone
        )


def test_withdrawing_a_role_is_logged_and_allows_granting_it_again(admin_national, rhone):
    person = UserFactory()
    role = services.grant_role(person, by=admin_national, kind="magistrat", departement=rhone)
    services.withdraw_role(role, by=admin_national)
    role.refresh_from_db()
    assert role.withdrawn_by == admin_national and not role.is_active
    assert LogEntry.objects.filter(action="accounts.role_withdrawn").count() == 1
    services.grant_role(person, by=admin_national, kind="magistrat", departement=rhone)


def test_an_administrator_cannot_withdraw_their_own_role(admin_national):
    own = admin_national.roles.get()
    with pytest.raises(PermissionDenied):
        services.withdraw_role(own, by=admin_national)


# --- the management page -----------------------------------------------------------------


def test_the_roles_page_is_refused_to_people_without_the_role(client, user):
    client.force_login(user)
    assert client.get("/gestion/roles/").status_code == 403
    assert (
        client.post("/gestion/roles/", {"email": user.email, "kind": "controleur"}).status_code
        == 403
    )


def test_anonymous_people_are_sent_to_log_in(client):
    response = client.get("/gestion/roles/")
    assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")


def test_the_roles_page_grants_and_withdraws(client, admin_national, rhone):
    person = UserFactory(email="juge@exemple.fr")
    client.force_login(admin_national)
    response = client.post(
        "/gestion/roles/",
        {"email": "JUGE@exemple.fr", "kind": "magistrat", "departement": rhone.pk},
        follow=True,
    )
    assert "Rôle « Magistrat (tribunal pour enfants) » attribué à juge@exemple.fr." in (
        response.content.decode()
    )
    role = Role.objects.get(user=person)
    response = client.post(f"/gestion/roles/{role.pk}/retirer/", follow=True)
    assert "retiré à juge@exemple.fr" in response.content.decode()


@pytest.mark.parametrize(
    ("administrator", "withdrawable"),
    [
        ("admin_national", {"in_the_region", "elsewhere", "national", "administrator"}),
        ("regional_admin", {"in_the_region"}),
    ],
)
def test_the_roles_page_offers_a_withdrawal_only_where_the_service_accepts_it(
    client, request, administrator, withdrawable, rhone, gironde
):
    person = request.getfixturevalue(administrator)
    roles = {
        "own": person.roles.get(),
        "in_the_region": Role.objects.create(
            user=UserFactory(), kind="magistrat", scope_level="departement", departement=rhone
        ),
        "elsewhere": Role.objects.create(
            user=UserFactory(), kind="magistrat", scope_level="departement", departement=gironde
        ),
        "national": Role.objects.create(
            user=UserFactory(), kind="controleur", scope_level="national"
        ),
        "administrator": Role.objects.create(
            user=UserFactory(),
            kind="administrateur_national",
            scope_level="region",
            region=rhone.region,
        ),
    }
    client.force_login(person)
    html = client.get("/gestion/roles/").content.decode()
    for name, role in roles.items():
        assert_page_and_service_agree(
            where=f"{administrator} / {name}",
            abilities=role.abilities(person),
            attempts={"withdraw": lambda role=role: services.withdraw_role(role, by=person)},
            html=html,
            buttons={"withdraw": f'action="/gestion/roles/{role.pk}/retirer/"'},
        )
    assert {name for name, role in roles.items() if role.abilities(person)["withdraw"]} == (
        withdrawable
    )


def test_the_roles_page_explains_a_refusal_and_keeps_the_form(client, regional_admin, gironde):
    UserFactory(email="juge@exemple.fr")
    client.force_login(regional_admin)
    response = client.post(
        "/gestion/roles/",
        {"email": "juge@exemple.fr", "kind": "magistrat", "departement": gironde.pk},
    )
    page = html.unescape(response.content.decode())
    assert "Ce rôle sort de votre périmètre" in page
    assert 'value="juge@exemple.fr"' in page


def test_an_unknown_address_is_explained(client, admin_national):
    client.force_login(admin_national)
    response = client.post(
        "/gestion/roles/", {"email": "personne@nulle.part", "kind": "controleur"}
    )
    assert "Aucun compte n'utilise cette adresse" in html.unescape(response.content.decode())


def test_the_roles_page_runs_a_bounded_number_of_queries(
    client, admin_national, rhone, django_assert_max_num_queries
):
    for _ in range(30):
        Role.objects.create(
            user=UserFactory(), kind="magistrat", scope_level="departement", departement=rhone
        )
    client.force_login(admin_national)
    with django_assert_max_num_queries(15):
        assert client.get("/gestion/roles/").status_code == 200


def test_the_operator_names_the_first_national_administrator(capsys):

    first = UserFactory(email="premiere@exemple.fr")
    call_command("name_first_administrator", "premiere@exemple.fr")
    assert Role.objects.active().get(kind="administrateur_national").user == first
    event = LogEntry.objects.get(action="accounts.role_granted")
    assert event.actor_ref == "" and event.data["user"] == first.pk
    UserFactory(email="second@exemple.fr")
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("name_first_administrator", "second@exemple.fr")
    with pytest.raises(CommandError, match="Aucun compte"):
        call_command("name_first_administrator", "personne@exemple.fr")


def test_the_header_links_follow_roles_without_reading_model_permissions(client, admin_national):
    """Roles decide what the header offers; Django's permission tables are never read (they
    grant nothing here, and reading them cost two queries on every signed-in page)."""
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("accounts:profile")).content.decode()
    assert "Mon compte" in page and ">Rôles<" not in page and ">Journal<" not in page
    assert not [q for q in queries if "auth_permission" in q["sql"]]
    client.force_login(admin_national)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert ">Rôles<" in page and ">Journal<" in page
