"""Reads of the GDPR record: the register of breaches (filters, rows for its exports), a breach's timeline, the
running 72-hour clocks. National staff only: the caller has passed the gate (national_required)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from breaches.gdpr.clock import Clock, clock_of
from breaches.gdpr.models import BreachEvent
from breaches.gdpr.record import CONTROLLER_ROLES, NetworkRole
from breaches.models import Breach, Cohort

NO_ROLE = "none"  # the register's filter value for breaches whose role is not recorded yet


def register_breaches(*, year: int | None = None, role: str = "", status: str = "") -> QuerySet[Breach]:
    """Every breach with its people count, newest first; filtered by year of discovery, role and status."""
    breaches = (Breach.objects.select_related("status_changed_by")
                .annotate(people_count=Count("people")).order_by("-discovered_on", "-id"))
    if year:
        breaches = breaches.filter(discovered_on__year=year)
    if role == NO_ROLE:
        breaches = breaches.filter(network_role="")
    elif role:
        breaches = breaches.filter(network_role=role)
    if status:
        breaches = breaches.filter(status=status)
    return breaches


def register_years() -> list[int]:
    return [day.year for day in Breach.objects.dates("discovered_on", "year", order="DESC")]


def people_estimate(breach: Breach) -> int | None:
    """The approximate number of people: the one recorded, else the cohort's count (annotated or counted)."""
    if breach.people_approx is not None:
        return breach.people_approx
    count = getattr(breach, "people_count", None)
    if count is None:
        count = breach.people.count()
    return count or None


REGISTER_HEADER = [
    "Référence", "Titre", "Statut", "Rôle du réseau", "Responsable(s) du traitement", "Sous-traitant(s)",
    "Découverte le", "Connaissance le", "Comment le réseau l'a su", "Nature", "Origine", "Catégories de données",
    "Catégories de personnes", "Personnes (approx.)", "Enregistrements (approx.)", "Départements",
    "Conséquences probables", "Mesures prises", "Mesures envisagées", "Avis du DPO", "Échéance CNIL (72 h)",
    "Notifiée à la CNIL le", "Référence CNIL", "Motif du retard", "Information des personnes (art. 34)",
    "Motif", "Personnes informées le", "Canal", "Close le",
]


def _when(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def register_row(breach: Breach, *, now: dt.datetime) -> list:
    """One breach as a row of the register's exports (REGISTER_HEADER's columns), every value as plain text."""
    clock = clock_of(breach, now=now)
    closed_at = breach.status_changed_at if breach.status == Breach.Status.CLOSED else None
    return [
        breach.reference, breach.title, breach.get_status_display(), breach.get_network_role_display(),
        "; ".join(breach.controller_list), "; ".join(breach.processor_list), _when(breach.discovered_on),
        _when(breach.aware_at), breach.aware_how, ", ".join(breach.nature_labels), breach.get_origin_display(),
        ", ".join(breach.category_labels), breach.people_categories, people_estimate(breach) or "",
        breach.records_approx if breach.records_approx is not None else "", ", ".join(breach.department_codes),
        breach.consequences, breach.measures_taken, breach.measures_proposed, breach.dpo_opinion,
        _when(clock.deadline) if clock else "", _when(breach.cnil_notified_at), breach.regulator_reference,
        breach.late_reason, breach.get_inform_decision_display(), breach.get_inform_ground_display(),
        _when(breach.informed_on), breach.inform_channel, _when(closed_at),
    ]


@dataclass(frozen=True)
class TimelineEntry:
    occurred_at: dt.datetime
    kind_label: str
    summary: str
    event: BreachEvent | None = None  # None for entries read from elsewhere (a cohort loaded)


def timeline_of(breach: Breach) -> list[TimelineEntry]:
    """The breach's dated events, with its finished cohort imports as "cohorte chargée" entries, oldest first."""
    entries = [TimelineEntry(e.occurred_at, e.get_kind_display(), e.summary, e)
               for e in breach.events.select_related("created_by")]
    for cohort in breach.cohorts.filter(status=Cohort.Status.DONE, finished_at__isnull=False):
        entries.append(TimelineEntry(cohort.finished_at, str(BreachEvent.Kind.COHORT.label),
                                     _("%(file)s : %(n)s personnes importées") % {"file": cohort.file_name,
                                                                                  "n": cohort.imported}))
    return sorted(entries, key=lambda entry: entry.occurred_at)


def get_event_for(*, breach: Breach, event_id: int) -> BreachEvent | None:
    return breach.events.filter(pk=event_id).first()


def running_clocks(*, now: dt.datetime) -> list[tuple[Breach, Clock]]:
    """The breaches whose 72-hour clock runs (or is late) at `now`, the nearest deadline first."""
    breaches = (Breach.objects.filter(network_role__in=CONTROLLER_ROLES, aware_at__isnull=False,
                                      cnil_notified_at__isnull=True).exclude(status=Breach.Status.CLOSED))
    clocks = [(breach, clock_of(breach, now=now)) for breach in breaches]
    return sorted(clocks, key=lambda pair: pair[1].deadline)


ROLE_FILTERS = [*NetworkRole.choices, (NO_ROLE, "Rôle à préciser")]
