"""The network follow-up: chasing every late fund of every instruction in one action, and the region filter."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from network.models import Fund
from network.services import funds_load
from notifications.models import Notice
from notifications.services import TargetSpec
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_late_instructions(national, django_capture_on_commit_callbacks):
    """Two instructions past their reply-by date: one to 561 and 291, one to 561 only."""
    funds_load()
    Fund.objects.update(notice_emails="vigilance@test.invalid")
    late = timezone.localdate() - datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = issued(national, reply_by=late, targets=TargetSpec(targeting="funds", funds=["561", "291"]))
        second = issued(national, reply_by=late, targets=TargetSpec(targeting="funds", funds=["561"]),
                        title="Vigilance comptes")
    return first, second


def test_the_network_view_chases_each_late_delivery_once(client_as, national, two_late_instructions,
                                                          django_capture_on_commit_callbacks):
    client = client_as(national)
    assert "Relancer les caisses en retard" in client.get(reverse("notifications:network")).content.decode()
    url = reverse("notifications:network-chase")
    confirmation = client.get(url).content.decode()
    assert "2 caisses en retard recevront 3 relances." in confirmation
    assert "291 — CPAM du Finistère" in confirmation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    reminders = Notice.objects.filter(kind=Notice.Kind.REMINDER)
    assert reminders.count() == 3 and reminders.values("delivery").distinct().count() == 3
    assert set(reminders.values_list("status", flat=True)) == {Notice.Status.SENT}
    client.post(url)  # the same day: nobody is chased twice
    assert Notice.objects.filter(kind=Notice.Kind.REMINDER).count() == 3


def test_the_network_view_filters_by_region(client_as, national, two_late_instructions):
    content = client_as(national).get(reverse("notifications:network"), {"region": "53"}).content.decode()
    rows = [part.split('"', 1)[0] for part in content.split('<tr data-fund="')[1:]]
    assert rows and set(rows) <= {"221", "291", "351", "561"}
    assert set(Fund.objects.filter(code__in=rows).values_list("region", flat=True)) == {"53"}


def test_an_unknown_region_is_a_form_error_not_a_500(client_as, national):
    response = client_as(national).get(reverse("notifications:network"), {"region": "99"})
    assert response.status_code == 200 and "Sélectionnez un choix valide" in response.content.decode()
