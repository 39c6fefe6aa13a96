import html

import pytest
from django.db import connection
from django.test import override_settings

from enfance.accounts.models import Role
from enfance.core.eventlog import record_event
from enfance.core.views import server_error
from tests.factories import DepartementFactory, RegionFactory, UserFactory, with_totp

pytestmark = pytest.mark.django_db

DANGER_LINE = "En cas de danger immédiat pour un enfant : appelez le"


@pytest.mark.parametrize(
    "url", ["/", "/comptes/login/", "/comptes/signup/", "/territoires/", "/accessibilite/"]
)
def test_every_page_shows_the_emergency_numbers(client, url):
    page = client.get(url).content.decode()
    assert DANGER_LINE in page and 'href="tel:119"' in page


def test_the_home_page_explains_the_platform(client, django_assert_max_num_queries):
    # The live sections' reads are capped in test_home.
    with django_assert_max_num_queries(8):
        page = html.unescape(client.get("/").content.decode())
    assert "Le Ministère de la Protection de l'Enfance est une initiative citoyenne" in page
    assert '<html lang="fr"' in page


def test_the_state_brand_block_is_off_by_default(client):
    assert 'class="fr-logo"' not in client.get("/").content.decode()


@override_settings(STATE_BRAND=True)
def test_the_state_brand_block_is_shown_once_adopted(client):
    page = client.get("/").content.decode()
    assert 'class="fr-logo"' in page and "République<br>française" in page


def test_no_asset_comes_from_another_site(client):
    page = client.get("/").content.decode()
    assert "cdn" not in page.lower()
    for attribute in ('src="http', 'href="http'):
        for line in page.splitlines():
            if attribute in line:
                assert "allo119.gouv.fr" in line or "etalab.gouv.fr" in line, line


def test_the_content_security_policy_is_strict(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy


@pytest.mark.parametrize("url", ["/", "/comptes/login/", "/page-absente/", "/api/v1/openapi.json"])
def test_every_response_denies_the_browser_features_the_platform_does_not_use(client, url):
    policy = client.get(url)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert f"{feature}=()" in policy


def test_a_static_file_carries_the_permissions_policy_too(client, settings, tmp_path):
    # WhiteNoise answers static files before the other middleware: the header is set outside it.
    (tmp_path / "robots-test.txt").write_text("ok")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    response = client.get("/static/robots-test.txt")
    assert response.status_code == 200
    assert "camera=()" in response["Permissions-Policy"]


def test_a_missing_page_is_explained_in_french(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page non trouvée" in response.content.decode()


def test_a_forbidden_page_is_explained_in_french(client):
    client.force_login(UserFactory())
    response = client.get("/gestion/journal/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_the_server_error_page_renders_without_the_database(rf):

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()


def test_health_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["database"] == "ok"


def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("base indisponible")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_the_event_log_page_is_for_administrators_and_controllers(
    client, admin_national, django_assert_max_num_queries
):

    for n in range(60):
        record_event(by=admin_national, action="test.page", summary=f"Entrée {n}")
    client.force_login(admin_national)
    with django_assert_max_num_queries(10):
        page = client.get("/gestion/journal/").content.decode()
    assert "Entrée 59" in page and "Page suivante" in page
    controller = with_totp(UserFactory())
    Role.objects.create(user=controller, kind="controleur", scope_level="national")
    client.force_login(controller)
    assert client.get("/gestion/journal/?action=test").status_code == 200


def test_the_event_log_is_refused_to_an_administrator_delegated_to_a_region(client, admin_national):
    # The log holds every action of the platform, everywhere: a delegate grants roles in one
    # région and reads no more than that; a departmental contrôleur keeps it (oversight).
    record_event(by=admin_national, action="test.page", summary="Entrée nationale")
    delegate = with_totp(UserFactory())
    Role.objects.create(
        user=delegate,
        kind="administrateur_national",
        scope_level="region",
        region=RegionFactory(),
    )
    client.force_login(delegate)
    response = client.get("/gestion/journal/")
    assert response.status_code == 403
    assert "Entrée nationale" not in response.content.decode()
    assert 'href="/gestion/journal/"' not in client.get("/mon-compte/").content.decode()
    controller = with_totp(UserFactory())
    Role.objects.create(
        user=controller,
        kind="controleur",
        scope_level="departement",
        departement=DepartementFactory(),
    )
    client.force_login(controller)
    assert client.get("/gestion/journal/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/comptes/login/",
        "/comptes/signup/",
        "/comptes/password/reset/",
        "/territoires/",
        "/accessibilite/",
        "/donnees-personnelles/",
        "/page-absente/",
    ],
)
def test_public_pages_use_no_undefined_template_variable(client, url):
    assert "INVALID_TEMPLATE_VARIABLE" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "url", ["/mon-compte/", "/mon-compte/supprimer/", "/gestion/roles/", "/gestion/journal/"]
)
def test_private_pages_use_no_undefined_template_variable(client, admin_national, url):
    client.force_login(admin_national)
    response = client.get(url)
    assert response.status_code == 200
    assert "INVALID_TEMPLATE_VARIABLE" not in response.content.decode()
