import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("vigie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Signal handlers: the request id carried into tasks, beat's and the workers' notes for /healthz and /metrics.
from config import heartbeats, request_id  # noqa: E402, F401
