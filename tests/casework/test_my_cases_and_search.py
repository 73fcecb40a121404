""""Mes dossiers" (the agent's assigned open cases, soonest due first) and searching cases and checks by number or
masked NIR; a full NIR typed in the search never stays in the URL."""


import pytest
from django.urls import reverse

from breaches.nir import mask_nir
from casework.cases.services import case_assign, case_change_status
from casework.checks.services import check_log
from tests.casework.factories import new_nir, open_case

pytestmark = pytest.mark.django_db


def test_my_cases_lists_my_open_cases_by_due_date(client_as, agent_a, manager_a, fund_a, agent_b, fund_b):
    later = open_case(fund=fund_a, actor=agent_a, summary="Plus tard", priority=3)
    sooner = open_case(fund=fund_a, actor=agent_a, summary="Bientôt", priority=1)
    closed = open_case(fund=fund_a, actor=agent_a, summary="Clos")
    someone_else = open_case(fund=fund_a, actor=agent_a, summary="Autre agent")
    for case in (later, sooner, closed):
        case_assign(case=case, actor=manager_a, assignee=agent_a)
    case_assign(case=someone_else, actor=manager_a, assignee=manager_a)
    case_change_status(case=closed, actor=agent_a, status="closed", closing_reason="unfounded")
    content = client_as(agent_a).get(reverse("my-cases")).content.decode()
    assert content.index(f'data-case="{sooner.pk}"') < content.index(f'data-case="{later.pk}"')
    assert f'data-case="{closed.pk}"' not in content and "Autre agent" not in content
    assert "Aucun dossier" in client_as(agent_b).get(reverse("my-cases")).content.decode()


def test_queue_search_by_masked_nir_or_number(client_as, agent_a, fund_a):
    nir = new_nir()
    wanted = open_case(fund=fund_a, actor=agent_a, nir=nir, summary="Recherché")
    open_case(fund=fund_a, actor=agent_a, nir=new_nir(sex=2), summary="Autre")
    client = client_as(agent_a)
    by_mask = client.get(reverse("case-queue"), {"q": mask_nir(nir)}).content.decode()
    assert "Recherché" in by_mask and "Autre" not in by_mask
    by_number = client.get(reverse("case-queue"), {"q": f"n° {wanted.pk}"}).content.decode()
    assert "Recherché" in by_number


def test_a_full_nir_in_the_search_is_masked_out_of_the_url(client_as, agent_a, fund_a):
    nir = new_nir()
    check_log(actor=agent_a, nir=nir, kind="identity", channel="phone", outcome="anomaly")
    client = client_as(agent_a)
    response = client.get(reverse("check-list"), {"q": nir, "outcome": "anomaly"})
    assert response.status_code == 302 and nir not in response.url
    followed = client.get(response.url).content.decode()
    assert mask_nir(nir) in followed and nir not in followed
    assert client.get(reverse("case-queue"), {"q": nir}).status_code == 302


def test_check_list_filters_by_outcome(client_as, agent_a, fund_a):
    check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly")
    check_log(actor=agent_a, nir=new_nir(), kind="address_change", channel="phone", outcome="compliant")
    content = client_as(agent_a).get(reverse("check-list"), {"outcome": "compliant"}).content.decode()
    assert "Changement d&#x27;adresse" in content.split("<tbody>")[1] and "Anomalie" not in content.split("<tbody>")[1]


def test_the_search_forms_post_so_a_typed_nir_never_stands_in_a_url(client_as, agent_a, fund_a):
    nir = new_nir()
    open_case(fund=fund_a, actor=agent_a, nir=nir, summary="Recherché")
    client = client_as(agent_a)
    for name in ("case-queue", "check-list"):
        page = client.get(reverse(name)).content.decode()
        assert 'method="post"' in page and 'method="get"' not in page.split("data-testid", 1)[0] + ""
        response = client.post(reverse(name), {"q": nir, "page": "3"})
        assert response.status_code == 302 and nir not in response.url and "page" not in response.url
        assert "csrfmiddlewaretoken" not in response.url
    followed = client.get(client.post(reverse("case-queue"), {"q": nir}).url).content.decode()
    assert "Recherché" in followed and nir not in followed
