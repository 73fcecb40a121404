"""A notice waiting for another attempt says so, on the board and in the deliveries API, with the last error."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notice
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db

RETRY = "nouvel essai n° 2 à {at} — dernière erreur : SMTPDataError: (451, b&#x27;4.3.0 Essayez plus tard&#x27;)"


@pytest.fixture
def refused_once(national, fund_a, settings, django_capture_on_commit_callbacks):
    """An instruction whose only notice the SMTP server refused once: pending, with its next attempt's time."""
    settings.EMAIL_BACKEND = "tests.support.failing_mail.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        instruction = issued(national)
    notice = Notice.objects.get()
    assert notice.status == Notice.Status.PENDING and notice.attempts == 1
    return instruction, timezone.localtime(notice.retry_at).strftime("%H:%M")


def test_board_shows_the_next_attempt_and_the_last_error(client_as, national, refused_once):
    instruction, at = refused_once
    page = client_as(national).get(reverse("notifications:board", args=[instruction.id])).content.decode()
    assert RETRY.format(at=at) in page


def test_deliveries_api_gives_attempts_next_try_and_last_error(api, national, refused_once):
    instruction, at = refused_once
    api.force_authenticate(national)
    delivery, = api.get(reverse("api:instruction-deliveries", args=[instruction.id])).data["results"]
    assert delivery["state"] == "pending" and delivery["notice_status"] == "pending"
    assert delivery["notice_attempts"] == 1 and "451" in delivery["notice_last_error"]
    assert delivery["notice_retry"].startswith(f"nouvel essai n° 2 à {at} — dernière erreur : SMTPDataError")
    assert delivery["notice_retry_at"]


def test_a_notice_never_tried_shows_no_retry(api, national, fund_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        instruction = issued(national)
    api.force_authenticate(national)
    delivery, = api.get(reverse("api:instruction-deliveries", args=[instruction.id])).data["results"]
    assert delivery["notice_status"] == "pending" and delivery["notice_retry"] is None
    Notice.objects.update(status=Notice.Status.SENT, sent_at=timezone.now() - datetime.timedelta(minutes=1))
    delivery, = api.get(reverse("api:instruction-deliveries", args=[instruction.id])).data["results"]
    assert delivery["notice_retry"] is None
