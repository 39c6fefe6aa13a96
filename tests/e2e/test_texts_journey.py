"""Participatory texts and law proposals from end to end, in real browsers, one context (cookie
jar) per person: the administrateur national (password and TOTP) consolidates an adopted
proposal into a proposition de loi, rewrites an article (version 2) and reads the difference; a
citizen comments on an article of the charter and proposes a new wording, which the national
administrator integrates into version 2 of the charter. The charter, the law proposal and the
comparison pages have no serious or critical axe-core violation.

The adopted proposal and the charter (version 1) are set up through the ORM and the services;
the steps are in journeys.py.
"""

import pytest

from enfance.texts import services
from enfance.texts.models import ArticleProposal
from tests.e2e import journeys
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_democracy_journey import log_in
from tests.factories import UserFactory
from tests.texts.factories import adopted_proposal, charter, law_proposal


def test_a_law_proposal_and_the_charter_go_through_their_versions(new_context, live_server):
    admin, secret = journeys.administrator()
    source = adopted_proposal("Séjours d'observation prolongés")
    text = charter(admin)
    first_article = text.current_version.articles.get(number=1)
    citizen = UserFactory(email="lucie@exemple.fr", first_name="Lucie", last_name="Bernard")

    admin_page = journeys.log_in_with_totp(new_context, live_server, admin, secret)
    journeys.consolidate_law_proposal(admin_page, live_server, source)
    journeys.publish_version_2_and_compare(admin_page)

    citizen_page = log_in(new_context, live_server, citizen)
    journeys.comment_and_propose_wording(citizen_page, live_server, citizen)
    journeys.integrate_wording(admin_page, citizen_page, live_server, first_article)


@pytest.fixture
def axe_page(new_context, live_server):
    return new_context(bypass_csp=True).new_page()


def test_the_text_pages_have_no_serious_violation(axe_page, live_server):
    admin, _secret = journeys.administrator()
    text = charter(admin)
    article = text.current_version.articles.first()
    commenter = UserFactory(first_name="Lucie", last_name="Bernard")

    services.comment_article(article, by=commenter, body="Je suis d'accord.")
    services.propose_wording(article, by=commenter, body="Autre texte.", reason="Mieux.")
    services.integrate_proposal(ArticleProposal.objects.get(), by=admin)
    law = law_proposal(admin)
    for path in [
        "/textes/",
        "/textes/charte/",
        text.url("article", article.key),
        text.url("versions"),
        text.url("compare"),
        "/propositions-de-loi/",
        law.get_absolute_url(),
    ]:
        response = axe_page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_no_blocking_violation(axe_page)
