"""Password logins slowed down by growing delays, by address and by account, instead of
allauth's lock of the account after five failures (docs/adr/0011-connexions-ralenties.md).

Every password check goes through here: the login page (the Django admin's included, since it
goes through that page), allauth's re-authentication. A failure counts for the address it came
from and for the account it named (existing or not: the answer never says which); a success
wipes the account's failures and gives its attempt back to the address's count. After a few
free failures, each one doubles the wait before the next try, up to a quarter of an hour:
whoever fails from many addresses delays the account's owner by that much at most, and no one
can lock an account or a shared address for good.
"""

import time

from django import forms
from django.conf import settings

from enfance.core import ratelimit

# An address is shared (a family, an office, a school behind one router): more free failures.
ADDRESS = ratelimit.Backoff("login-address", free=10, first=15, cap=15 * 60)
ACCOUNT = ratelimit.Backoff("login-account", free=5, first=15, cap=15 * 60)


def clock() -> float:
    """The time the delays are counted in (the tests stop it)."""
    return time.time()


def _limits() -> tuple[ratelimit.Backoff, ratelimit.Backoff]:
    """The two backoffs, or those of `settings.LOGIN_THROTTLE` ({"address": {...},
    "account": {...}} with free, first, cap in seconds) where an installation sets it."""
    custom = getattr(settings, "LOGIN_THROTTLE", None) or {}
    return tuple(
        ratelimit.Backoff(default.group, **custom[name]) if name in custom else default
        for name, default in (("address", ADDRESS), ("account", ACCOUNT))
    )


class Attempt:
    def __init__(self, counted: ratelimit.BackoffAttempt, account: ratelimit.Backoff):
        self._counted = counted
        self._account = account

    def succeeded(self) -> None:
        """The password was right: the account's failures are forgotten (they were its
        owner's), the address's count only gives this attempt back."""
        self._counted.give_back(forget=[self._account])


def begin(request, login: str) -> Attempt:
    """Counts an attempt to log in as `login` from this request's address, or refuses it with
    a French message saying how long to wait."""
    address, account = _limits()
    counted = ratelimit.backoff_attempt(
        [
            (address, ratelimit.client_address(request)),
            (account, login.strip().lower()),
        ],
        now=clock(),
    )
    if counted.wait:
        raise forms.ValidationError(
            "Trop de tentatives de connexion échouées. Par sécurité, réessayez dans "
            f"{say_duration(counted.wait)}.",
            code="too_many_login_attempts",
        )
    return Attempt(counted, account)


def say_duration(seconds: int) -> str:
    """« 1 seconde », « 45 secondes », « 1 minute », « 15 minutes » (minutes rounded up)."""
    if seconds < 60:
        return f"{seconds} seconde{'s' if seconds > 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"
