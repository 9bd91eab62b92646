"""Settings of the Health Cluster Portal, all read from environment variables.

The defaults are the embedded mode used by `make run`: SQLite, Celery tasks run
in-process, emails printed to the console. Production sets DEBUG=False and the
variables listed in docs/operations.md; a bad value stops start-up (see env.py).
"""

import re
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from cluster_portal.env import (
    EnvError,
    env_bool,
    env_int,
    env_list,
    env_storage_url,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "embedded-mode-only-not-secret-" + "x" * 32)
else:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50:
        raise EnvError("SECRET_KEY must be at least 50 characters long when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "csp",
    "core",
    "outbox",
    "accounts",
    "locations",
    "strategy",
    "partners",
    "assessments",
    "activities",
    "facilities",
    "projects",
    "planning",
    "analysis",
    "bulletins",
    "monitoring",
    "pages",
    "meetings",
    "subscribers",
    "api",
    "cluster_portal",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "core.storage.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "cluster_portal.urls"
WSGI_APPLICATION = "cluster_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
                "strategy.context_processors.identity",
            ],
        },
    },
]

# Database: SQLite in the embedded mode, PostgreSQL (psycopg 3 with its pool) otherwise.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
# DATABASE_URL points at PgBouncer in transaction mode (docs/operations.md, "PgBouncer"): it
# pools the connections of every web node and worker, so each process keeps none of its own.
DATABASE_PGBOUNCER = env_bool("DATABASE_PGBOUNCER", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool (psycopg's or PgBouncer's) keeps them
    # The pool checks a connection before lending it: one killed server-side is replaced.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # JIT compilation costs more than it saves on the dashboards' grouped scans (~150 ms each).
    # The dashboards group a few hundred thousand figures by hashing: with the default 4 MB
    # the hash tables spill to disk (people reached once over five years at a million rows:
    # 181 ms at 4 MB, 113 ms at 32 MB). Per sort or hash node, so 20 connections stay small.
    work_mem = env_str("DATABASE_WORK_MEM", "32MB")
    if not re.fullmatch(r"[1-9]\d{0,6}(kB|MB|GB)", work_mem):
        raise EnvError("DATABASE_WORK_MEM must be a size such as 32MB.")
    options = DATABASES["default"].setdefault("OPTIONS", {})
    if DATABASE_PGBOUNCER:
        # Server-side cursors only inside a transaction (cluster_portal/pgbouncer/base.py).
        DATABASES["default"]["ENGINE"] = "cluster_portal.pgbouncer"
        # PgBouncer refuses the "options" startup parameter: the same two settings go on the
        # database instead (ALTER DATABASE ... SET jit = off; ... SET work_mem = '32MB').
        # A statement prepared on one server connection is unknown on the next one PgBouncer
        # lends, so psycopg prepares none.
        options["prepare_threshold"] = None
    else:
        options["options"] = f"-c jit=off -c work_mem={work_mem}"
    if env_bool("DATABASE_POOL", not DATABASE_PGBOUNCER):
        if DATABASE_PGBOUNCER:
            raise EnvError("DATABASE_POOL must be off with DATABASE_PGBOUNCER: PgBouncer pools.")
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 1, minimum=0),
            "max_size": env_int("DATABASE_POOL_MAX", 10, minimum=1),
            "timeout": env_int("DATABASE_POOL_TIMEOUT", 10, minimum=1),
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Anonymous visitors' pages are kept this many seconds at most (0: never); any change to the
# data empties the cache at once (core/page_cache.py).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300, minimum=0)

# Redis: Celery broker and cache. Without it, tasks run in-process and the cache is local.
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # django-redis's, with the database under the rate limits (core/cache.py).
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # A Redis outage means cache misses, not errors; the rate limits and used
                # two-factor codes are kept in the "security" cache meanwhile.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Where core.cache.RedisCache keeps the security state while Redis is down: a table made by
