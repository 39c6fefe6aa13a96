"""What the platform does when allauth signs a person in through a State service."""

from allauth.account.signals import user_logged_in, user_signed_up
from allauth.socialaccount.signals import social_account_added
from django.dispatch import receiver

from enfance.core.eventlog import record_event

from . import identity
from .identity import services
from .views import ID_TOKEN_STATE_KEY


@receiver(user_logged_in, dispatch_uid="state-signin-remember")
def remember_identity(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None:
        identity.remember(request, sociallogin, (sociallogin.state or {}).get(ID_TOKEN_STATE_KEY))


def _record_link(user, provider_id: str, *, action: str, summary: str) -> None:
    record_event(
        by=user,
        action=action,
        summary=summary.format(service=services().get(provider_id, provider_id), pk=user.pk),
        target=user,
        data={"service": provider_id},
    )


@receiver(social_account_added, dispatch_uid="state-signin-linked")
def log_link(sender, request, sociallogin, **kwargs):
    _record_link(
        sociallogin.user,
        sociallogin.account.provider,
        action="accounts.identity_linked",
        summary="Identité {service} reliée au compte n° {pk}",
    )


@receiver(user_signed_up, dispatch_uid="state-signin-signed-up")
def log_signup(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None:
        _record_link(
            user,
            sociallogin.account.provider,
            action="accounts.identity_signup",
            summary="Compte n° {pk} créé par une identité {service}",
        )
