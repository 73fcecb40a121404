"""Every change to audited objects leaves a history row with who and when, readable in admin and exportable."""

import csv
import io

import pytest
from django.urls import reverse

from audit.models import AUDITED
from network.models import Fund, Membership
from network.services import fund_update, membership_grant, membership_revoke
from tests.factories import UserFactory


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_membership_grant_change_and_revoke_each_leave_a_row(fund_a, national):
    user = UserFactory(username="nouvel_agent")
    membership = membership_grant(user=user, role=Membership.Role.AGENT, fund=fund_a, actor=national)
    membership_id = membership.id
    membership_grant(user=user, role=Membership.Role.MANAGER, fund=fund_a, actor=national)
    membership_revoke(membership=Membership.objects.get(id=membership_id), actor=national)
    rows = list(Membership.history.filter(id=membership_id).order_by("history_date"))
    assert [(r.history_type, r.role) for r in rows] == [("+", "agent"), ("~", "manager"), ("-", "manager")]


def test_fund_change_records_who_made_it_through_the_admin(client_as, admin_user, fund_a):
    client = client_as(admin_user)
    response = client.post(reverse("admin:network_fund_change", args=[fund_a.pk]), {
        "code": fund_a.code, "name": "CPAM du Morbihan (Vannes)", "kind": "CPAM", "notice_emails": "",
        "is_active": "on", "departments-TOTAL_FORMS": "0", "departments-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    last = Fund.history.filter(id=fund_a.id).latest("history_date")
    assert last.history_type == "~" and last.name == "CPAM du Morbihan (Vannes)"
    assert last.history_user == admin_user


def test_history_is_readable_in_admin(client_as, admin_user, fund_a):
    fund_update(fund=fund_a, name="CPAM 56")
    client = client_as(admin_user)
    assert "CPAM 56" in client.get(reverse("admin:network_fund_history", args=[fund_a.pk])).content.decode()
    assert client.get(reverse("admin:audit_historicalmembership_changelist")).status_code == 200


def test_history_rows_cannot_be_edited_in_admin(client_as, admin_user, fund_a):
    row = Fund.history.filter(id=fund_a.id).first()
    response = client_as(admin_user).post(reverse("admin:audit_historicalfund_delete", args=[row.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Fund.history.filter(pk=row.pk).exists()


def test_admin_exports_selected_history_as_csv(client_as, admin_user, fund_a):
    fund_update(fund=fund_a, name="CPAM 56")
    ids = list(Fund.history.filter(id=fund_a.id).values_list("pk", flat=True))
    response = client_as(admin_user).post(reverse("admin:audit_historicalfund_changelist"),
                                          {"action": "export_csv", "_selected_action": ids})
    rows = csv_rows(response)
    assert [(r["opération"], r["champs modifiés"]) for r in rows] == [("modification", "name"), ("création", "")]


def test_national_page_lists_and_exports_history_filtered_by_author(client_as, national, fund_a, fund_b):
    other = UserFactory(username="autre_national")
    membership_grant(user=UserFactory(username="x1"), role="agent", fund=fund_a, actor=national)
    client = client_as(national)
    page = client.get(reverse("history-list"), {"kind": "rattachement"})
    assert page.status_code == 200 and len(page.context["entries"]) >= 1
    exported = csv_rows(client.get(reverse("history-export"), {"username": national.username}))
    assert exported and all(r["auteur"] == national.username for r in exported)
    assert not csv_rows(client.get(reverse("history-export"), {"username": other.username}))


def test_history_pages_are_national_only(client_as, agent_a):
    client = client_as(agent_a)
    assert client.get(reverse("history-list")).status_code == 404
    assert client.get(reverse("history-export")).status_code == 404


@pytest.mark.parametrize("kind", sorted(AUDITED))
def test_every_audited_model_has_history(kind):
    assert hasattr(AUDITED[kind], "history")
