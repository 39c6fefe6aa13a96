"""Production: DEBUG off, HTTPS only, strict cookies and headers. `check --deploy` passes."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("LOG_FORMAT", "json")

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import LOCAL_DEMO, TEMPLATES, env_bool

# Rate limits (logins, signatures, searches) count in the shared cache: with each process's own
# memory, every worker would grant the whole limit again. Only a measurement on one machine may
# say it accepts that (bench/README.md).
if not os.environ.get("REDIS_URL") and not env_bool("CACHE_PER_PROCESS_ACCEPTED", False):
    raise ImproperlyConfigured(
        "REDIS_URL manque : en production, les limites de débit (connexions, signatures, "
        "recherches) se comptent dans un cache partagé. Indiquez l'adresse du serveur Redis, "
        "par exemple REDIS_URL=redis://127.0.0.1:6379/0."
    )

# Each process's own cache would not hear that a role was withdrawn in another one.
if not os.environ.get("REDIS_URL"):
    ACCOUNT_FACTS_SECONDS = 0

if LOCAL_DEMO:
    raise ImproperlyConfigured(
        "LOCAL_DEMO sert à la démonstration locale (make run) : jamais en production."
    )
DEBUG = False
TEMPLATES[0]["OPTIONS"]["debug"] = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Behind a reverse proxy every request comes from the proxy's address: name the request header
# (as Django spells it, e.g. HTTP_X_REAL_IP) where the proxy writes the client's, or the rate
# limits by address would count every visitor as one.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
DEMO_ACCOUNTS_ALLOWED = False

LOGGING = {
    **LOGGING,  # noqa: F405
    "handlers": {
        **LOGGING["handlers"],  # noqa: F405
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"},
    },
    "loggers": {
        **LOGGING["loggers"],  # noqa: F405
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}
ADMINS = [("Exploitation", a) for a in os.environ.get("ADMINS_EMAILS", "").split(",") if a]
