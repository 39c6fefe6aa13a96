"""A visitor signs the petition, confirms through the e-mail, and the live counter moves; the
petition's pages have no serious or critical axe-core violation."""

import re

import pytest
from django.core import mail

from tests.e2e.test_accessibility import assert_no_blocking_violation

LINK = re.compile(r"https?://\S+/petition/confirmer/\S+/")


@pytest.fixture
def petition(transactional_db, settings):
    from tests.petitions.factories import PetitionFactory

    # The e-mail job runs at once in tests (immediate backend); no per-process throttle.
    settings.PETITION_EMAIL_DRAIN_INTERVAL = 0
    return PetitionFactory(title="Pour l'adoption du Ministère de la Protection de l'Enfance")


def _consent(page) -> None:
    # DSFR draws the checkbox under its label: a person clicks the label.
    if not page.locator("#id_consent").is_checked():
        page.locator("label[for=id_consent]").click()
    assert page.locator("#id_consent").is_checked()


def _counter(page) -> str:
    return page.locator("#compteur h2").inner_text()


def test_a_visitor_signs_confirms_and_the_counter_moves(
    page, new_context, live_server, commune, petition, settings
):
    settings.SITE_URL = live_server.url
    watcher = new_context().new_page()
    watcher.goto(live_server.url + "/petition/")
    assert _counter(watcher) == "0 signature"

    page.goto(live_server.url + "/petition/")
    page.get_by_role("link", name="Signer la pétition").first.click()
    page.wait_for_url(re.compile(r"/petition/signer/$"))
    page.locator("#id_first_name").fill("Camille")
    page.locator("#id_last_name").fill("Dupont")
    page.locator("#id_email").fill("camille.dupont@exemple")
    page.locator("#id_commune").fill("Lyon (69001)")
    _consent(page)
    page.get_by_role("button", name="Signer").click()
    # A mistyped address: explained, and everything typed is still there.
    page.locator("#resume-erreurs").wait_for()
    assert page.locator("#id_last_name").input_value() == "Dupont"
    assert page.locator("#id_commune").input_value() == "Lyon (69001)"
    page.locator("#id_email").fill("camille.dupont@exemple.fr")
    _consent(page)
    page.get_by_role("button", name="Signer").click()
    page.wait_for_url(re.compile(r"/petition/merci/$"))
    assert "confirmez votre signature" in page.get_by_role("heading", level=1).inner_text()

    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    link = LINK.search(mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer ma signature").click()
    page.wait_for_url(re.compile(r"/petition/confirmee/$"))
    assert "votre signature est confirmée" in page.get_by_role("heading", level=1).inner_text()

    # The page left open polls the counter (htmx, every 5 s): it moves without a reload.
    watcher.locator("#compteur h2", has_text="1 signature").wait_for(timeout=12_000)
    assert page.js_errors == []


def test_petition_pages_have_no_serious_violation(new_context, live_server, commune, petition):
    axe_page = new_context(bypass_csp=True).new_page()
    axe_page.goto(live_server.url + "/petition/")
    assert axe_page.get_by_role("table").count() == 1
    assert_no_blocking_violation(axe_page)
    axe_page.goto(live_server.url + "/petition/signer/")
    assert_no_blocking_violation(axe_page)
    axe_page.get_by_role("button", name="Signer").click()
    axe_page.locator("#resume-erreurs").wait_for()
    assert_no_blocking_violation(axe_page)
