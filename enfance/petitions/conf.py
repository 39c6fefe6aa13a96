"""The petition's rules and limits, read from Django settings with environment overrides.

Each value is `settings.PETITION_<NAME>` if the settings define it, else the environment variable
of the same name, else the default below: the benchmark raises the rate limits through the
environment without a settings file of its own.
"""

import functools
import os

from django.conf import settings
from django.core.signals import setting_changed

DEFAULTS = {
    # The Assemblée nationale's rule (règlement, art. 148): 500,000 signatures from at least
    # 30 départements. "From" a département is read as "at least THRESHOLD signatures there".
    "GOAL": 500_000,
    "MIN_DEPARTEMENTS": 30,
    "DEPARTEMENT_THRESHOLD": 1_000,
    "MILESTONES": "10000,50000,100000,250000,500000",
    # How long a confirmation link stays valid.
    "CONFIRMATION_DAYS": 7,
    # Unconfirmed signatures older than this are deleted (they never counted).
    "UNCONFIRMED_RETENTION_DAYS": 30,
    # Personal data is erased this many days after the signatures were submitted.
    "ANONYMISE_AFTER_DAYS": 90,
    # How long the public counts may be served from the cache (the counter is right within 5 s).
    "COUNTER_CACHE_SECONDS": 3,
    # Signing attempts (django-ratelimit rates), per address and per e-mail domain.
    # Generous per address: mobile carriers put many people behind one IPv4 address (CGNAT);
    # only confirmed addresses count anyway.
    "RATE_PER_IP": "100/h",
    "RATE_PER_DOMAIN": "300/h",
    # Large webmail providers: a surge of genuine signers shares them, so only the IP limit
    # applies to them.
    "OPEN_DOMAINS": (
        "gmail.com,googlemail.com,hotmail.com,hotmail.fr,outlook.com,outlook.fr,live.fr,"
        "live.com,msn.com,yahoo.fr,yahoo.com,icloud.com,me.com,orange.fr,wanadoo.fr,free.fr,"
        "sfr.fr,neuf.fr,laposte.net,bbox.fr,aol.com,protonmail.com,proton.me,gmx.fr,gmx.com"
    ),
    # A new link is not re-sent to an unconfirmed signature more often than this.
    "RESEND_COOLDOWN_SECONDS": 120,
    # The e-mail job is enqueued at most once per this many seconds per process: the pending
    # signatures are the queue, one job drains them all.
    "EMAIL_DRAIN_INTERVAL": 5,
    "EMAIL_BATCH": 500,
    # Signing asks to sign in with FranceConnect and takes the names from the identity, as the
    # Assemblée nationale does; only where FranceConnect is on (README, ADR 0010).
    "REQUIRE_FRANCECONNECT": False,
    # The bare one-INSERT view of the surge benchmark: off unless BENCH_VIEWS=1.
    "BENCH_VIEWS": False,
}


@functools.cache
def get(name: str):
    """Read once per process (each signing reads half a dozen values); a test that changes a
    setting clears the memo (below). The environment is read at start-up, as the settings are."""
    default = DEFAULTS[name]
    value = getattr(settings, f"PETITION_{name}", None)
    if value is None:
        env_name = "BENCH_VIEWS" if name == "BENCH_VIEWS" else f"PETITION_{name}"
        value = os.environ.get(env_name)
    if value is None:
        return default
    if isinstance(default, bool):
        return str(value).strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    return value


def milestones() -> list[int]:
    return sorted(int(v) for v in str(get("MILESTONES")).split(",") if v.strip())


def open_domains() -> frozenset[str]:
    return _domain_set(str(get("OPEN_DOMAINS")))


@functools.cache
def _domain_set(value: str) -> frozenset[str]:
    return frozenset(d.strip().lower() for d in value.split(",") if d.strip())


def _forget_settings(*, setting, **kwargs):
    if setting.startswith("PETITION_"):
        get.cache_clear()


setting_changed.connect(_forget_settings, dispatch_uid="petitions-conf")