# core's migration. MAX_ENTRIES is large so that counters are not culled during an attack.
CACHES["security"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "core_security_cache",
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 300, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 360, minimum=1)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Seconds after a validation (or any change the figures come from) before a worker computes
# the figures of the most-read pages again, so that no reader waits for them; changes within
# the delay share one computation. 0 switches it off (the embedded mode computes on demand).
ANALYSIS_WARM_SECONDS = env_int(
    "ANALYSIS_WARM_SECONDS", 0 if CELERY_TASK_ALWAYS_EAGER else 3, minimum=0
)
# Gaps (analysis/coordination.py): a need of this severity (1-5) or more counts as severe, and a
# response counts when it was reported in the last this many months.
GAP_SEVERITY_THRESHOLD = env_int("GAP_SEVERITY_THRESHOLD", 4, minimum=1)
GAP_RECENT_MONTHS = env_int("GAP_RECENT_MONTHS", 3, minimum=1)
# Whether the public sees health facilities' locations, names and codes (issue 25): off, it sees
# counts by admin1 only. In a conflict an exact location can put a facility at risk.
PUBLISH_FACILITY_LOCATIONS = env_bool("PUBLISH_FACILITY_LOCATIONS", False)
# Disclosure (partners/disclosure.py): a public figure from fewer distinct implementing
# organisations than this is not shown, nor a total that includes an admin1-month cell of fewer.
PUBLIC_MIN_ORGANISATIONS = env_int("PUBLIC_MIN_ORGANISATIONS", 3, minimum=1)

# Bulletin PDF builds (bulletins/tasks.py): their soft and hard time limits in seconds, the
# attempts before a build that keeps ending its worker is given up, and when a build in
# progress counts as dead: queued this long without starting, or silent this long (its
# heartbeat thread writes every BULLETIN_HEARTBEAT_INTERVAL seconds).
BULLETIN_BUILD_SOFT_TIME_LIMIT = env_int("BULLETIN_BUILD_SOFT_TIME_LIMIT", 240, minimum=10)
BULLETIN_BUILD_TIME_LIMIT = env_int("BULLETIN_BUILD_TIME_LIMIT", 300, minimum=15)
if BULLETIN_BUILD_TIME_LIMIT <= BULLETIN_BUILD_SOFT_TIME_LIMIT:
    raise EnvError("BULLETIN_BUILD_TIME_LIMIT must be longer than the soft limit.")
