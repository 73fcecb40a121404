"""Periodic retention tasks: thin, idempotent."""

from celery import shared_task

from audit.access_log import access_log_purge


@shared_task(name="audit.purge_access_log")
def purge_access_log() -> int:
    return access_log_purge()


@shared_task(name="audit.purge_cohorts")
def purge_cohorts() -> int:
    from breaches.retention import cohorts_purge

    return cohorts_purge(dry_run=False).people
