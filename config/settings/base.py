"""Settings shared by every mode. The environment is read here and only here."""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Development defaults: production.py refuses to start while any of these is still in use.
DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"
DEV_NIR_DIGEST_KEY = "dev-only-nir-digest-key"
DEV_NIR_SEAL_KEY = "dev-only-nir-seal-key"

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", DEV_SECRET_KEY)
NIR_DIGEST_KEY = env("NIR_DIGEST_KEY", DEV_NIR_DIGEST_KEY)
NIR_SEAL_KEY = env("NIR_SEAL_KEY", DEV_NIR_SEAL_KEY)
# Key rotation: former keys (comma-separated) still read old digests and seals until re-keyed.
NIR_DIGEST_PREVIOUS_KEYS = env_list("NIR_DIGEST_PREVIOUS_KEYS")
NIR_SEAL_PREVIOUS_KEYS = env_list("NIR_SEAL_PREVIOUS_KEYS")
# Processes parsing a cohort file of COHORT_PARALLEL_FROM_BYTES or more (checks, digest, seal) while the main one
# reads it and feeds PostgreSQL. Celery's prefork children may not fork: the imports worker runs `-P solo`.
COHORT_IMPORT_PROCESSES = int(env("COHORT_IMPORT_PROCESSES", "2"))
COHORT_PARALLEL_FROM_BYTES = int(env("COHORT_PARALLEL_FROM_BYTES", str(8 << 20)))  # about 130,000 rows
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Hosts (besides SITE_URL's) that an instruction's links may point to; any other link loses its address.
INSTRUCTION_LINK_HOSTS = [host.lower() for host in env_list("INSTRUCTION_LINK_HOSTS")]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",  # API tokens, stored hashed (config/api/tokens.py)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "widget_tweaks",
    "dsfr",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts.apps.AxesConfig",  # django-axes, named in French in the admin
    "simple_history",
    "mozilla_django_oidc",
    # Vigie's apps, lowest layer first (see ARCHITECTURE.md).
    "network",
    "accounts",
    "breaches",
    "casework",
    "notifications",
    "reporting",
    "audit",  # last: it adds history to the admin of the apps above
]

MIDDLEWARE = [
    "config.request_id.RequestIdMiddleware",  # first: every log line of the request carries its id
    "config.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.QueryStringGuardMiddleware",  # a NUL in the path or the query string is a 400
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.VerifiedDeviceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # DEBUG only: a missing page shows the French 404 page, not Django's technical one (outside CSP: its header).
    "config.middleware.DebugNotFoundMiddleware",
    "config.middleware.CSPMiddleware",  # django-csp's, its plain header built once
    "simple_history.middleware.HistoryRequestMiddleware",
    # A domain NotFound raised under a page is the 404 page (the API's handler does the same for the API).
    "config.middleware.DomainErrorMiddleware",
    # Axes last: it turns a lock-out flagged during sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network.context_processors.roles",
                "csp.context_processors.nonce",
                "accounts.context_processors.sign_in_options",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60,
        # A persistent connection the server dropped (restart, failover, terminated backend) is replaced at the
        # start of the next request instead of failing it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool("LOOKUP_PREPARED_STATEMENTS", True):
    # The NIR lookup's own connection to the same database (breaches/lookup/db.py): its statements bind on the
    # server, so psycopg prepares them after 5 runs and PostgreSQL keeps one generic plan for each instead of
    # planning them on every lookup. The rest of the site keeps Django's client-side binding. Off
    # (LOOKUP_PREPARED_STATEMENTS=false) behind a pooler that cannot keep prepared statements.
    DATABASES["lookup"] = {
        **DATABASES["default"],
        "OPTIONS": {**DATABASES["default"].get("OPTIONS", {}), "server_side_binding": True, "prepare_threshold": 5,
                    "options": "-c plan_cache_mode=force_generic_plan"},
        "TEST": {"MIRROR": "default"},
    }
LOOKUP_DATABASE = "lookup" if "lookup" in DATABASES else "default"
# A streaming read replica: dashboards, reports and exports (views marked @replica_reads) read from it; lookups and
# every write stay on the primary (config/db_router.py).
if env("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = {
        **dj_database_url.parse(env("DATABASE_REPLICA_URL"), conn_max_age=60, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
REPLICA_READS = "replica" in DATABASES
DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Axes first: it refuses a locked-out account before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Private files (case attachments, import reports) live outside the web root.
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", str(BASE_DIR / "private")))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "config.tokens.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # The register's gate (breaches/lookup/throttle.py): one person at a time (lookups, checks), and whole lists
    # (a signal load, a fund's export: one each).
    "DEFAULT_THROTTLE_RATES": {"lookup": env("LOOKUP_THROTTLE", "120/min"),
                               "register_bulk": env("REGISTER_BULK_THROTTLE", "60/hour")},
}
# API tokens (django-rest-knox): issued from "Sécurité du compte" after the second factor, shown once, stored as a
# digest. They expire after API_TOKEN_DAYS (fund agents' integrations), API_TOKEN_DAYS_NATIONAL for national staff
# and admins.
REST_KNOX = {"TOKEN_PREFIX": "vigie_", "AUTH_HEADER_PREFIX": "Token"}
API_TOKEN_DAYS = int(env("API_TOKEN_DAYS", "30"))
API_TOKEN_DAYS_NATIONAL = int(env("API_TOKEN_DAYS_NATIONAL", "7"))
SPECTACULAR_SETTINGS = {
    "TITLE": "API Vigie",
    "DESCRIPTION": "API de Vigie, l'intranet de gestion des fuites de données du réseau de l'Assurance Maladie.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["network.permissions.HoldsRole"],  # role holders only; others 404
    # Swagger UI is served by the app itself: the intranet has no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per choice set shared by several serializers (else check --deploy warns: drf_spectacular.W001).
    "ENUM_NAME_OVERRIDES": {
        "CheckKindEnum": "casework.checks.models.Check.Kind",
        "InstructionStatusEnum": "notifications.models.Instruction.Status",
        "BreachStatusEnum": "breaches.models.Breach.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.add_error_responses",
    ],
}

# Celery: with no REDIS_URL, tasks run eagerly in-process (embedded default).
REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "socket_connect_timeout": 2}
CELERY_TIMEZONE = TIME_ZONE
CELERY_IMPORTS = ["config.tasks"]
# Queues, so that a long job never waits in front of a notice: one worker command per queue (README, deploy/).
# Routing is by task name; what no route names goes to the default queue.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    # Notices and reminders: short, urgent, many (a fan-out is ~100 messages).
    "notifications.*": {"queue": "notices"},
    "breaches.remind_clocks": {"queue": "notices"},  # the GDPR 72-hour clock's reminders to national staff
    # Imports and key rotation: minutes of CPU and COPY each.
    "breaches.import_cohort": {"queue": "imports"},
    "breaches.resume_stale_imports": {"queue": "imports"},
    "breaches.rotate_keys": {"queue": "imports"},
    # Reports and exports built in the background.
    "reporting.*": {"queue": "reports"},  # the weekly PDF reports and fund digests
    "*.report_*": {"queue": "reports"},
    "*.export_*": {"queue": "reports"},
}
VIGIE_QUEUES = ["notices", "imports", "reports", CELERY_TASK_DEFAULT_QUEUE]
CELERY_BEAT_SCHEDULE: dict = {}  # filled by each app below, see the apps' tasks.py
CELERY_BEAT_SCHEDULE["breaches-resume-stale-imports"] = {"task": "breaches.resume_stale_imports", "schedule": 120.0}

