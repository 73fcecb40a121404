import pytest
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from casework.cases.models import Case
from casework.cases.selectors import cases_for, get_case_for
from casework.cases.services import (
    case_assign,
    case_change_status,
    case_comment,
    case_share,
    cases_bulk_assign,
)
from casework.checks import views as check_views
from casework.checks.services import check_log
from config.errors import ApplicationError, NotFound
from network.models import Membership
from network.services import membership_grant, membership_revoke
from tests.casework.factories import new_nir, open_case
from tests.factories import FundFactory, UserFactory


@pytest.fixture
def case_a(agent_a, fund_a):
    return open_case(fund=fund_a, actor=agent_a)


def test_case_moves_new_in_progress_closed_with_a_reason(case_a, agent_a):
    case_change_status(case=case_a, actor=agent_a, status="in_progress")
    with pytest.raises(ApplicationError, match="motif"):
        case_change_status(case=case_a, actor=agent_a, status="closed")
    case = case_change_status(case=case_a, actor=agent_a, status="closed", closing_reason="attempt_blocked")
    assert case.status == "closed" and case.closed_at is not None and case.closing_reason == "attempt_blocked"
    events = list(case.events.values_list("kind", "from_status", "to_status"))
    assert events == [("opened", "", ""), ("status", "new", "in_progress"), ("status", "in_progress", "closed")]
    assert case.events.last().body == "Tentative bloquée"


def test_impossible_transitions_are_refused(case_a, agent_a):
    with pytest.raises(ApplicationError):
        case_change_status(case=case_a, actor=agent_a, status="new")
    case_change_status(case=case_a, actor=agent_a, status="closed", closing_reason="duplicate")
    with pytest.raises(ApplicationError, match="rouvert"):
        case_change_status(case=case_a, actor=agent_a, status="in_progress")
    case = case_change_status(case=case_a, actor=agent_a, status="in_progress", comment="Nouvel élément")
    assert case.closing_reason == "" and case.closed_at is None


def test_database_refuses_a_closed_case_without_reason(case_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case_a.pk).update(status="closed")


def test_timeline_records_who_and_when(case_a, agent_a, manager_a):
    case_comment(case=case_a, actor=agent_a, body="Appel de l'assuré")
    case_assign(case=case_a, actor=agent_a, assignee=agent_a)
    case_assign(case=case_a, actor=manager_a, assignee=manager_a)
    kinds = [(e.kind, e.actor.username) for e in case_a.events.select_related("actor")]
    assert kinds == [("opened", "agent_a"), ("comment", "agent_a"), ("assignment", "agent_a"),
                     ("assignment", "manager_a")]
    assert all(e.created_at for e in case_a.events.all())


def test_agent_assigns_to_self_but_not_to_others(case_a, agent_a, manager_a):
    with pytest.raises(ApplicationError, match="responsable"):
        case_assign(case=case_a, actor=agent_a, assignee=manager_a)
    case_assign(case=case_a, actor=manager_a, assignee=agent_a)
    assert Case.objects.get(pk=case_a.pk).assignee == agent_a


def test_assignee_must_work_for_the_case_fund(case_a, manager_a, agent_b):
    with pytest.raises(ApplicationError, match="Agent inconnu"):
        case_assign(case=case_a, actor=manager_a, assignee=agent_b)


def test_bulk_assign_is_for_managers_only(fund_a, agent_a, manager_a):
    cases = [open_case(fund=fund_a, actor=agent_a) for _ in range(3)]
    ids = [c.pk for c in cases]
    with pytest.raises(NotFound):
        cases_bulk_assign(case_ids=ids, actor=agent_a, assignee=agent_a)
    assert cases_bulk_assign(case_ids=ids, actor=manager_a, assignee=agent_a) == 3
    assert set(Case.objects.values_list("assignee__username", flat=True)) == {"agent_a"}
    assert cases_bulk_assign(case_ids=ids, actor=manager_a, assignee=agent_a) == 0


