"""/healthz: is the database reachable, is the broker reachable (or are tasks eager), has beat been heard of within
two of its periods, has every queue had a worker within the last minute."""

import time

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from config import heartbeats


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        return False


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "eager"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except redis.RedisError:
        return "down"


def _beat_state(now: float) -> str:
    last = heartbeats.beat_last_run()
    if last is None:
        return "never"
    return "ok" if now - last <= 2 * heartbeats.beat_period() else "late"


def _queue_states(now: float) -> dict[str, str]:
    grace = settings.HEALTHZ_CONSUMER_GRACE
    return {queue: "ok" if at is not None and now - at <= grace else "no consumer"
            for queue, at in heartbeats.consumer_last_seen(settings.VIGIE_QUEUES).items()}


def healthz(request):
    database = "ok" if _database_ok() else "down"
    broker = _broker_state()
    body = {"database": database, "broker": broker}
    healthy = database == "ok" and broker != "down"
    if broker == "ok" and settings.HEALTHZ_CELERY_CHECKS:
        now = time.time()
        body["beat"], body["queues"] = _beat_state(now), _queue_states(now)
        healthy = healthy and body["beat"] == "ok" and set(body["queues"].values()) == {"ok"}
    return JsonResponse(body, status=200 if healthy else 503)
