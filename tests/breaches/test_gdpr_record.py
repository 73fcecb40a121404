"""The GDPR record of a breach: its 72-hour clock and reminders (time passed explicitly), the late reason, closing
refused while the record is incomplete, reopening within the retention window, the timeline's documents."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from breaches.gdpr.clock import clock_of
from breaches.gdpr.models import BreachEvent, ClockReminder
from breaches.gdpr.services import breach_event_add, breach_record_update, clock_reminders_send, document_path
from breaches.models import Breach
from breaches.services import IncompleteRecord, breach_reopen, breach_set_status, may_reopen
from config.errors import ApplicationError
from tests.breaches.factories import AWARE_AT, BreachFactory, complete_record, person

HOUR = dt.timedelta(hours=1)
EML = (b"From: Directeur general <dg@labo.test>\r\nTo: dpo@assurance-maladie.test\r\nSubject: Fuite\r\n"
       b"Date: Wed, 31 Mar 2021 10:00:00 +0200\r\n\r\nBonjour,\r\n")


@pytest.fixture
def controller_breach(db):
    return BreachFactory(network_role="controller", aware_at=AWARE_AT)


def test_clock_runs_72_hours_from_awareness_when_the_network_is_controller(controller_breach):
    clock = clock_of(controller_breach, now=AWARE_AT + 10 * HOUR)
    assert clock.deadline == AWARE_AT + 72 * HOUR and clock.state == "running" and clock.hours_left == 62
    assert clock_of(controller_breach, now=AWARE_AT + 73 * HOUR).state == "late"
    assert clock_of(BreachFactory(network_role="third_party", aware_at=AWARE_AT), now=AWARE_AT) is None
    controller_breach.cnil_notified_at = AWARE_AT + 80 * HOUR
    assert clock_of(controller_breach, now=AWARE_AT + 90 * HOUR).state == "notified_late"


@pytest.mark.parametrize(("hours", "milestones"), [
    (23, []), (24, [24]), (47, [24]), (48, [24, 48]), (66, [24, 48, 66]), (72, [24, 48, 66, 72]),
])
def test_reminders_go_once_at_24_48_66_hours_and_when_late_even_if_beat_runs_twice(controller_breach, national,
                                                                                    hours, milestones):
    national.email = "dpo@assurance-maladie.test"
    national.save()
    for step in (24, 48, 66, 72):
        if step <= hours:
            assert clock_reminders_send(now=AWARE_AT + step * HOUR) == 1
            assert clock_reminders_send(now=AWARE_AT + step * HOUR) == 0  # the beat task runs twice
    assert clock_reminders_send(now=AWARE_AT + hours * HOUR) == 0
    assert list(ClockReminder.objects.values_list("milestone", flat=True)) == milestones
    assert len(mail.outbox) == len(milestones)
    assert all(message.to == ["dpo@assurance-maladie.test"] for message in mail.outbox)
    if hours == 72:
        assert "dépassé" in mail.outbox[-1].subject and "motif du retard" in mail.outbox[-1].body


def test_a_clock_first_seen_late_sends_only_its_latest_milestone_and_a_notified_one_none(controller_breach):
    assert clock_reminders_send(now=AWARE_AT + 50 * HOUR) == 1
    assert list(ClockReminder.objects.values_list("milestone", flat=True)) == [48]
    Breach.objects.filter(pk=controller_breach.pk).update(cnil_notified_at=AWARE_AT + 60 * HOUR)
    assert clock_reminders_send(now=AWARE_AT + 70 * HOUR) == 0


def test_a_late_notification_needs_its_reason(controller_breach, national):
    now = AWARE_AT + 100 * HOUR
    with pytest.raises(ApplicationError, match="motif du retard"):
        breach_record_update(breach=controller_breach, actor=national, now=now,
                             cnil_notified_at=AWARE_AT + 80 * HOUR, regulator_reference="CNIL-1")
    breach = breach_record_update(breach=controller_breach, actor=national, now=now,
                                  cnil_notified_at=AWARE_AT + 80 * HOUR, regulator_reference="CNIL-1",
                                  late_reason="Ampleur inconnue avant l'analyse du prestataire.")
    assert clock_of(breach, now=now).state == "notified_late"
    assert breach.events.get().kind == BreachEvent.Kind.CNIL
    with pytest.raises(ApplicationError, match="futur"):
        breach_record_update(breach=breach, actor=national, now=now, aware_at=now + HOUR)


def test_closing_is_refused_while_the_record_of_its_role_is_incomplete(national):
    breach = BreachFactory(**complete_record(role="controller", regulator_reference="", inform_decision=""))
    with pytest.raises(IncompleteRecord) as refused:
        breach_set_status(breach=breach, status="closed", actor=national, now=AWARE_AT + 40 * HOUR)
    assert refused.value.missing == ["la référence de la notification à la CNIL",
                                     "la décision d'informer ou non les personnes (article 34)"]
    third = BreachFactory(**complete_record(controller_names="", people_approx=None))
    with pytest.raises(IncompleteRecord) as refused:
        breach_set_status(breach=third, status="closed", actor=national)
    assert refused.value.missing == ["le nombre approximatif de personnes", "le responsable du traitement"]
    counted = BreachFactory(**complete_record(people_approx=None))
    person(breach=counted)  # the cohort's count stands for the approximate number
    assert breach_set_status(breach=counted, status="closed", actor=national).status == "closed"
    closed = breach_set_status(breach=BreachFactory(**complete_record()), status="closed", actor=national)
    assert closed.status == "closed" and closed.events.get().kind == BreachEvent.Kind.CLOSING


def test_a_late_clock_cannot_close_without_its_reason(national):
    breach = BreachFactory(**complete_record(role="controller", cnil_notified_at=AWARE_AT + 80 * HOUR))
    with pytest.raises(IncompleteRecord, match="motif du retard"):
        breach_set_status(breach=breach, status="closed", actor=national)


def test_a_closing_is_undone_within_the_retention_window_with_its_reason_in_the_timeline(national, settings):
    settings.COHORT_RETENTION_MONTHS = 12
    closed_at = dt.datetime(2026, 4, 1, 12, tzinfo=dt.UTC)
    breach = breach_set_status(breach=BreachFactory(**complete_record()), status="closed", actor=national,
                               now=closed_at)
    with pytest.raises(ApplicationError, match="pourquoi"):
        breach_reopen(breach=breach, actor=national, reason=" ", now=closed_at + HOUR)
    assert not may_reopen(breach, now=closed_at + dt.timedelta(days=400))
    breach = breach_reopen(breach=breach, actor=national, reason="Clôture par erreur", now=closed_at + HOUR)
    assert breach.status == "open"
    assert list(breach.events.values_list("kind", flat=True)) == ["closing", "reopening"]
    assert list(Breach.history.filter(id=breach.pk).values_list("status", flat=True)[:2]) == ["open", "closed"]


def test_timeline_documents_are_checked_by_content(national, settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path
    breach = BreachFactory()
    when = dt.datetime(2021, 3, 31, 10, tzinfo=dt.UTC)
    event = breach_event_add(breach=breach, actor=national, kind="letter_in", occurred_at=when,
                             summary="Lettre du directeur général", upload=SimpleUploadedFile("lettre.eml", EML))
    assert (event.document_type, event.document_size) == ("message/rfc822", len(EML))
    assert document_path(event).read_bytes() == EML
    with pytest.raises(ApplicationError, match="type accepté"):
        breach_event_add(breach=breach, actor=national, kind="other", occurred_at=when, summary="x",
                         upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00binary"))
    with pytest.raises(ApplicationError, match="ne correspond pas"):
        breach_event_add(breach=breach, actor=national, kind="other", occurred_at=when, summary="x",
                         upload=SimpleUploadedFile("lettre.pdf", EML))
    assert breach.events.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_beat_runs_at_the_same_moment_send_one_reminder(national):
    """Two workers run the beat task at once: the reminder row's unique index makes the second one wait for the
    first's commit, then find the row and send nothing."""
    if connection.vendor != "postgresql":
        pytest.skip("course réelle entre connexions : PostgreSQL seulement (SQLite refuse le second écrivain)")
    national.email = "dpo@assurance-maladie.test"
    national.save()
    BreachFactory(network_role="controller", aware_at=AWARE_AT)
    start = threading.Barrier(2)
    sent = []

    def run():
        start.wait()
        try:
            sent.append(clock_reminders_send(now=AWARE_AT + 25 * HOUR))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [0, 1] and len(mail.outbox) == 1
    assert ClockReminder.objects.get().milestone == 24
