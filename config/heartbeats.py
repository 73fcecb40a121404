"""What /healthz and /metrics know of Celery's processes: beat notes in Redis each time it sends a task, and every
worker notes, every few seconds, the queues it consumes. Nothing is noted when tasks run eagerly (no Redis)."""

import datetime
import logging
import threading
import time

import redis
from celery.signals import beat_init, before_task_publish, worker_ready, worker_shutdown
from django.conf import settings
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

BEAT_KEY = "vigie:beat:last_run"
CONSUMER_KEY = "vigie:queue:{queue}:consumer_seen"
CONSUMER_EVERY = 10.0  # seconds between a worker's notes
_in_beat = threading.Event()
_stop = threading.Event()


def client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)


def _seconds(schedule) -> float | None:
    """An entry's period in seconds: a number, a timedelta or celery's `schedule`; None for a crontab (its calendar
    has no fixed period, and the interval entries beside it run more often anyway)."""
    if isinstance(schedule, int | float):
        return float(schedule)
    every = schedule if isinstance(schedule, datetime.timedelta) else getattr(schedule, "run_every", None)
    return every.total_seconds() if isinstance(every, datetime.timedelta) else None


def beat_period() -> float:
    """The shortest period of the beat schedule: beat sends something at least this often."""
    periods = [_seconds(entry["schedule"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    return min(period for period in periods if period is not None)


def beat_last_run() -> float | None:
    value = client().get(BEAT_KEY)
    return float(value) if value else None


def consumer_last_seen(queues: list[str]) -> dict[str, float | None]:
    values = client().mget([CONSUMER_KEY.format(queue=q) for q in queues])
    return {q: float(v) if v else None for q, v in zip(queues, values, strict=True)}


@beat_init.connect
def _beat_started(**kwargs) -> None:
    _in_beat.set()
    _beat_sent_a_task()  # started counts as a sign of life: /healthz need not wait for the first period


@before_task_publish.connect
def _beat_sent_a_task(**kwargs) -> None:
    if _in_beat.is_set() and settings.REDIS_URL:
        try:
            client().set(BEAT_KEY, time.time())
        except redis.RedisError as exc:
            logger.warning("beat could not note its run: %s", exc)


def _note_consumers(queues: list[str]) -> None:
    while not _stop.is_set():
        try:
            client().mset({CONSUMER_KEY.format(queue=q): time.time() for q in queues})
        except redis.RedisError as exc:
            logger.warning("worker could not note its queues: %s", exc)
        _stop.wait(CONSUMER_EVERY)


@worker_ready.connect
def _worker_started(sender=None, **kwargs) -> None:
    if not settings.REDIS_URL:
        return
    queues = sorted(sender.app.amqp.queues.consume_from or sender.app.amqp.queues)
    threading.Thread(target=_note_consumers, args=(queues,), name="vigie-queues", daemon=True).start()


@worker_shutdown.connect
def _worker_stopping(**kwargs) -> None:
    _stop.set()


def celery_gauges():
    """Queue lengths, how long since each queue's consumer and beat were last heard of (for /metrics)."""
    if not settings.REDIS_URL:
        return
    from config.metrics import gauge

    queues = settings.VIGIE_QUEUES
    broker = client()
    lengths = GaugeMetricFamily("vigie_celery_queue_length", "Tâches en attente dans chaque file Celery.",
                                labels=["queue"])
    for queue in queues:
        lengths.add_metric([queue], broker.llen(queue))
    yield lengths
    now = time.time()
    seen = GaugeMetricFamily("vigie_celery_queue_consumer_age_seconds",
                             "Secondes depuis le dernier signe d'un worker de chaque file (-1 : jamais).",
                             labels=["queue"])
    for queue, at in consumer_last_seen(queues).items():
        seen.add_metric([queue], now - at if at else -1)
    yield seen
    last = beat_last_run()
    yield gauge("vigie_beat_last_run_timestamp_seconds", "Dernier envoi de tâche par beat (0 : jamais).", last or 0)
