"""The steps of the citizen journeys, shared by the journey of each module and by the one that
walks them all on the same data (test_citizens_to_law_journey.py).

Each step drives real pages, asserts what a person sees there, and returns what the next step
needs. Steps take the pages of people already logged in where the journey has them, so that a
chained journey keeps one browser context (cookie jar) per person.
"""

import re
from importlib import import_module

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.core import mail
from playwright.sync_api import expect

from enfance.accounts.models import Role
from enfance.interpellations.enums import State
from enfance.interpellations.models import Interpellation
from enfance.proposals.enums import AmendmentState, ProposalState
from enfance.proposals.models import Proposal
from enfance.safeguarding.models import DangerReport
from enfance.texts.enums import ArticleProposalState
from enfance.texts.models import ArticleComment, ArticleProposal, LawProposal, Text
from enfance.votes.models import Participation
from tests.e2e.test_democracy_journey import (
    PASSWORD,
    log_in,
    no_invalid_variable,
    see_message,
)
from tests.factories import UserFactory, totp_now
from tests.petitions.factories import PetitionFactory

# Proposals ---------------------------------------------------------------------------------------

PROPOSAL_TITLE = "Ouvrir une maison des familles dans chaque bassin de vie"
SIMILAR_TITLE = "Des maisons des familles dans chaque canton"
AMENDED_BODY = "Ouvrir une maison des familles par bassin de vie, ouverte le soir et le samedi."


def load_themes():
    # The live server flushes the database, themes (a data migration) included.
    import_module("enfance.proposals.migrations.0001_initial").load_themes(apps, None)


def _vote_for(page, link_name):
    page.reload()
    page.get_by_role("link", name=link_name).first.click()
    page.wait_for_url(re.compile(r"/votes/\d+/$"))
    form = page.locator("main form").filter(has=page.get_by_role("button", name="Voter"))
    form.get_by_text("Pour", exact=True).click()
    form.get_by_role("button", name="Voter").click()
    page.get_by_text("Votre vote a été enregistré").wait_for()
    page.go_back()
    page.go_back()


def write_proposal(new_context, live_server, citizen):
    """The citizen writes and publishes PROPOSAL_TITLE; the proposal SIMILAR_TITLE, published
    beforehand, appears while the title is typed. Returns the citizen's page and the proposal."""
    writer = log_in(new_context, live_server, citizen)
    writer.goto(live_server.url + "/propositions/ecrire/")
    writer.get_by_label("Titre").press_sequentially(PROPOSAL_TITLE, delay=5)
    writer.locator("#propositions-proches").get_by_text(SIMILAR_TITLE).wait_for()
    writer.get_by_label("Le problème constaté sur le terrain").fill("Pas de lieu d'aide.")
    writer.get_by_label("La proposition", exact=False).first.fill("Ouvrir une maison des familles.")
    writer.get_by_label("L'effet attendu").fill("Des parents soutenus plus tôt.")
    writer.get_by_role("button", name="Publier").click()
    see_message(writer, "Votre proposition a été publiée")
    no_invalid_variable(writer)
    return writer, Proposal.objects.get(title=PROPOSAL_TITLE)


def support(new_context, live_server, proposal, supporters):
    """Each supporter supports the proposal from its page."""
    for person in supporters:
        page = log_in(new_context, live_server, person)
        page.goto(live_server.url + proposal.get_absolute_url())
        page.get_by_role("button", name="Soutenir").click()
        see_message(page, "Merci pour votre soutien")
    proposal.refresh_from_db()
    assert proposal.support_count == len(supporters)


