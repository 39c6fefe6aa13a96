import json

import jwt
from allauth.core.internal import jwkkit
from allauth.idp.oidc.adapter import get_adapter
from allauth.idp.oidc.views import user_info
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def userinfo_jwt(request):
    """allauth's user information, signed with the provider's key as the State's services do."""
    response = user_info(request)
    if response.status_code != 200:
        return response
    claims = json.loads(response.content)
    jwk, private_key = jwkkit.load_jwk_from_pem(get_adapter().get_signing_key().pem)
    token = jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": jwk["kid"]})
    return HttpResponse(token, content_type="application/jwt")
