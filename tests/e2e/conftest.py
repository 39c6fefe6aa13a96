"""End-to-end tests: Playwright for Python driving Debian's Chromium against pytest-django's
live server.

Playwright's own browser download does not work on our machines and in CI: the browser is
Debian's `chromium` package at /usr/bin/chromium. Missing browser = failure, never a skip.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.factories import CommuneFactory

# Playwright's sync API runs an asyncio event loop in the test thread; Django would otherwise
# refuse ORM calls made from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
AXE_JS = E2E_DIR / "vendor" / "axe.min.js"
# Playwright's default is 30 s; a slow CI runner should fail clearly, not hang.
DEFAULT_TIMEOUT_MS = 15_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def playwright_instance():

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. The end-to-end tests use Debian's Chromium: "
            "install it with `apt-get update && apt-get install -y chromium`.",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def new_context(browser):
    """Open browser contexts (isolated cookie jars) closed at the end of the test."""
    contexts = []

    def make(**options):
        options.setdefault("locale", "fr-FR")
        context = browser.new_context(**options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context, live_server):
    """A page with the site's real Content Security Policy, which records JavaScript errors:
    tests assert `page.js_errors == []` where scripts matter."""
    page = new_context().new_page()
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))
    return page


@pytest.fixture
def commune(transactional_db):

    return CommuneFactory()
