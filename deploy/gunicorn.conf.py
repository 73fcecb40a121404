"""gunicorn for Vigie (systemd unit, Containerfile, deploy/smoke): `gunicorn -c deploy/gunicorn.conf.py config.wsgi`."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# A 200 MB cohort upload reaches gunicorn already buffered by nginx: its copy to PRIVATE_ROOT and its checksum
# take seconds, not minutes; 120 s leaves room on a busy machine.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}i)s'


def child_exit(server, worker):
    """Prometheus, several processes: a dead worker's gauges must not linger (PROMETHEUS_MULTIPROC_DIR)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
