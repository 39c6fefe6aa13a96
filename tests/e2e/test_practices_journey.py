"""An inspiring practice from declaration to the library, in real browsers, one context per
person: a declarant accepts the conditions, fills the form (the live counter counts as the
server does), saves a draft and submits; a committee member (with TOTP) asks for more; the
declarant answers and resubmits; the member records the département's agreement and publishes;
a visitor finds the fiche with an accent-less search and downloads the CSV. axe-core checks the
form, the committee's queue and the review page on the way. « Publier » is offered only once the
département's agreement is recorded.
"""

import datetime
import re

import pyotp
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from enfance.accounts.models import Role
from enfance.practices.enums import PracticeState, ReferenceList
from enfance.practices.models import Practice, ReferenceOption
from enfance.practices.reference_data import ensure_reference_options
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.factories import CommuneFactory, UserFactory, totp_now
from tests.practices.factories import PracticeFactory

PASSWORD = "mot-de-passe-solide-2026"
TITLE = "Lieu d'accueil parents-enfants à la PMI"
DESCRIPTION = (
    "Un lieu ouvert deux après-midi par semaine.\nLes parents y viennent avec leurs enfants."
)


def log_in(new_context, live_server, email, totp_secret=None):
    # bypass_csp lets axe-core's script in; the page's own scripts carry the CSP nonce anyway.
    page = new_context(bypass_csp=True).new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()
    if totp_secret:
        page.wait_for_url(re.compile(r"/comptes/2fa/authenticate/$"))
        page.locator("#id_code").fill(totp_now(totp_secret))
        page.get_by_role("button", name=re.compile("Connexion|Se connecter|Valider")).click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))
    return page


def option_pk(list_name, label):
    return ReferenceOption.objects.get(list=list_name, label=label).pk


def check(page, name, pk):
    page.locator(f"input[name={name}][value='{pk}']").check(force=True)


def see(page, text):
    page.get_by_text(text).first.wait_for()


