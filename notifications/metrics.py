"""Notices for /metrics: how many in each state, and how long the oldest unsent one has waited."""

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from config.metrics import gauge
from notifications.models import Notice


def notice_gauges():
    counts = dict(Notice.objects.values_list("status").annotate(n=Count("id")).order_by())
    states = GaugeMetricFamily("vigie_notices", "Notifications de consignes, par état.", labels=["state"])
    for status in Notice.Status.values:
        states.add_metric([status], counts.get(status, 0))
    yield states
    oldest = Notice.objects.filter(status__in=[Notice.Status.PENDING, Notice.Status.SENDING]).aggregate(
        at=Min("created_at"))["at"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0
    yield gauge("vigie_notice_oldest_pending_seconds", "Âge de la plus ancienne notification pas encore envoyée.",
                age)
