"""A visitor signs the petition, confirms through the e-mail, and the live counter moves; the
petition's pages have no serious or critical axe-core violation. The steps are in
journeys.py."""

import pytest

from tests.e2e import journeys
from tests.e2e.test_accessibility import assert_no_blocking_violation


@pytest.fixture
def petition(transactional_db, settings, live_server):
    return journeys.open_petition(settings, live_server)


def test_a_visitor_signs_confirms_and_the_counter_moves(
    page, new_context, live_server, commune, petition
):
    watcher = new_context().new_page()
    watcher.goto(live_server.url + "/petition/")
    assert journeys.counter(watcher) == "0 signature"

    journeys.sign_and_confirm(page, live_server)

    assert journeys.counter_moves(watcher, 0) == 1


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
