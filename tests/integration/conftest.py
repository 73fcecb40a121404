import pytest
import redis
from django.conf import settings

from config.celery import app as celery_app
from tests.factories import UserFactory
from tests.support.celery_worker import WorkerProcess
from tests.support.smtp import CapturingHandler, SmtpServer


@pytest.fixture
def redis_broker():
    """Real Redis, emptied, with tasks sent to it instead of run eagerly. Skipped when REDIS_URL is unset."""
    if not settings.REDIS_URL:
        pytest.skip("Redis requis : REDIS_URL n'est pas défini (make test le démarre s'il est installé)")
    redis.Redis.from_url(settings.REDIS_URL).flushdb()
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield settings.REDIS_URL
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def celery_worker_factory(redis_broker):
    """`celery_worker_factory(**options)` starts a real worker; every one started is stopped afterwards."""
    workers: list[WorkerProcess] = []

    def start(**options) -> WorkerProcess:
        worker = WorkerProcess(**options).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def postgres_only(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL requis : le worker partage la base de test (make test le démarre s'il est installé)")


@pytest.fixture
def national_user(db):
    from network.services import membership_grant

    user = UserFactory(username="national")
    membership_grant(user=user, role="national")
    return user


@pytest.fixture
def smtp():
    servers: list[SmtpServer] = []

    def start(**options) -> SmtpServer:
        server = SmtpServer(CapturingHandler(**options)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
