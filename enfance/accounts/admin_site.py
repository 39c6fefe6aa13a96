"""The Django admin (/administration-technique/) behind the platform's own login.

It shows every model, danger reports and authenticators included: only a superuser reaches it,
once signed in through the platform's login (throttled: login_throttle) with their TOTP code in
this session. Its own password form is gone. Anyone else is refused (403) or sent to what they
lack: the login, the activation of TOTP, or the TOTP code again.
"""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def passed_second_factor(request) -> bool:
    """Whether this session's sign-in (or a later re-authentication) asked for the second
    factor, as allauth records it."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


class PlatformAdminSite(admin.AdminSite):
    site_header = "Administration technique"
    site_title = "Administration technique"
    index_title = "Données de la plateforme"

    def has_permission(self, request):
        allowed = getattr(request, "_technical_admin_allowed", None)
        if allowed is None:
            user = request.user
            allowed = request._technical_admin_allowed = bool(
                user.is_active
                and user.is_superuser
                and passed_second_factor(request)
                and has_totp(user)
            )
        return allowed

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        """Sends each person to what they lack; never shows a password form of its own."""
        target = self._target(request)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(target, reverse("account_login"))
        if not (user.is_active and user.is_superuser):
            raise PermissionDenied("L'administration technique est réservée à l'exploitation.")
        if not has_totp(user):
            messages.warning(
                request,
                "L'administration technique demande la double authentification : activez-la, "
                "puis ouvrez de nouveau l'administration.",
            )
            return redirect("mfa_activate_totp")
        if not passed_second_factor(request):
            return redirect_to_login(target, reverse("mfa_reauthenticate"))
        return redirect(target)

    def _target(self, request) -> str:
        target = request.GET.get(REDIRECT_FIELD_NAME, "")
        index = reverse("admin:index", current_app=self.name)
        if not target.startswith(index) or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return index
        return target
