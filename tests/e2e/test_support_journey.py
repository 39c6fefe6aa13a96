"""Listening and support, in a browser: a parent writes a request about visiting rights; a
professional (TOTP) takes it from the queue and answers; the parent reads the answer, sees who
read the request and downloads their data; the database row holds no plain text; after a key
rotation the thread still reads; a professional of another département is refused; a question
sent before a live is read by its host, shown and marked answered; the same parent joins a groupe
de parole by accepting its charter and registers for its session, which a visitor cannot open.
axe-core passes the form, the queue, the live and the group."""

import json
import re
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from enfance.support import groups
from enfance.support.models import SupportRequest
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.e2e.test_care_journey import sign_in, with_secret
from tests.e2e.test_inspection_journey import tick
from tests.events.factories import LiveFactory
from tests.factories import DepartementFactory, RegionFactory, UserFactory
from tests.support.factories import professional

SITUATION = (
    "Mon fils de 9 ans est placé en famille d'accueil. Je le vois une heure tous les quinze "
    "jours en visite médiatisée. Comment demander à le recevoir chez moi le week-end ?"
)


@pytest.mark.django_db(transaction=True)
def test_a_parent_is_answered_and_keeps_control_of_their_request(
    new_context, live_server, settings, tmp_path
):
    rhone = DepartementFactory()
    parent = UserFactory(email="parent@exemple.fr", first_name="Nora")
    jurist = professional(rhone, email="juriste@exemple.fr", first_name="Inès")
    base = live_server.url

    # 1. The parent writes, having read who will read it.
    home = sign_in(new_context(bypass_csp=True), live_server, parent)
    home.goto(f"{base}/soutien/demandes/nouvelle/")
    home.get_by_text("Ce que nous ne ferons jamais").wait_for()
    assert_no_blocking_violation(home)
    tick(home, "Droits de visite et d'hébergement")
    home.get_by_label("Votre département").select_option(value=str(rhone.pk))
    home.get_by_label("Âge de l'enfant concerné").select_option(value="6-10")
    home.get_by_role("textbox", name=re.compile("^La situation")).fill(SITUATION)
    home.get_by_role("button", name="Envoyer ma demande").click()
    home.get_by_text("Votre demande est envoyée.").wait_for()
    request = SupportRequest.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT situation FROM support_supportrequest WHERE id = %s", [request.pk])
        assert "médiatisée" not in cursor.fetchone()[0]

    # 2. A professional of the Rhône takes it from the queue and answers.
    office = sign_in(new_context(bypass_csp=True), live_server, jurist, with_secret(jurist))
    office.goto(f"{base}/soutien/file/")
    office.get_by_role("table").get_by_role("link", name=f"Demande n° {request.pk}").click()
    assert "médiatisée" not in office.inner_text("main")  # not before taking it
    office.get_by_role("button", name="Prendre cette demande").click()
    office.get_by_text("Vous suivez cette demande").wait_for()
    assert "médiatisée" in office.inner_text("main")
    office.get_by_role("textbox", name=re.compile("^Votre message")).fill(
        "Vous pouvez écrire au juge des enfants pour demander un droit d'hébergement."
    )
    office.get_by_role("button", name="Envoyer", exact=True).click()
    office.get_by_text("Votre message est envoyé.").wait_for()
    office.goto(f"{base}/soutien/file/")
    assert_no_blocking_violation(office)

    # 3. The parent reads the answer, who read the request, and downloads everything.
    home.goto(f"{base}{request.get_absolute_url()}")
    home.get_by_text("Vous pouvez écrire au juge des enfants").wait_for()
    assert "Inès" in home.locator("h2:has-text('Qui a lu') + ul").inner_text()
    with home.expect_download() as download:
        home.get_by_role("link", name="Télécharger en JSON").click()
    data = json.loads(download.value.path().read_text())
    assert data["situation"] == SITUATION and len(data["messages"]) == 1
    with home.expect_download() as download:
        home.get_by_role("link", name="Télécharger en PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # 4. A key rotation: the old key removed afterwards, the thread still reads.
    new_key = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new_key, *settings.ENCRYPTION_KEYS]
    call_command("rotate_encryption_keys", stdout=(tmp_path / "rotation.txt").open("w"))
    settings.ENCRYPTION_KEYS = [new_key]
    home.reload()
    home.get_by_text("Vous pouvez écrire au juge des enfants").wait_for()
    assert SITUATION in home.inner_text("main")

    # 5. A professional of another département gets nothing.
    finistere = DepartementFactory(code="29", name="Finistère", region=RegionFactory(code="53"))
    outsider = professional(finistere, email="juriste@finistere.exemple.fr")
    other = sign_in(new_context(), live_server, outsider, with_secret(outsider))
    assert other.goto(f"{base}{request.get_absolute_url()}").status == 404
    assert "1 demande" not in other.goto(f"{base}/soutien/file/").text()


