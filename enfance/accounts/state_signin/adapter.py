"""How an identity from ProConnect or FranceConnect meets the platform's accounts (ADR 0010).

- An identity already linked signs in to its account.
- Otherwise, an identity whose e-mail the service says is verified (`email_verified`) signs in
  to the account with that address and is linked to it (allauth's e-mail authentication).
- An unverified address links nothing: a new person gets an account whose address must be
  confirmed by e-mail first; if the address is already an account's, the person is asked to
  sign in to that account (password and second factor) and to link the service from
  « Mon compte ».
- An identity never brings a role: roles are granted on the platform only.
"""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings

from .identity import services


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        return sociallogin.account.provider in services()

    def list_apps(self, request, provider=None, client_id=None):
        """The services switched on by their variables, and only them: allauth would also read
        SocialApp rows from the database (a query on every page with a button), which this
        platform never uses."""
        apps = []
        for entry in settings.SOCIALACCOUNT_PROVIDERS.get("etat", {}).get("APPS", []):
            app = SocialApp(
                provider="etat",
                provider_id=entry["provider_id"],
                name=entry["name"],
                client_id=entry["client_id"],
                secret=entry["secret"],
                settings=entry.get("settings", {}),
            )
            if provider and provider not in (app.provider, app.provider_id):
                continue
            if client_id and app.client_id != client_id:
                continue
            apps.append(app)
        return apps
