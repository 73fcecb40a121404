import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from network.models import Fund
from network.services import funds_load, membership_grant
from notifications import services
from notifications.models import Delivery, Instruction, Notice
from tests.factories import UserFactory
from tests.notifications.factories import draft, issued

pytestmark = pytest.mark.django_db


def test_compose_preview_then_save_draft(client_as, national, fund_a):
    client = client_as(national)
    data = {"title": "Vigilance", "body": "Texte **gras** <script>alert(1)</script>",
            "required_actions": "Action une\nAction deux", "nature": "new", "targeting": "all"}
    preview = client.post(reverse("notifications:compose"), {**data, "preview": "1"})
    content = preview.content.decode()
    assert 'data-testid="preview"' in content and "<strong>gras</strong>" in content
    assert "<script>alert" not in content and not Instruction.objects.exists()
    saved = client.post(reverse("notifications:compose"), {**data, "save": "1"})
    instruction = Instruction.objects.get()
    assert saved.url == reverse("notifications:instruction", args=[instruction.id])
    assert instruction.required_actions == ["Action une", "Action deux"]


def test_compose_error_keeps_input(client_as, national, fund_a):
    data = {"title": "Vigilance", "body": "Texte", "nature": "new", "targeting": "funds", "funds": "000",
            "save": "1"}
    response = client_as(national).post(reverse("notifications:compose"), data)
    content = response.content.decode()
    assert response.status_code == 200 and "Caisse(s) inconnue(s) : 000" in content and 'value="Vigilance"' in content


def test_issue_confirmation_shows_number_of_funds(client_as, national, fund_a, fund_b,
                                                  django_capture_on_commit_callbacks):
    instruction = draft(national)
    client = client_as(national)
    page = client.get(reverse("notifications:issue", args=[instruction.id]))
    assert "Cette consigne sera envoyée à 2 caisses." in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:issue", args=[instruction.id]))
    assert response.url == reverse("notifications:board", args=[instruction.id])
    assert Delivery.objects.count() == 2


def test_amend_and_withdraw_pages(client_as, national, fund_a):
    instruction = issued(national)
    client = client_as(national)
    client.post(reverse("notifications:amend", args=[instruction.id]),
                {"title": "Titre v2", "body": "Texte v2", "required_actions": "A", "changes": "Tout"})
    instruction.refresh_from_db()
    assert instruction.version == 2 and instruction.title == "Titre v2"
    client.post(reverse("notifications:withdraw", args=[instruction.id]), {"reason": "Fin de l'alerte"})
    instruction.refresh_from_db()
    assert instruction.status == "withdrawn" and instruction.withdrawal_reason == "Fin de l'alerte"


def test_fund_users_get_404_on_national_pages(client_as, agent_a, national, fund_a):
    instruction = issued(national)
    client = client_as(agent_a)
    for name in ("compose", "network"):
        assert client.get(reverse(f"notifications:{name}")).status_code == 404
    for name in ("instruction", "board", "issue", "amend", "withdraw"):
        assert client.get(reverse(f"notifications:{name}", args=[instruction.id])).status_code == 404


def test_inbox_unread_first_and_reading_marks_read(client_as, national, manager_a, fund_a):
    first, second = issued(national, title="Première"), issued(national, title="Seconde")
    client = client_as(manager_a)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">2<' in home and "Consignes à traiter" in home
    delivery = first.deliveries.get()
    page = client.get(reverse("notifications:delivery", args=[delivery.id])).content.decode()
    assert "Accuser réception" in page and "Vérifier que le titulaire du RIB" in page
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert inbox.index("Seconde") < inbox.index("Première")  # unread first
    assert Notice.objects.filter(read_at__isnull=True).count() == 1
    assert second.deliveries.get().notices.get().read_at is None


def test_acknowledge_and_attest_by_page(client_as, national, manager_a, fund_a):
    delivery = issued(national).deliveries.get()
    client = client_as(manager_a)
    client.post(reverse("notifications:acknowledge", args=[delivery.id]))
    partial = client.post(reverse("notifications:attest", args=[delivery.id]), {"actions_done": ["0"]})
    assert "manquantes : 2" in partial.content.decode()
    client.post(reverse("notifications:attest", args=[delivery.id]), {"actions_done": ["0", "1"], "comment": "OK"})
    delivery.refresh_from_db()
    assert delivery.acknowledged_by == manager_a and delivery.attested_version == 1 and delivery.comment == "OK"


def test_agent_of_other_fund_gets_404_on_delivery(client_as, national, agent_b, fund_a, fund_b):
    delivery = issued(national).deliveries.get(fund=fund_a)
    client = client_as(agent_b)
    assert client.get(reverse("notifications:delivery", args=[delivery.id])).status_code == 404
    assert client.post(reverse("notifications:acknowledge", args=[delivery.id])).status_code == 404


def _answered_instruction(national, django_capture_on_commit_callbacks):
    funds_load()
    Fund.objects.update(notice_emails="vigilance@test.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        instruction = issued(national, reply_by=timezone.localdate() - datetime.timedelta(days=3))
    deliveries = list(instruction.deliveries.order_by("fund__code"))
    for delivery in deliveries[:10]:
        manager = UserFactory(username=f"resp{delivery.fund.code}")
        membership_grant(user=manager, role="manager", fund=delivery.fund)
        services.delivery_acknowledge(delivery=delivery, actor=manager)
        if delivery.fund.code < deliveries[5].fund.code:
            services.delivery_attest(delivery=delivery, actor=manager, actions_done=[0, 1])
    return instruction


def test_board_counts_every_fund_and_shows_a_page_in_constant_queries(
        client_as, national, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    instruction = _answered_instruction(national, django_capture_on_commit_callbacks)
    client = client_as(national)
    client.get(reverse("notifications:board", args=[instruction.id]))  # warm the session
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:board", args=[instruction.id]))
    content = response.content.decode()
    total = Delivery.objects.count()
    assert total > 100 and content.count("<tr data-fund=") == 50  # the first page
    # received but not implemented after the deadline counts as overdue
    assert 'data-testid="count-implemented">5<' in content and 'data-testid="count-received">0<' in content
    assert f'data-testid="count-overdue">{total - 5}<' in content and 'data-testid="ack-chart"' in content
    filtered = client.get(reverse("notifications:board", args=[instruction.id]), {"statut": "implemented"})
    assert filtered.content.decode().count("<tr data-fund=") == 5


def test_board_exports_csv_and_xlsx(client_as, national, django_capture_on_commit_callbacks):
    instruction = _answered_instruction(national, django_capture_on_commit_callbacks)
    client = client_as(national)
    csv_response = client.get(reverse("notifications:board-export", args=[instruction.id, "csv"]))
    lines = b"".join(csv_response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Code caisse;Caisse") and len(lines) == Delivery.objects.count() + 1
    xlsx = client.get(reverse("notifications:board-export", args=[instruction.id, "xlsx"]), {"statut": "implemented"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Code caisse" and len(rows) == 6 and all(r[3] == "Mise en œuvre" for r in rows[1:])


def test_network_view_lists_late_funds(client_as, national, django_capture_on_commit_callbacks):
    instruction = _answered_instruction(national, django_capture_on_commit_callbacks)
    content = client_as(national).get(reverse("notifications:network")).content.decode()
    late = Delivery.objects.count() - 5
    assert f"{late} réponses en retard" in content and instruction.reference in content
    assert "3 jours" in content