@pytest.mark.django_db(transaction=True)
def test_a_question_sent_before_a_live_is_read_shown_and_answered(new_context, live_server):
    host = UserFactory(email="animatrice@exemple.fr", first_name="Claire")
    live = LiveFactory(title="Live : vos droits face à l'ASE", hosts=[host])
    parent = UserFactory(email="parent@exemple.fr", first_name="Nora")
    base = live_server.url

    asker = sign_in(new_context(bypass_csp=True), live_server, parent)
    asker.goto(f"{base}/soutien/lives/{live.pk}/")
    asker.get_by_label("Votre pseudonyme").fill("Maman de Tom")
    asker.get_by_role("textbox", name=re.compile("^Votre question")).fill(
        "Puis-je assister aux réunions de synthèse sur mon fils ?"
    )
    asker.get_by_role("button", name="Envoyer ma question").click()
    asker.get_by_text("votre question sera affichée").wait_for()
    visitor = new_context().new_page()
    visitor.goto(f"{base}/soutien/lives/{live.pk}/")
    assert "réunions de synthèse" not in visitor.inner_text("main")

    hosting = sign_in(new_context(bypass_csp=True), live_server, host)
    hosting.goto(f"{base}/soutien/lives/{live.pk}/")
    hosting.get_by_role("button", name="Afficher la question de Maman de Tom").click()
    hosting.get_by_text("La question est affichée.").wait_for()
    assert_no_blocking_violation(hosting)
    visitor.reload()
    assert "Maman de Tom" in visitor.inner_text("main") and "Nora" not in visitor.inner_text("main")
    hosting.get_by_role("button", name="Marquer répondue : question de Maman de Tom").click()
    hosting.get_by_text("La question est marquée répondue.").wait_for()
    visitor.reload()
    visitor.get_by_text("Répondue", exact=True).wait_for()

    # A groupe de parole: the charter first, then the session, for members only.
    rhone = DepartementFactory()
    worker = professional(rhone, email="travailleuse.sociale@exemple.fr")
    group = groups.create_group(
        by=worker,
        title="Parents d'enfants placés",
        theme="placement",
        departement=rhone,
        description="Une séance par mois, en soirée.",
    )
    start = timezone.now() + timedelta(days=7)
    session = groups.schedule_session(
        group,
        by=worker,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        online_url="https://visio.exemple.fr/groupe",
        capacity=8,
    ).event
    assert visitor.goto(f"{base}{session.get_absolute_url()}").status == 404
    asker.goto(f"{base}/soutien/groupes/")
    asker.get_by_role("link", name="Parents d'enfants placés").click()
    tick(asker, "J'ai lu la charte de confidentialité")
    asker.get_by_role("button", name="Rejoindre le groupe").click()
    asker.get_by_text("Bienvenue dans le groupe").wait_for()
    assert_no_blocking_violation(asker)
    asker.get_by_role("link", name=re.compile(r"\d{4} à \d{2}:\d{2}")).first.click()
    asker.get_by_role("button", name="M'inscrire").click()
    asker.get_by_text("Votre inscription est confirmée").wait_for()
    assert "visio.exemple.fr" in asker.inner_html("main")
