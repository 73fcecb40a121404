"""With real workers and beat: /healthz follows beat and the queues' consumers, and a request's id reaches the log
lines of the tasks it queued."""

import json
import time

import pytest
from django.urls import reverse

from config import heartbeats
from network.models import Fund
from notifications.models import Notice
from tests.integration.test_notices import FAST, all_sent, wait_until
from tests.notifications.factories import draft

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def health(client) -> tuple[int, dict]:
    response = client.get("/healthz")
    return response.status_code, response.json()


def test_healthz_needs_beat_and_a_consumer_on_every_queue(postgres_only, celery_worker_factory, client, settings):
    settings.HEALTHZ_CELERY_CHECKS, settings.HEALTHZ_CONSUMER_GRACE = True, 3
    status, body = health(client)
    assert status == 503 and body["beat"] == "never" and set(body["queues"].values()) == {"no consumer"}
    worker = celery_worker_factory(concurrency=1, beat=True)
    wait_until(lambda: health(client)[0] == 200, timeout=60)
    status, body = health(client)
    assert body["beat"] == "ok" and body["queues"] == dict.fromkeys(settings.VIGIE_QUEUES, "ok")
    worker.stop()
    time.sleep(settings.HEALTHZ_CONSUMER_GRACE + 1)
    status, body = health(client)
    assert status == 503 and set(body["queues"].values()) == {"no consumer"}
    heartbeats.client().set(heartbeats.BEAT_KEY, time.time() - 3 * heartbeats.beat_period())
    assert health(client)[1]["beat"] == "late"


def test_the_request_id_reaches_the_log_lines_of_the_tasks_it_queued(postgres_only, celery_worker_factory, smtp,
                                                                     national_user, api, tmp_path):
    Fund.objects.create(code="901", name="Caisse 1", kind="CPAM", notice_emails="a@caisse.test")
    server = smtp(refuse_first=1)  # the first attempt fails: the worker logs a warning inside the task
    log = tmp_path / "worker.log"
    celery_worker_factory(concurrency=1, output=log, extra_env=server.worker_env(LOG_FORMAT="json", **FAST))
    instruction = draft(national_user)
    api.force_authenticate(national_user)
    response = api.post(reverse("api:instruction-issue", args=[instruction.id]), HTTP_X_REQUEST_ID="req-h15-42")
    assert response.status_code == 200 and response["X-Request-ID"] == "req-h15-42"
    wait_until(all_sent, timeout=60)
    assert Notice.objects.get().attempts == 2
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    warnings = [line for line in lines if "not sent (attempt 1)" in line["message"]]
    assert len(warnings) == 1 and warnings[0]["level"] == "WARNING"
    assert warnings[0]["request_id"] == "req-h15-42"