def amend(new_context, live_server, proposal, secretary, members):
    """The secretary puts the proposal under deliberation; the first member's amendment (a new
    wording of « La proposition ») is voted by the members and accepted. Returns the secretary's
    page and the members' pages."""
    url = live_server.url + proposal.get_absolute_url()
    secretariat = log_in(new_context, live_server, secretary)
    secretariat.goto(url)
    secretariat.get_by_role("button", name="Mettre en délibération").click()
    see_message(secretariat, "La proposition est en délibération")
    voters = [log_in(new_context, live_server, member) for member in members]
    voters[0].goto(url)
    voters[0].get_by_role("link", name="Déposer un amendement").click()
    voters[0].get_by_label("Partie à modifier").select_option(label="La proposition")
    voters[0].get_by_label("Nouvelle rédaction").fill(AMENDED_BODY)
    voters[0].get_by_role("button", name="Déposer l'amendement").click()
    see_message(voters[0], "L'amendement n° 1 est déposé")

    secretariat.goto(url)
    secretariat.get_by_role("button", name="Mettre au vote l'amendement n° 1").click()
    see_message(secretariat, "Le vote sur l'amendement n° 1 est ouvert")
    for page in voters:
        page.goto(url)
        _vote_for(page, "Le vote sur l'amendement n° 1")
    secretariat.goto(url)
    secretariat.get_by_role("button", name="Clore le vote sur l'amendement n° 1").click()
    see_message(secretariat, "est clos")
    assert proposal.amendments.get().state == AmendmentState.ACCEPTED
    secretariat.get_by_text(AMENDED_BODY).first.wait_for()
    return secretariat, voters


def adopt_and_transmit(live_server, proposal, instance, secretariat, voters):
    """The members adopt the amended proposal (all for); the secretary transmits it to the
    national level with the decision."""
    url = live_server.url + proposal.get_absolute_url()
    secretariat.goto(url)
    secretariat.get_by_role("button", name="Ouvrir le vote final").click()
    see_message(secretariat, "Le vote final est ouvert")
    for page in voters:
        page.goto(url)
        _vote_for(page, "Adoption de la proposition")
    secretariat.goto(url)
    secretariat.get_by_role("button", name="Clore le vote final").click()
    secretariat.get_by_text("Adoptée par").first.wait_for()
    secretariat.get_by_role("button", name="Transmettre au national").click()
    see_message(secretariat, "transmise au niveau national")
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.TRANSMITTED
    assert proposal.decision_summary.startswith(
        f"Adoptée par {instance} : {len(voters)} pour, 0 contre"
    )


def flag_a_comment_as_danger(new_context, live_server, proposal, commenter):
    """A comment flagged « danger pour un enfant » leaves the page at once."""
    url = live_server.url + proposal.get_absolute_url()
    page = log_in(new_context, live_server, commenter)
    page.goto(url)
    page.get_by_label("Votre commentaire").fill("Un enfant de mon immeuble pleure la nuit.")
    page.get_by_role("button", name="Publier le commentaire").click()
    see_message(page, "Votre commentaire est publié")
    page.get_by_role("link", name=re.compile("^Danger pour un enfant")).last.click()
    page.get_by_role("button", name="Signaler un danger").click()
    see_message(page, "Le texte est retiré de l'affichage public")
    page.goto(url)
    assert page.get_by_text("Un enfant de mon immeuble pleure la nuit.").count() == 0
    assert DangerReport.objects.open().count() == 1


# Texts and law proposals -------------------------------------------------------------------------

LAW_TITLE = "Proposition de loi relative aux séjours d'observation"
ARTICLE_1 = "Avant toute décision de placement, un séjour d'observation de {} heures est proposé."


def administrator():
    """The administrateur national, with a TOTP device (mandatory for the role)."""
    admin = UserFactory(email="admin@exemple.fr", first_name="Jeanne", last_name="Dupuis")
    secret = pyotp.random_base32()
    TOTP.activate(admin, secret)
    Role.objects.create(user=admin, kind="administrateur_national", scope_level="national")
    return admin, secret


def log_in_with_totp(new_context, live_server, user, totp_secret):
    page = new_context().new_page()
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/comptes/2fa/authenticate/$"))
    page.locator("#id_code").fill(totp_now(totp_secret))
    page.get_by_role("button", name=re.compile("Connexion|Se connecter|Valider")).click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))
    return page


