"""Test settings: fast hashing, in-memory e-mail, tasks eager unless a test starts a worker."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_VERBOSE = False
# A test's data lives in the default connection's transaction, which the lookup's own connection would not see.
# tests/breaches/test_lookup.py checks that connection on its own.
LOOKUP_DATABASE = "default"
# No beat and no worker run beside the suite: /healthz checks only the database and the broker (tests of the
# Celery checks turn them on).
HEALTHZ_CELERY_CHECKS = False
# The replica is a mirror of the test database, used only where a test turns REPLICA_READS on (with committed data:
# the mirror's connection does not see a test's transaction). tests/config/test_replica.py.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
REPLICA_READS = False
