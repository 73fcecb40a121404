import pytest

from config.tasks import ping

pytestmark = pytest.mark.integration


def test_a_real_worker_answers_through_redis(celery_worker_factory):
    celery_worker_factory()
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
