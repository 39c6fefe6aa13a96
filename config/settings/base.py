"""Settings shared by every environment, driven by environment variables.

Local defaults make `make run` work on a fresh machine (SQLite in var/, e-mails as files in
var/mail/); production.py tightens what must be tight when DEBUG is off.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from enfance.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# The demo as `make run` serves it (settings/demo.py): DEBUG off, yet on this machine only, with
# the development keys and the demo accounts. production.py refuses it.
LOCAL_DEMO = env_bool("LOCAL_DEMO", False)

_DEV_SECRET_KEY = "dev-only-secret-key-never-used-in-production-0123456789abcdefghij"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY if DEBUG or LOCAL_DEMO else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY doit être défini quand DEBUG est désactivé.")

# What people confide (support requests, their messages and attachments) is encrypted at rest
# (enfance/core/crypto.py): Fernet keys, comma-separated, the first encrypts and all decrypt, so
# that a new key can be put first and `manage.py rotate_encryption_keys` run before the old one
# goes. A new key: `manage.py rotate_encryption_keys --new-key`. This one is for development only.
_DEV_ENCRYPTION_KEY = "NI6zdYXSguu5EAsceHaTzHbtXCmqESfWgTvKDEzXCsQ="
ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS", _DEV_ENCRYPTION_KEY if DEBUG or LOCAL_DEMO else "")
if not ENCRYPTION_KEYS:
    raise ImproperlyConfigured("ENCRYPTION_KEYS doit être défini quand DEBUG est désactivé.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or LOCAL_DEMO else ""
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# The State brand block (Marianne, "République française") is reserved to State services: off
# while the ministry is a citizen initiative, switched on once it is adopted (PRODUCT.md, Brand).
STATE_BRAND = env_bool("STATE_BRAND", False)
SITE_NAME = "Ministère de la Protection de l'Enfance"
# The address of the platform, for the links in e-mails sent by background jobs (no request).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_TAGLINE = "Démocratie, bienveillance, transparence"
# Who publishes and hosts this installation, named on the legal pages (« Mentions légales »,
# « Données personnelles »), and the address where people exercise their rights and report an
# accessibility problem: facts of each deployment, set by its operator.
LEGAL_PUBLISHER = os.environ.get("LEGAL_PUBLISHER", "")
LEGAL_PUBLICATION_DIRECTOR = os.environ.get("LEGAL_PUBLICATION_DIRECTOR", "")
LEGAL_HOST = os.environ.get("LEGAL_HOST", "")
LEGAL_CONTACT_EMAIL = os.environ.get("LEGAL_CONTACT_EMAIL", "")

# Care network: how long a declared figure of free places holds before it shows as unknown
# (never as free); shorter for urgent admissions, whose places go fastest.
CARE_FRESHNESS = timedelta(hours=int(os.environ.get("CARE_FRESHNESS_HOURS", "24")))
CARE_URGENT_FRESHNESS = timedelta(hours=int(os.environ.get("CARE_URGENT_FRESHNESS_HOURS", "8")))
# How long the structures have to answer a request for a place (urgent: the same day).
CARE_ANSWER_WITHIN = timedelta(hours=int(os.environ.get("CARE_ANSWER_WITHIN_HOURS", "48")))
CARE_URGENT_ANSWER_WITHIN = timedelta(
    hours=int(os.environ.get("CARE_URGENT_ANSWER_WITHIN_HOURS", "4"))
)
# The gestionnaires are reminded by e-mail this long before their figures turn unknown.
CARE_REMINDER_BEFORE = timedelta(hours=int(os.environ.get("CARE_REMINDER_BEFORE_HOURS", "3")))
# Inspections: the days a structure has to send its observations on the rapport provisoire (the
# contradictory procedure of French inspections).
INSPECTION_OBSERVATION_DAYS = int(os.environ.get("INSPECTION_OBSERVATION_DAYS", "15"))
# A parent's support request gets its first answer within this many hours (the triage queue
# highlights those close to it or past it).
SUPPORT_FIRST_ANSWER_HOURS = int(os.environ.get("SUPPORT_FIRST_ANSWER_HOURS", "72"))
# A support request is deleted this many days after its last message (the published schedule;
# `manage.py purge_support_requests`, daily).
SUPPORT_RETENTION_DAYS = int(os.environ.get("SUPPORT_RETENTION_DAYS", "730"))
# A file joined to a support message (PDF, PNG, JPEG) weighs this much at most.
SUPPORT_ATTACHMENT_MAX_BYTES = int(os.environ.get("SUPPORT_ATTACHMENT_MAX_BYTES", "5000000"))
# A SCIC's statutes, a PDF (enfance.care.cooperatives.attach_statutes).
CARE_STATUTES_MAX_BYTES = int(os.environ.get("CARE_STATUTES_MAX_BYTES", "10000000"))
# The SCIC answers its supervising instance's question within this many days.
CARE_QUESTION_ANSWER_DAYS = int(os.environ.get("CARE_QUESTION_ANSWER_DAYS", "30"))
# A weak grade schedules a second, unannounced visit this many days after the rapport définitif
# (within the year, as Ofsted does).
INSPECTION_SECOND_VISIT_DAYS = int(os.environ.get("INSPECTION_SECOND_VISIT_DAYS", "183"))

INSTALLED_APPS = [
    # django.contrib.admin, behind the platform's login and its second factor.
    "enfance.accounts.admin_apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",
    "template_partials",
    "django_htmx",
    "rules",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "enfance.core",
    "enfance.territories",
    "enfance.accounts",
    # ProConnect and FranceConnect (config/settings/state_signin.py).
    "enfance.accounts.state_signin",
    "enfance.assemblies",
    "enfance.events",
    "enfance.votes",
    "enfance.safeguarding",
    "enfance.discussions",
    "enfance.practices",
    "enfance.proposals",
    "enfance.texts",
    "enfance.interpellations",
    "enfance.petitions",
    "enfance.care",
    "enfance.measures",
    "enfance.inspections",
    "enfance.support",
    "enfance.strategy",
]

MIDDLEWARE = [
    "enfance.core.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get the header too.
    "enfance.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Once the visitor is known: anonymous reads go to the replica, when there is one.
    "enfance.core.db_routers.ReplicaReadsMiddleware",
    "enfance.accounts.middleware.SensitiveRoleMfaMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "enfance" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "enfance.core.context_processors.platform",
            ],
            "debug": DEBUG,
        },
    }
]
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"

# Databases: SQLite in var/ by default (WAL, immediate transactions so that concurrent writers
# queue instead of failing), PostgreSQL when DATABASE_URL says so.
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'enfance.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000;"
        ),
    }
# A replica of PostgreSQL for the pages anonymous visitors read (core.db_routers): what they see
# may lag the primary by the replication delay; whoever is signed in reads the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=600, conn_health_checks=True
    )
READ_REPLICA = "replica" if DATABASE_REPLICA_URL else None
DATABASE_ROUTERS = ["enfance.core.db_routers.ReplicaRouter"]
# PostgreSQL connections come from a pool in each process (psycopg_pool, Django's native
# support): the server's threads share a few connections instead of each keeping one, so that
# processes × DATABASE_POOL_MAX_SIZE stays under PostgreSQL's max_connections whatever the
# threads. A connection is checked before it is lent, so that a restarted PostgreSQL costs the
# requests of its outage and nothing after. 0 turns the pool off (persistent connections).
DATABASE_POOL_MAX_SIZE = int(os.environ.get("DATABASE_POOL_MAX_SIZE", "4"))
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_MAX_SIZE:
        _database["CONN_MAX_AGE"] = 0
        # With a pool, Django has psycopg check each connection before lending it.
        _database["CONN_HEALTH_CHECKS"] = True
        _database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": DATABASE_POOL_MAX_SIZE,
            # A request waits this long for a connection before it fails (and is told to retry).
            "timeout": 10,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": (
        {
            # django-redis keeps one client per server; Django's own Redis backend builds one
            # per operation, and redis-py fills about 170 reply handlers in each (0.25 ms).
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # The default (300 entries) is less than the petition's commune labels and rate
            # limit keys of one surge: once full it drops a third of itself at each write, and
            # every signing looked its commune up in the database again (2.3 -> 1.3 ms of CPU).
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    ),
    # Reference data that is the same for every process (a commune label resolved by the
    # petition form): kept in the process, a round trip to Redis saved on each signing.
    "local": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "local",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Roles decide (rules above); Django's model permissions grant nothing: see backends.py.
    "enfance.accounts.backends.ModelBackend",
    "enfance.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

# django-allauth: e-mail only, verified before use; its rate limits stay on (defaults).
ACCOUNT_ADAPTER = "enfance.accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_FORMS = {"signup": "enfance.accounts.forms.SignupForm"}
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Protection de l'enfance] "
# No page tells whether an address has an account (password reset, e-mail management), except
# sign-up: the foundation issue asks it to say when an address is taken (accounts.forms), and
# allauth rate limits sign-up, which bounds the enumeration this allows.
ACCOUNT_PREVENT_ENUMERATION = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Protection de l'enfance"
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
# The State's sign-in services, each on when its variables are set.
from .state_signin import *  # noqa: E402, F403

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Protection de l'enfance <ne-pas-repondre@protection-enfance.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs: the database backend by default (`manage.py db_worker` runs them, `make run`
# starts one); TASKS_BACKEND=rq puts them in Redis for as many workers as needed (`manage.py
# rqworker --with-scheduler --job-class django_tasks_rq.Job default`), the same task code;
# TASKS_BACKEND=immediate runs them in-process (tests).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND]
    }
}
RQ_QUEUES = {
    "default": {
        "URL": os.environ.get("TASKS_REDIS_URL")
        or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        # An e-mail task that takes longer than this is stuck: it is failed, then retried.
        "DEFAULT_TIMEOUT": 300,
    }
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "enfance" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Content Security Policy: every asset is ours, scripts need the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        # The State's sign-in services receive their buttons' forms (state_signin.py).
        "form-action": [SELF, *STATE_SIGNIN_ORIGINS],  # noqa: F405
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
# The account's roles, second factor and subjects, kept between requests (enfance.accounts.facts).
ACCOUNT_FACTS_SECONDS = 300
# With Redis, a session is read from the cache and written through to the database: a signed-in
# page is one query lighter. Never with a per-process cache, where a session ended in one worker
# would live on in another.
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = 60 * 60 * 12
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Demo accounts log in during development and in the local demo, never elsewhere
# (accounts.adapters).
DEMO_ACCOUNTS_ALLOWED = DEBUG or LOCAL_DEMO

# Interpellations: the time an institution has to answer, and when it is reminded (days before).
INTERPELLATION_ANSWER_MONTHS = int(os.environ.get("INTERPELLATION_ANSWER_MONTHS", "2"))
INTERPELLATION_REMINDER_DAYS = (14, 3)

# One line per event with the request's identifier (core.logs); JSON where a collector reads them
# (production's default), text on a developer's terminal.
LOGGING = logging_config(
    json=os.environ.get("LOG_FORMAT", "text") == "json", level=os.environ.get("LOG_LEVEL", "INFO")
)
