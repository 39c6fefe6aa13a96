"""The pages of the "citizens to the law" modules (proposals, texts and law proposals,
interpellations, petition, safeguarding queue) fit a 360 px wide phone and show their heading
(PRODUCT.md: "a person can do the whole job in a browser, on a phone too").

Each page is filled with real content, built with the services and the factories of each module,
including the long unbroken strings people paste (addresses of legal texts), which are what
pushes a page wider than the screen.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from playwright.sync_api import expect

from enfance.accounts.models import Role
from enfance.assemblies.enums import MemberRole
from enfance.interpellations import services as interpellations
from enfance.interpellations.enums import State
from enfance.petitions import services as petitions
from enfance.petitions.models import Signature
from enfance.proposals import services as proposals
from enfance.proposals.enums import AmendedPart
from enfance.safeguarding import services as safeguarding
from enfance.texts import services as texts
from enfance.texts.services import ArticleDraft
from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of
from tests.e2e import journeys
from tests.e2e.test_accessibility_democracy import PHONE, fits_a_phone, log_in
from tests.factories import CommuneFactory, DepartementFactory, UserFactory
from tests.interpellations.factories import InterpellationFactory, answered, sent
from tests.petitions.factories import SignatureFactory
from tests.proposals.factories import published
from tests.texts.factories import charter, law_proposal

# What people paste: an address without a single place where a line may break.
LEGIFRANCE = (
    "https://www.legifrance.gouv.fr/codes/section_lc/LEGITEXT000006074069/"
    "LEGISCTA000006157590/#LEGISCTA000032207725"
)
LONG_ARTICLE = (
    "Le président du conseil départemental organise, avant toute décision de placement, une "
    "évaluation pluridisciplinaire de la situation de l'enfant et de sa famille, dans un délai "
    "de {} jours, selon les modalités prévues par l'article L. 223-1 du code de l'action sociale "
    f"et des familles ({LEGIFRANCE})."
)


@dataclass
class Visit:
    path: str
    heading: str
    shows: str  # a piece of the real content, visible on the phone
    user: object = None
    totp: str | None = None
    then: Callable | None = None  # what the person does next, on the same page


def proposal_list(live_server, settings):
    journeys.load_themes()
    published(title="Ouvrir une maison des familles dans chaque bassin de vie")
    published(title="Des maisons des familles ouvertes le soir", problem=f"Voir {LEGIFRANCE}")
    return Visit(
        "/propositions/?q=familles&tri=soutiens",
        "Propositions citoyennes",
        "Des maisons des familles ouvertes le soir",
    )


def proposal_page(live_server, settings):
    instance = InstanceFactory(name="Instance locale de la Métropole de Lyon")
    secretary = secretary_of(instance)
    member = seat_directly(instance, "parents").user
    proposal = published(title="Des maisons des familles ouvertes le soir et le samedi")
    proposal = proposals.take_up(proposal, by=secretary, instance=instance)
    proposals.propose_amendment(
        proposal,
        by=member,
        part=AmendedPart.BODY,
        rationale=f"Voir {LEGIFRANCE}",
        new_text="Ouvrir une maison des familles par bassin de vie, ouverte le soir.",
    )
    thread = proposals.add_comment(proposal, by=UserFactory(), body=f"Le texte : {LEGIFRANCE}")
    proposals.add_comment(proposal, by=UserFactory(), body="Merci pour le lien.", parent=thread)
    return Visit(
        proposal.get_absolute_url(),
        proposal.title,
        "Merci pour le lien.",
        user=UserFactory(),
        then=lambda page: page.get_by_role("button", name="Soutenir"),
    )


def proposal_form(live_server, settings):
    journeys.load_themes()
    return Visit("/propositions/ecrire/", "proposition", "Le problème constaté", user=UserFactory())


def _law():
    admin, _secret = journeys.administrator()
    law = law_proposal(admin, articles=[("", LONG_ARTICLE.format(8)), ("", "Il est publié.")])
    first = law.current_version.articles.get(number=1)
    texts.publish_version(
        law,
        by=admin,
        summary="L'évaluation se fait en quinze jours.",
        articles=[
            ArticleDraft(key=first.key, body=LONG_ARTICLE.format(15)),
            ArticleDraft(key=first.key + 1, body="Il est publié chaque année."),
        ],
    )
    return law


def law_page(live_server, settings):
    law = _law()
    return Visit(law.get_absolute_url(), law.title, "évaluation pluridisciplinaire")


def law_comparison(live_server, settings):
    law = _law()
    return Visit(law.url("compare"), "Ce qui a changé", "2 articles modifiés")


def law_list(live_server, settings):
    law = _law()
    return Visit("/propositions-de-loi/", "Propositions de loi", law.title)


def law_versions(live_server, settings):
    law = _law()
    return Visit(law.url("versions"), "Historique des versions", "quinze jours")


def _charter_with_comments():
    admin, _secret = journeys.administrator()
    text = charter(admin)
    article = text.current_version.articles.get(number=1)
    citizen = UserFactory(first_name="Lucie", last_name="Bernard")
    texts.comment_article(article, by=citizen, body=f"À relire avec {LEGIFRANCE}")
    texts.propose_wording(
        article, by=citizen, body="Chaque enfant est écouté.", reason=f"Comme le dit {LEGIFRANCE}"
    )
    return text, article


def charter_page(live_server, settings):
    text, _article = _charter_with_comments()
    return Visit(text.get_absolute_url(), text.title, "Chaque enfant a droit")


def charter_article(live_server, settings):
    text, article = _charter_with_comments()
    return Visit(text.url("article", article.key), "Article 1er", "À relire avec")


def _interpellations():
    instance = InstanceFactory(name="Instance locale de Villeurbanne")
    item = answered(
        12,
        instance=instance,
        title="Des enfants placés loin de leur école",
        facts=f"Onze enfants placés à plus de 80 km. Source : {LEGIFRANCE}",
    )
    answered(70, late=True, instance=instance, title="Les projets pour l'enfant manquent")
    sent(days_ago=5, instance=instance, title="Les visites médiatisées sont annulées")
    return item


def interpellation_list(live_server, settings):
    _interpellations()
    return Visit("/interpellations/", "Interpellations des institutions", "loin de leur école")


def interpellation_page(live_server, settings):
    item = _interpellations()
    return Visit(item.get_absolute_url(), item.title, "Nous avons pris les mesures demandées.")


def institutions(live_server, settings):
    _interpellations()
    return Visit("/interpellations/institutions/", "Les institutions répondent", "Conseil")


def answer_page(live_server, settings):
    instance = InstanceFactory()
    secretary = seat_directly(instance, "associatifs", role=MemberRole.SECRETAIRE).user
    item = InterpellationFactory(
        instance=instance,
        state=State.ADOPTED,
        title="Des enfants placés loin de leur école",
        facts=f"Onze enfants placés loin. Source : {LEGIFRANCE}",
    )
    interpellations.send(by=secretary, interpellation=item)
    link = re.search(r"/interpellations/reponse/\w+/", mail.outbox[-1].body).group(0)

    def answer_empty(page):
        page.get_by_role("button", name="Envoyer la réponse").click()
        return page.get_by_text("Le formulaire contient 2 erreurs")

    return Visit(link, "Répondre à l'interpellation", "Onze enfants", then=answer_empty)


def _petition(settings, live_server):
    petition = journeys.open_petition(settings, live_server)
    for code, name in [
        ("04", "Alpes-de-Haute-Provence"),
        ("64", "Pyrénées-Atlantiques"),
        ("90", "Territoire de Belfort"),
        ("93", "Seine-Saint-Denis"),
    ]:
        departement = DepartementFactory(code=code, name=name)
        commune = CommuneFactory(code=f"{code}001", name=f"Ville {code}", departement=departement)
        for signature in SignatureFactory.create_batch(2, petition=petition, commune=commune):
            petitions.confirm(Signature.objects.select_related("petition").get(pk=signature.pk))
    return petition


def petition_page(live_server, settings):
    petition = _petition(settings, live_server)
    return Visit("/petition/", petition.title, "Territoire de Belfort (90)")


def petition_sign(live_server, settings):
    _petition(settings, live_server)

    def sign_with_errors(page):
        page.locator("#id_email").fill("camille.dupont@exemple")
        page.get_by_role("button", name="Signer").click()
        return page.locator("#resume-erreurs")

    return Visit("/petition/signer/", "Signer la pétition", "Prénom", then=sign_with_errors)


def petition_thanks(live_server, settings):
    _petition(settings, live_server)
    return Visit("/petition/merci/", "confirmez votre signature", "courriel")


def safeguarding_queue(live_server, settings):
    referent = UserFactory(first_name="Rita", last_name="Référente")
    secret = pyotp.random_base32()
    TOTP.activate(referent, secret)
    Role.objects.create(user=referent, kind="referent_protection", scope_level="national")
    proposal = published(title="Des maisons des familles ouvertes le soir et le samedi")
    comment = proposals.add_comment(proposal, by=UserFactory(), body=f"Voir {LEGIFRANCE}")
    safeguarding.flag_danger(comment, by=UserFactory(), reason="Un enfant parle de coups")
    return Visit(
        "/signalements/",
        "Signalements de danger",
        "1 signalement à traiter",
        user=referent,
        totp=secret,
    )


# fmt: off
PAGES = [
    proposal_list, proposal_page, proposal_form, law_page, law_comparison, law_list, law_versions,
    charter_page, charter_article, interpellation_list, interpellation_page, institutions,
    answer_page, petition_page, petition_sign, petition_thanks, safeguarding_queue,
]
# fmt: on


@pytest.mark.parametrize("build", PAGES, ids=[build.__name__ for build in PAGES])
def test_the_page_fits_a_360_px_wide_phone(
    build, new_context, live_server, commune, colleges, settings
):
    settings.SITE_URL = live_server.url
    visit = build(live_server, settings)
    if visit.totp:
        page = journeys.log_in_with_totp(
            lambda: new_context(viewport=PHONE), live_server, visit.user, visit.totp
        )
    else:
        page = new_context(viewport=PHONE).new_page()
        if visit.user:
            log_in(page, live_server, visit.user)
    response = page.goto(live_server.url + visit.path)
    assert response.status == 200, visit.path
    assert visit.heading in page.locator("main").get_by_role("heading", level=1).inner_text()
    assert "INVALID_TEMPLATE_VARIABLE" not in page.content()
    expect(page.locator("main")).to_contain_text(visit.shows, use_inner_text=True)
    fits_a_phone(page)
    if visit.then:
        visit.then(page).first.wait_for()
        fits_a_phone(page)
