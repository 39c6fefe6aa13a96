"""From citizens to a law proposal, in one journey on the same data, one browser context
(cookie jar) per person: a citizen writes a proposal, two people support it, the instance amends
and adopts it and transmits it; the administrateur national consolidates that very proposal into
a proposition de loi, which links back to it while the proposal shows where it went, and reads
what changed from version 1 to version 2. The same instance sends an interpellation, answered
through its secret link and shown « Répondue » to anyone. A visitor signs the petition, confirms
through the e-mail, and the public counter moves.

The people and the instance are set up through the ORM; the steps (journeys.py) are those of
each module's own journey.
"""

from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of
from tests.e2e import journeys
from tests.factories import UserFactory
from tests.proposals.factories import published


def test_citizens_take_a_proposal_to_a_law_and_act_on_the_institutions(
    page, new_context, live_server, colleges, commune, settings
):
    journeys.load_themes()
    published(title=journeys.SIMILAR_TITLE)
    instance = InstanceFactory(departement=commune.departement)
    secretary = secretary_of(instance)
    members = [seat_directly(instance, "parents").user for _ in range(2)]
    citizen = UserFactory(first_name="Inès", last_name="Morel")
    supporters = [UserFactory(), UserFactory()]
    admin, secret = journeys.administrator()
    journeys.open_petition(settings, live_server)

    # A citizen's proposal, supported, amended and adopted by the instance.
    writer, proposal = journeys.write_proposal(new_context, live_server, citizen)
    journeys.support(new_context, live_server, proposal, supporters)
    secretariat, voters = journeys.amend(new_context, live_server, proposal, secretary, members)
    journeys.adopt_and_transmit(live_server, proposal, instance, secretariat, voters)

    # The administrateur national consolidates that very proposal; each page names the other.
    admin_page = journeys.log_in_with_totp(new_context, live_server, admin, secret)
    law = journeys.consolidate_law_proposal(admin_page, live_server, proposal)
    journeys.see_where_the_proposal_went(writer, live_server, proposal, law)
    journeys.publish_version_2_and_compare(admin_page)

    # The same instance interpellates the département, which answers through its link.
    interpellation, detail_url = journeys.draft_interpellation(secretariat, live_server)
    journeys.adopt_and_send_interpellation(secretariat, voters, interpellation, detail_url)
    journeys.answer_through_the_link(new_context, live_server, interpellation)
    journeys.read_the_answer(new_context, live_server, detail_url)

    # A visitor signs the petition; the counter of the public page left open moves.
    watcher = new_context().new_page()
    watcher.goto(live_server.url + "/petition/")
    before = journeys.counter_number(watcher)
    journeys.sign_and_confirm(page, live_server)
    assert journeys.counter_moves(watcher, before) > before
