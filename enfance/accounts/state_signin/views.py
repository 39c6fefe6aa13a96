"""The sign-in and return addresses of the State's services (allauth's OpenID Connect views,
with the nonce checked and the user information read when it comes signed)."""

import logging
from urllib.parse import urlencode

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import reverse
from django.utils.crypto import constant_time_compare, get_random_string

logger = logging.getLogger(__name__)

# Where the raw ID token is kept with allauth's state: the services' logout needs it as a hint.
ID_TOKEN_STATE_KEY = "id_token_hint"  # noqa: S105 - a key of the state, not a secret


class StateSigninAdapter(OpenIDConnectOAuth2Adapter):
    # Set by the callback view from allauth's state before the login is completed.
    state: dict | None = None

    def get_callback_url(self, request, app):
        callback_url = reverse("etat_callback", kwargs={"provider_id": self.provider_id})
        return build_absolute_uri(request, callback_url, self.redirect_uri_protocol)

    def complete_login(self, request, app, token, **kwargs):
        login = super().complete_login(request, app, token, **kwargs)
        expected = (self.state or {}).get("nonce")
        received = (login.account.extra_data.get("id_token") or {}).get("nonce")
        if not expected or not received or not constant_time_compare(expected, received):
            raise OAuth2Error("Le jeton d'identité ne correspond pas à cette demande (nonce).")
        # The level of assurance asked (FranceConnect: eidas1) must be the one given.
        asked = (app.settings.get("auth_params") or {}).get("acr_values", "").split()
        given = (login.account.extra_data.get("id_token") or {}).get("acr")
        if asked and given not in asked:
            raise OAuth2Error(f"Niveau d'authentification {given!r} au lieu de {asked!r} (acr).")
        if self.state is not None:
            self.state[ID_TOKEN_STATE_KEY] = kwargs["response"].get("id_token")
        return login

    def _fetch_user_info(self, access_token: str) -> dict:
        """ProConnect and FranceConnect answer with a signed JWT (`application/jwt`), checked
        with the service's keys like the ID token; a plain JSON answer is read as allauth does."""
        headers = {"Authorization": f"Bearer {access_token}"}
        with get_adapter().get_requests_session() as session:
            response = session.get(self.profile_url, headers=headers)
            response.raise_for_status()
        if not response.headers.get("Content-Type", "").startswith("application/jwt"):
            return response.json()
        return jwtkit.verify_and_decode(
            credential=response.text.strip(),
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=self.get_provider().app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
        )


class StateSigninCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


@login_not_required
def login(request, provider_id):
    try:
        view = OAuth2LoginView.adapter_view(StateSigninAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error


@login_not_required
def callback(request, provider_id):
    try:
        view = StateSigninCallbackView.adapter_view(StateSigninAdapter(request, provider_id))
        return view(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error


def end_session_url(request, identity: dict, then: str) -> str | None:
    """Where to send a person who signed in through a service and logs out: the service's own
    logout (its rules ask for it), which brings them back to `then`. None when the service
    cannot say where (the person is then logged out of the platform only)."""
    adapter = StateSigninAdapter(request, identity["provider"])
    try:
        endpoint = adapter.openid_config.get("end_session_endpoint")
    except (OSError, ValueError) as error:
        logger.warning("Déconnexion du service %s impossible : %s", identity["provider"], error)
        return None
    if not endpoint or not identity.get("id_token"):
        return None
    query = urlencode(
        {
            "id_token_hint": identity["id_token"],
            "state": get_random_string(32),
            "post_logout_redirect_uri": request.build_absolute_uri(then),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