# Notices of instructions (notifications app): retries with exponential back-off, sweep of stuck notices.
NOTICE_MAX_ATTEMPTS = int(env("NOTICE_MAX_ATTEMPTS", "8"))
NOTICE_RETRY_BACKOFF = float(env("NOTICE_RETRY_BACKOFF", "30"))  # seconds before the 2nd attempt, then doubled
NOTICE_RETRY_BACKOFF_MAX = float(env("NOTICE_RETRY_BACKOFF_MAX", "1800"))
NOTICE_PENDING_GRACE = float(env("NOTICE_PENDING_GRACE", "120"))  # a pending notice older than this is re-queued
# A claim older than this is taken over (dead worker). Keep it well above EMAIL_TIMEOUT.
NOTICE_SENDING_LEASE = float(env("NOTICE_SENDING_LEASE", "600"))
NOTICE_SWEEP_SECONDS = float(env("NOTICE_SWEEP_SECONDS", "60"))
REMINDER_DAYS_BEFORE = int(env("REMINDER_DAYS_BEFORE", "2"))
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {
    "task": "notifications.sweep_notices", "schedule": NOTICE_SWEEP_SECONDS,
}
CELERY_BEAT_SCHEDULE["notifications-reminders"] = {
    "task": "notifications.send_reminders", "schedule": float(env("REMINDER_SWEEP_SECONDS", "3600")),
}
# Weekly reports (reporting app): Monday 06:30, the week just ended; task for the "reports" queue.
CELERY_BEAT_SCHEDULE["reporting-weekly-reports"] = {
    "task": "reporting.send_weekly_reports", "schedule": crontab(minute=30, hour=6, day_of_week=1),
}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Vigie <vigie@assurance-maladie.invalid>")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A session lasts at most a working day, and ends after SESSION_IDLE_TIMEOUT seconds without a request.
SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(10 * 3600)))
SESSION_IDLE_TIMEOUT = int(env("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Flash messages live in the session (no signed cookie to set up on every request, the API's included).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4): no inline script anywhere; scripts need our nonce or our origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        # style="" attributes (progress bars, inline SVG charts) are allowed; <style> elements are not.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The DSFR's files are served by Vigie itself: subresource integrity adds nothing there, and the hashed static files
# of production (ManifestStaticFilesStorage rewrites the url() of the CSS) would no longer match django-dsfr's
# checksums, so the browser would refuse the design system's stylesheet.
DSFR_USE_INTEGRITY_CHECKSUMS = False

# Two-factor authentication (django-otp): required for national staff and admins, optional for fund users.
OTP_TOTP_ISSUER = "Vigie"
OTP_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODES = 10
OTP_RECHECK_SECONDS = int(env("OTP_RECHECK_SECONDS", "300"))
# Binding the authenticator at first sign-in (the demo's way; off by default in production): whoever first holds the
# password would bind it. Without it, and for any account an admin issued one to, a one-time enrolment link from the
# admin (valid MFA_ENROLMENT_LINK_HOURS) is the only way.
MFA_SELF_ENROLMENT = env_bool("MFA_SELF_ENROLMENT", True)
MFA_ENROLMENT_LINK_HOURS = int(env("MFA_ENROLMENT_LINK_HOURS", "72"))

# Lock-out after repeated failures (django-axes): five failures are allowed, the sixth locks the account.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "6"))
# Either the same account or the same address: six failures lock it.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_IPWARE_PROXY_COUNT = int(env("AXES_PROXY_COUNT", "0"))

# Single sign-on through the network's directory (OpenID Connect), off unless configured.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile groups")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_USERNAME_CLAIM = env("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_GROUPS_CLAIM = env("OIDC_GROUPS_CLAIM", "groups")
# Directory groups -> roles: "<prefix>-national", "<prefix>-manager-<fund code>", "<prefix>-agent-<fund code>".
OIDC_GROUP_PREFIX = env("OIDC_GROUP_PREFIX", "vigie")
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/connexion/"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(1, "accounts.oidc.DirectoryBackend")

# Cohort files are checked by content (config/uploads.py) and refused above this size.
COHORT_UPLOAD_MAX_BYTES = int(env("COHORT_UPLOAD_MAX_BYTES", str(200 * 1024 * 1024)))
# Uploads are cut off while they stream (config.uploads.SizeLimitUploadHandler) at the limit their view declares
# with `upload_limit`, else at this one.
UPLOAD_MAX_BYTES = int(env("UPLOAD_MAX_BYTES", str(200 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = [
    "config.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A cohort file comes from whoever leaked it: a longer cell or row refuses the file while it is read (memory
# stays bounded; an XLSX is checked before openpyxl expands its strings).
COHORT_CELL_MAX_CHARS = int(env("COHORT_CELL_MAX_CHARS", "2000"))
COHORT_ROW_MAX_CHARS = int(env("COHORT_ROW_MAX_CHARS", "20000"))
# The uploaded file of an import that failed through no fault of its own is kept this long for "Relancer l'import".
COHORT_RETRY_HOURS = float(env("COHORT_RETRY_HOURS", "24"))

# Retention: access-log rows are kept 12 months; cohorts of breaches closed for 24 months are purged.
ACCESS_LOG_RETENTION_DAYS = int(env("ACCESS_LOG_RETENTION_DAYS", "365"))
COHORT_RETENTION_MONTHS = int(env("COHORT_RETENTION_MONTHS", "24"))
CELERY_BEAT_SCHEDULE["breaches-purge-access-log"] = {"task": "breaches.purge_access_log", "schedule": 24 * 3600.0}
CELERY_BEAT_SCHEDULE["breaches-purge-cohorts"] = {"task": "breaches.purge_cohorts", "schedule": 24 * 3600.0}
# The 72-hour clock of breaches where the network is controller: reminders at 24 h, 48 h, 66 h and when late.
CELERY_BEAT_SCHEDULE["breaches-remind-clocks"] = {"task": "breaches.remind_clocks", "schedule": 900.0}

# Audit history (django-simple-history): who changed what, when.
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False
SIMPLE_HISTORY_REVERT_DISABLED = True

# LOG_FORMAT=json: one JSON object per line (time, level, logger, message, request_id), for a log shipper. The
# request id (X-Request-ID from the proxy, or made here) follows into the Celery tasks the request queues.
LOG_FORMAT = env("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {"text": {"format": "%(message)s"}, "json": {"()": "config.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["request_id"],
                             "formatter": "json" if LOG_FORMAT == "json" else "text"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
# Workers and beat log through the same handler (else Celery installs its own plain-text one).
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# Prometheus: /metrics answers to "Authorization: Bearer <METRICS_TOKEN>" only; no token, no /metrics (404).
METRICS_TOKEN = env("METRICS_TOKEN")
# /healthz also fails when beat has not been heard of for two of its periods or a queue has had no worker for
# HEALTHZ_CONSUMER_GRACE seconds (with a broker only: eager tasks need neither).
HEALTHZ_CELERY_CHECKS = env_bool("HEALTHZ_CELERY_CHECKS", True)
HEALTHZ_CONSUMER_GRACE = float(env("HEALTHZ_CONSUMER_GRACE", "60"))

# Case attachments (casework): scans up to this size, stored under PRIVATE_ROOT.
CASE_ATTACHMENT_MAX_BYTES = int(env("CASE_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