def test_bulk_assign_refuses_cases_of_another_fund(fund_a, fund_b, agent_a, agent_b, manager_a):
    mine, theirs = open_case(fund=fund_a, actor=agent_a), open_case(fund=fund_b, actor=agent_b)
    with pytest.raises(NotFound):
        cases_bulk_assign(case_ids=[mine.pk, theirs.pk], actor=manager_a, assignee=agent_a)
    assert Case.objects.filter(assignee__isnull=False).count() == 0


def test_agent_of_other_fund_cannot_see_or_work_the_case(case_a, agent_b):
    with pytest.raises(Http404):
        get_case_for(user=agent_b, case_id=case_a.pk)
    with pytest.raises(Http404):
        case_comment(case=case_a, actor=agent_b, body="intrus")


def test_national_staff_read_all_and_write_none(case_a, national):
    assert get_case_for(user=national, case_id=case_a.pk) == case_a
    with pytest.raises(Http404):
        case_comment(case=case_a, actor=national, body="x")
    with pytest.raises(Http404):
        case_change_status(case=case_a, actor=national, status="in_progress")


def test_sharing_grants_exactly_that_case(fund_a, agent_a, agent_b, fund_b):
    shared, other = open_case(fund=fund_a, actor=agent_a), open_case(fund=fund_a, actor=agent_a)
    with pytest.raises(ApplicationError, match="motif|pourquoi"):
        case_share(case=shared, actor=agent_a, fund=fund_b, reason=" ")
    case_share(case=shared, actor=agent_a, fund=fund_b, reason="La personne a déménagé dans le Finistère")
    assert list(cases_for(user=agent_b)) == [shared]
    case_comment(case=shared, actor=agent_b, body="Reçu, nous suivons.")
    with pytest.raises(Http404):
        get_case_for(user=agent_b, case_id=other.pk)
    event = shared.events.get(kind="shared")
    assert event.actor == agent_a and event.fund == fund_b and "déménagé" in event.body


def test_share_reaches_agents_who_join_later_and_leaves_with_them(fund_a, fund_b, agent_a):
    case = open_case(fund=fund_a, actor=agent_a)
    case_share(case=case, actor=agent_a, fund=fund_b, reason="déménagement")
    newcomer = UserFactory(username="newcomer")
    membership = membership_grant(user=newcomer, role=Membership.Role.AGENT, fund=fund_b)
    assert get_case_for(user=newcomer, case_id=case.pk, perm="work") == case
    membership_revoke(membership=membership)
    with pytest.raises(Http404):
        get_case_for(user=newcomer, case_id=case.pk)


def test_shared_fund_cannot_reshare(fund_a, fund_b, agent_a, agent_b):
    case = open_case(fund=fund_a, actor=agent_a)
    case_share(case=case, actor=agent_a, fund=fund_b, reason="déménagement")
    third = FundFactory(code="351", departments=["35"])
    with pytest.raises(ApplicationError):
        case_share(case=case, actor=agent_b, fund=third, reason="encore")


# Pages

def test_queue_filters_and_assign_to_me(client_as, fund_a, agent_a, manager_a):
    high = open_case(fund=fund_a, actor=agent_a, priority=Case.Priority.HIGH, summary="Urgent RIB")
    low = open_case(fund=fund_a, actor=agent_a, priority=Case.Priority.LOW, summary="Adresse")
    client = client_as(agent_a)
    content = client.get(reverse("case-queue")).content.decode()
    assert content.index("Urgent RIB") < content.index("Adresse")
    only_high = client.get(reverse("case-queue"), {"priority": "1"}).content.decode()
    assert "Urgent RIB" in only_high and "Adresse" not in only_high
    client.post(reverse("case-assign", args=[low.pk]), {"assignee": "me", "next": "queue"})
    mine = client.get(reverse("case-queue"), {"assignee": "me"}).content.decode()
    assert "Adresse" in mine and "Urgent RIB" not in mine
    Case.objects.filter(pk=high.pk).update(due_on="2020-01-01")
    overdue = client.get(reverse("case-queue"), {"overdue": "on"}).content.decode()
    assert "Urgent RIB" in overdue and "Adresse" not in overdue


