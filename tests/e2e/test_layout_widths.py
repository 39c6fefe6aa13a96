"""Every public list page, with a few rows so that its tables exist, and the pages a person sees
most (home, search, an instance, an event, a proposal, a practice, the petition and its form, the
charter, a law proposal, an interpellation, « Trouver mon instance », « Mon espace », sign-in and
sign-up, a 404, « Qui sommes-nous », the legal pages) fit a 1280 px screen and a 360 px phone
(issue 12): the page itself never scrolls sideways; at 1280 px every table fits its column; a
table wider than a phone scrolls inside its DSFR container, which a keyboard reaches
(tabindex="0", role="region" and a name); axe-core finds no serious or critical violation. The
moderate and minor ones are printed in a table (`pytest -rP` shows it), not failures. And the
practices library on a phone has no serious or critical axe-core violation.

One browser context per width, the pages in a loop: every failure of a width is listed at once.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from enfance.assemblies.enums import MemberRole
from enfance.events.services import registrations
from enfance.inspections import services as inspections
from enfance.inspections.referentiel import load as load_referentiel
from enfance.practices import library
from enfance.strategy import contracts, indicators, reference
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.care.factories import CategoryFactory, StructureFactory
from tests.e2e.conftest import AXE_JS
from tests.e2e.journeys import PASSWORD
from tests.e2e.test_accessibility import (
    BLOCKING_IMPACTS,
    assert_no_blocking_violation,
    axe_all_violations,
    describe,
)
from tests.events.factories import EventFactory
from tests.factories import CommuneFactory, UserFactory
from tests.inspections.factories import controleur, opened, score_all
from tests.interpellations.factories import InstitutionFactory, answered, sent
from tests.petitions.factories import PetitionFactory, SignatureFactory
from tests.practices.factories import PracticeFactory
from tests.proposals.factories import published
from tests.texts.factories import charter, law_proposal

DESKTOP = {"width": 1280, "height": 800}
NOT_FOUND = "/cette-page-n-existe-pas/"
SIGNED_IN = " (session ouverte)"
PHONE = {"width": 360, "height": 740}

# What the browser measures on a page: the page's own width, then each table's scrolling box
# (its DSFR container, else the table) with what a keyboard needs to reach it.
MEASURE = """() => {
    const boxes = [...document.querySelectorAll("main table")].map((table) => {
        const box = table.closest(".fr-table__container") || table;
        return {
            caption: (table.caption ? table.caption.innerText : "").trim().slice(0, 60),
            scrolls: box.scrollWidth > box.clientWidth + 1,
            tabindex: box.getAttribute("tabindex"),
            role: box.getAttribute("role"),
            label: (box.getAttribute("aria-label") || "").trim(),
        };
    });
    const fits = () => document.documentElement.scrollWidth <= window.innerWidth + 1;
    // When the page is too wide, the elements without which it fits, the deepest last: the
    // failure names the culprit.
    const culprits = [];
    if (!fits()) {
        for (const element of document.querySelectorAll("main *")) {
            const display = element.style.display;
            element.style.display = "none";
            if (fits()) culprits.push(element.outerHTML.slice(0, 120));
            element.style.display = display;
        }
    }
    return {
        width: document.documentElement.scrollWidth,
        viewport: window.innerWidth,
        tables: boxes,
        culprits: culprits.slice(-2),
    };
}"""


def _platform(admin):
    """A few rows for every public list. Returns the addresses that carry an identifier."""
    # A flush before took the data migrations' rows away: the strategy, its indicators, the
    # inspections' referentiel.
    reference.load()
    indicators.load()
    load_referentiel("2026")
    instance = InstanceFactory(
        name="Instance locale de la Métropole de Lyon et du Rhône",
        status="active",
        description="Parents, enfants et professionnels de la Métropole de Lyon.",
    )
    InstanceFactory(name="Instance locale de Villeurbanne", status="constituee")
    event = EventFactory(title="Atelier citoyen sur l'accueil des fratries dans le Rhône")
    citizen = UserFactory(first_name="Inès", last_name="Martin", commune=CommuneFactory())
    seat_directly(instance, "parents", user=citizen, role=MemberRole.SECRETAIRE)
    registrations.register(event, by=citizen)
    proposal = published(
        author=citizen,
        title="Créer des maisons des familles dans chaque bassin de vie du département",
    )
    text = charter(admin)
    law = law_proposal(admin, title="Proposition de loi relative au contrôle indépendant des lieux")
    institution = InstitutionFactory(name="Conseil départemental du Rhône — direction enfance")
    sent(
        title="Des enfants confiés à l'ASE changent de lieu d'accueil tous les trois mois",
        institution=institution,
        instance=instance,
    )
    interpellation = answered(21, institution=institution, instance=instance)
    answered(75, late=True, instance=instance)
    practices = [
        PracticeFactory(title=title)
        for title in ("Éducation à la parentalité en milieu rural", "Parrainage de proximité")
    ]
    for practice in practices:
        library.index_practice(practice)
    SignatureFactory(petition=PetitionFactory(title="Pour un ministère de l'enfance"))
    contract = contracts.create_contract(
        by=admin, departement=instance.departement, year=2020, wave=1
    )
    contracts.write_assessment(contract, by=admin, assessment="Bilans de santé : 70 %.")
    contracts.add_objective(
        contract,
        by=admin,
        title="Bilans de santé en école maternelle",
        indicator="Part des enfants de 3-4 ans ayant eu un bilan de santé",
        unit="%",
        baseline=Decimal("70"),
        target=Decimal("100"),
        state_commitment="Financer deux postes de médecin de protection maternelle et infantile.",
        departement_commitment="Organiser les bilans dans toutes les écoles maternelles.",
    )
    contracts.sign(contract, by=admin, signed_on=date(2020, 6, 1))
    structure = StructureFactory(name="Maison d'enfants à caractère social Les Tilleuls")
    CategoryFactory(structure=structure, free=2, declared_at=timezone.now())
    report = _published_report(structure)
    return {
        "institution": institution.get_absolute_url(),
        "report": f"/controle/rapports/{report.pk}/",
        "history": f"/controle/etablissements/ES-{structure.departement.code}-{structure.pk}/",
        "instance": instance.get_absolute_url(),
        "event": event.get_absolute_url(),
        "proposal": proposal.get_absolute_url(),
        "practice": practices[0].get_absolute_url(),
        "charter": text.get_absolute_url(),
        "law": law.get_absolute_url(),
        "interpellation": interpellation.get_absolute_url(),
        "citizen": citizen,
    }


def _published_report(structure):
    lead = controleur(structure.departement)
    inspection = inspections.start_visit(
        opened(structure, lead), by=lead, at=datetime(2026, 12, 10, 8, tzinfo=UTC)
    )
    score_all(inspection, lead, value=4)
    inspection = inspections.send_provisional(
        inspection, by=lead, at=datetime(2026, 12, 11, tzinfo=UTC)
    )
    inspection = inspections.finalise(inspection, by=lead, at=datetime(2027, 1, 1, tzinfo=UTC))
    inspections.save_report(inspection, by=lead, text="Un accueil attentif et sûr.")
    return inspections.publish(inspection, by=lead)


def _pages(addresses) -> list[str]:
    return [
        "/instances/",
        "/instances/carte/",
        "/agenda/",
        "/propositions/",
        "/textes/",
        "/propositions-de-loi/",
        "/interpellations/",
        "/interpellations/institutions/",
        addresses["institution"],
        "/pratiques/",
        "/petition/",
        "/strategie/tableau-de-bord/",
        "/strategie/dispositifs/",
        "/strategie/deploiement/",
        "/strategie/contrats/",
        "/strategie/contrats/69/2020/",
        "/strategie/departements/69/",
        "/accueil/",
        "/accueil/villages/",
        "/accueil/scic/",
        "/accueil/transferts/",
        "/controle/",
        "/controle/chiffres/",
        "/controle/notation/",
        "/controle/referentiel/2026/",
        addresses["report"],
        addresses["history"],
        "/delais/",
        "/delais/69/",
        "/soutien/",
        "/soutien/chiffres/",
        "/soutien/groupes/",
        "/soutien/lives/",
        "/territoires/region/84/",
        "/territoires/departement/69/",
        "/donnees-ouvertes/",
    ]


def _people_pages(addresses) -> list[str]:
    """The pages a person sees most, beyond the lists."""
    return [
        "/",
        "/recherche/?q=familles",
        addresses["instance"],
        addresses["event"],
        addresses["proposal"],
        addresses["practice"],
        "/petition/signer/",
        addresses["charter"],
        addresses["law"],
        addresses["interpellation"],
        "/instances/trouver/?q=69001",
        "/qui-sommes-nous/",
        "/mentions-legales/",
        "/accessibilite/",
        "/donnees-personnelles/",
        "/registre-des-traitements/",
        "/comptes/login/",
        "/comptes/signup/",
        NOT_FOUND,
    ]


def _signed_in_pages(addresses) -> list[str]:
    """The pages a signed-in citizen sees with forms of their own (support, comment, register)."""
    return [
        "/mon-compte/",
        addresses["proposal"],
        addresses["event"],
        addresses["instance"],
        addresses["charter"],
        "/petition/signer/",
    ]


def _problems(
    page, base_url: str, path: str, viewport: dict, results: dict, label: str = ""
) -> list[str]:
    url = base_url + path
    response = page.goto(url)
    expected = 404 if path == NOT_FOUND else 200
    if response.status != expected:
        return [f"{url}: HTTP {response.status}"]
    page.wait_for_load_state("load")
    measured = page.evaluate(MEASURE)
    problems = []
    if measured["width"] > measured["viewport"] + 1:
        problems.append(f"{url}: the page is {measured['width']} px wide: {measured['culprits']}")
    for table in measured["tables"]:
        if not table["scrolls"]:
            continue
        name = f"{url} « {table['caption']} »"
        if viewport is DESKTOP:
            problems.append(f"{name}: wider than its column")
        reachable = (table["tabindex"], table["role"]) == ("0", "region") and table["label"]
        if not reachable:
            problems.append(f"{name}: scrolls, out of a keyboard's reach")
    violations = axe_all_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    others = [v for v in violations if v["impact"] not in BLOCKING_IMPACTS]
    results[(path + label, viewport["width"])] = (blocking, others)
    if blocking:
        where = f"{url}{label} at {viewport['width']} px"
        problems.append(f"{where}, axe-core:\n{describe(blocking)}")
    return problems


def _sign_in(page, base_url: str, user) -> None:
    page.goto(base_url + "/comptes/login/")
    page.locator("#id_login").fill(user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Connexion").click()
    page.wait_for_url(re.compile(r"/mon-compte/$"))


def _table(results: dict) -> str:
    """Page × width: the number of serious or critical violations, then the moderate or minor
    ones with their rules."""
    lines = ["| page | largeur | graves ou critiques | modérées ou mineures |", "|---|---|---|---|"]
    for (path, width), (blocking, others) in results.items():
        rules = "".join(f", {v['id']} ({v['impact']})" for v in others)
        lines.append(f"| {path} | {width} | {len(blocking)} | {len(others)}{rules} |")
    return "\n".join(lines)


@pytest.mark.django_db(transaction=True)
def test_public_pages_fit_a_desktop_and_a_phone_and_pass_axe(
    new_context, live_server, admin_national, colleges
):
    addresses = _platform(admin_national)
    pages = _pages(addresses) + _people_pages(addresses)
    problems = []
    results = {}
    for viewport in (DESKTOP, PHONE):
        # bypass_csp: axe-core is a script of its own, loaded before each page's (half the time
        # of adding it to each page once loaded).
        context = new_context(viewport=viewport, bypass_csp=True)
        context.add_init_script(path=str(AXE_JS))
        page = context.new_page()
        for path in pages:
            problems += _problems(page, live_server.url, path, viewport, results)
        # Signed in last: « Mon espace », then the pages where a citizen takes part.
        _sign_in(page, live_server.url, addresses["citizen"])
        for path in _signed_in_pages(addresses):
            problems += _problems(page, live_server.url, path, viewport, results, SIGNED_IN)
        context.close()
    print(_table(results))
    assert problems == [], "\n".join(problems)


def test_the_practices_library_on_a_phone(new_context, live_server, transactional_db):
    for title in ("Éducation à la parentalité en milieu rural", "Parrainage de proximité"):
        library.index_practice(PracticeFactory(title=title))
    # bypass_csp: axe-core is injected as a script of its own.
    page = new_context(viewport=PHONE, bypass_csp=True).new_page()
    page.goto(live_server.url + "/pratiques/")
    # The filters fold into one line, right above the number of results and the first fiche;
    # none of their boxes shows before a person opens them.
    count = page.locator("#resultats")
    assert "2 pratiques trouvées" in count.inner_text()
    folded = page.get_by_role("button", name="Filtrer les résultats")
    boxes = page.locator("#library-filters .fr-checkbox-group label")
    assert boxes.count() > 0 and not boxes.first.is_visible()
    line = folded.bounding_box()
    assert line["height"] < 64
    assert 0 < count.bounding_box()["y"] - (line["y"] + line["height"]) < 200
    assert_no_blocking_violation(page)
    folded.click()
    boxes.first.wait_for(state="visible")
    assert boxes.first.bounding_box()["y"] < count.bounding_box()["y"]
    assert_no_blocking_violation(page)
