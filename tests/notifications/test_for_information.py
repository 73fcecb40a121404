"""A fund named "pour information" gets its delivery, its notice e-mail and its inbox entry, owes no answer, and is
counted apart on the board."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications import services
from notifications.models import Delivery, Notice
from notifications.selectors import board_rows, instruction_counts, network_standing
from notifications.services import TargetSpec
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def informed(national, fund_a, fund_b, django_capture_on_commit_callbacks):
    """Fund A must act; fund B (291) is named for information only, outside the targeting."""
    with django_capture_on_commit_callbacks(execute=True):
        return issued(national, targets=TargetSpec(targeting="funds", funds=["561"], for_information=["291"]),
                      reply_by=timezone.localdate() - datetime.timedelta(days=1))


def test_fund_for_information_gets_its_delivery_and_email(informed, fund_b):
    deliveries = dict(Delivery.objects.filter(instruction=informed).values_list("fund__code", "for_action"))
    assert deliveries == {"561": True, "291": False}
    notice = Notice.objects.get(delivery__fund=fund_b)
    assert notice.status == Notice.Status.SENT
    message = next(m for m in mail.outbox if m.to == fund_b.notice_addresses)
    assert "Destinataire pour information" in message.body and "accuser réception dans Vigie" not in message.body
    assert "Réponse attendue" not in message.body
    html, _ = message.alternatives[0]
    assert "pour information" in html


def test_fund_for_information_sees_it_in_its_inbox_without_an_answer_asked(informed, agent_b, client_as):
    client = client_as(agent_b)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert informed.reference in inbox and 'data-testid="for-information"' in inbox
    delivery = informed.deliveries.get(fund__code="291")
    page = client.get(reverse("notifications:delivery", args=[delivery.id])).content.decode()
    assert "aucun accusé de réception ni attestation n'est demandé" in page
    assert "Accuser réception</button>" not in page


def test_fund_for_information_is_counted_apart_never_late_nor_reminded(informed, national):
    rows, counts = board_rows(user=national, instruction=informed)
    states = {r.delivery.fund.code: r.state for r in rows}
    assert states == {"561": "overdue", "291": "information"}
    assert counts["total"] == 1 and counts["information"] == 1 and counts["overdue"] == 1
    assert instruction_counts(instruction_ids=[informed.id])[informed.id]["information"] == 1
    standing = {s.fund.code: s for s in network_standing()}
    assert standing["291"].open_rows == [] and standing["561"].overdue == 1
    assert services.reminders_send() == 1  # fund A only
    assert not Notice.objects.filter(kind=Notice.Kind.REMINDER, delivery__fund__code="291").exists()


def test_board_shows_the_information_figure(informed, national, client_as):
    content = client_as(national).get(reverse("notifications:board", args=[informed.id])).content.decode()
    assert 'data-testid="count-information">1<' in content and 'data-state="information"' in content


def test_named_for_information_inside_the_targeting_stays_for_information(national, fund_a, fund_b):
    instruction = issued(national, targets=TargetSpec(targeting="all", for_information=["291"]))
    rows = dict(instruction.deliveries.values_list("fund__code", "for_action"))
    assert rows == {"561": True, "291": False}
