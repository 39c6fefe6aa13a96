"""The legal pages a public service owes: mentions légales, données personnelles (with the
retention table written from the modules' declarations), registre des traitements, and the
accessibility statement, all reached from the footer of every page."""

import html

import pytest
from django.test import override_settings
from django.utils.html import escape

from enfance.core import privacy

pytestmark = pytest.mark.django_db

LEGAL_PAGES = {
    "/mentions-legales/": "Mentions légales",
    "/donnees-personnelles/": "Vos données personnelles",
    "/registre-des-traitements/": "Registre des traitements",
    "/accessibilite/": "Déclaration d'accessibilité",
}


@pytest.mark.parametrize("url", LEGAL_PAGES)
def test_the_footer_of_every_page_leads_to_the_legal_pages(client, url):
    home = client.get("/").content.decode()
    assert f'href="{url}"' in home
    page = client.get(url)
    assert page.status_code == 200
    assert f"<h1>{LEGAL_PAGES[url]}</h1>" in page.content.decode()


def test_the_retention_table_is_what_the_modules_declare(client):
    page = client.get("/donnees-personnelles/").content.decode()
    for declaration in privacy.declarations():
        assert f"<caption>{escape(declaration.processing.name)}</caption>" in page
        for holding in declaration.holdings:
            row = (
                f"<td>{escape(holding.what)}</td>\n        <td>{escape(holding.retention)}</td>"
                f"\n        <td>{escape(holding.fate.capitalize())}</td>"
            )
            assert row in page, holding


def test_the_register_describes_every_processing(client):
    page = client.get("/registre-des-traitements/").content.decode()
    for declaration in privacy.declarations():
        processing = declaration.processing
        for value in (processing.purpose, processing.legal_basis, processing.recipients):
            assert escape(value) in page


def test_the_accessibility_statement_says_what_is_true(client):
    page = client.get("/accessibilite/").content.decode()
    assert "<strong>non conforme</strong>" in page and "aucun audit complet" in page
    assert "axe-core" in page
    assert "Accessibilité : non conforme" in client.get("/").content.decode()


def test_the_operator_fills_in_the_legal_notice(client):
    assert (
        "Non indiqué pour cette installation." in client.get("/mentions-legales/").content.decode()
    )
    with override_settings(
        LEGAL_PUBLISHER="Association MPE, 1 rue de la Paix, 75002 Paris",
        LEGAL_HOST="Hébergeur SAS, 2 rue du Nuage, 59000 Lille",
        LEGAL_PUBLICATION_DIRECTOR="Camille Martin",
        LEGAL_CONTACT_EMAIL="donnees@exemple.fr",
    ):
        notice = client.get("/mentions-legales/").content.decode()
        privacy_page = client.get("/donnees-personnelles/").content.decode()
        accessibility = client.get("/accessibilite/").content.decode()
    assert "Hébergeur SAS, 2 rue du Nuage" in notice and "Camille Martin" in notice
    assert 'href="mailto:donnees@exemple.fr"' in privacy_page
    assert 'href="mailto:donnees@exemple.fr"' in accessibility


def test_every_page_says_it_is_a_citizen_initiative_until_the_ministry_exists(client):
    home = html.unescape(client.get("/").content.decode())
    assert "Initiative citoyenne, pas un service de l'État" in home
    assert 'href="/qui-sommes-nous/"' in home
    about = html.unescape(client.get("/qui-sommes-nous/").content.decode())
    assert "<h1>Qui sommes-nous ?</h1>" in about
    assert "Ce n'est pas, aujourd'hui, un service de l'État" in about
    assert "aucune décision" in about


@override_settings(STATE_BRAND=True)
def test_once_adopted_the_header_carries_the_state_brand_instead(client):
    home = client.get("/").content.decode()
    assert "République<br>française" in home
    assert "Initiative citoyenne" not in home
    about = html.unescape(client.get("/qui-sommes-nous/").content.decode())
    assert "aujourd'hui un service de l'État" in about
