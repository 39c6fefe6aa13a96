import html
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enfance.care import services as care
from enfance.core.pagecache import CSRF_PLACEHOLDER
from enfance.inspections import plans, services
from enfance.inspections.enums import EntrySource, Origin
from enfance.inspections.models import Alert
from tests.care.factories import CategoryFactory, StructureFactory, manager_of
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

from .factories import controleur, opened

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)


@pytest.fixture
def structure():
    return StructureFactory(name="Maison d'enfants Les Cèdres")


@pytest.fixture
def rhone(structure):
    return structure.departement


@pytest.fixture
def lead(rhone):
    return controleur(rhone)


def test_the_risk_score_adds_what_the_page_explains(structure, rhone, lead):
    quiet = StructureFactory(name="Foyer calme", commune=structure.commune)
    fresh = CategoryFactory(structure=quiet)
    care.declare_places(quiet, by=manager_of(quiet), figures={fresh.pk: {"free": 1}})
    CategoryFactory(structure=structure)  # never declared: unknown
    plans.record_alert(
        structure, by=lead, source="plainte", summary="Des sorties sans adulte.", received_on=TODAY
    )
    risky, calm = plans.risks(rhone, today=TODAY)
    assert risky.structure_id == structure.pk
    assert risky.score == 30 + 15 + 20
    assert risky.reasons == [
        "jamais inspectée (+30)",
        "1 alerte en un an (+15)",
        "100 % de places inconnues (+20)",
    ]
    assert (calm.structure_id, calm.score) == (quiet.pk, 30)


def test_a_plan_is_the_controleurs_of_the_departement(structure, rhone, lead, monkeypatch):
    elsewhere = DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    for outsider in (controleur(elsewhere), manager_of(structure)):
        with pytest.raises(PermissionDenied):
            plans.plan_for(rhone, 2026, by=outsider)
    with pytest.raises(ValidationError, match="année en cours ou la suivante"):
        plans.plan_for(rhone, 2031, by=lead)
    plan = plans.plan_for(rhone, 2026, by=lead)
    assert plans.plan_for(rhone, 2026, by=controleur()) == plan  # national scope, same plan
    monkeypatch.setattr(plans, "PROPOSALS", 1)
    other = StructureFactory(name="Foyer calme", commune=structure.commune)
    plans.record_alert(
        structure, by=lead, source="plainte", summary="Des sorties sans adulte.", received_on=TODAY
    )
    entry = plans.add_to_plan(plan, structure, by=lead)
    assert entry.source == EntrySource.PROPOSED and entry.risk_score == 45
    with pytest.raises(ValidationError, match="déjà au plan"):
        plans.add_to_plan(plan, structure, by=lead)
    assert [r.structure_id for r in plans.proposals(plan)] == [other.pk]
    monkeypatch.setattr(plans, "PROPOSALS", 0)
    with pytest.raises(ValidationError, match="Dites pourquoi vous ajoutez"):
        plans.add_to_plan(plan, other, by=lead)
    by_hand = plans.add_to_plan(plan, other, by=lead, reason="Nouvelle direction.")
    assert by_hand.source == EntrySource.BY_HAND
    with pytest.raises(ValidationError, match="pas dans le département"):
        brest = CommuneFactory(code="29019", name="Brest", departement=elsewhere)
        plans.add_to_plan(plan, StructureFactory(commune=brest), by=lead)
    with pytest.raises(ValidationError, match="pourquoi vous retirez"):
        plans.withdraw(by_hand, by=lead, reason="")
    assert plans.withdraw(by_hand, by=lead, reason="Fermée en mars.").withdrawn_at


def test_the_plans_progress_follows_its_inspections(structure, rhone, lead):
    plan = plans.plan_for(rhone, 2026, by=lead)
    entry = plans.add_to_plan(plan, structure, by=lead)
    assert plans.entry_state(entry, today=date(2026, 3, 1)) == "à programmer"
    assert plans.entry_state(entry, today=date(2026, 7, 1)) == "en retard"
    inspection = opened(structure, lead, plan_entry=entry, visit_on=date(2026, 12, 10))
    assert inspection.origin == Origin.PLANNED and inspection.plan_entry == entry
    assert plans.entry_state(entry, today=TODAY) == "programmée"
    assert plans.entry_state(entry, today=date(2026, 12, 11)) == "en retard"
    services.start_visit(inspection, by=lead, at=datetime(2026, 12, 10, 8, tzinfo=UTC))
    assert plans.entry_state(entry, today=date(2026, 12, 11)) == "programmée"
    progress = plans.progress([entry], today=TODAY)
    assert (progress.scheduled, progress.done, progress.late) == (1, 0, 0)


