"""The platform as people meet it, at 1280 px and on a 360 px phone: a visitor types their postal
code on the home page and reaches their instance and the next atelier nearby; the charter's
consultation shows its dates and its steps; a wrong address shows the project's own 404; a
citizen's « Mon espace » lists their registrations and their role in their instance. axe-core
passes every page on the way, at both widths."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from enfance.assemblies.enums import MemberRole
from enfance.core.dates import written_date
from enfance.events.services import registrations
from enfance.texts import services as texts
from enfance.texts.enums import TextState
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_care_journey import sign_in
from tests.events.factories import EventFactory
from tests.factories import CommuneFactory, DepartementFactory, UserFactory
from tests.texts.factories import charter, in_a_month

WIDTHS = ({"width": 1280, "height": 800}, {"width": 360, "height": 740})


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 1, f"{page.url} scrolls {width} px sideways"


@pytest.mark.django_db(transaction=True)
def test_a_visitor_finds_their_instance_and_a_citizen_their_space(
    new_context, live_server, colleges, admin_national
):
    loire = DepartementFactory(code="42", name="Loire")
    commune = CommuneFactory(
        code="42218", name="Saint-Étienne", departement=loire, postal_codes="42000 42100"
    )
    instance = InstanceFactory(name="Instance de la Loire", departement=loire, status="active")
    atelier = EventFactory(
        title="Atelier des parents de Saint-Étienne",
        commune=commune,
        departement=loire,
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=2),
    )
    citizen = UserFactory(first_name="Inès", last_name="Martin", commune=commune)
    seat_directly(instance, "parents", user=citizen, role=MemberRole.SECRETAIRE)
    registrations.register(atelier, by=citizen)
    text = charter(admin_national, state=TextState.DRAFTING)
    closes_on = in_a_month()
    texts.open_consultation(text, by=admin_national, closes_on=closes_on)

    for viewport in WIDTHS:
        # bypass_csp: axe-core is injected as a script of its own.
        page = new_context(viewport=viewport, bypass_csp=True).new_page()
        page.goto(live_server.url + "/")
        page.get_by_label("Commune ou code postal").first.fill("42100")
        page.get_by_role("button", name="Trouver").first.click()
        page.wait_for_url(re.compile(r"/instances/trouver/\?q=42100"))
        assert_no_blocking_violation(page)
        _no_sideways_scroll(page)
        main = page.locator("main")
        assert main.get_by_role("link", name=atelier.title).count() == 1
        main.get_by_role("link", name=instance.name).first.click()
        page.wait_for_url(re.compile(re.escape(instance.get_absolute_url()) + "$"))
        assert page.locator("h1").inner_text() == instance.name

        page.goto(live_server.url + text.get_absolute_url())
        body = page.locator("main").inner_text()
        assert f"En consultation jusqu'au {written_date(closes_on)}" in body
        assert "Les étapes de ce texte" in body
        assert_no_blocking_violation(page)
        _no_sideways_scroll(page)

        response = page.goto(live_server.url + "/une-adresse-qui-n-existe-pas/")
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Page non trouvée"
        assert page.get_by_role("link", name=re.compile("accueil", re.I)).count() >= 1
        assert_no_blocking_violation(page)

    for viewport in WIDTHS:
        page = sign_in(new_context(viewport=viewport, bypass_csp=True), live_server, citizen)
        space = page.locator("main").inner_text()
        assert atelier.title in space
        assert re.search(r"Secrétaire de l'instance — Instance de la Loire", space), space
        for label in ("Télécharger mes données", "Supprimer mon compte"):
            button = page.get_by_role("link", name=re.compile(label)).first
            assert button.bounding_box()["width"] > 100, label
        assert_no_blocking_violation(page)
        _no_sideways_scroll(page)
