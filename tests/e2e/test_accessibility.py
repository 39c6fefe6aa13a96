"""No serious or critical axe-core violation on the main pages (QUALITY.md, "Accessibility"),
and the home page fits a 360 px wide phone.

axe-core is vendored (tests/e2e/vendor/, see its README). The site's Content Security Policy
only allows scripts with the request's nonce, so the contexts running axe bypass the CSP; the
journeys in test_account_journey.py keep it.
"""

import re

import pytest

from tests.e2e.conftest import AXE_JS
from tests.factories import UserFactory

BLOCKING_IMPACTS = {"serious", "critical"}
PASSWORD = "mot-de-passe-solide-2026"  # tests.factories.UserFactory's


def axe_all_violations(page):
    """Every violation axe-core finds on the page, whatever its impact."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate(
        # All of axe's default rules: WCAG 2.0-2.2 A/AA and best practices.
        'async () => await axe.run(document, {resultTypes: ["violations"]})'
    )
    return results["violations"]


def axe_violations(page):
    return [v for v in axe_all_violations(page) if v["impact"] in BLOCKING_IMPACTS]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    - {' '.join(map(str, node['target']))}")
            lines.append(f"      {node['html'][:200]}")
    return "\n".join(lines)


def assert_no_blocking_violation(page):
    page.wait_for_load_state("load")
    violations = axe_violations(page)
    assert violations == [], f"axe-core on {page.url}:\n{describe(violations)}"


@pytest.fixture
def axe_page(new_context, live_server):
    return new_context(bypass_csp=True).new_page()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Protéger chaque enfant"),
        ("/comptes/signup/", "Création de compte"),
        ("/comptes/login/", "Connexion"),
        ("/cette-page-n-existe-pas/", "Page non trouvée"),
    ],
)
def test_public_page_has_no_serious_violation(axe_page, live_server, path, heading):
    response = axe_page.goto(live_server.url + path)
    assert response.status == (404 if "n-existe-pas" in path else 200)
    # The "Contenu" skip link leads to <main>, which holds the heading and the 119 notice on
    # every page, allauth's included.
    main = axe_page.locator("main#contenu")
    assert heading in main.get_by_role("heading", level=1).inner_text()
    assert main.get_by_role("link", name="119").is_visible()
    assert axe_page.locator(".fr-skiplinks a[href='#contenu']").count() == 1
    assert_no_blocking_violation(axe_page)


def test_sign_up_page_with_errors_has_no_serious_violation(axe_page, live_server, commune):
    axe_page.goto(live_server.url + "/comptes/signup/")
    axe_page.locator("#id_first_name").fill("Camille")
    axe_page.locator("#id_password1").fill("court")
    axe_page.get_by_role("button", name="Création de compte").click()
    axe_page.locator("#resume-erreurs").wait_for()
    assert_no_blocking_violation(axe_page)


def test_profile_page_has_no_serious_violation(axe_page, live_server, commune):

    user = UserFactory(email="axe@exemple.fr", commune=commune)
    axe_page.goto(live_server.url + "/comptes/login/")
    axe_page.locator("#id_login").fill(user.email)
    axe_page.locator("#id_password").fill(PASSWORD)
    axe_page.locator("main").get_by_role("button", name="Connexion").click()
    axe_page.wait_for_url(re.compile(r"/mon-compte/$"))
    assert axe_page.locator("main#contenu").get_by_role("heading", level=1).inner_text() == (
        "Mon compte"
    )
    assert_no_blocking_violation(axe_page)


@pytest.mark.parametrize("path", ["/", "/comptes/signup/"])
def test_page_fits_a_360_px_wide_phone(new_context, live_server, path):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    page.goto(live_server.url + path)
    page.get_by_role("heading", level=1).wait_for()
    page.wait_for_load_state("load")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 360, f"{path} is {scroll_width} px wide at 360 px"
    # The header collapses into the DSFR "Menu" button instead of overflowing.
    assert page.get_by_role("button", name="Menu").is_visible()
