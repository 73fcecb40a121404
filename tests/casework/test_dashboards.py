import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.cases.models import Case
from casework.cases.services import case_assign, case_change_status
from casework.checks.services import check_log
from casework.dashboards.charts import Series, bar_chart
from casework.dashboards.selectors import fund_dashboard, national_dashboard
from tests.casework.factories import new_nir, open_case


def _populate(fund, agent, n):
    for i in range(n):
        logged = check_log(actor=agent, nir=new_nir(), kind="identity", channel="phone",
                           outcome="anomaly" if i % 2 else "compliant", open_case=bool(i % 2))
        case = logged.case or open_case(fund=fund, actor=agent)
        case_assign(case=case, actor=agent, assignee=agent)
        if i % 3 == 0:
            case_change_status(case=case, actor=agent, status="closed", closing_reason="unfounded")


@pytest.mark.parametrize("url_name", ["case-queue", "dashboard-fund"])
def test_fund_pages_run_in_constant_queries(client_as, agent_a, fund_a, django_assert_max_num_queries, url_name):
    client = client_as(agent_a)
    args = [fund_a.code] if url_name == "dashboard-fund" else []
    _populate(fund_a, agent_a, 3)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(url_name, args=args))
    _populate(fund_a, agent_a, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200


def test_national_dashboard_runs_in_constant_queries(client_as, national, agent_a, agent_b, fund_a, fund_b,
                                                     django_assert_max_num_queries):
    client = client_as(national)
    _populate(fund_a, agent_a, 2)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("dashboard-national"))
    _populate(fund_a, agent_a, 20)
    _populate(fund_b, agent_b, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("dashboard-national"))
    assert response.status_code == 200 and "<svg" in response.content.decode()


def test_fund_dashboard_figures(agent_a, fund_a, fund_b, agent_b):
    check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly", open_case=True)
    check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="compliant")
    check_log(actor=agent_b, nir=new_nir(), kind="identity", channel="phone", outcome="refused")
    old = open_case(fund=fund_a, actor=agent_a)
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    data = fund_dashboard(fund=fund_a)
    assert dict(data["checks_by_outcome"]) == {"Conforme": 1, "Anomalie": 1, "Demande refusée": 0, "Transmise": 0}
    assert data["cases"]["table"]["Nouveau"] == {"lt2": 1, "lt7": 0, "lt30": 1, "ge30": 0, "total": 2}
    assert data["cases"]["open_total"] == 2


def test_national_dashboard_figures(agent_a, fund_a, agent_b, fund_b):
    check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly", open_case=True)
    check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="compliant")
    logged = check_log(actor=agent_b, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly",
                       open_case=True)
    Case.objects.filter(pk=logged.case.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    case_change_status(case=logged.case, actor=agent_b, status="closed", closing_reason="fraud_confirmed")
    still_open = check_log(actor=agent_b, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly",
                           open_case=True)
    data = national_dashboard()
    assert data["weekly"][-1] == [4, 3]
    rows = {fund.code: (total, anomalies) for fund, _, total, anomalies in data["fund_rows"]}
    assert rows == {"561": (2, 1), "291": (2, 2)}
    busiest_291 = next(row for row in data["busiest"] if row["code"] == "291")
    assert busiest_291["open_cases"] == 1 and 2.9 < busiest_291["average_days"] < 3.1
    assert still_open.case.status == "new"
    assert {"code": "561", "name": fund_a.name, "open_cases": 1, "average_days": None} in data["busiest"]
    assert data["time_to_close"]["closed"] == 1 and 2.9 < data["time_to_close"]["average_days"] < 3.1


def test_agent_dashboard_of_another_fund_is_404(client_as, agent_a, fund_b):
    assert client_as(agent_a).get(reverse("dashboard-fund", args=[fund_b.code])).status_code == 404
    assert client_as(agent_a).get(reverse("dashboard-national")).status_code == 404


def test_dashboard_entry_redirects_by_role(client_as, agent_a, national, fund_a):
    assert client_as(agent_a).get(reverse("dashboard")).url == reverse("dashboard-fund", args=["561"])
    assert client_as(national).get(reverse("dashboard")).url == reverse("dashboard-national")


def test_chart_escapes_labels():
    svg = bar_chart(labels=["<b>"], series=[Series("a&b", "#000", [3])], title="t")
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "a&amp;b" in svg


def test_chart_grid_has_whole_steps():
    svg = bar_chart(labels=["a", "b"], series=[Series("s", "#000", [6, 1])], title="t")
    assert [f">{n}</text>" in svg for n in (0, 2, 4, 6, 8)] == [True] * 5


def test_manager_queue_and_national_queue_run_in_constant_queries(client_as, manager_a, national, agent_a, fund_a,
                                                                    django_assert_max_num_queries):
    for user in (manager_a, national):
        client = client_as(user)
        _populate(fund_a, agent_a, 2)
        with django_assert_max_num_queries(25) as few:
            client.get(reverse("case-queue"))
        _populate(fund_a, agent_a, 25)
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(reverse("case-queue"), {"status": "all"}).status_code == 200


def test_fund_dashboard_lists_the_instructions_to_answer(client_as, national, agent_a, fund_a):
    from tests.notifications.factories import issued

    instruction = issued(national, title="Vigilance sur les changements de RIB")
    response = client_as(agent_a).get(reverse("dashboard-fund", args=[fund_a.code]))
    assert response.status_code == 200
    assert instruction.reference in response.content.decode()
    assert "Consignes à traiter" in response.content.decode()


def test_a_regional_coordination_reads_its_regions_figures_only(client_as, agent_a, fund_a, agent_b, fund_b):
    from network.models import Fund, Membership
    from network.services import membership_grant
    from tests.factories import UserFactory

    check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly", open_case=True)
    check_log(actor=agent_b, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly", open_case=True)
    only_561 = national_dashboard(funds=Fund.objects.filter(pk=fund_a.pk))
    assert [fund.code for fund, *_ in only_561["fund_rows"]] == ["561"]
    assert only_561["cases"]["open_total"] == 1 and [row["code"] for row in only_561["busiest"]] == ["561"]

    elsewhere = UserFactory(username="idf")
    membership_grant(user=elsewhere, role=Membership.Role.REGIONAL, region="11")
    page = client_as(elsewhere).get(reverse("dashboard-national")).content.decode()
    assert "Vue régionale" in page and "561 —" not in page and "291 —" not in page
    assert 'data-testid="kpi-open">0<' in page
