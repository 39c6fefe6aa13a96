"""A proposal from end to end, in real browsers, one context (cookie jar) per person: a citizen
writes a proposal (and sees a similar one while typing its title) and publishes it, two people
support it, the instance's secretary puts it under deliberation, a member's amendment is voted
and accepted, the members adopt the proposal and the secretary transmits it to the national
level; a comment flagged "danger pour un enfant" leaves the page. Axe checks the list, the
proposal page and the form."""

import re
from importlib import import_module

from django.apps import apps

from enfance.proposals.enums import AmendmentState, ProposalState
from enfance.proposals.models import Proposal
from enfance.safeguarding.models import DangerReport
from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_democracy_journey import log_in, no_invalid_variable, see_message
from tests.factories import UserFactory
from tests.proposals.factories import published

TITLE = "Ouvrir une maison des familles dans chaque bassin de vie"
NEW_BODY = "Ouvrir une maison des familles par bassin de vie, ouverte le soir et le samedi."


def _themes():
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


def test_a_proposal_goes_from_a_citizen_to_the_national_level(
    new_context, live_server, colleges, commune
):
    _themes()
    published(title="Des maisons des familles dans chaque canton")
    instance = InstanceFactory(departement=commune.departement)
    secretary = secretary_of(instance)
    members = [seat_directly(instance, "parents").user for _ in range(2)]
    citizen = UserFactory(first_name="Inès", last_name="Morel")
    supporters = [UserFactory(), UserFactory()]

    # 1. The citizen writes; a similar proposal appears while the title is typed.
    writer = log_in(new_context, live_server, citizen)
    writer.goto(live_server.url + "/propositions/ecrire/")
    writer.get_by_label("Titre").press_sequentially(TITLE, delay=5)
    writer.locator("#propositions-proches").get_by_text(
        "Des maisons des familles dans chaque canton"
    ).wait_for()
    writer.get_by_label("Le problème constaté sur le terrain").fill("Pas de lieu d'aide.")
    writer.get_by_label("La proposition", exact=False).first.fill("Ouvrir une maison des familles.")
    writer.get_by_label("L'effet attendu").fill("Des parents soutenus plus tôt.")
    writer.get_by_role("button", name="Publier").click()
    see_message(writer, "Votre proposition a été publiée")
    no_invalid_variable(writer)
    proposal = Proposal.objects.get(title=TITLE)
    url = live_server.url + proposal.get_absolute_url()

    # 2. Two people support it.
    for person in supporters:
        page = log_in(new_context, live_server, person)
        page.goto(url)
        page.get_by_role("button", name="Soutenir").click()
        see_message(page, "Merci pour votre soutien")
    proposal.refresh_from_db()
    assert proposal.support_count == 2

    # 3. The secretary puts it under deliberation; a member proposes an amendment.
    secretariat = log_in(new_context, live_server, secretary)
    secretariat.goto(url)
    secretariat.get_by_role("button", name="Mettre en délibération").click()
    see_message(secretariat, "La proposition est en délibération")
    voters = [log_in(new_context, live_server, member) for member in members]
    voters[0].goto(url)
    voters[0].get_by_role("link", name="Déposer un amendement").click()
    voters[0].get_by_label("Partie à modifier").select_option(label="La proposition")
    voters[0].get_by_label("Nouvelle rédaction").fill(NEW_BODY)
    voters[0].get_by_role("button", name="Déposer l'amendement").click()
    see_message(voters[0], "L'amendement n° 1 est déposé")

    # 4. The amendment is voted and accepted.
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
    secretariat.get_by_text(NEW_BODY).first.wait_for()

    # 5. The members adopt it; the secretary transmits it with the decision.
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
    assert proposal.decision_summary.startswith(f"Adoptée par {instance} : 2 pour, 0 contre")

    # 6. A comment flagged "danger pour un enfant" leaves the page at once.
    commenter = log_in(new_context, live_server, supporters[0])
    commenter.goto(url)
    commenter.get_by_label("Votre commentaire").fill("Un enfant de mon immeuble pleure la nuit.")
    commenter.get_by_role("button", name="Publier le commentaire").click()
    see_message(commenter, "Votre commentaire est publié")
    commenter.get_by_role("link", name=re.compile("^Danger pour un enfant")).last.click()
    commenter.get_by_role("button", name="Signaler un danger").click()
    see_message(commenter, "Le texte est retiré de l'affichage public")
    commenter.goto(url)
    assert commenter.get_by_text("Un enfant de mon immeuble pleure la nuit.").count() == 0
    assert DangerReport.objects.open().count() == 1


def test_the_proposal_pages_have_no_serious_violation(new_context, live_server, colleges):
    _themes()
    proposal = published(title="Des maisons des familles dans chaque canton")
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
