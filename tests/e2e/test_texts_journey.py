"""Participatory texts and law proposals from end to end, in real browsers, one context (cookie
jar) per person: the administrateur national (password and TOTP) consolidates an adopted
proposal into a proposition de loi, rewrites an article (version 2) and reads the difference; a
citizen comments on an article of the charter and proposes a new wording, which the national
administrator integrates into version 2 of the charter. The charter, the law proposal and the
comparison pages have no serious or critical axe-core violation.

The adopted proposal and the charter (version 1) are set up through the ORM and the services.
"""

import re

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from enfance.accounts.models import Role
from enfance.texts.enums import ArticleProposalState
from enfance.texts.models import ArticleComment, ArticleProposal, LawProposal, Text
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.factories import UserFactory
from tests.texts.factories import adopted_proposal, charter, law_proposal

PASSWORD = "mot-de-passe-solide-2026"
SOURCE = "Séjours d'observation prolongés"
LAW_TITLE = "Proposition de loi relative aux séjours d'observation"


def administrator():
    admin = UserFactory(email="admin@exemple.fr", first_name="Jeanne", last_name="Dupuis")
    secret = pyotp.random_base32()
    TOTP.activate(admin, secret)
    Role.objects.create(user=admin, kind="administrateur_national", scope_level="national")
    return admin, secret


def log_in(new_context, live_server, email, totp_secret=None):
    page = new_context().new_page()
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()
    if totp_secret:
        page.wait_for_url(re.compile(r"/comptes/2fa/authenticate/$"))
        page.locator("#id_code").fill(pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name=re.compile("Connexion|Se connecter|Valider")).click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))
    return page


def see_message(page, text):
    page.locator("main").get_by_role("status").filter(has_text=text).wait_for()


def no_invalid_variable(page):
    assert "INVALID_TEMPLATE_VARIABLE" not in page.content(), page.url


def test_a_law_proposal_and_the_charter_go_through_their_versions(new_context, live_server):
    admin, secret = administrator()
    source = adopted_proposal(SOURCE)
    text = charter(admin)
    first_article = text.current_version.articles.get(number=1)
    citizen = UserFactory(email="lucie@exemple.fr", first_name="Lucie", last_name="Bernard")

    # The national administrator consolidates the adopted proposal into a law proposal.
    admin_page = log_in(new_context, live_server, admin.email, secret)
    admin_page.goto(live_server.url + "/propositions-de-loi/")
    admin_page.get_by_role("link", name="Rédiger une proposition de loi").click()
    admin_page.locator("#id_title").fill(LAW_TITLE)
    admin_page.locator("#id_preamble").fill("Les évaluations des familles sont trop rapides.")
    admin_page.locator("label", has_text=SOURCE).click()
    admin_page.locator("#id_article_0_body").fill(
        "Avant toute décision de placement, un séjour d'observation de 48 heures est proposé."
    )
    admin_page.locator("#id_article_1_body").fill("Le séjour a lieu dans un cadre neutre.")
    admin_page.get_by_role("button", name="Créer la proposition de loi").click()
    see_message(admin_page, "La proposition de loi est créée")
    no_invalid_variable(admin_page)
    law = LawProposal.objects.get()
    assert list(law.source_proposals.all()) == [source]
    assert admin_page.get_by_role("link", name=SOURCE).is_visible()

    # Every change makes a version.
    admin_page.get_by_role("link", name="Publier une nouvelle version").click()
    admin_page.locator("#id_article_0_body").fill(
        "Avant toute décision de placement, un séjour d'observation de 72 heures est proposé."
    )
    admin_page.locator("#id_summary").fill("Le séjour dure 72 heures.")
    admin_page.get_by_role("button", name="Publier la version 2").click()
    see_message(admin_page, "La version 2 est publiée.")
    admin_page.get_by_role("link", name="ce qui a changé depuis la version précédente").click()
    admin_page.wait_for_url(re.compile(r"/comparer/$"))
    no_invalid_variable(admin_page)
    main = admin_page.locator("main")
    main.get_by_text("1 article modifié, 0 ajouté, 0 supprimé, 1 inchangé").wait_for()
    assert main.locator(".texts-diff del").text_content() == "[texte retiré : 48]"
    assert main.locator(".texts-diff ins").text_content() == "[texte ajouté : 72]"
    assert LawProposal.objects.get().current_version.number == 2

    # A citizen comments on an article of the charter and proposes a new wording.
    citizen_page = log_in(new_context, live_server, citizen.email)
    citizen_page.goto(live_server.url + "/textes/charte/")
    citizen_page.get_by_text("Projet de charte : version 1, à discuter").wait_for()
    citizen_page.get_by_role(
        "link", name="Commenter ou proposer une rédaction sur l'article 1er"
    ).click()
    citizen_page.locator("#id_comment-body").fill("Il manque la parole des enfants eux-mêmes.")
    citizen_page.get_by_role("button", name="Publier mon commentaire").click()
    see_message(citizen_page, "Votre commentaire est publié.")
    citizen_page.locator("#id_wording-body").fill(
        "Chaque enfant a droit à une protection efficace, qui l'écoute et respecte ses droits."
    )
    citizen_page.locator("#id_wording-reason").fill("L'enfant doit être écouté.")
    citizen_page.get_by_role("button", name="Proposer cette rédaction").click()
    see_message(citizen_page, "Votre proposition de rédaction est publiée.")
    no_invalid_variable(citizen_page)
    assert ArticleComment.objects.get().author == citizen

    # The editor integrates it: version 2 of the charter, the proposal links to it.
    admin_page.goto(
        live_server.url + Text.objects.get(slug="charte").url("article", first_article.key)
    )
    admin_page.get_by_role("button", name=re.compile("Intégrer dans une nouvelle version")).click()
    see_message(admin_page, "la version 2 est publiée")
    proposal = ArticleProposal.objects.get()
    assert proposal.state == ArticleProposalState.INTEGRATED
    assert proposal.integrated_in.number == 2
    citizen_page.reload()
    citizen_page.get_by_role("link", name="version 2").wait_for()
    assert "qui l'écoute" in citizen_page.locator("blockquote").inner_text()


@pytest.fixture
def axe_page(new_context, live_server):
    return new_context(bypass_csp=True).new_page()


def test_the_text_pages_have_no_serious_violation(axe_page, live_server):
    admin, _secret = administrator()
    text = charter(admin)
    article = text.current_version.articles.first()
    commenter = UserFactory(first_name="Lucie", last_name="Bernard")
    from enfance.texts import services

    services.comment_article(by=commenter, article=article, body="Je suis d'accord.")
    services.propose_wording(by=commenter, article=article, body="Autre texte.", reason="Mieux.")
    services.integrate_proposal(by=admin, proposal=ArticleProposal.objects.get())
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