def consolidate_law_proposal(admin_page, live_server, source):
    """The administrateur national consolidates the adopted proposal `source` into LAW_TITLE
    (two articles); the law proposal's page links back to `source`. Returns the law proposal."""
    admin_page.goto(live_server.url + "/propositions-de-loi/")
    admin_page.get_by_role("link", name="Rédiger une proposition de loi").click()
    admin_page.locator("#id_title").fill(LAW_TITLE)
    admin_page.locator("#id_preamble").fill("Les évaluations des familles sont trop rapides.")
    admin_page.locator("label", has_text=source.title).click()
    admin_page.locator("#id_article_0_body").fill(ARTICLE_1.format(48))
    admin_page.locator("#id_article_1_body").fill("Le séjour a lieu dans un cadre neutre.")
    admin_page.get_by_role("button", name="Créer la proposition de loi").click()
    see_message(admin_page, "La proposition de loi est créée")
    no_invalid_variable(admin_page)
    law = LawProposal.objects.get()
    assert list(law.source_proposals.all()) == [source]
    admin_page.get_by_role(
        "heading", name="Propositions citoyennes à l'origine de ce texte"
    ).wait_for()
    back = admin_page.locator("main").get_by_role("link", name=source.title)
    assert back.is_visible()
    assert back.get_attribute("href") == source.get_absolute_url()
    return law


def see_where_the_proposal_went(page, live_server, proposal, law):
    """The proposal's page names the law proposal that consolidates it, with a link."""
    page.goto(live_server.url + proposal.get_absolute_url())
    page.get_by_role("heading", name="Où elle est allée").wait_for()
    link = page.locator("main").get_by_role("link", name=LAW_TITLE)
    assert link.get_attribute("href") == law.get_absolute_url()
    assert "proposition de loi" in link.locator("xpath=..").inner_text()
    no_invalid_variable(page)


def publish_version_2_and_compare(admin_page):
    """From the law proposal's page, the administrateur national rewrites article 1 (48 hours
    become 72): version 2; the comparison of versions 1 and 2 shows article 1 changed."""
    admin_page.get_by_role("link", name="Publier une nouvelle version").click()
    admin_page.locator("#id_article_0_body").fill(ARTICLE_1.format(72))
    admin_page.locator("#id_summary").fill("Le séjour dure 72 heures.")
    admin_page.get_by_role("button", name="Publier la version 2").click()
    see_message(admin_page, "La version 2 est publiée.")
    admin_page.get_by_role("link", name="ce qui a changé depuis la version précédente").click()
    admin_page.wait_for_url(re.compile(r"/comparer/$"))
    no_invalid_variable(admin_page)
    main = admin_page.locator("main")
    main.get_by_role("heading", name="De la version 1 à la version 2").wait_for()
    main.get_by_text("1 article modifié, 0 ajouté, 0 supprimé, 1 inchangé").wait_for()
    changed = main.locator(".texts-diff section").filter(has_text="Article modifié")
    assert changed.get_by_role("heading").inner_text().startswith("Article 1er")
    assert changed.locator("del").text_content() == "[texte retiré : 48]"
    assert changed.locator("ins").text_content() == "[texte ajouté : 72]"
    assert LawProposal.objects.get().current_version.number == 2


def comment_and_propose_wording(citizen_page, live_server, citizen):
    """A citizen comments on article 1 of the charter (version 1, in consultation) and proposes
    a new wording of it."""
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


def integrate_wording(admin_page, citizen_page, live_server, article):
    """The editor integrates the proposed wording: version 2 of the charter, to which the
    citizen's proposal now links."""
    admin_page.goto(live_server.url + Text.objects.get(slug="charte").url("article", article.key))
    admin_page.get_by_role("button", name=re.compile("Intégrer dans une nouvelle version")).click()
    see_message(admin_page, "la version 2 est publiée")
    proposal = ArticleProposal.objects.get()
    assert proposal.state == ArticleProposalState.INTEGRATED
    assert proposal.integrated_in.number == 2
    citizen_page.reload()
    citizen_page.get_by_role("link", name="version 2").wait_for()
    assert "qui l'écoute" in citizen_page.locator("blockquote").inner_text()


# Interpellations ---------------------------------------------------------------------------------

CONTACT = "direction.enfance@rhone.exemple.fr"
INTERPELLATION_TITLE = "Des enfants placés loin de leur école"
ANSWER = "Nous ouvrons vingt places d'accueil dans la métropole avant juin."


