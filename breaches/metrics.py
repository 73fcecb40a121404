"""Imports and lookups for /metrics: imports running, NIR lookups and hits (flagged people) in the last minute."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from breaches.lookup.log import FLAGGED
from breaches.models import AccessLog, Cohort
from config.metrics import gauge


def breach_gauges():
    yield gauge("vigie_imports_running", "Imports de cohortes en cours.",
                Cohort.objects.filter(status=Cohort.Status.RUNNING).count())
    since = timezone.now() - datetime.timedelta(minutes=1)
    counts = AccessLog.objects.filter(action=AccessLog.Action.LOOKUP, created_at__gte=since).aggregate(
        lookups=Count("id"), hits=Count("id", filter=Q(result=FLAGGED)))
    yield gauge("vigie_lookups_per_minute", "Consultations de NIR dans la dernière minute.", counts["lookups"])
    yield gauge("vigie_lookup_hits_per_minute", "Consultations de la dernière minute qui ont trouvé une personne "
                "signalée.", counts["hits"])
