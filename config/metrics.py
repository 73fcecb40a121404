"""Prometheus metrics at /metrics: requests by view and status, their latency and database time, plus Vigie's own
gauges, read when Prometheus scrapes. Apps add their gauges with `register_gauges` from their AppConfig.ready().

Several gunicorn processes: set PROMETHEUS_MULTIPROC_DIR (an empty directory per start, see deploy/) and the
counters of every process are added up. /metrics answers only with `Authorization: Bearer <METRICS_TOKEN>`;
without METRICS_TOKEN it does not exist (404)."""

import hmac
import logging
import os
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack

from django.conf import settings
from django.db import connections
from django.http import Http404, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

logger = logging.getLogger(__name__)

REQUESTS = Counter("vigie_http_requests_total", "Requêtes HTTP, par vue, méthode et statut.",
                   ["view", "method", "status"])
LATENCY = Histogram("vigie_http_request_duration_seconds", "Durée des requêtes HTTP, par vue.", ["view", "method"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
DATABASE_TIME = Histogram("vigie_http_database_duration_seconds", "Temps passé en base par requête, par vue.",
                          ["view"], buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5))
DATABASE_QUERIES = Counter("vigie_http_database_queries_total", "Requêtes SQL des requêtes HTTP, par vue.", ["view"])

GaugeSource = Callable[[], Iterable[Metric]]
_sources: list[GaugeSource] = []


def register_gauges(source: GaugeSource) -> None:
    """`source()` yields metric families (GaugeMetricFamily…) read at each scrape."""
    if source not in _sources:
        _sources.append(source)


def gauge(name: str, documentation: str, value: float, labels: dict[str, str] | None = None) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=list(labels or {}))
    family.add_metric(list((labels or {}).values()), value)
    return family


class _DatabaseTimer:
    def __init__(self):
        self.seconds, self.queries = 0.0, 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.queries += 1


class MetricsMiddleware:
    """Times each request and the SQL it runs on every connection (the lookup has its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timer, started = _DatabaseTimer(), time.perf_counter()
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(timer))
            response = self.get_response(request)
        match = request.resolver_match
        view = match.view_name if match else "<aucune>"
        REQUESTS.labels(view, request.method, str(response.status_code)).inc()
        LATENCY.labels(view, request.method).observe(time.perf_counter() - started)
        DATABASE_TIME.labels(view).observe(timer.seconds)
        DATABASE_QUERIES.labels(view).inc(timer.queries)
        return response


class _VigieCollector:
    def collect(self) -> Iterable[Metric]:
        for source in list(_sources):
            try:
                yield from source()
            except Exception as exc:  # noqa: BLE001 - one broken source must not hide the others
                logger.warning("metrics source %s failed: %s", getattr(source, "__name__", source), exc)


def _registry() -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Default())
    registry.register(_VigieCollector())
    return registry


class _Default:
    """This process's own metrics (single-process servers, tests)."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def metrics_view(request):
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        return HttpResponse("Jeton de mesure invalide.\n", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def _celery_gauges() -> Iterable[Metric]:
    from config.heartbeats import celery_gauges

    return celery_gauges()


register_gauges(_celery_gauges)
