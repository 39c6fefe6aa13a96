import html
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enfance.inspections import services
from enfance.inspections.models import Criterion
from tests.care.factories import StructureFactory, manager_of
from tests.factories import DepartementFactory, RegionFactory

from .factories import controleur, opened, score_all

pytestmark = pytest.mark.django_db

VISIT_MORNING = datetime(2026, 12, 10, 8, tzinfo=UTC)


def _ok(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return html.unescape(response.content.decode())


@pytest.fixture
def structure():
    return StructureFactory(name="Foyer Les Cèdres")


@pytest.fixture
def lead(structure):
    return controleur(structure.departement)


def _published(structure, lead):
    inspection = services.start_visit(opened(structure, lead), by=lead, at=VISIT_MORNING)
    score_all(inspection, lead, value=4, **{"cadre.2": 2})
    inspection = services.send_provisional(
        inspection, by=lead, at=datetime(2026, 12, 11, tzinfo=UTC)
    )
    inspection = services.finalise(inspection, by=lead, at=datetime(2027, 1, 1, tzinfo=UTC))
    services.save_report(inspection, by=lead, text="Un accueil attentif et sûr.")
    return services.publish(inspection, by=lead)


def test_everyone_reads_the_referentiel_and_how_a_grade_is_given(client):
    page = _ok(client.get(reverse("inspections:referentiel", args=["2026"])))
    assert "42 critères dont 10 impératifs" in page
    assert "Thème limitant" in page and "securite.2" in page
    assert client.get(reverse("inspections:referentiel", args=["1999"])).status_code == 404
    page = _ok(client.get(reverse("inspections:grading")))
    assert "à partir de 3,5 : « Très bien »" in page
    assert "La moyenne de l'ensemble, 3, donnerait seule « Bien »" in page
    assert "le niveau est C et non B" in page


def test_a_published_report_is_anonymised_and_nothing_else_is_public(
    client, structure, lead, django_assert_max_num_queries
):
    draft = opened(structure, controleur(structure.departement), visit_on=date(2026, 12, 11))
    assert client.get(reverse("inspections:public_report", args=[draft.pk])).status_code == 404
    inspection = _published(structure, lead)
    with django_assert_max_num_queries(10):
        page = _ok(client.get(reverse("inspections:public_report", args=[inspection.pk])))
    assert inspection.public_identifier in page and "Foyer Les Cèdres" not in page
    assert "Un accueil attentif et sûr." in page and "niveau A" in page
    home = _ok(client.get(reverse("inspections:home")))
    assert inspection.public_identifier in home and "1 rapport publié" in home


def test_a_visitor_reads_a_report_from_the_cache_until_an_action_is_answered(
    client, structure, lead, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    inspection = services.start_visit(opened(structure, lead), by=lead, at=VISIT_MORNING)
    score_all(inspection, lead, value=4, **{"cadre.2": 2})
    action = services.add_action(
        inspection,
        by=lead,
        criterion=Criterion.objects.get(referentiel=inspection.referentiel, code="cadre.2"),
        kind="exigee",
        text="Afficher le projet d'établissement.",
        due_on=date(2027, 6, 1),
    )
    inspection = services.send_provisional(
        inspection, by=lead, at=datetime(2026, 12, 11, tzinfo=UTC)
    )
    inspection = services.finalise(inspection, by=lead, at=datetime(2027, 1, 1, tzinfo=UTC))
    services.publish(inspection, by=lead)
    url = reverse("inspections:public_report", args=[inspection.pk])
    assert "À traiter" in _ok(client.get(url))
    with django_assert_max_num_queries(3):
        _ok(client.get(url))  # the visitor's page, from the cache
    history = reverse("inspections:history", args=[inspection.public_identifier])
    _ok(client.get(history))
    with django_assert_max_num_queries(3):
        _ok(client.get(history))
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_action(action, by=manager_of(structure), plan="Le projet est affiché.")
    page = _ok(client.get(url))
    assert "Le projet est affiché." in page and "Réponse envoyée" in page


def test_an_unannounced_visit_is_the_teams_until_it_begins(client, structure, lead):
    inspection = opened(structure, lead, announced=False)
    manager = manager_of(structure)
    client.force_login(manager)
    assert client.get(inspection.get_absolute_url()).status_code == 404
    assert "inopinée" not in _ok(client.get(reverse("inspections:inspections")))
    colleague = controleur(structure.departement)
    client.force_login(colleague)
    page = _ok(client.get(inspection.get_absolute_url()))
    assert "sa date n'est connue que de l'équipe" in page and "10 décembre 2026" not in page
    assert "Rejoindre l'équipe" in page
    client.post(reverse("inspections:join", args=[inspection.pk]), {"has_link": "non"})
    assert "10 décembre 2026" in _ok(client.get(inspection.get_absolute_url()))


def test_the_list_of_inspections_asks_a_bounded_number_of_queries(
    client, structure, lead, django_assert_max_num_queries
):
    colleague = controleur(structure.departement)
    client.force_login(colleague)
    opened(StructureFactory(commune=structure.commune), lead, announced=False)
    with CaptureQueriesContext(connection) as one:
        _ok(client.get(reverse("inspections:inspections")))
    for _ in range(5):
        opened(StructureFactory(commune=structure.commune), lead, announced=False)
    with CaptureQueriesContext(connection) as six:
        _ok(client.get(reverse("inspections:inspections")))
    assert len(six) == len(one)  # not one query per line
    with django_assert_max_num_queries(12):
        page = _ok(client.get(reverse("inspections:inspections")))
    assert "6 inspections" in page and page.count(">inopinée<") == 6
    client.force_login(lead)
    assert "inopinée<" not in _ok(client.get(reverse("inspections:inspections")))


def test_wrong_side_of_an_inspection_gets_a_404_or_a_403(client, structure, lead):
    inspection = services.start_visit(opened(structure, lead), by=lead, at=VISIT_MORNING)
    elsewhere = DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    findings = reverse("inspections:findings", args=[inspection.pk, "securite"])
    for outsider in (controleur(elsewhere), manager_of(StructureFactory())):
        client.force_login(outsider)
        assert client.get(inspection.get_absolute_url()).status_code == 404
        assert client.get(findings).status_code == 404
        assert client.get(reverse("inspections:structures")).status_code in (403, 200)
    client.force_login(manager_of(structure))
    assert _ok(client.get(inspection.get_absolute_url()))
    assert client.get(findings).status_code == 403
    assert client.get(reverse("inspections:structures")).status_code == 403
    criterion = Criterion.objects.get(referentiel=inspection.referentiel, code="securite.1")
    saved = client.post(
        reverse("inspections:finding_save", args=[inspection.pk, criterion.pk]),
        {f"c{criterion.pk}-score": "1"},
    )
    assert saved.status_code == 403 and not criterion.findings.exists()


def test_a_controleur_reads_the_event_log_of_the_structures_they_control(
    client, structure, lead, django_assert_max_num_queries
):
    inspection = services.start_visit(opened(structure, lead), by=lead, at=VISIT_MORNING)
    opened(StructureFactory(name="Maison Voisine", commune=structure.commune), lead)
    url = reverse("inspections:journal", args=[structure.pk])
    client.force_login(lead)
    with django_assert_max_num_queries(10):
        page = _ok(client.get(url))
    assert "inspections.open" in page and "inspections.inspection.start" in page
    assert "Maison Voisine" not in page  # another structure's inspection, same contrôleur
    assert url in _ok(client.get(inspection.get_absolute_url()))
    elsewhere = DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    client.force_login(controleur(elsewhere))
    assert client.get(url).status_code == 404
    client.force_login(manager_of(structure))
    assert client.get(url).status_code == 403
    assert url not in _ok(client.get(inspection.get_absolute_url()))


def test_the_team_scores_a_theme_as_it_types(
    client, structure, lead, django_assert_max_num_queries
):
    inspection = services.start_visit(opened(structure, lead), by=lead, at=VISIT_MORNING)
    client.force_login(lead)
    url = reverse("inspections:findings", args=[inspection.pk, "securite"])
    with django_assert_max_num_queries(12):
        page = _ok(client.get(url))
    assert page.count("Impératif") == 4 and "Thème limitant" in page
    criterion = Criterion.objects.get(referentiel=inspection.referentiel, code="securite.2")
    save = reverse("inspections:finding_save", args=[inspection.pk, criterion.pk])
    prefix = f"c{criterion.pk}"
    answer = client.post(
        save, {f"{prefix}-score": "5", f"{prefix}-evidence": "Registre vu."}, HTTP_HX_REQUEST="true"
    )
    assert "Non enregistré" in answer.content.decode() and not criterion.findings.exists()
    answer = client.post(
        save,
        {f"{prefix}-score": "2", f"{prefix}-evidence": "Registre incomplet."},
        HTTP_HX_REQUEST="true",
    )
    assert "Enregistré à" in answer.content.decode()
    assert criterion.findings.get().evidence == "Registre incomplet."
    with django_assert_max_num_queries(15):
        page = _ok(client.get(inspection.get_absolute_url()))
    assert "1 sur 6" in page and "Envoyer le rapport provisoire" not in page


def test_a_controleur_opens_an_inspection_from_the_structures_of_their_territory(
    client, structure, lead
):
    client.force_login(lead)
    page = _ok(client.get(reverse("inspections:structures"), {"q": "Cèdres"}))
    assert "Foyer Les Cèdres" in page
    url = reverse("inspections:open", args=[structure.pk])
    refused = _ok(client.post(url, {"visit_on": "2026-12-15", "origin": "plan"}))
    assert "Déclarez si vous avez un lien avec cette structure." in refused
    opened_page = client.post(
        url,
        {"visit_on": "2026-12-15", "origin": "plan", "announced": "on", "has_link": "non"},
        follow=True,
    )
    assert "L'inspection est ouverte" in _ok(opened_page)
    assert "le 15 décembre 2026, annoncée à la structure" in _ok(opened_page)


def test_the_public_figures_and_a_structures_history_follow_the_published_reports(
    client, structure, lead, django_assert_max_num_queries
):
    inspection = _published(structure, lead)
    other = StructureFactory(commune=structure.commune)
    alert = services.start_visit(
        opened(other, lead, origin="alerte", joint_with=["pjj"]), by=lead, at=VISIT_MORNING
    )
    # Nine criteria at 2, none of them an impératif: a mean under 3, level C.
    weak = [f"parcours.{n}" for n in range(1, 6)] + [f"famille.{n}" for n in range(1, 5)]
    score_all(alert, lead, value=3, **dict.fromkeys(weak, 2))
    alert = services.send_provisional(alert, by=lead, at=datetime(2026, 12, 11, tzinfo=UTC))
    services.publish(
        services.finalise(alert, by=lead, at=datetime(2027, 1, 1, tzinfo=UTC)), by=lead
    )
    page = _ok(client.get(reverse("inspections:figures")))
    assert "2 structures avec un rapport publié" in page
    assert "Rhône (69)" in page and "50 %" in page  # half reactive, half joint, A and C
    with django_assert_max_num_queries(4):
        _ok(client.get(reverse("inspections:figures")))  # shared from the cache
    levels = b"".join(client.get(reverse("inspections:figures_csv", args=["niveaux"])))
    assert levels.decode("utf-8-sig").splitlines()[1] == '"69";"Rhône";"1";"0";"1";"0"'
    data = client.get(reverse("inspections:figures_json")).json()
    assert data["par_annee"][0]["apres_alerte"] == 1 and data["par_annee"][0]["conjointes"] == 1
    assert client.get(reverse("inspections:figures_csv", args=["autre"])).status_code == 404
    history = reverse("inspections:history", args=[inspection.public_identifier])
    with django_assert_max_num_queries(8):
        page = _ok(client.get(history))
    assert "1 rapport publié" in page and "Foyer Les Cèdres" not in page
    unpublished = opened(StructureFactory(), lead)
    for identifier in (unpublished.public_identifier, "ES-29-00001", "nimporte-quoi"):
        assert client.get(reverse("inspections:history", args=[identifier])).status_code == 404
