"""The claims the test provider gives: those of ProConnect and FranceConnect, which ask one
scope per claim (given_name, usual_name, family_name, uid, siret…), and a « roles » claim that the
platform must ignore (an identity never brings a role)."""

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from django.conf import settings
from django.urls import reverse

SCOPES = (
    "openid",
    "email",
    "profile",
    "given_name",
    "family_name",
    "preferred_username",
    "usual_name",
    "uid",
    "siret",
)


class ProviderAdapter(DefaultOIDCAdapter):
    def get_claims(self, purpose, user, client, scopes, email=None, **kwargs):
        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        extra = {
            "given_name": user.first_name,
            "family_name": user.last_name,
            "usual_name": user.last_name,
            "uid": f"agent-{user.pk}",
            "siret": "11002001300097",
        }
        claims.update({name: value for name, value in extra.items() if name in scopes})
        claims["roles"] = ["magistrat", "administrateur_national"]
        if purpose == "userinfo" and settings.USERINFO_AS_JWT:
            claims.update(iss=self.get_issuer(), aud=client.id)
        return claims

    def populate_id_token(self, id_token, client, scopes, **kwargs):
        # The level of assurance, as ProConnect and FranceConnect state it.
        id_token["acr"] = "eidas1"

    def populate_server_metadata(self, data):
        if settings.USERINFO_AS_JWT:
            data["userinfo_endpoint"] = self.request.build_absolute_uri(reverse("userinfo_jwt"))
