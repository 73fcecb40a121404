"""Thin tasks. The report task goes to the "reports" queue (routed by its name in the settings)."""

from celery import shared_task

from reporting import services


@shared_task(name="reporting.send_weekly_reports", acks_late=True)
def send_weekly_reports() -> int:
    return services.weekly_reports_send()