def test_an_alert_opens_an_unplanned_inspection(client, structure, lead):
    with pytest.raises(PermissionDenied):
        plans.record_alert(
            structure,
            by=manager_of(structure),
            source="plainte",
            summary="…",
            received_on=TODAY,
        )
    with pytest.raises(ValidationError, match="sans aucun nom"):
        plans.record_alert(structure, by=lead, source="plainte", summary="", received_on=TODAY)
    with pytest.raises(ValidationError, match="dans le futur"):
        plans.record_alert(
            structure,
            by=lead,
            source="plainte",
            summary="Des sorties sans adulte.",
            received_on=timezone.localdate() + timedelta(days=2),
        )
    client.force_login(lead)
    answer = client.post(
        reverse("inspections:alert_new", args=[structure.pk]),
        {"source": "signalement", "received_on": "2026-12-01", "summary": "Un adolescent fugue."},
    )
    assert answer.status_code == 302
    alert = Alert.objects.get()
    page = client.get(reverse("inspections:alerts")).content.decode()
    assert "Un adolescent fugue." in page and f"?alerte={alert.pk}" in page
    opened_page = client.post(
        reverse("inspections:open", args=[structure.pk]) + f"?alerte={alert.pk}",
        {"visit_on": "2026-12-15", "origin": "plan", "has_link": "non", "alert": alert.pk},
    )
    assert opened_page.status_code == 302
    assert alert.inspections.get().origin == Origin.ALERT


def test_the_plan_page_from_the_right_and_the_wrong_side(
    client, structure, rhone, lead, django_assert_max_num_queries
):
    url = reverse("inspections:plan", args=[rhone.code, 2026])
    elsewhere = DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    client.force_login(controleur(elsewhere))
    assert client.get(url).status_code == 404
    client.force_login(manager_of(structure))
    assert client.get(url).status_code == 403
    assert client.get(reverse("inspections:alerts")).status_code == 403
    client.force_login(lead)
    assert "Ouvrir le plan 2026" in client.get(url).content.decode()
    client.post(reverse("inspections:plan_create", args=[rhone.code, 2026]))
    client.post(
        reverse("inspections:plan_add", args=[rhone.code, 2026]), {"structure": structure.pk}
    )
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    # Past the 1st of July of the plan's year, a structure without an inspection is late.
    assert "jamais inspectée (+30)" in page and "en retard" in page
    assert reverse("inspections:open", args=[structure.pk]) + "?plan=" in page


def test_the_plan_tables_are_rendered_once_and_follow_every_change(
    client,
    structure,
    rhone,
    lead,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    url = reverse("inspections:plan", args=[rhone.code, 2026])
    with django_capture_on_commit_callbacks(execute=True):
        plan = plans.plan_for(rhone, 2026, by=lead)
        plans.add_to_plan(plan, structure, by=lead, reason="")
    client.force_login(lead)
    assert "1 structure au plan 2026" in client.get(url).content.decode()
    # A colleague gets the tables from the cache, with forms that carry their own token.
    colleague = Client(enforce_csrf_checks=True)
    colleague.force_login(controleur(rhone))
    with django_assert_max_num_queries(8):
        page = colleague.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    assert CSRF_PLACEHOLDER not in page  # and the token is accepted, below
    entry = plan.entries.get()
    with django_capture_on_commit_callbacks(execute=True):
        answer = colleague.post(
            reverse("inspections:plan_withdraw", args=[plan.pk]),
            {
                "entry": entry.pk,
                "reason": "Inspectée par l'ARS en octobre.",
                "csrfmiddlewaretoken": token,
            },
        )
    assert answer.status_code == 302
    page = html.unescape(client.get(url).content.decode())
    assert "retirée le" in page and "Inspectée par l'ARS en octobre." in page
