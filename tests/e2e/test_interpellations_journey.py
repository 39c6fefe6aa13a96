"""An interpellation from end to end, one browser context per person: the secretary of an
instance drafts it, the members adopt it by vote, it is sent, the institution opens the secret
link from the e-mail (no account) and answers, and the public page shows « Répondue ». The list
and the interpellation page have no serious or critical axe-core violation.

The instance and its members are set up through the ORM; everything else goes through the pages
(the steps are in journeys.py).
"""

from enfance.assemblies.enums import MemberRole
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.e2e import journeys
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_democracy_journey import log_in, person


def test_an_interpellation_is_adopted_sent_and_answered_through_its_link(
    new_context, live_server, commune, colleges
):
    instance = InstanceFactory(
        name="Instance locale de Villeurbanne", departement=commune.departement
    )
    secretary = person(commune, "Sandrine", "Secretaire")
    seat_directly(instance, "associatifs", user=secretary, role=MemberRole.SECRETAIRE)
    voters = [person(commune, "Paul", "Parent"), person(commune, "Gisèle", "Grandmere")]
    seat_directly(instance, "parents", user=voters[0])
    seat_directly(instance, "grands_parents", user=voters[1])

    secretariat = log_in(new_context, live_server, secretary)
    interpellation, detail_url = journeys.draft_interpellation(secretariat, live_server)
    members = [log_in(new_context, live_server, voter) for voter in voters]
    journeys.adopt_and_send_interpellation(secretariat, members, interpellation, detail_url)
    journeys.answer_through_the_link(new_context, live_server, interpellation)
    journeys.read_the_answer(new_context, live_server, detail_url)

    axe = new_context(bypass_csp=True).new_page()
    for url in (live_server.url + "/interpellations/", detail_url,
                live_server.url + "/interpellations/institutions/"):  # fmt: skip
        axe.goto(url)
        assert_no_blocking_violation(axe)
