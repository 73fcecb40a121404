"""Thin tasks: they take ids and call the services; every one is safe to run twice."""

from celery import shared_task
from celery.signals import worker_init

from notifications import services
from notifications.emails import warm_up


@worker_init.connect
def _warm_up(**kwargs) -> None:
    warm_up()


@shared_task(name="notifications.send_notice", bind=True, acks_late=True, max_retries=None, ignore_result=True)
def send_notice(self, notice_id: int) -> None:
    """Send one notice. The claim inside makes a duplicate message or a second worker a no-op."""
    delay = services.notice_send(notice_id=notice_id)
    # Eager mode (no broker) cannot wait: the notice stays pending with its retry time for the sweep.
    if delay is not None and not self.request.is_eager:
        raise self.retry(countdown=delay)


@shared_task(name="notifications.sweep_notices")
def sweep_notices() -> int:
    return services.notices_sweep()


@shared_task(name="notifications.send_reminders")
def send_reminders() -> int:
    return services.reminders_send()
