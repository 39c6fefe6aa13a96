"""The State's sign-in services, ProConnect (professionals) and FranceConnect (citizens).

Each is on when its three variables are set, off otherwise (no button, no address answers):
`<SERVICE>_CLIENT_ID`, `<SERVICE>_CLIENT_SECRET` (given by the service when the platform is
registered) and `<SERVICE>_ISSUER` (the service's issuer address, where
`/.well-known/openid-configuration` is read). `enfance/accounts/state_signin/` speaks to them
through django-allauth's OpenID Connect support; ADR 0010 says why and how an identity meets an
account.
"""

import os

__all__ = [
    "SOCIALACCOUNT_ADAPTER",
    "SOCIALACCOUNT_AUTO_SIGNUP",
    "SOCIALACCOUNT_EMAIL_AUTHENTICATION",
    "SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT",
    "SOCIALACCOUNT_EMAIL_REQUIRED",
    "SOCIALACCOUNT_LOGIN_ON_GET",
    "SOCIALACCOUNT_PROVIDERS",
    "SOCIALACCOUNT_STORE_TOKENS",
    "STATE_SIGNIN_ORIGINS",
]
# What each service is asked for. ProConnect gives `usual_name` for the family name;
# FranceConnect is asked for the level of assurance its rules require (eidas1).
SERVICES = {
    "proconnect": {
        "name": "ProConnect",
        "env": "PROCONNECT",
        "scope": ["openid", "email", "given_name", "usual_name", "uid", "siret"],
        "auth_params": {},
    },
    "franceconnect": {
        "name": "FranceConnect",
        "env": "FRANCECONNECT",
        "scope": ["openid", "email", "given_name", "family_name", "preferred_username"],
        "auth_params": {"acr_values": "eidas1"},
    },
}


def configured_apps(environ=os.environ) -> list[dict]:
    """allauth's « APPS » entries for the services whose three variables are set."""
    apps = []
    for provider_id, service in SERVICES.items():
        prefix = service["env"]
        client_id = environ.get(f"{prefix}_CLIENT_ID", "").strip()
        secret = environ.get(f"{prefix}_CLIENT_SECRET", "").strip()
        issuer = environ.get(f"{prefix}_ISSUER", "").strip().rstrip("/")
        if not (client_id and secret and issuer):
            continue
        apps.append(
            {
                "provider_id": provider_id,
                "name": service["name"],
                "client_id": client_id,
                "secret": secret,
                "settings": {
                    "server_url": issuer,
                    "scope": service["scope"],
                    "auth_params": dict(service["auth_params"]),
                },
            }
        )
    return apps


def origins(apps) -> list[str]:
    """Where the sign-in and logout forms send the browser on: the Content Security Policy's
    `form-action` must allow them (a browser applies it to the redirect after a form too)."""
    found = []
    for app in apps:
        scheme, _, rest = app["settings"]["server_url"].partition("://")
        origin = f"{scheme}://{rest.split('/', 1)[0]}"
        if origin not in found:
            found.append(origin)
    return found


SOCIALACCOUNT_PROVIDERS = {"etat": {"APPS": configured_apps()}}
STATE_SIGNIN_ORIGINS = origins(SOCIALACCOUNT_PROVIDERS["etat"]["APPS"])
# An identity whose e-mail its service says is verified (`email_verified`) signs in to the
# account with that address; never an unverified one (ADR 0010).
SOCIALACCOUNT_ADAPTER = "enfance.accounts.state_signin.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
