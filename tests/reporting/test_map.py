"""The map of the network: one shape per department with its value and fund link, the worst state of a department
with several funds, the accessible table, the regional scope, and a constant number of queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from network.models import Fund, Membership
from network.regions import departments
from network.services import funds_load, membership_grant
from notifications import services
from reporting.svgmap import boundaries
from tests.factories import FundFactory, UserFactory
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db


def _shapes(content: str) -> dict[str, str]:
    """department -> data-value of its shape (the first one: Paris appears twice, the second time enlarged)."""
    found = {}
    for code, value in re.findall(r'data-department="(\w+)" data-value="(\w+)"', content.split("</svg>")[0]):
        found.setdefault(code, value)
    return found


def _titles(content: str) -> dict[str, str]:
    """department -> the title of its shape (what hovering shows)."""
    found = {}
    for code, title in re.findall(r'data-department="(\w+)" data-value="\w+"[^>]*><title>([^<]*)</title>',
                                  content.split("</svg>")[0]):
        found.setdefault(code, title)
    return found


def _late_instruction(national, capture):
    funds_load()
    Fund.objects.update(notice_emails="vigilance@test.invalid")
    with capture(execute=True):
        instruction = issued(national, reply_by=timezone.localdate() - datetime.timedelta(days=2))
    for code in ("594", "595", "597", "599"):
        manager = UserFactory(username=f"resp{code}")
        membership_grant(user=manager, role="manager", fund=Fund.objects.get(code=code))
        delivery = instruction.deliveries.get(fund__code=code)
        services.delivery_acknowledge(delivery=delivery, actor=manager)
        if code != "597":  # 597 has received it but not implemented it: late
            services.delivery_attest(delivery=delivery, actor=manager, actions_done=[0, 1])
    manager = UserFactory(username="resp561")
    membership_grant(user=manager, role="manager", fund=Fund.objects.get(code="561"))
    delivery = instruction.deliveries.get(fund__code="561")
    services.delivery_acknowledge(delivery=delivery, actor=manager)
    services.delivery_attest(delivery=delivery, actor=manager, actions_done=[0, 1])
    return instruction


def test_the_boundaries_hold_every_department_with_corsica_and_overseas():
    assert set(departments()) <= boundaries().departments
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= boundaries().departments


def test_map_has_one_shape_per_department_with_state_title_and_fund_link(client_as, national,
                                                                           django_capture_on_commit_callbacks):
    instruction = _late_instruction(national, django_capture_on_commit_callbacks)
    content = client_as(national).get(reverse("network-map"),
                                      {"couche": "consigne", "consigne": instruction.id}).content.decode()
    shapes = _shapes(content)
    assert set(departments()) <= set(shapes)
    svg = content.split("</svg>")[0]
    assert svg.count('data-department="56"') == 1
    assert shapes["56"] == "implemented" and shapes["29"] == "overdue" and shapes["975"] == "outside"
    # Nord has four funds: three implemented, one late -> the department shows late and links to the late fund
    assert shapes["59"] == "overdue"
    nord = svg.split('data-department="59"')[0].rsplit("<a ", 1)[1]
    assert 'href="/caisses/597/"' in nord
    assert "<title>59 Nord — En retard (594 CPAM des Flandres : Mise en œuvre" in svg
    assert "597 CPAM de Roubaix-Tourcoing : En retard" in svg
    table = content.split('data-testid="map-table"')[1]
    row = table.split('<tr data-department="59">')[1].split("</tr>")[0]
    assert "En retard" in row and row.count("Mise en œuvre") == 3 and 'href="/caisses/594/"' in row
    legend = content.split('data-testid="map-legend"')[1].split("</ul>")[0]
    assert "En retard" in legend and "Mise en œuvre" in legend and "<pattern" in legend


def test_activity_layer_counts_per_department(client_as, national, fund_a, agent_a):
    from casework.checks.services import check_log
    from tests.casework.factories import new_nir

    for _ in range(3):
        check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly", fund=fund_a)
    content = client_as(national).get(reverse("network-map"), {"mesure": "anomalies"}).content.decode()
    row = content.split('<tr data-department="56">')[1].split("</tr>")[0]
    assert "<td>3</td>" in row and "3 anomalies" in content.split("</svg>")[0]


def test_regional_coordination_sees_its_region_only(client_as, national, django_capture_on_commit_callbacks):
    instruction = _late_instruction(national, django_capture_on_commit_callbacks)
    coordinator = UserFactory(username="bretagne")
    membership_grant(user=coordinator, role=Membership.Role.REGIONAL, region="53")
    content = client_as(coordinator).get(reverse("network-map"),
                                         {"couche": "consigne", "consigne": instruction.id}).content.decode()
    shapes = _shapes(content)
    assert {code for code, value in shapes.items() if value != "outside"} == {"22", "29", "35", "56"}
    assert 'value="fuite"' not in content


@pytest.mark.parametrize("fund_count", [3, 107])
def test_map_answers_in_a_constant_number_of_queries(client_as, national, fund_count,
                                                     django_capture_on_commit_callbacks):
    if fund_count == 107:
        funds_load()
    else:
        for code, department in (("561", "56"), ("291", "29"), ("751", "75")):
            FundFactory(code=code, departments=[department])
    with django_capture_on_commit_callbacks(execute=True):
        instruction = issued(national)
    client = client_as(national)
    client.get(reverse("network-map"))  # warm the session
    counts = []
    for params in ({}, {"couche": "consigne", "consigne": instruction.id}, {"mesure": "dossiers"}):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("network-map"), params).status_code == 200
        counts.append(len(queries))
    assert max(counts) <= 12, counts


def test_the_national_and_regional_views_carry_the_map(client_as, national, agent_a, fund_a, fund_b):
    from casework.checks.services import check_log
    from tests.casework.factories import new_nir

    paris = FundFactory(code="751", name="CPAM de Paris", departments=["75"])
    for _ in range(2):
        check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="compliant", fund=fund_a)
    view = client_as(national).get(reverse("dashboard-national")).content.decode()
    figure = view[view.index('data-testid="view-map"'):]
    titles = _titles(figure)
    assert titles["56"].startswith("56 Morbihan — 2 vérifications") and _shapes(figure)["56"] != _shapes(figure)["29"]
    assert titles["29"].startswith("29 Finistère — 0 vérifications") and titles["75"].startswith("75 Paris — 0")
    assert f'href="{reverse("fund-detail", args=[fund_a.code])}"' in figure
    coordinator = UserFactory(username="bretagne")
    membership_grant(user=coordinator, role=Membership.Role.REGIONAL, region="53")
    regional = client_as(coordinator).get(reverse("dashboard-national")).content.decode()
    titles = _titles(regional[regional.index('data-testid="view-map"'):])
    assert titles["56"].startswith("56 Morbihan — 2") and titles["75"] == "75" and paris.region == "11"  # no data
