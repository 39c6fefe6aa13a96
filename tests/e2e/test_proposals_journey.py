"""A proposal from end to end, in real browsers, one context (cookie jar) per person: a citizen
writes a proposal (and sees a similar one while typing its title) and publishes it, two people
support it, the instance's secretary puts it under deliberation, a member's amendment is voted
and accepted, the members adopt the proposal and the secretary transmits it to the national
level; a comment flagged "danger pour un enfant" leaves the page. Axe checks the list, the
proposal page and the form. The steps are in journeys.py."""

import re

from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of
from tests.e2e import journeys
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_democracy_journey import no_invalid_variable
from tests.factories import UserFactory
from tests.proposals.factories import published


def test_a_proposal_goes_from_a_citizen_to_the_national_level(
    new_context, live_server, colleges, commune
):
    journeys.load_themes()
    published(title=journeys.SIMILAR_TITLE)
    instance = InstanceFactory(departement=commune.departement)
    secretary = secretary_of(instance)
    members = [seat_directly(instance, "parents").user for _ in range(2)]
    citizen = UserFactory(first_name="Inès", last_name="Morel")
    supporters = [UserFactory(), UserFactory()]

    _writer, proposal = journeys.write_proposal(new_context, live_server, citizen)
    journeys.support(new_context, live_server, proposal, supporters)
    secretariat, voters = journeys.amend(new_context, live_server, proposal, secretary, members)
    journeys.adopt_and_transmit(live_server, proposal, instance, secretariat, voters)
    journeys.flag_a_comment_as_danger(new_context, live_server, proposal, supporters[0])


def test_the_proposal_pages_have_no_serious_violation(new_context, live_server, colleges):
    journeys.load_themes()
    proposal = published(title=journeys.SIMILAR_TITLE)
    author = proposal.author
    page = new_context(bypass_csp=True).new_page()
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#id_login").fill(author.email)
    page.locator("#id_password").fill("mot-de-passe-solide-2026")
    page.locator("main").get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))
    for path in ("/propositions/", proposal.get_absolute_url(), "/propositions/ecrire/"):
        page.goto(live_server.url + path)
        no_invalid_variable(page)
        assert_no_blocking_violation(page)