def draft_interpellation(secretariat, live_server):
    """The instance's secretary drafts the interpellation. Returns it and its page's address."""
    secretariat.goto(live_server.url + "/interpellations/nouvelle/")
    secretariat.locator("#id_institution_kind").select_option(
        label="Aide sociale à l'enfance (département)"
    )
    secretariat.locator("#id_institution_name").fill("Conseil départemental du Rhône")
    secretariat.locator("#id_contact_email").fill(CONTACT)
    secretariat.locator("#id_title").fill(INTERPELLATION_TITLE)
    secretariat.locator("#id_facts").fill("Onze enfants placés à plus de 80 km en 2025.")
    secretariat.locator("#id_failures").fill("Les liens avec les familles ne sont pas maintenus.")
    secretariat.locator("#id_recommendations").fill("Ouvrir des places dans la métropole.")
    secretariat.get_by_role("button", name="Enregistrer le brouillon").click()
    secretariat.wait_for_url(re.compile(r"/interpellations/\d+/$"))
    see_message(secretariat, "Le brouillon est enregistré.")
    interpellation = Interpellation.objects.get(title=INTERPELLATION_TITLE)
    return interpellation, live_server.url + interpellation.get_absolute_url()


def adopt_and_send_interpellation(secretariat, members, interpellation, detail_url):
    """The secretary submits it to the vote; the secretary and the other members (`members`,
    their pages) all vote for it from its page; the secretary closes the vote and sends it."""
    secretariat.get_by_role("button", name="Soumettre au vote des membres").click()
    see_message(secretariat, "Le vote est ouvert")
    interpellation.refresh_from_db()
    assert interpellation.state == State.VOTING

    pages = [secretariat, *members]
    for page in pages:
        page.goto(detail_url)
        page.get_by_role("link", name="aller au vote").click()
        page.wait_for_url(re.compile(rf"/votes/{interpellation.ballot_id}/$"))
        form = page.locator("main form").filter(has=page.get_by_role("button", name="Voter"))
        form.get_by_text("Pour", exact=True).click()
        form.get_by_role("button", name="Voter").click()
        page.get_by_text("Votre vote a été enregistré").wait_for()
        no_invalid_variable(page)
    assert Participation.objects.filter(ballot=interpellation.ballot_id).count() == len(pages)

    secretariat.goto(detail_url)
    secretariat.get_by_role("button", name="Clore le vote et enregistrer le résultat").click()
    see_message(secretariat, "L'interpellation est adoptée.")
    secretariat.get_by_text(f"{len(pages)} pour, 0 contre, 0 abstention").wait_for()
    secretariat.get_by_role("button", name="Envoyer à l'institution").click()
    see_message(secretariat, f"L'interpellation est envoyée à {CONTACT}")
    no_invalid_variable(secretariat)


def answer_through_the_link(new_context, live_server, interpellation):
    """The institution opens the secret link of its e-mail, without an account, and answers
    (after a first empty try, explained); the link serves once."""
    message = next(m for m in mail.outbox if m.to == [CONTACT])
    path = re.search(r"https?://[^/\s]+(/interpellations/reponse/\w+/)", message.body).group(1)
    institution = new_context().new_page()
    institution.goto(live_server.url + path)
    institution.get_by_role(
        "heading", name=f"Répondre à l'interpellation « {INTERPELLATION_TITLE} »"
    ).wait_for()
    institution.get_by_role("button", name="Envoyer la réponse").click()
    institution.get_by_text("Le formulaire contient 2 erreurs").wait_for()
    institution.locator("#id_signatory").fill("Marie Durand, directrice de l'enfance")
    institution.locator("#id_text").fill(ANSWER)
    institution.get_by_role("button", name="Envoyer la réponse").click()
    institution.get_by_text("Merci, votre réponse est enregistrée").wait_for()
    interpellation.refresh_from_db()
    assert interpellation.state == State.ANSWERED
    institution.goto(live_server.url + path)
    institution.get_by_text("Cette interpellation a déjà reçu sa réponse").wait_for()


