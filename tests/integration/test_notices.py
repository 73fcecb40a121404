"""Notices through a real worker on Redis, to a real local SMTP server, under faults."""

import time
from contextlib import contextmanager

import pytest
from django.urls import reverse

from config.celery import app as celery_app
from network.models import Fund
from network.services import funds_load, membership_grant
from notifications.models import Delivery, Instruction, Notice
from notifications.tasks import sweep_notices
from tests.factories import UserFactory
from tests.notifications.factories import issued
from tests.support.smtp import SmtpServer

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

FAST = {"NOTICE_RETRY_BACKOFF": "0.3", "NOTICE_RETRY_BACKOFF_MAX": "1", "NOTICE_PENDING_GRACE": "0",
        "NOTICE_SENDING_LEASE": "6", "SITE_URL": "https://vigie.test"}


@pytest.fixture
def network(db):
    """The real list of funds, each with three notice addresses."""
    funds_load()
    for fund in Fund.objects.all():
        fund.notice_emails = "\n".join(f"{box}.{fund.code}@caisse.test" for box in ("vigilance", "direction", "rib"))
        fund.save(update_fields=["notice_emails"])
    return {a for f in Fund.objects.all() for a in f.notice_addresses}


def wait_until(predicate, timeout: float = 60, every: float = 0.2, tick=None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if tick:
            tick()
        time.sleep(every)
    raise AssertionError("condition not reached in time")


def all_sent() -> bool:
    return not Notice.objects.exclude(status=Notice.Status.SENT).exists()


def assert_exactly_once(server: SmtpServer, addresses: set[str]) -> None:
    received = server.handler.per_address()
    assert set(received) == addresses
    twice = {m["key"]: m["at"] for m in server.handler.accepted if received[m["to"][0]] > 1}
    details = list(Notice.objects.filter(key__in=twice).values("key", "attempts", "claimed_at", "sent_at"))
    assert set(received.values()) == {1}, (twice, details)
    assert len({m["key"] for m in server.handler.accepted}) == server.handler.count()


@contextmanager
def broker_down():
    """Point this process's Celery producer at a closed port, then back."""
    good = celery_app.conf.broker_url

    def switch(url):
        # kombu keeps its pools per URL: drop our references, never close the good URL's pool
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app.conf.broker_url = url

    switch("redis://127.0.0.1:9/0")
    try:
        yield
    finally:
        switch(good)


def test_issue_to_every_fund_sends_one_email_per_address(postgres_only, celery_worker_factory, smtp, network,
                                                         national_user):
    server = smtp()
    celery_worker_factory(concurrency=4, extra_env=server.worker_env(**FAST))
    instruction = issued(national_user)
    wait_until(all_sent)
    assert Delivery.objects.filter(instruction=instruction).count() == Fund.objects.count() > 100
    assert_exactly_once(server, network)
    first = server.handler.accepted[0]["message"]
    assert first["Subject"].startswith(f"[Vigie] Nouvelle consigne {instruction.reference}")
    html = [p for p in first.walk() if p.get_content_type() == "text/html"][0].get_payload(decode=True).decode()
    assert "https://vigie.test/consignes/recues/" in html


def test_broker_down_when_issuing_then_the_sweep_sends_each_notice_once(postgres_only, celery_worker_factory,
                                                                        smtp, network, national_user):
    server = smtp()
    with broker_down():
        instruction = issued(national_user)  # must not fail
    assert Instruction.objects.get().status == Instruction.Status.ISSUED
    assert Delivery.objects.filter(instruction=instruction).count() == Fund.objects.count()
    assert Notice.objects.filter(status=Notice.Status.PENDING).count() == Fund.objects.count()
    celery_worker_factory(concurrency=4, extra_env=server.worker_env(**FAST))
    time.sleep(1)
    assert server.handler.count() == 0  # nothing reached the broker: only the sweep can send them
    sweep_notices.delay()
    wait_until(all_sent)
    sweep_notices.delay().get(timeout=30)  # a second sweep finds nothing to do
    assert_exactly_once(server, network)


def test_worker_killed_mid_fanout_every_fund_gets_exactly_one_notice(postgres_only, celery_worker_factory, smtp,
                                                                     network, national_user):
    server = smtp(hold_after=20)
    worker = celery_worker_factory(concurrency=2, extra_env=server.worker_env(**FAST))
    issued(national_user)
    # Both pool processes are held mid-envelope, so neither sits between the server's final "250" and marking
    # the notice sent: a crash exactly there is the one case SMTP itself cannot make exactly-once (the
    # Message-ID and X-Vigie-Idempotency-Key let a relay drop that duplicate).
    wait_until(lambda: server.handler.count() >= 20 and server.handler.held >= 2, timeout=60)
    worker.kill()  # in the middle of the SMTP conversations
    server.handler.release.set()
    assert Notice.objects.filter(status=Notice.Status.SENT).count() < Fund.objects.count()
    celery_worker_factory(concurrency=4, extra_env=server.worker_env(**FAST))
    wait_until(all_sent, timeout=90, every=1, tick=sweep_notices.delay)
    assert_exactly_once(server, network)
    assert Notice.objects.count() == Fund.objects.count()
    assert Notice.objects.filter(attempts__gte=2).exists()  # the dead worker's claim was taken over


def test_smtp_refusing_for_a_while_retries_then_succeeds_without_duplicate(postgres_only, celery_worker_factory,
                                                                           smtp, national_user):
    server = smtp(refuse_first=5)
    funds = [Fund.objects.create(code=f"9{i:02d}", name=f"Caisse {i}", kind="CPAM",
                                 notice_emails=f"a{i}@caisse.test\nb{i}@caisse.test") for i in range(3)]
    celery_worker_factory(concurrency=2, extra_env=server.worker_env(**FAST))
    issued(national_user)
    wait_until(all_sent, timeout=60)
    assert server.handler.refused == 5
    assert_exactly_once(server, {a for f in funds for a in f.notice_addresses})
    attempts = list(Notice.objects.values_list("attempts", flat=True))
    assert sum(attempts) == 3 + 5 and max(attempts) > 1
    assert not Notice.objects.exclude(last_error="").exists()  # a success clears the refusal


def test_worker_killed_after_data_resends_once_saying_it_may_repeat(postgres_only, celery_worker_factory, smtp,
                                                                    national_user, client_as):
    """The one case SMTP cannot make exactly-once: the server has the message, the worker dies before it hears the
    "250". The takeover sends it again, flagged as a possible repeat of the same Message-ID, and Vigie shows one."""
    server = smtp(hold_reply_after=1)
    funds = [Fund.objects.create(code=f"9{i:02d}", name=f"Caisse {i}", kind="CPAM", notice_emails=f"a{i}@caisse.test")
             for i in range(3)]
    worker = celery_worker_factory(concurrency=1, extra_env=server.worker_env(**FAST))
    issued(national_user)
    wait_until(lambda: server.handler.replies_held >= 1, timeout=60, every=0.05)
    worker.kill()  # after DATA: the message is delivered, the database still says "sending"
    server.handler.release.set()
    held = server.handler.accepted[1]
    assert Notice.objects.get(key=held["key"]).status == Notice.Status.SENDING
    celery_worker_factory(concurrency=2, extra_env=server.worker_env(**FAST))
    wait_until(all_sent, timeout=90, every=1, tick=sweep_notices.delay)
    copies = [m["message"] for m in server.handler.accepted if m["key"] == held["key"]]
    assert len(copies) == 2
    assert copies[0]["X-Vigie-Peut-Repeter"] is None
    assert copies[1]["X-Vigie-Peut-Repeter"] == f"oui; cle={held['key']}"
    assert copies[1]["Message-ID"] == copies[0]["Message-ID"] == copies[1]["References"]
    others = [m["key"] for m in server.handler.accepted if m["key"] != held["key"]]
    assert len(others) == len(set(others)) == len(funds) - 1
    # The fund's inbox in Vigie lists the notice once, whatever its mailbox received.
    fund = Notice.objects.select_related("delivery__fund").get(key=held["key"]).delivery.fund
    manager = UserFactory(username="resp-900")
    membership_grant(user=manager, role="manager", fund=fund)
    page = client_as(manager).get(reverse("notifications:inbox")).content.decode()
    assert page.count('data-unread="1"') == 1


def test_two_machines_one_killed_mid_fanout_every_notice_is_sent_exactly_once(postgres_only, celery_worker_factory,
                                                                              smtp, network, national_user):
    """Two workers on different hosts consume the same queues; one machine is lost (SIGKILL) mid fan-out."""
    server = smtp(hold_after=30)
    machine_a = celery_worker_factory(concurrency=2, host="machine-a", extra_env=server.worker_env(**FAST))
    celery_worker_factory(concurrency=2, host="machine-b", extra_env=server.worker_env(**FAST))
    issued(national_user)
    # Every pool process of both machines is held mid-envelope: machine A dies holding two claims.
    wait_until(lambda: server.handler.count() >= 30 and server.handler.held >= 4, timeout=90)
    claimed_by_a = set(Notice.objects.filter(status=Notice.Status.SENDING).values_list("id", flat=True))
    machine_a.kill()
    server.handler.release.set()
    wait_until(all_sent, timeout=120, every=1, tick=sweep_notices.delay)
    assert_exactly_once(server, network)
    assert Notice.objects.count() == Fund.objects.count()
    retaken = Notice.objects.filter(id__in=claimed_by_a, attempts__gte=2)
    assert retaken.exists()  # machine A's claims were taken over by machine B
