"""Places and waiting times shared with the juvenile courts, in a browser: a structure's
gestionnaire declares two free places from a 360 px phone; a magistrate of the département (TOTP)
finds them, sends an anonymous request for two brothers; the gestionnaire accepts and the count
moves; 25 hours later the figure shows « inconnu », never free; the département's services import
a CSV of measures and the public waiting-times page shows the median delay on the map; a
magistrate of another département is refused. axe-core passes the phone page and the search."""

import re
from datetime import date, timedelta

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from enfance.care.models import DepartementParticipation, PlaceCategory
from tests.care.factories import CategoryFactory, StructureFactory, manager_of, role
from tests.e2e.journeys import PASSWORD
from tests.e2e.test_accessibility import assert_no_blocking_violation
from tests.factories import DepartementFactory, RegionFactory, totp_now

PHONE = {"width": 360, "height": 740}


def sign_in(context, live_server, user, secret=None):
    page = context.new_page()
    page.goto(live_server.url + "/comptes/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()
    if secret:
        page.wait_for_url(re.compile(r"/comptes/2fa/authenticate/$"))
        page.locator("#id_code").fill(totp_now(secret))
        page.get_by_role("button", name=re.compile("Connexion|Se connecter|Valider")).click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))
    return page


def with_secret(user):
    """The user's TOTP replaced by one whose secret the test knows."""
    user.authenticator_set.all().delete()
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    return secret


def measures_csv(today: date) -> bytes:
    """Five measures started after 10, 15, 20, 25 and 30 days (median 20), one still waiting."""
    lines = ["reference;type;tranche_age;ordonnee_le;debutee_le"]
    for number, delay in enumerate((10, 15, 20, 25, 30), start=1):
        ordered = today - timedelta(days=60 - number)
        started = ordered + timedelta(days=delay)
        lines.append(f"AEMO-2026-{number:03d};aemo;11-14;{ordered:%d/%m/%Y};{started:%d/%m/%Y}")
    lines.append(f"AEMO-2026-900;aemo;6-10;{today - timedelta(days=12):%d/%m/%Y};")
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.django_db(transaction=True)
def test_places_are_declared_found_requested_and_taken(new_context, live_server):
    rhone = DepartementFactory()
    DepartementParticipation.objects.create(departement=rhone, joined_on=date(2026, 11, 2))
    structure = StructureFactory(name="Foyer Les Cèdres")
    category = CategoryFactory(structure=structure, capacity=12)
    manager = manager_of(structure, email="direction@cedres.exemple.fr")
    judge = role("magistrat", rhone, email="juge@justice.exemple.fr")
    judge_secret = with_secret(judge)

    # 1. The gestionnaire, on a phone: two free places for teenagers who come with siblings.
    phone = sign_in(new_context(viewport=PHONE, bypass_csp=True), live_server, manager)
    phone.goto(f"{live_server.url}/accueil/structures/{structure.pk}/places/")
    label = category.label
    plus = phone.get_by_role("button", name=f"Une place libre de plus : {label}")
    plus.click()
    plus.click()
    assert (
        phone.get_by_role("spinbutton", name=re.compile("^" + re.escape(label))).input_value()
        == "2"
    )
    assert_no_blocking_violation(phone)
    phone.get_by_role("button", name="Enregistrer les places libres").click()
    phone.get_by_text("Merci : les places libres sont à jour.").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # 2. A magistrate of the Rhône finds them and asks for a place for two brothers.
    court = sign_in(new_context(bypass_csp=True), live_server, judge, judge_secret)
    court.goto(f"{live_server.url}/accueil/recherche/?age_band=13-17&siblings=on")
    court.get_by_role("heading", name="2 places libres déclarées récemment").wait_for()
    assert court.get_by_role("row").filter(has_text="Foyer Les Cèdres").is_visible()
    assert_no_blocking_violation(court)
    court.get_by_role("link", name="Demander une place à ces structures").click()
    court.get_by_label("Nombre d'enfants à accueillir ensemble").fill("2")
    court.get_by_label("Date d'accueil souhaitée").fill(
        f"{timezone.localdate() + timedelta(days=1):%Y-%m-%d}"
    )
    court.get_by_label("Besoins, en quelques mots").fill("Deux frères, au collège.")
    court.get_by_role("button", name="Envoyer la demande").click()
    court.get_by_text("La demande est envoyée à 1 structure.").wait_for()
    request_url = court.url

    # 3. The gestionnaire accepts: the count moves.
    phone.goto(f"{live_server.url}/accueil/demandes/")
    phone.get_by_role("link", name=re.compile(r"fratrie de 2 enfants")).click()
    phone.get_by_role("button", name="Accepter : la structure accueille").click()
    phone.get_by_text(re.compile("la demande est acceptée")).wait_for()
    category.refresh_from_db()
    assert category.free == 0
    court.goto(request_url)
    court.get_by_text("Place trouvée", exact=True).wait_for()

    # 4. A day and an hour later, the figure is unknown, never free.
    PlaceCategory.objects.filter(pk=category.pk).update(
        free=2, declared_at=timezone.now() - timedelta(hours=25)
    )
    court.goto(f"{live_server.url}/accueil/recherche/?age_band=13-17&siblings=on")
    court.get_by_role("heading", name="0 place libre déclarée récemment").wait_for()
    unknown = court.get_by_role("row").filter(has_text="Foyer Les Cèdres")
    assert "Inconnu depuis" in unknown.inner_text()

    # 5. The département's services import their measures; the public map shows the median.
    services = role("services_departement", rhone, email="ase@rhone.exemple.fr")
    services_page = sign_in(new_context(), live_server, services, with_secret(services))
    services_page.goto(f"{live_server.url}/delais/69/importer/")
    services_page.get_by_label("Fichier CSV des mesures").set_input_files(
        files=[
            {
                "name": "mesures.csv",
                "mimeType": "text/csv",
                "buffer": measures_csv(timezone.localdate()),
            }
        ]
    )
    services_page.get_by_role("button", name="Importer le fichier").click()
    services_page.get_by_text(re.compile(r"6 mesures ajoutées")).wait_for()
    visitor = new_context().new_page()
    visitor.goto(f"{live_server.url}/delais/")
    tile = visitor.locator('a[aria-label^="69 – Rhône : délai médian"]')
    assert tile.get_attribute("aria-label") == "69 – Rhône : délai médian 20 jours"

    # 6. A magistrate of a département far away (not a neighbour) sees none of it.
    finistere = DepartementFactory(code="29", name="Finistère", region=RegionFactory())
    outsider = role("magistrat", finistere, email="juge@finistere.exemple.fr")
    other = sign_in(new_context(), live_server, outsider, with_secret(outsider))
    for path in (
        f"/accueil/structures/{structure.pk}/",
        "/accueil/recherche/?departement=69",
        request_url.removeprefix(live_server.url),
    ):
        response = other.goto(live_server.url + path)
        assert response.status == 404, path