def read_the_answer(new_context, live_server, detail_url):
    """Anyone, without an account, finds it « Répondue » in the list and reads the answer."""
    public = new_context().new_page()
    public.goto(live_server.url + "/interpellations/")
    row = public.get_by_role("row").filter(has_text=INTERPELLATION_TITLE)
    row.get_by_text("Répondue", exact=True).wait_for()
    row.get_by_role("link", name=INTERPELLATION_TITLE).click()
    public.wait_for_url(detail_url)
    public.get_by_text(ANSWER).wait_for()
    public.get_by_text("— Marie Durand, directrice de l'enfance").wait_for()
    no_invalid_variable(public)


# Petition ----------------------------------------------------------------------------------------

PETITION_TITLE = "Pour l'adoption du Ministère de la Protection de l'Enfance"
CONFIRMATION_LINK = re.compile(r"https?://\S+/petition/confirmer/\S+/")
SIGNER_EMAIL = "camille.dupont@exemple.fr"
# The open page polls the counter every 5 s (htmx) and the counts are cached for 3 s: the new
# figure shows within two polls. Waiting for it returns as soon as it does.
COUNTER_MOVES_WITHIN_MS = 12_000


def open_petition(settings, live_server):
    """The current petition, its links pointing at the live server."""

    # The e-mail job runs at once in tests (immediate backend); no per-process throttle.
    settings.PETITION_EMAIL_DRAIN_INTERVAL = 0
    settings.SITE_URL = live_server.url
    return PetitionFactory(title=PETITION_TITLE)


def signatures(number: int) -> str:
    """The counter as the page writes it (French: 0 and 1 take the singular)."""
    return f"{number} signature{'s' if number > 1 else ''}"


def counter(page) -> str:
    return page.locator("#compteur h2").inner_text()


def counter_number(page) -> int:
    return int(re.sub(r"\D", "", counter(page)))


def _consent(page) -> None:
    # DSFR draws the checkbox under its label: a person clicks the label.
    if not page.locator("#id_consent").is_checked():
        page.locator("label[for=id_consent]").click()
    assert page.locator("#id_consent").is_checked()


def sign_and_confirm(page, live_server):
    """A visitor signs with a mistyped address (explained, nothing typed is lost), corrects it,
    receives one e-mail and confirms through its link."""
    page.goto(live_server.url + "/petition/")
    page.get_by_role("link", name="Signer la pétition").first.click()
    page.wait_for_url(re.compile(r"/petition/signer/$"))
    page.locator("#id_first_name").fill("Camille")
    page.locator("#id_last_name").fill("Dupont")
    page.locator("#id_email").fill("camille.dupont@exemple")
    page.locator("#id_commune").fill("Lyon (69001)")
    _consent(page)
    sent_before = len(mail.outbox)
    page.get_by_role("button", name="Signer").click()
    page.locator("#resume-erreurs").wait_for()
    assert page.locator("#id_last_name").input_value() == "Dupont"
    assert page.locator("#id_commune").input_value() == "Lyon (69001)"
    page.locator("#id_email").fill(SIGNER_EMAIL)
    _consent(page)
    page.get_by_role("button", name="Signer").click()
    page.wait_for_url(re.compile(r"/petition/merci/$"))
    assert "confirmez votre signature" in page.get_by_role("heading", level=1).inner_text()

    sent = mail.outbox[sent_before:]
    assert [m.to for m in sent] == [[SIGNER_EMAIL]], [m.subject for m in sent]
    page.goto(CONFIRMATION_LINK.search(sent[0].body).group(0))
    page.get_by_role("button", name="Confirmer ma signature").click()
    page.wait_for_url(re.compile(r"/petition/confirmee/$"))
    assert "votre signature est confirmée" in page.get_by_role("heading", level=1).inner_text()
    assert page.js_errors == []


def counter_moves(watcher, before: int) -> int:
    """The page left open (`watcher`) shows one more signature than `before`, without a reload.
    Returns the number it shows."""
    expect(watcher.locator("#compteur h2")).to_have_text(
        signatures(before + 1), timeout=COUNTER_MOVES_WITHIN_MS
    )
    return counter_number(watcher)