BULLETIN_BUILD_MAX_ATTEMPTS = env_int("BULLETIN_BUILD_MAX_ATTEMPTS", 3, minimum=1)
BULLETIN_QUEUE_TIMEOUT = env_int("BULLETIN_QUEUE_TIMEOUT", 15 * 60, minimum=10)
BULLETIN_HEARTBEAT_INTERVAL = env_int("BULLETIN_HEARTBEAT_INTERVAL", 5, minimum=1)
BULLETIN_HEARTBEAT_TIMEOUT = env_int("BULLETIN_HEARTBEAT_TIMEOUT", 60, minimum=2)
# Long tables in a bulletin stop after this many rows and say how many more there are.
BULLETIN_TABLE_MAX_ROWS = env_int("BULLETIN_TABLE_MAX_ROWS", 25, minimum=5)
BULLETIN_PRINT_TEMPLATE = "bulletins/print/bulletin.html"
# Tests only: seconds a build waits (heartbeating) before rendering, to be caught mid-build.
BULLETIN_BUILD_TEST_DELAY = env_int("BULLETIN_BUILD_TEST_DELAY", 0, minimum=0)
# With acks_late, Redis hands an unacknowledged task to another worker after the visibility
# timeout: it must outlast the longest build, or a slow build would run twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "visibility_timeout": max(3600, 2 * BULLETIN_BUILD_TIME_LIMIT),
}
# The beat runs the reminders hourly; each one goes once (see activities/services/reminders.py).
CELERY_BEAT_SCHEDULE = {
    "send-due-reminders": {
        "task": "activities.tasks.send_due_reminders",
        "schedule": crontab(minute=5),
    },
    "fail-stale-bulletin-builds": {
        "task": "bulletins.tasks.fail_stale_builds",
        "schedule": 60.0,
    },
    "purge-personal-data": {
        "task": "accounts.tasks.purge_personal_data",
        "schedule": crontab(hour=3, minute=17),
    },
}
# Days before a reporting deadline when organisations that have not submitted are reminded.
REMINDER_DAYS_BEFORE = env_int("REMINDER_DAYS_BEFORE", 3, minimum=0)
# Bulletin email subscriptions (subscribers/): emails per sending task, and the days a
# confirmation link works (an unconfirmed subscription is deleted after them).
SUBSCRIBER_BATCH_SIZE = env_int("SUBSCRIBER_BATCH_SIZE", 100, minimum=1)
SUBSCRIPTION_CONFIRMATION_DAYS = env_int("SUBSCRIPTION_CONFIRMATION_DAYS", 7, minimum=1)
CELERY_BEAT_SCHEDULE["send-pending-announcements"] = {
    "task": "subscribers.tasks.send_pending_announcements",
    "schedule": crontab(minute="*/15"),
}
CELERY_BEAT_SCHEDULE["purge-stale-subscriptions"] = {
    "task": "subscribers.tasks.purge_stale_subscriptions",
    "schedule": crontab(hour=3, minute=41),
}
# Outgoing email (outbox/): attempts before an email is given up and listed for the
# coordinators, the wait after its first refusal (doubled after each further one, up to the
# longest wait), and the days sent and given-up emails are kept. The beat queues every minute
# the emails whose turn has come, and purges the old ones every night.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 10, minimum=1)
OUTBOX_RETRY_DELAY = env_int("OUTBOX_RETRY_DELAY", 60, minimum=1)
OUTBOX_RETRY_MAX_DELAY = env_int("OUTBOX_RETRY_MAX_DELAY", 60 * 60, minimum=1)
if OUTBOX_RETRY_MAX_DELAY < OUTBOX_RETRY_DELAY:
    raise EnvError("OUTBOX_RETRY_MAX_DELAY must not be shorter than OUTBOX_RETRY_DELAY.")
OUTBOX_RETENTION_DAYS = env_int("OUTBOX_RETENTION_DAYS", 30, minimum=1)
CELERY_BEAT_SCHEDULE["send-due-emails"] = {
    "task": "outbox.tasks.send_due_emails",
    "schedule": 60.0,
}
CELERY_BEAT_SCHEDULE["purge-old-emails"] = {
    "task": "outbox.tasks.purge_old_emails",
    "schedule": crontab(hour=3, minute=29),
}
# The embedded mode has no beat: the development server runs the schedule in a thread
# (core/embedded_beat.py) unless this is off.
EMBEDDED_BEAT = env_bool("EMBEDDED_BEAT", CELERY_TASK_ALWAYS_EAGER)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A signed-in session ends after this many seconds without a request, and in any case this
# many seconds after the login (accounts/middleware.py); the cookie lives no longer.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 2 * 60 * 60, minimum=60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60, minimum=60)
if SESSION_IDLE_TIMEOUT > SESSION_ABSOLUTE_TIMEOUT:
    raise EnvError("SESSION_IDLE_TIMEOUT must not be longer than SESSION_ABSOLUTE_TIMEOUT.")
