import datetime

import pytest
from django.core import mail
from django.utils import timezone

from notifications import services
from notifications.models import Notice
from notifications.services.notices import Claim, notice_claim, retry_delay
from tests.notifications.factories import draft, issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_notice(national, fund_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        issued(national)
    return Notice.objects.get()


def test_a_notice_is_claimed_once(pending_notice):
    assert notice_claim(notice_id=pending_notice.id) == Claim.FRESH
    assert notice_claim(notice_id=pending_notice.id) == Claim.NONE
    pending_notice.refresh_from_db()
    assert pending_notice.status == Notice.Status.SENDING and pending_notice.attempts == 1


def test_sending_twice_sends_one_email(pending_notice):
    services.notice_send(notice_id=pending_notice.id)
    services.notice_send(notice_id=pending_notice.id)
    pending_notice.refresh_from_db()
    assert len(mail.outbox) == 1
    assert pending_notice.status == Notice.Status.SENT and pending_notice.sent_at
    assert pending_notice.addresses == ["vigilance.561@test.invalid"]


def test_email_is_french_html_and_text_with_actions_link_and_idempotency_key(pending_notice, settings):
    settings.SITE_URL = "https://vigie.intranet"
    services.notice_send(notice_id=pending_notice.id)
    message = mail.outbox[0]
    instruction = pending_notice.delivery.instruction
    assert message.subject == f"[Vigie] Nouvelle consigne {instruction.reference} : Vigilance RIB"
    assert "Vérifier que le titulaire du RIB est l'assuré" in message.body
    url = f"https://vigie.intranet/consignes/recues/{pending_notice.delivery_id}/"
    assert url in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{url}"' in html and "<strong>vérifiez</strong>" in html
    assert message.extra_headers["X-Vigie-Idempotency-Key"] == pending_notice.key
    assert str(pending_notice.message_id) in message.extra_headers["Message-ID"]


def test_smtp_refusal_retries_with_backoff_then_fails_visibly(pending_notice, settings, caplog):
    settings.EMAIL_BACKEND = "tests.support.failing_mail.RefusingBackend"
    settings.NOTICE_MAX_ATTEMPTS, settings.NOTICE_RETRY_BACKOFF = 3, 10
    assert services.notice_send(notice_id=pending_notice.id) == 10
    assert [r.levelname for r in caplog.records if "not sent (attempt 1)" in r.getMessage()] == ["WARNING"]
    pending_notice.refresh_from_db()
    assert pending_notice.status == Notice.Status.PENDING and "451" in pending_notice.last_error
    assert services.notice_send(notice_id=pending_notice.id) is None  # not due yet: the retry waits
    Notice.objects.filter(id=pending_notice.id).update(retry_at=timezone.now())
    assert services.notice_send(notice_id=pending_notice.id) == 20
    Notice.objects.filter(id=pending_notice.id).update(retry_at=timezone.now())
    assert services.notice_send(notice_id=pending_notice.id) is None
    pending_notice.refresh_from_db()
    assert pending_notice.status == Notice.Status.FAILED and pending_notice.attempts == 3


def test_backoff_doubles_up_to_a_ceiling(settings):
    settings.NOTICE_RETRY_BACKOFF, settings.NOTICE_RETRY_BACKOFF_MAX = 30, 100
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]


def test_fund_without_address_fails_at_once(national, fund_a, django_capture_on_commit_callbacks):
    fund_a.notice_emails = ""
    fund_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        issued(national)
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.FAILED and "aucune adresse" in notice.last_error


def test_sweep_requeues_stuck_pending_and_dead_claims(pending_notice, settings, django_capture_on_commit_callbacks):
    settings.NOTICE_PENDING_GRACE, settings.NOTICE_SENDING_LEASE = 60, 300
    assert services.notices_sweep() == 0  # too recent: its own task may still be on its way
    Notice.objects.update(updated_at=timezone.now() - datetime.timedelta(minutes=5))
    assert services.notices_sweep() == 1
    assert len(mail.outbox) == 1
    # a claim left by a killed worker is taken over once the lease has passed
    with django_capture_on_commit_callbacks(execute=False):
        services.delivery_resend(delivery=pending_notice.delivery, actor=pending_notice.delivery.instruction.author)
    stuck = Notice.objects.get(status=Notice.Status.PENDING)
    notice_claim(notice_id=stuck.id)
    assert services.notices_sweep() == 0
    Notice.objects.filter(id=stuck.id).update(claimed_at=timezone.now() - datetime.timedelta(minutes=10))
    assert services.notices_sweep() == 1
    stuck.refresh_from_db()
    assert stuck.status == Notice.Status.SENT and len(mail.outbox) == 2
    # the takeover says the fund may already have this notice, under the same Message-ID
    first, again = mail.outbox[0].extra_headers, mail.outbox[1].extra_headers
    assert "X-Vigie-Peut-Repeter" not in first
    assert again["X-Vigie-Peut-Repeter"] == f"oui; cle={stuck.key}"
    assert again["References"] == again["Message-ID"] == f"<{stuck.message_id}@vigie.invalid>"


def test_resend_is_for_national_staff(national, agent_a, fund_a, django_capture_on_commit_callbacks):
    instruction = issued(national)
    delivery = instruction.deliveries.get()
    with pytest.raises(Exception, match="national"):
        services.delivery_resend(delivery=delivery, actor=agent_a)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.delivery_resend(delivery=delivery, actor=national)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.requested_by == national and notice.kind == "initial"


def test_reminders_before_deadline_and_when_overdue_once_each(national, manager_a, fund_a, fund_b,
                                                              django_capture_on_commit_callbacks, settings):
    settings.REMINDER_DAYS_BEFORE = 2
    today = timezone.localdate()
    instruction = issued(national, reply_by=today + datetime.timedelta(days=5))
    services.delivery_acknowledge(delivery=instruction.deliveries.get(fund=fund_a), actor=manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(today=today) == 0  # too early
        assert services.reminders_send(today=today + datetime.timedelta(days=3)) == 1
        assert services.reminders_send(today=today + datetime.timedelta(days=4)) == 0  # already reminded
        assert services.reminders_send(today=today + datetime.timedelta(days=6)) == 1  # overdue
        assert services.reminders_send(today=today + datetime.timedelta(days=7)) == 0
    reminders = Notice.objects.filter(kind=Notice.Kind.REMINDER)
    assert set(reminders.values_list("delivery__fund__code", flat=True)) == {"291"}
    assert reminders.filter(status=Notice.Status.SENT).count() == 2


def test_draft_has_no_notice(national, fund_a):
    draft(national)
    assert not Notice.objects.exists()


def test_refused_notice_in_eager_mode_does_not_break_the_issue(national, fund_a, settings,
                                                               django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.support.failing_mail.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        instruction = issued(national)
    notice = Notice.objects.get()
    assert instruction.status == "issued" and notice.status == Notice.Status.PENDING and notice.retry_at


def test_beat_runs_the_sweep_and_the_reminders(settings):
    from config.celery import app

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"notifications.sweep_notices", "notifications.send_reminders"} <= tasks
    app.loader.import_default_modules()
    assert {"notifications.sweep_notices", "notifications.send_reminders", "notifications.send_notice"} <= set(
        app.tasks)
