from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.shortcuts import render

from enfance.core import notifications

from . import login_throttle
from .state_signin import identity as state_identity
from .state_signin.views import end_session_url


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's messages (address confirmation, password reset) in the platform's layout,
        with its signature, through its queue (core.notifications)."""
        request = allauth_context.request
        full_context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        message = self.render_mail(template_prefix, email, full_context)
        notifications.enqueue(notifications.wrap(message.body, subject=message.subject, to=email))

    def get_logout_redirect_url(self, request):
        """After signing in through ProConnect or FranceConnect, logging out goes through the
        service's own logout, as its rules ask, and comes back here."""
        url = super().get_logout_redirect_url(request)
        identity = state_identity.current(request)
        if identity is None:
            return url
        return end_session_url(request, identity, url) or url

    def pre_authenticate(self, request, **credentials):
        """allauth's lock of the account after five failures gives way to login_throttle's
        growing delays (ADR 0011), counted in authenticate() below."""

    def authenticate(self, request, **credentials):
        """Every password check (login, the admin's through it, re-authentication): refused
        with a wait when the address or the account failed too often, counted otherwise."""
        attempt = login_throttle.begin(
            request, credentials.get("email") or credentials.get("username") or ""
        )
        user = super().authenticate(request, **credentials)
        if user is not None:
            attempt.succeeded()
        return user

    def pre_login(self, request, user, **kwargs):
        if getattr(user, "is_demo", False) and not settings.DEMO_ACCOUNTS_ALLOWED:
            clear_login(request)
            return render(request, "account/demo_refused.html", status=403)
        return super().pre_login(request, user, **kwargs)
