"""ProConnect and FranceConnect, the State's sign-in services, through django-allauth's OpenID
Connect support (config/settings/state_signin.py switches each on; ADR 0010)."""
