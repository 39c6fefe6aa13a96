"""The public library of practices in a real browser: a French search typed without accents, a
filter, the CSV of the answer; and no serious or critical axe-core violation on the list and
fiche pages."""

import re
from pathlib import Path

import pytest

from enfance.practices import library
from enfance.practices.enums import EvidenceStage, PracticeLevel, ReferenceList
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.practices.factories import PracticeFactory, option


@pytest.fixture
def fiches(transactional_db):
    parentalite = option(ReferenceList.THEME, "Parentalité")
    scolarite = option(ReferenceList.THEME, "Scolarité")
    made = {
        "declared": PracticeFactory(
            title="Éducation à la parentalité en milieu rural",
            description="Des ateliers pour les pères et mères d'enfants accueillis.",
            theme=parentalite,
        ),
        "other_theme": PracticeFactory(
            title="Éducation numérique au collège",
            description="Des ateliers sur les écrans.",
            theme=scolarite,
        ),
        "onpe": PracticeFactory(
            title="Visites médiatisées",
            description="Un cadre pour les rencontres entre parents et enfants.",
            level=PracticeLevel.ONPE,
            evidence_stage=EvidenceStage.ONPE,
            evidence_level=3,
            objectives="Maintenir le lien familial.",
            theme=parentalite,
        ),
    }
    for practice in made.values():
        library.index_practice(practice)
    return made


@pytest.fixture
def axe_page(new_context, live_server):
    return new_context(bypass_csp=True).new_page()


def test_a_visitor_searches_without_accents_filters_and_downloads(page, live_server, fiches):
    page.goto(live_server.url + "/pratiques/")
    page.get_by_label("Rechercher une pratique").fill("education")
    page.get_by_role("button", name="Rechercher", exact=True).click()
    page.wait_for_url(re.compile(r"/pratiques/\?q=education"))
    results = page.locator("#resultats")
    assert "2 pratiques trouvées" in results.inner_text()
    # DSFR draws the box on the label, which is what a person clicks.
    page.locator("label", has_text="Parentalité (1)").click()
    page.get_by_role("button", name="Appliquer les filtres").click()
    page.wait_for_url(re.compile(r"thematique="))
    assert "1 pratique trouvée" in results.inner_text()
    assert page.get_by_role("link", name=fiches["declared"].title).is_visible()
    assert page.get_by_text("Éducation numérique au collège").count() == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger ces résultats (CSV)").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert fiches["declared"].title in content
    assert "Éducation numérique" not in content
    page.get_by_role("link", name=fiches["declared"].title).click()
    page.wait_for_url(re.compile(rf"/pratiques/{fiches['declared'].pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == fiches["declared"].title
    assert page.js_errors == []


@pytest.mark.parametrize(
    "path",
    ["/pratiques/", "/pratiques/?q=education&thematique={theme}&niveau=1", "/pratiques/?q=zzz"],
)
def test_library_pages_have_no_serious_violation(axe_page, live_server, fiches, path):
    path = path.format(theme=fiches["declared"].theme_id)
    assert axe_page.goto(live_server.url + path).status == 200
    assert_no_blocking_violation(axe_page)


@pytest.mark.parametrize("which", ["declared", "onpe"])
def test_fiche_pages_have_no_serious_violation(axe_page, live_server, fiches, which):
    assert axe_page.goto(live_server.url + fiches[which].get_absolute_url()).status == 200
    assert_no_blocking_violation(axe_page)
