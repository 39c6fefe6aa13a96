"""The OpenID Connect provider of the State's services: allauth's, with what their rules ask
beyond it (a nonce, answers signed as JWT, ProConnect's `usual_name`)."""

from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    _pick_data,
)
from django.utils.crypto import get_random_string

from .views import StateSigninAdapter

NONCE_LENGTH = 32


class StateSigninProvider(OpenIDConnectProvider):
    id = "etat"
    name = "Services de l'État"
    oauth2_adapter_class = StateSigninAdapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        """Both services refuse a request without a nonce; it is kept with allauth's state and
        checked against the ID token on return (views.StateSigninAdapter)."""
        nonce = get_random_string(NONCE_LENGTH)
        auth_params = kwargs.pop("auth_params", None)
        if auth_params is None:
            auth_params = self.get_auth_params()
        auth_params["nonce"] = nonce
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    def extract_common_fields(self, data):
        fields = super().extract_common_fields(data)
        if not fields.get("last_name"):
            # ProConnect names the family name `usual_name`.
            fields["last_name"] = _pick_data(data).get("usual_name")
        return fields


provider_classes = [StateSigninProvider]