def test_a_practice_goes_from_declaration_to_the_library(new_context, live_server):
    # The live server flushes the database: the option lists of the data migration come back.
    ensure_reference_options(apps.get_model("practices", "ReferenceOption"))
    lyon = CommuneFactory()
    declarant = UserFactory(email="declarante@exemple.fr", first_name="Élise")
    member, secret = committee_member_with_totp()

    # The declarant reads the dispositif, accepts the conditions and fills the form.
    page = log_in(new_context, live_server, declarant.email)
    page.goto(live_server.url + "/pratiques/dispositif/")
    page.locator("main").get_by_role("link", name="Déclarer une pratique").first.click()
    page.get_by_text("J'ai lu et j'accepte les conditions ci-dessus").click()
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_url(re.compile(r"/pratiques/declarations/\d+/modifier/$"))
    practice = Practice.objects.get(declarant=declarant)
    assert practice.conditions_version

    page.locator("#id_title").fill(TITLE)
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    see(page, "Brouillon enregistré")
    assert page.locator("#id_title").input_value() == TITLE

    page.locator("#id_implemented_on").fill("21/12/2014")
    page.locator("#id_entity_name").fill("Département du Rhône")
    page.locator("#id_description").fill(DESCRIPTION)
    # The live counter counts the line break as one character, like the server.
    see(page, f"{len(DESCRIPTION)} sur 1000 caractères")
    check(page, "scale", "departementale")
    check(page, "intervention_type", option_pk(ReferenceList.INTERVENTION_TYPE, "Accueil de jour"))
    check(page, "theme", option_pk(ReferenceList.THEME, "Éducation"))
    check(page, "audience", option_pk(ReferenceList.AUDIENCE, "0 à 4 ans"))
    check(page, "relay", option_pk(ReferenceList.RELAY, "Département"))
    page.locator("#id_departement").select_option(str(lyon.departement.pk))
    page.locator("#id_structure_kind").select_option("departement")
    page.locator("#id_structure_name").fill("Conseil départemental du Rhône")
    assert_no_blocking_violation(page)
    assert page.js_errors == []
    page.get_by_role("button", name="Transmettre au comité de sélection").click()
    see(page, "Votre pratique est transmise au comité de sélection")
    practice.refresh_from_db()
    assert practice.state == PracticeState.SUBMITTED
    assert practice.description == DESCRIPTION

    # The committee member finds it in the queue and asks for more.
    committee = log_in(new_context, live_server, member.email, totp_secret=secret)
    committee.goto(live_server.url + "/pratiques/comite/")
    assert_no_blocking_violation(committee)
    committee.get_by_role("link", name=TITLE).click()
    committee.wait_for_url(re.compile(r"/suivi/$"))
    assert_no_blocking_violation(committee)
    committee.locator("#id_request_body").fill("Combien de familles accueillez-vous par an ?")
    committee.get_by_role("button", name="Demander des compléments").click()
    see(committee, "C'est fait")
    assert "[Pratiques inspirantes] Le comité vous demande des compléments" in [
        m.subject for m in mail.outbox if m.to == [declarant.email]
    ]

    # The declarant answers, completes the fiche and resubmits.
    page.goto(live_server.url + "/pratiques/mes-declarations/")
    see(page, "Compléments demandés")
    page.get_by_role("link", name=re.compile("Reprendre")).click()
    page.locator("#id_description").fill(DESCRIPTION + "\nEnviron 120 familles par an.")
    page.locator("#id_reply").fill("Environ 120 familles par an, précisé dans la description.")
    page.get_by_role("button", name="Renvoyer au comité").click()
    see(page, "Votre pratique complétée est renvoyée au comité")
    see(page, "Environ 120 familles par an, précisé")

    # The member records the département's agreement and publishes.
    committee.reload()
    see(committee, "Environ 120 familles par an, précisé")
    committee.locator("#id_given_by").fill("Claire Petit, directrice enfance-famille")
    committee.locator("#id_given_on").fill("02/03/2025")
    committee.get_by_role("button", name="Enregistrer l'accord").click()
    see(committee, "L'accord du département est enregistré")
    committee.get_by_role("button", name="Publier la fiche").click()
    see(committee, "Fiche publiée")
    practice.refresh_from_db()
    assert practice.state == PracticeState.PUBLISHED

    # A visitor finds it with an accent-less search, reads the fiche and downloads the CSV.
    visitor = new_context().new_page()
    visitor.goto(live_server.url + "/pratiques/?q=lieu+d%27accueil+parents+enfants+a+la+pmi")
    visitor.locator("main").get_by_role("link", name=TITLE).first.click()
    visitor.wait_for_url(re.compile(rf"/pratiques/{practice.pk}/$"))
    see(visitor, "Environ 120 familles par an.")
    csv = visitor.request.get(live_server.url + "/pratiques/export.csv?q=accueil+pmi")
    assert csv.ok and TITLE in csv.text()


def committee_member_with_totp():
    member = UserFactory(email="comite@exemple.fr", first_name="Bernard")
    secret = pyotp.random_base32()
    TOTP.activate(member, secret)
    Role.objects.create(user=member, kind="comite_selection", scope_level="national")
    return member, secret


def test_publishing_is_offered_once_the_departements_agreement_is_recorded(
    new_context, live_server
):
    # The service refuses to publish without the agreement: the page must not offer it before.
    ensure_reference_options(apps.get_model("practices", "ReferenceOption"))
    member, secret = committee_member_with_totp()
    practice = PracticeFactory(
        title=TITLE,
        state=PracticeState.UNDER_REVIEW,
        departement_agreement_by="",
        departement_agreement_on=None,
    )
    committee = log_in(new_context, live_server, member.email, totp_secret=secret)
    committee.goto(live_server.url + reverse("practices:review", args=[practice.pk]))
    see(committee, "Requis avant la publication.")
    publish = committee.get_by_role("button", name="Publier la fiche")
    expect(publish).to_have_count(0)

    committee.locator("#id_given_by").fill("Claire Petit, directrice enfance-famille")
    committee.locator("#id_given_on").fill(f"{datetime.date.today():%d/%m/%Y}")
    committee.get_by_role("button", name="Enregistrer l'accord").click()
    see(committee, "L'accord du département est enregistré")
    expect(publish).to_have_count(1)
    publish.click()
    see(committee, "Fiche publiée")
    practice.refresh_from_db()
    assert practice.state == PracticeState.PUBLISHED


def test_public_practice_pages_have_no_serious_violation(new_context, live_server):
    page = new_context(bypass_csp=True).new_page()
    for path in (
        "/pratiques/dispositif/",
        "/pratiques/echelle-de-preuve/",
        "/pratiques/distinctions/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_no_blocking_violation(page)
