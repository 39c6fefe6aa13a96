"""A person creates an account, confirms their address, logs in, edits their profile and logs
out, in a real browser with the site's real Content Security Policy."""

import re

from django.core import mail

from enfance.accounts.models import User
from tests.factories import CommuneFactory

PASSWORD = "Un-mot-de-passe-solide-2026"
CONFIRMATION_LINK = re.compile(r"https?://\S+/comptes/confirm-email/\S+")


def fill_signup(page, *, password2=PASSWORD):
    page.locator("#id_first_name").fill("Camille")
    page.locator("#id_last_name").fill("Dupont")
    page.locator("#id_email").fill("camille.dupont@exemple.fr")
    page.locator("#id_commune").fill("Lyon (69001)")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(password2)


def test_sign_up_confirm_log_in_edit_profile_and_log_out(page, live_server, commune):
    villeurbanne = CommuneFactory(
        code="69266", name="Villeurbanne", postal_codes="69100", population=150000
    )

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Créer un compte").first.click()
    page.wait_for_url(re.compile(r"/comptes/signup/$"))

    fill_signup(page)
    page.get_by_role("button", name="Création de compte").click()
    page.wait_for_url(re.compile(r"/comptes/confirm-email/$"))

    user = User.objects.get(email="camille.dupont@exemple.fr")
    assert (user.first_name, user.last_name, user.commune) == ("Camille", "Dupont", commune)
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == ["camille.dupont@exemple.fr"]
    links = CONFIRMATION_LINK.findall(message.body)
    assert links, message.body

    # Not logged in before the address is confirmed.
    page.goto(live_server.url + "/mon-compte/")
    page.wait_for_url(re.compile(r"/comptes/login/"))

    page.goto(links[0])
    page.get_by_role("button", name=re.compile("Confirm", re.IGNORECASE)).click()
    page.wait_for_url(re.compile(r"/comptes/login/"))
    assert user.emailaddress_set.get().verified

    page.locator("#id_login").fill("camille.dupont@exemple.fr")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Mon compte"
    assert page.locator("#id_first_name").input_value() == "Camille"
    assert page.locator("#id_commune").input_value() == "Lyon (69001)"

    page.locator("#id_last_name").fill("Durand")
    page.locator("#id_commune").fill("Villeurbanne (69100)")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Votre profil a été mis à jour.").wait_for()
    assert page.locator("#id_last_name").input_value() == "Durand"
    assert page.locator("#id_commune").input_value() == "Villeurbanne (69100)"
    user.refresh_from_db()
    assert (user.last_name, user.commune) == ("Durand", villeurbanne)

    page.locator("header").get_by_role("button", name="Se déconnecter").click()
    # allauth may ask to confirm (GET) or log out straight away (POST from the header).
    page.wait_for_url(re.compile(r"/(comptes/logout/)?$"))
    if "/comptes/logout/" in page.url:
        page.locator("main").get_by_role("button", name="Se déconnecter").click()
        page.wait_for_url(live_server.url + "/")
    header = page.locator("header")
    header.get_by_role("link", name="Se connecter").wait_for()
    assert page.locator("main").get_by_role("status").filter(has_text="déconnecté").count() == 1
    assert header.get_by_role("button", name="Se déconnecter").count() == 0
    page.goto(live_server.url + "/mon-compte/")
    page.wait_for_url(re.compile(r"/comptes/login/"))

    assert page.js_errors == []


def test_sign_up_with_mismatched_passwords_shows_french_error_and_keeps_input(
    page, live_server, commune
):
    page.goto(live_server.url + "/comptes/signup/")
    fill_signup(page, password2="Un-autre-mot-de-passe-2026")
    page.get_by_role("button", name="Création de compte").click()

    summary = page.locator("#resume-erreurs")
    summary.wait_for()
    message = "Vous devez saisir deux fois le même mot de passe."
    assert "Le formulaire contient 1 erreur" in summary.inner_text()
    assert summary.get_by_role("link", name=message).get_attribute("href") == "#id_password2"
    password2 = page.locator("#id_password2")
    assert password2.get_attribute("aria-invalid") == "true"
    described_by = password2.get_attribute("aria-describedby")
    assert page.locator(f"#{described_by}").inner_text().strip() == message
    assert "/comptes/signup/" in page.url
    assert page.locator("#id_first_name").input_value() == "Camille"
    assert page.locator("#id_email").input_value() == "camille.dupont@exemple.fr"
    assert not User.objects.filter(email="camille.dupont@exemple.fr").exists()
    assert mail.outbox == []
    assert page.js_errors == []
