"""Which of the State's services are on, and the identity a person signed in with during this
session (kept in the session, gone at logout)."""

import functools
import hashlib

from django.conf import settings
from django.core.signals import setting_changed

PROCONNECT = "proconnect"
FRANCECONNECT = "franceconnect"
SESSION_KEY = "state_signin"


@functools.cache
def services() -> dict[str, str]:
    """The services that are on, `{provider_id: name}`, read once per process from the
    settings (a page that shows the buttons asks nothing of the database or the cache)."""
    apps = settings.SOCIALACCOUNT_PROVIDERS.get("etat", {}).get("APPS", [])
    return {app["provider_id"]: app["name"] for app in apps}


def enabled(provider_id: str) -> bool:
    return provider_id in services()


def _forget(*, setting, **kwargs):
    if setting == "SOCIALACCOUNT_PROVIDERS":
        services.cache_clear()


setting_changed.connect(_forget, dispatch_uid="state-signin-services")


def subject_digest(provider_id: str, subject: str) -> str:
    """The service's identifier for the person, never kept as such (a digest keyed by the
    platform's secret): enough to recognise the same person again."""
    key = f"{settings.SECRET_KEY}:{provider_id}:{subject}".encode()
    return hashlib.sha256(key).hexdigest()


def remember(request, sociallogin, id_token: str | None) -> None:
    """Called once the person is signed in through a service (signals.py)."""
    account = sociallogin.account
    if account.provider not in services():
        return
    provider = account.get_provider()
    fields = provider.extract_common_fields(account.extra_data)
    request.session[SESSION_KEY] = {
        "provider": account.provider,
        "subject": subject_digest(account.provider, account.uid),
        "first_name": (fields.get("first_name") or "").strip(),
        "last_name": (fields.get("last_name") or "").strip(),
        "id_token": id_token or "",
    }


def current(request, provider_id: str | None = None) -> dict | None:
    """The identity this session signed in with, if any (and from that service, if named)."""
    identity = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not identity or not request.user.is_authenticated:
        return None
    if provider_id is not None and identity.get("provider") != provider_id:
        return None
    return identity
