"""The Celery app for the fan-out bench's worker: the project's app, plus a query counter per notice task.

Every SQL statement a `notifications.send_notice` task runs goes through Django's execute wrapper installed
before the task and removed after it; the totals go to Redis, where bench/fanout.py reads them."""

import redis
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import connection

from config.celery import app  # noqa: F401 — `celery -A bench.fanout_worker` finds it here

QUERIES_KEY, TASKS_KEY = "bench:fanout:queries", "bench:fanout:tasks"
_state = {"count": 0}


def _counter(execute, sql, params, many, context):
    _state["count"] += 1
    return execute(sql, params, many, context)


@task_prerun.connect
def _start(task=None, **kwargs):
    if task.name == "notifications.send_notice":
        _state["count"] = 0
        connection.execute_wrappers.append(_counter)


@task_postrun.connect
def _stop(task=None, **kwargs):
    if task.name == "notifications.send_notice" and _counter in connection.execute_wrappers:
        connection.execute_wrappers.remove(_counter)
        client = redis.Redis.from_url(settings.REDIS_URL)
        client.incrby(QUERIES_KEY, _state["count"])
        client.incr(TASKS_KEY)
