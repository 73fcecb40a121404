"""A worker of the notices queue sends a fan-out while the imports queue is full: nothing waits behind an import."""

import pytest
import redis
from django.conf import settings

from breaches.importing import cohort_register
from breaches.models import Cohort
from network.models import Fund
from notifications.models import Notice
from tests.breaches.factories import BreachFactory
from tests.integration.test_notices import FAST, all_sent, wait_until
from tests.notifications.factories import issued

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_notices_worker_sends_while_an_import_waits_on_its_own_queue(postgres_only, celery_worker_factory, smtp,
                                                                     national_user, tmp_path):
    funds = [Fund.objects.create(code=f"9{i:02d}", name=f"Caisse {i}", kind="CPAM",
                                 notice_emails=f"a{i}@caisse.test") for i in range(3)]
    source = tmp_path / "cohorte.csv"
    source.write_text("nir\n")
    cohort = cohort_register(actor=None, breach=BreachFactory(), path=source)  # queued on "imports"
    server = smtp()
    celery_worker_factory(concurrency=1, queues=["notices"], extra_env=server.worker_env(**FAST))
    issued(national_user)
    wait_until(all_sent, timeout=60)
    assert server.handler.count() == len(funds) == Notice.objects.count()
    broker = redis.Redis.from_url(settings.REDIS_URL)
    assert broker.llen("imports") == 1 and broker.llen("notices") == 0
    assert Cohort.objects.get(pk=cohort.pk).status == Cohort.Status.PENDING
