"""Production: PostgreSQL, Redis, SMTP. Refuses to start without real secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DEV_NIR_DIGEST_KEY,
    DEV_NIR_SEAL_KEY,
    DEV_SECRET_KEY,
    NIR_DIGEST_KEY,
    NIR_SEAL_KEY,
    SECRET_KEY,
    env,
    env_bool,
)

DEBUG = False
# The second factor is bound through an admin's one-time link, not by whoever first signs in with the password.
MFA_SELF_ENROLMENT = env_bool("MFA_SELF_ENROLMENT", False)

_defaults = {
    "SECRET_KEY": (SECRET_KEY, DEV_SECRET_KEY),
    "NIR_DIGEST_KEY": (NIR_DIGEST_KEY, DEV_NIR_DIGEST_KEY),
    "NIR_SEAL_KEY": (NIR_SEAL_KEY, DEV_NIR_SEAL_KEY),
}
for _name, (_value, _dev_value) in _defaults.items():
    if not _value or _value == _dev_value or len(_value) < 32:
        raise ImproperlyConfigured(f"{_name} must be set to a secret of at least 32 characters in production.")
if NIR_DIGEST_KEY == NIR_SEAL_KEY:
    raise ImproperlyConfigured("NIR_DIGEST_KEY and NIR_SEAL_KEY must differ.")
if not env("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in production.")
# Without a broker, tasks run eagerly: a 500,000-row cohort import would run inside the upload request.
if not env("REDIS_URL"):
    raise ImproperlyConfigured("REDIS_URL must be set in production (Celery's broker: without it, imports and "
                               "notices would run inside the web requests).")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
