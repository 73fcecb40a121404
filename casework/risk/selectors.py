"""Reads about signals and shared-account alerts, scoped like every page."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from casework.risk.models import SharedAccountAlert, SignalBatch
from network.models import Fund
from network.permissions import funds_of, is_national


def alerts_for(*, user: AbstractBaseUser) -> QuerySet[SharedAccountAlert]:
    """Shared-account alerts: all for national staff, those naming one of the user's funds otherwise."""
    alerts = SharedAccountAlert.objects.all()
    if not is_national(user):
        alerts = alerts.filter(funds__in=funds_of(user=user)).distinct()
    return alerts.prefetch_related(Prefetch("funds", queryset=Fund.objects.order_by("code")))


def signal_batches_for(*, user: AbstractBaseUser) -> QuerySet[SignalBatch]:
    """Signal loads are national business: everyone else sees none."""
    if not is_national(user):
        return SignalBatch.objects.none()
    return SignalBatch.objects.select_related("loaded_by")
