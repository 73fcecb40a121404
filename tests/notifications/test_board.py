"""The board: pages, filters and order in the URL, the JSON its script polls, chasing the late funds, and what a
regional coordination reads."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config.errors import ApplicationError
from network.models import Fund, Membership
from network.services import funds_load, membership_grant
from notifications import services
from notifications.models import Notice
from notifications.services import TargetSpec
from tests.factories import UserFactory
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_instruction(national, django_capture_on_commit_callbacks):
    """An instruction to the 107 funds, 3 days past its reply-by date; 561 has implemented it."""
    funds_load()
    Fund.objects.update(notice_emails="vigilance@test.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        instruction = issued(national, reply_by=timezone.localdate() - datetime.timedelta(days=3))
    manager = UserFactory(username="resp561")
    membership_grant(user=manager, role="manager", fund=Fund.objects.get(code="561"))
    delivery = instruction.deliveries.get(fund__code="561")
    services.delivery_acknowledge(delivery=delivery, actor=manager)
    services.delivery_attest(delivery=delivery, actor=manager, actions_done=[0, 1])
    return instruction


def _codes(content: str) -> list[str]:
    return [part.split('"', 1)[0] for part in content.split('<tr data-fund="')[1:]]


def _board(client, instruction, **params):
    return client.get(reverse("notifications:board", args=[instruction.id]), params).content.decode()


def test_board_pages_keep_the_filters_in_the_url(client_as, national, late_instruction):
    client = client_as(national)
    first = _board(client, late_instruction, tri="-code")
    assert _codes(first)[:2] == ["976", "974"] and len(_codes(first)) == 50
    assert "?tri=-code&amp;page=2" in first
    last = _board(client, late_instruction, tri="-code", page=3)
    assert len(_codes(last)) == 7 and _codes(last)[-1] == "011"


def test_board_filters_by_region_department_status_and_lateness(client_as, national, late_instruction):
    client = client_as(national)
    assert _codes(_board(client, late_instruction, region="53")) == ["221", "291", "351", "561"]
    assert _codes(_board(client, late_instruction, departement="59")) == ["594", "595", "597", "599"]
    assert _codes(_board(client, late_instruction, departement="2A")) == ["201"]
    overdue_bretagne = _board(client, late_instruction, region="53", retard="1", tri="-retard")
    assert _codes(overdue_bretagne) == ["351", "291", "221"]  # equally late: reversed with the order
    assert _codes(_board(client, late_instruction, statut="implemented")) == ["561"]
    # an unknown value is ignored, not an error
    assert len(_codes(_board(client, late_instruction, region="99", tri="x"))) == 50


def test_board_data_gives_counts_and_rows_for_the_refresh(client_as, national, late_instruction):
    client = client_as(national)
    page = _board(client, late_instruction)
    assert 'src="/static/vigie/js/board-refresh.js"' in page and "<script>" not in page
    assert f'data-board-refresh="{reverse("notifications:board-data", args=[late_instruction.id])}"' in page
    data = client.get(reverse("notifications:board-data", args=[late_instruction.id]), {"region": "53"}).json()
    assert data["counts"]["total"] == 107 and data["counts"]["implemented"] == 1
    assert _codes(data["tbody"]) == ["221", "291", "351", "561"] and data["updated_label"].startswith("Mis à jour")
    # the chart counts every fund's acknowledgement, whatever the filter (561 acknowledged, out of 107)
    assert 'data-testid="ack-chart"' in data["chart"] and "(1 sur 107)" in data["chart"]
    assert "<script" not in data["chart"] and "data-board-chart" in page


def test_chasing_sends_one_reminder_per_overdue_fund(client_as, national, late_instruction,
                                                     django_capture_on_commit_callbacks):
    client = client_as(national)
    url = reverse("notifications:board-chase", args=[late_instruction.id])
    confirmation = client.get(url).content.decode()
    assert "106 caisses en retard recevront une relance." in confirmation
    assert "291 — CPAM du Finistère" in confirmation and "561 —" not in confirmation
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    reminders = Notice.objects.filter(kind=Notice.Kind.REMINDER)
    assert reminders.count() == 106 and reminders.values("delivery").distinct().count() == 106
    assert not reminders.filter(delivery__fund__code="561").exists()
    assert set(reminders.values_list("status", flat=True)) == {Notice.Status.SENT}
    client.post(url)  # the same day: nobody is chased twice
    assert Notice.objects.filter(kind=Notice.Kind.REMINDER).count() == 106


def test_board_shows_each_deliverys_reminders(client_as, national, late_instruction,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()  # automatic
        services.overdue_reminders_send(instruction=late_instruction, actor=national)  # by hand
    content = _board(client_as(national), late_instruction, departement="29")
    cell = content.split('data-testid="reminders-291">', 1)[1].split("</td>", 1)[0]
    assert "2 relances" in cell and "automatique" in cell and "manuelle (national)" in cell


def test_regional_coordination_reads_its_regions_board_only(client_as, national, late_instruction):
    coordinator = UserFactory(username="bretagne")
    membership_grant(user=coordinator, role=Membership.Role.REGIONAL, region="53")
    client = client_as(coordinator)
    content = _board(client, late_instruction)
    assert _codes(content) == ["221", "291", "351", "561"] and "Renvoyer" not in content
    assert "Relancer les caisses en retard" not in content
    assert client.get(reverse("notifications:board-chase", args=[late_instruction.id])).status_code == 404
    assert client.get(reverse("notifications:instruction", args=[late_instruction.id])).status_code == 404
    elsewhere = issued(national, targets=TargetSpec(targeting="funds", funds=["751"]), title="Paris")
    assert client.get(reverse("notifications:board", args=[elsewhere.id])).status_code == 404


def test_only_national_staff_chase(national, late_instruction):
    coordinator = UserFactory(username="bretagne")
    membership_grant(user=coordinator, role=Membership.Role.REGIONAL, region="53")
    with pytest.raises(ApplicationError):
        services.overdue_reminders_send(instruction=late_instruction, actor=coordinator)
