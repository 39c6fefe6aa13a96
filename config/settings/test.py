"""Tests: in-process jobs, in-memory e-mail, fast password hashing, SQLite or DATABASE_URL."""

import os

from django.template import TemplateSyntaxError

os.environ.setdefault("TASKS_BACKEND", "immediate")

from .base import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in prod
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# A role granted inside a test's transaction bumps the account's version only on commit, which
# never comes: facts are read once per request, and tests/accounts/test_facts.py turns them on.
ACCOUNT_FACTS_SECONDS = 0
# allauth's rate limits are exercised by their own tests; keep them out of unrelated tests.
ACCOUNT_RATE_LIMITS = False


class InvalidTemplateVariable(str):
    """A variable a template names but its context lacks fails the test that renders it (the
    manner of les emplois de l'inclusion): Django formats ``string_if_invalid`` with the
    variable's name, and formatting this string raises. ``{% if %}`` and ``{% for %}`` test for
    absence on purpose and never reach it."""

    def __contains__(self, key):
        return key == "%s"

    def __mod__(self, name):
        raise TemplateSyntaxError(f"Variable absente du contexte du gabarit : {name}")


TEMPLATES[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")  # noqa: F405
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# A file, not memory, for SQLite: tests with real threads need every thread to see the same data.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # One file per run, so that two test runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405

# A second alias standing for a replica (core.db_routers): the same test database reached by its
# own connection; tests turn READ_REPLICA on where they check what it serves.
# Without a pool of its own: the test database is dropped at the end of the run, and a pool of the
# mirror would still hold connections to it.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "OPTIONS": {
        k: v
        for k, v in DATABASES["default"].get("OPTIONS", {}).items()  # noqa: F405
        if k != "pool"
    },
    "CONN_MAX_AGE": 0,
    "TEST": {"MIRROR": "default"},
}

# A model that exists only in tests (tests/testapp), for the generic workflow machinery.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