def test_bulk_assign_page_for_managers_only(client_as, fund_a, agent_a, manager_a):
    cases = [open_case(fund=fund_a, actor=agent_a) for _ in range(2)]
    data = {"case": [c.pk for c in cases], "assignee": agent_a.pk}
    assert 'id="bulk-assign"' not in client_as(agent_a).get(reverse("case-queue")).content.decode()
    client_as(agent_a).post(reverse("case-bulk-assign"), data)
    assert not Case.objects.filter(assignee__isnull=False).exists()
    client = client_as(manager_a)
    assert 'id="bulk-assign"' in client.get(reverse("case-queue")).content.decode()
    client.post(reverse("case-bulk-assign"), data)
    assert Case.objects.filter(assignee=agent_a).count() == 2


def test_bulk_assign_page_answers_404_for_a_case_of_another_fund(client_as, fund_a, fund_b, agent_a, agent_b,
                                                                   manager_a):
    mine, theirs = open_case(fund=fund_a, actor=agent_a), open_case(fund=fund_b, actor=agent_b)
    response = client_as(manager_a).post(reverse("case-bulk-assign"),
                                         {"case": [mine.pk, theirs.pk], "assignee": agent_a.pk})
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert not Case.objects.filter(assignee__isnull=False).exists()


def test_case_opened_from_a_check_out_of_reach_answers_404(client_as, agent_a, fund_a, monkeypatch):
    def out_of_reach(**kwargs):
        raise NotFound

    check = check_log(actor=agent_a, nir=new_nir(), kind="identity", channel="phone", outcome="anomaly").check
    monkeypatch.setattr(check_views, "case_open_from_check", out_of_reach)
    assert client_as(agent_a).post(reverse("check-open-case", args=[check.pk])).status_code == 404


def test_case_page_close_with_reason(client_as, case_a, agent_a):
    client = client_as(agent_a)
    client.post(reverse("case-status", args=[case_a.pk]), {"status": "in_progress"})
    response = client.post(reverse("case-status", args=[case_a.pk]), {"status": "closed"}, follow=True)
    assert "Indiquez le motif de clôture" in response.content.decode()
    client.post(reverse("case-status", args=[case_a.pk]), {"status": "closed", "closing_reason": "fraud_confirmed"})
    page = client.get(reverse("case-detail", args=[case_a.pk])).content.decode()
    assert "Fraude avérée" in page and "Clos" in page


def test_agent_of_other_fund_gets_404_on_case_pages(client_as, case_a, agent_b):
    client = client_as(agent_b)
    assert client.get(reverse("case-detail", args=[case_a.pk])).status_code == 404
    assert client.post(reverse("case-comment", args=[case_a.pk]), {"body": "x"}).status_code == 404
    assert client.post(reverse("case-status", args=[case_a.pk]), {"status": "in_progress"}).status_code == 404
    assert case_a.events.count() == 1


def test_national_page_is_read_only(client_as, case_a, national):
    content = client_as(national).get(reverse("case-detail", args=[case_a.pk])).content.decode()
    assert "Consultation seule" in content and "Changer le statut" not in content
    assert client_as(national).post(reverse("case-comment", args=[case_a.pk]), {"body": "x"}).status_code == 404


def test_shared_case_page_lets_the_other_fund_work_but_not_assign(client_as, fund_a, fund_b, agent_a, agent_b):
    case = open_case(fund=fund_a, actor=agent_a)
    case_share(case=case, actor=agent_a, fund=fund_b, reason="déménagement")
    client = client_as(agent_b)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Changer le statut" in page and "M'attribuer" not in page and "Partager ce dossier" not in page
    assert "M'attribuer" not in client.get(reverse("case-queue")).content.decode()
    client.post(reverse("case-comment", args=[case.pk]), {"body": "Pris en charge à Brest"})
    assert case.events.filter(kind="comment", actor=agent_b).exists()


def test_status_form_offers_only_the_open_moves(client_as, case_a, agent_a):
    client = client_as(agent_a)
    page = client.get(reverse("case-detail", args=[case_a.pk])).content.decode()
    assert 'value="in_progress"' in page and 'value="new"' not in page
    case_change_status(case=case_a, actor=agent_a, status="in_progress")
    page = client.get(reverse("case-detail", args=[case_a.pk])).content.decode()
    assert '<option value="closed"' in page and '<option value="in_progress"' not in page
