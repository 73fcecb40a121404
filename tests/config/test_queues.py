"""Celery routing: notices, imports and reports have their own queues; the rest goes to the default one."""

import pytest
from django.conf import settings

from config.celery import app as celery_app


def queue_of(task_name: str) -> str:
    return celery_app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(("task_name", "queue"), [
    ("notifications.send_notice", "notices"),
    ("notifications.sweep_notices", "notices"),
    ("notifications.send_reminders", "notices"),
    ("breaches.remind_clocks", "notices"),
    ("reporting.send_weekly_reports", "reports"),
    ("breaches.import_cohort", "imports"),
    ("breaches.resume_stale_imports", "imports"),
    ("breaches.rotate_keys", "imports"),
    ("casework.report_national", "reports"),
    ("audit.export_access_log", "reports"),
    ("breaches.purge_access_log", "default"),
    ("config.ping", "default"),
])
def test_each_task_goes_to_its_queue(task_name, queue):
    assert queue_of(task_name) == queue


def test_every_registered_task_lands_on_a_queue_a_worker_consumes():
    celery_app.loader.import_default_modules()
    names = [name for name in celery_app.tasks if not name.startswith("celery.")]
    assert "breaches.rotate_keys" in names
    assert {queue_of(name) for name in names} <= set(settings.VIGIE_QUEUES)


def test_the_readme_gives_one_worker_command_per_queue():
    readme = (settings.BASE_DIR / "README.md").read_text()
    for queue in settings.VIGIE_QUEUES:
        assert f"-Q {queue} " in readme, queue