# Coordinators and site administrators reach every organisation's data: their sessions end
# sooner without a request (OWASP ASVS level 2 asks for 30 minutes), whichever is shorter.
SESSION_PRIVILEGED_IDLE_TIMEOUT = env_int("SESSION_PRIVILEGED_IDLE_TIMEOUT", 30 * 60, minimum=60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
# Accounts that signed up but never confirmed their address are deleted after this many days.
UNCONFIRMED_SIGNUP_RETENTION_DAYS = env_int("UNCONFIRMED_SIGNUP_RETENTION_DAYS", 14, minimum=1)
# Where people write about their personal data (the privacy notice); blank: the cluster team.
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 for new and changed passwords; PBKDF2 hashes made before it still verify (and are
# rehashed with Argon2 at the next login).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: the email address is the login, and it must be verified.
ACCOUNT_ADAPTER = "cluster_portal.account_adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = env_str("EMAIL_SUBJECT_PREFIX", "[Health Cluster] ")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    # The public subscription form (subscribers/views.py), counted the same way; an address
    # gets one email per two minutes whatever the limit (subscribers/services.py).
    "subscribe": "10/h/ip",
}
# Behind a reverse proxy every request comes from the proxy's address, which would make the
# per-address limits above one limit for everyone: with N trusted proxies in front (nginx: 1),
# the client's address is read from X-Forwarded-For, N entries from its end.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Two-factor authentication (allauth.mfa): an authenticator app, with recovery codes.
# Coordinators and site administrators must set it up before they can do anything else
# (accounts/middleware.py) when REQUIRE_MFA is on, as it is whenever DEBUG is off.
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Health Cluster Portal")
REQUIRE_MFA = env_bool("REQUIRE_MFA", not DEBUG)

# The read API (api/, docs/api.md): JSON only, personal tokens as the one way to sign in,
# throttled per token and, for anonymous callers, per address (on the default cache: Redis in
# production), its errors written by api/errors.py.
API_ANON_RATE = env_str("API_ANON_RATE", "60/minute")
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "600/minute")
for _name, _rate in (("API_ANON_RATE", API_ANON_RATE), ("API_TOKEN_RATE", API_TOKEN_RATE)):
    if not re.fullmatch(r"[1-9]\d{0,6}/(second|minute|hour|day)", _rate):
        raise EnvError(f"{_name} must be a number of requests per unit, such as 60/minute.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenOrAddressThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_anon": API_ANON_RATE, "api_token": API_TOKEN_RATE},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # The client's address behind the same trusted proxies as the login's rate limits.
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Health Cluster Portal API",
    "DESCRIPTION": "The cluster's public records, read with the same rules as the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Email: printed to the console unless an SMTP server is configured.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
# Where the file-based email backend writes (tests with a separate worker process use it).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Health Cluster Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Languages: every page lives under /en/ and /ar/.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ar", _("Arabic"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["cluster_portal.formats"]

# Static files: Bootstrap comes from npm (node_modules), served by whitenoise.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    # The API documentation's viewer (templates/api/docs.html).
    ("vendor/swagger-ui", BASE_DIR / "node_modules" / "swagger-ui-dist"),
]
# Uploaded files are private: no URL serves MEDIA_ROOT, downloads go through views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/private-media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The proxy in front of the portal must accept request bodies at least this large.
ASSESSMENT_ATTACHMENT_MAX_MB = env_int("ASSESSMENT_ATTACHMENT_MAX_MB", 20, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
# The largest forms: an assessment's findings grid (two fields per area and health domain) and
# a report's return page (a comment per row, up to REPORT_MAX_ROWS). Django's default of 1,000
# refused saves of ordinary size with a bare 400 (tests/activities/test_report_limits.py).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Where uploads and bulletin PDFs go: MEDIA_ROOT on disk, or with STORAGE_URL a private
# S3-compatible bucket (core/storage.py, docs/operations.md "Object storage").
STORAGE_OPTIONS = env_storage_url("STORAGE_URL")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if STORAGE_OPTIONS is None
    else {"BACKEND": "core.storage.PrivateS3Storage", "OPTIONS": STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security headers.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: only the portal's own files; no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Audit history (django-simple-history) records the user from each request.
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django_redis": {"level": "WARNING"}},
}
