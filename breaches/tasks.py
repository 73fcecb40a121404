"""Thin tasks: take ids, return quietly when there is nothing to do."""

from celery import shared_task

from breaches.access_log import access_log_purge
from breaches.gdpr.services import clock_reminders_send
from breaches.importing import cohort_failed_sources_discard, cohort_import, cohort_imports_resume
from breaches.retention import cohorts_purge
from breaches.rotation import keys_rotate


@shared_task(name="breaches.import_cohort", acks_late=True)
def import_cohort(cohort_id: int) -> None:
    cohort_import(cohort_id=cohort_id)


@shared_task(name="breaches.resume_stale_imports")
def resume_stale_imports() -> int:
    cohort_failed_sources_discard()
    return len(cohort_imports_resume())


@shared_task(name="breaches.purge_access_log")
def purge_access_log() -> int:
    return access_log_purge()


@shared_task(name="breaches.purge_cohorts")
def purge_cohorts() -> int:
    return cohorts_purge(dry_run=False).people


@shared_task(name="breaches.remind_clocks")
def remind_clocks() -> int:
    return clock_reminders_send()


@shared_task(name="breaches.rotate_keys", acks_late=True)
def rotate_keys() -> int:
    """Key rotation on the imports queue (`rotate_keys --in-worker`); resumes where a killed run stopped."""
    return keys_rotate().people
