"""A citizen who signed the petition, registered to an atelier and wrote a proposal downloads
their data (JSON and PDF hold all three), then deletes their account; a second account's
registration and proposal are untouched. The footer leads to the legal pages, which axe-core
finds without a serious violation."""

import json
import re
from pathlib import Path

import pytest
from django.utils import timezone

from enfance.accounts.models import User
from enfance.events import services as events
from enfance.events.enums import RegistrationStatus
from enfance.events.models import Registration
from enfance.petitions.models import Signature
from enfance.proposals.models import Proposal
from tests.e2e.journeys import load_themes
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_democracy_journey import log_in, no_invalid_variable, see_message
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.pdf_text import shown_text
from tests.petitions.factories import PetitionFactory, SignatureFactory
from tests.proposals.factories import published

ATELIER = "Atelier des familles de Lyon"
PROPOSAL = "Un lieu d'écoute pour les parents dans chaque quartier"
PETITION = "Pour l'adoption du Ministère de la Protection de l'Enfance"
LEGAL_PAGES = {
    "Accessibilité : non conforme": "Déclaration d'accessibilité",
    "Mentions légales": "Mentions légales",
    "Données personnelles": "Vos données personnelles",
    "Registre des traitements": "Registre des traitements",
}


def download(page, link_name) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return Path(info.value.path()).read_bytes()


def test_a_citizen_downloads_then_deletes_their_data(new_context, live_server, commune):
    load_themes()
    atelier = EventFactory(title=ATELIER, commune=commune)
    petition = PetitionFactory(title=PETITION)
    citizen = UserFactory(first_name="Camille", last_name="Dupont", email="camille@exemple.fr")
    # Signed with the account's address; the petition's own journey tests the signing pages.
    SignatureFactory(petition=petition, email=citizen.email, confirmed_at=timezone.now())
    second = UserFactory(first_name="Dominique", email="dominique@exemple.fr")
    kept_registration = events.register(atelier, by=second)
    kept_proposal = published(author=second, title="Des maisons des familles")

    page = log_in(new_context, live_server, citizen)
    page.goto(live_server.url + atelier.get_absolute_url())
    page.get_by_role("button", name="M'inscrire", exact=True).click()
    see_message(page, "Votre inscription est confirmée")
    page.goto(live_server.url + "/propositions/ecrire/")
    page.get_by_label("Titre").fill(PROPOSAL)
    page.get_by_label("Le problème constaté sur le terrain").fill("Les parents sont seuls.")
    page.get_by_label("La proposition", exact=False).first.fill("Ouvrir un lieu d'écoute.")
    page.get_by_label("L'effet attendu").fill("Des parents soutenus plus tôt.")
    page.get_by_role("button", name="Publier").click()
    see_message(page, "Votre proposition a été publiée")

    page.goto(live_server.url + "/mon-compte/")
    data = json.loads(download(page, "Télécharger mes données (JSON)"))
    assert [r["evenement"] for r in data["inscriptions_aux_evenements"]] == [ATELIER]
    assert [p["titre"] for p in data["propositions"]] == [PROPOSAL]
    assert [s["petition"] for s in data["signatures_de_la_petition"]] == [PETITION]
    text = shown_text(download(page, "Télécharger mes données (PDF à lire)"))
    for expected in (ATELIER, PROPOSAL, PETITION, "camille@exemple.fr"):
        assert expected in text, expected

    page.get_by_role("link", name="Supprimer mon compte").click()
    no_invalid_variable(page)
    page.get_by_label("Pour confirmer, tapez SUPPRIMER").fill("SUPPRIMER")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    page.wait_for_url(live_server.url + "/")
    see_message(page, "Votre compte et vos données ont été supprimés.")

    assert not User.objects.filter(email="camille@exemple.fr").exists()
    assert not Signature.objects.filter(email="camille@exemple.fr").exists()
    assert Proposal.objects.get(title=PROPOSAL).author is None
    assert list(Registration.objects.filter(event=atelier)) == [kept_registration]
    assert Registration.objects.get().status == RegistrationStatus.REGISTERED
    kept = Proposal.objects.get(pk=kept_proposal.pk)
    assert (kept.author, kept.title) == (second, "Des maisons des familles")

    # The proposal, still public, is signed by no one.
    page.goto(live_server.url + Proposal.objects.get(title=PROPOSAL).get_absolute_url())
    assert "Camille" not in page.locator("main").inner_text()


@pytest.mark.parametrize(("link", "heading"), LEGAL_PAGES.items())
def test_the_footer_leads_to_the_legal_pages(new_context, live_server, link, heading):
    page = new_context(bypass_csp=True).new_page()
    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name=link).click()
    page.wait_for_url(re.compile(r"/[a-z-]+/$"))
    assert page.get_by_role("heading", level=1).inner_text() == heading
    no_invalid_variable(page)
    assert_no_blocking_violation(page)


def test_the_retention_table_reads_on_a_phone(new_context, live_server):
    page = new_context(bypass_csp=True, viewport={"width": 360, "height": 740}).new_page()
    page.goto(live_server.url + "/donnees-personnelles/")
    assert_no_blocking_violation(page)
