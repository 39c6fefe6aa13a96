"""The SCIC pages in a browser: a secretary of the supervising instance enters an associate
(a refusal first), sets the colleges; axe-core passes the register and the public page, which
fits a 360 px phone and names no associate. The whole « Done when » of issue 17 (general
assembly, transfer, séjour d'observation) is test_cooperative_journey.py."""

import pytest

from enfance.care import cooperatives
from tests.assemblies.factories import InstanceFactory, secretary_of
from tests.care.test_cooperatives import FOUNDED, siren
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_care_journey import sign_in


@pytest.mark.django_db(transaction=True)
def test_a_secretary_keeps_the_register_and_the_public_page_names_no_one(
    new_context, live_server, colleges
):
    instance = InstanceFactory()
    secretary = secretary_of(instance)
    scic = cooperatives.register_cooperative(
        by=secretary,
        name="SCIC Grandir ensemble",
        siren=siren(),
        registered_on=FOUNDED,
        instance=instance,
        missions=["foyers"],
    )
    page = sign_in(new_context(bypass_csp=True), live_server, secretary)
    page.goto(f"{live_server.url}/accueil/scic/{scic.pk}/registre/")
    page.get_by_label("Catégorie").select_option(value="beneficiaires")
    page.locator("#id_name").fill("Famille Benali")
    page.get_by_label("Parts sociales").fill("0")
    page.get_by_label("Entrée le").fill("2025-03-01")
    page.get_by_role("button", name="Inscrire au registre").click()
    page.locator("#resume-erreurs").wait_for()
    assert_no_blocking_violation(page)
    page.get_by_label("Parts sociales").fill("2")
    page.get_by_role("button", name="Inscrire au registre").click()
    page.get_by_text("Le sociétaire est inscrit au registre.").wait_for()
    page.get_by_label("Collèges des statuts").fill("Salariés = 30\nFamilles = 40\nPartenaires = 30")
    page.get_by_role("button", name="Enregistrer les collèges").click()
    page.get_by_text("Les collèges sont enregistrés.").wait_for()
    assert_no_blocking_violation(page)

    phone = new_context(bypass_csp=True, viewport={"width": 360, "height": 740}).new_page()
    phone.goto(f"{live_server.url}/accueil/scic/{scic.pk}/")
    phone.get_by_role("heading", name="Les sociétaires").wait_for()
    phone.wait_for_load_state("load")
    assert "Famille Benali" not in phone.inner_text("main")
    assert "Familles : 40 % des voix" in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_blocking_violation(phone)
