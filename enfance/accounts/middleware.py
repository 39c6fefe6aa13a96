from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

# What a person with a sensitive role may still reach before setting up MFA.
_ALLOWED_PREFIXES = ("/comptes/", "/static/", "/healthz")


class SensitiveRoleMfaMiddleware:
    """Sends a user who holds a sensitive role and has no second factor to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_ALLOWED_PREFIXES)
            and user.has_sensitive_role()
            and not user.has_totp()
        ):
            messages.warning(
                request,
                "Votre rôle donne accès à des données sensibles : activez la double "
                "authentification pour continuer.",
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
