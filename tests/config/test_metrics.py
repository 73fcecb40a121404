"""/metrics after a known sequence of actions: requests by view and status, and Vigie's gauges with their values."""

import datetime

import pytest
import redis
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from breaches.models import Cohort
from breaches.nir import make_nir
from config.celery import app as celery_app
from notifications.models import Notice
from tests.breaches.factories import BreachFactory, CohortFactory, lookup_as, person
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db
TOKEN = "jeton-de-mesure-de-test-0123456789"


@pytest.fixture
def scrape(client, settings):
    settings.METRICS_TOKEN = TOKEN

    def read() -> dict[tuple, float]:
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        return {(s.name, tuple(sorted(s.labels.items()))): s.value
                for family in text_string_to_metric_families(response.content.decode()) for s in family.samples}
    return read


def test_metrics_need_the_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer autre-chose").status_code == 403


def test_requests_are_counted_by_view_and_status_with_latency_and_database_time(client, scrape):
    before = scrape()
    for _ in range(3):
        client.get("/healthz")
    client.get("/fuites/cohortes/999999/")  # anonymous: sent to sign in
    after = scrape()

    def grew(name, **labels):
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0) - before.get(key, 0)

    assert grew("vigie_http_requests_total", view="healthz", method="GET", status="200") == 3
    assert grew("vigie_http_requests_total", view="breaches:cohort-detail", method="GET", status="302") == 1
    assert grew("vigie_http_request_duration_seconds_count", view="healthz", method="GET") == 3
    assert grew("vigie_http_database_duration_seconds_count", view="healthz") == 3
    assert grew("vigie_http_database_queries_total", view="healthz") >= 3  # SELECT 1 each time
    assert grew("vigie_http_database_duration_seconds_sum", view="healthz") > 0


def test_vigie_gauges_after_known_actions(scrape, national, fund_a, fund_b, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        issued(national)  # two funds, both notices sent (locmem e-mail)
    with django_capture_on_commit_callbacks(execute=False):
        issued(national)  # two more, never handed to a worker
    Notice.objects.filter(status=Notice.Status.PENDING).order_by("id").update(
        created_at=timezone.now() - datetime.timedelta(minutes=10))
    breach = BreachFactory()
    CohortFactory(breach=breach, status=Cohort.Status.RUNNING)
    flagged = make_nir(order=7)
    person(breach=breach, nir=flagged, fund=fund_a)
    for nir in (flagged, make_nir(order=8), flagged):
        lookup_as(national, nir)
    values = scrape()
    assert values[("vigie_notices", (("state", "sent"),))] == 2
    assert values[("vigie_notices", (("state", "pending"),))] == 2
    assert values[("vigie_notices", (("state", "failed"),))] == 0
    assert 600 <= values[("vigie_notice_oldest_pending_seconds", ())] < 700
    assert values[("vigie_imports_running", ())] == 1
    assert values[("vigie_lookups_per_minute", ())] == 3
    assert values[("vigie_lookup_hits_per_minute", ())] == 2


def test_queue_lengths_come_from_the_broker(scrape, settings):
    if not settings.REDIS_URL:
        pytest.skip("Redis requis : REDIS_URL n'est pas défini")
    broker = redis.Redis.from_url(settings.REDIS_URL)
    broker.delete("imports", "reports")
    try:
        for _ in range(2):
            celery_app.send_task("breaches.import_cohort", args=[0])
        celery_app.send_task("casework.report_national")
        values = scrape()
        assert values[("vigie_celery_queue_length", (("queue", "imports"),))] == 2
        assert values[("vigie_celery_queue_length", (("queue", "reports"),))] == 1
    finally:
        broker.delete("imports", "reports")
