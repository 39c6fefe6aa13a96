"""A local OpenID provider for the tests: a small Django project running django-allauth's own
provider (`allauth.idp.oidc`), started by `tests/state_signin.py` as a separate server process
with its own database, standing for ProConnect or for FranceConnect (ADR 0010)."""
