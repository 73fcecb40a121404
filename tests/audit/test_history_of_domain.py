"""A history row for each audited change: breaches, cohorts, instructions, deliveries, acknowledgements, cases."""

from audit.models import AUDITED
from breaches.models import Breach
from breaches.services import breach_create, breach_set_status
from casework.cases.models import Case
from casework.cases.services import case_change_status, cases_bulk_assign
from notifications.models import Acknowledgement, Delivery
from notifications.services import delivery_acknowledge
from tests.breaches.factories import CohortFactory, complete_record
from tests.casework.factories import open_case
from tests.notifications.factories import issued


def kinds_of(model) -> list[str]:
    return list(model.history.order_by("history_date", "history_id").values_list("history_type", flat=True))


def test_breach_and_cohort_changes_are_recorded(national):
    breach = breach_create(actor=national, title="Fuite laboratoire", discovered_on="2026-03-02",
                           data_categories=["nir"], departments=["56"])
    Breach.objects.filter(pk=breach.pk).update(**complete_record())  # no history row: a queryset update
    breach_set_status(breach=breach, status=Breach.Status.CLOSED, actor=national)
    assert kinds_of(Breach) == ["+", "~"]
    assert Breach.history.latest("history_date").status == Breach.Status.CLOSED
    cohort = CohortFactory(breach=breach)
    assert cohort.history.get().history_type == "+"


def test_instruction_deliveries_and_acknowledgement_are_recorded(national, manager_a, fund_a, fund_b):
    instruction = issued(national)
    assert kinds_of(type(instruction))[-1] == "~" and instruction.history.count() >= 2
    deliveries = Delivery.history.filter(history_type="+")
    assert deliveries.count() == Delivery.objects.count() >= 2
    assert {row.history_user for row in deliveries} == {national}
    delivery = Delivery.objects.get(fund=fund_a)
    delivery_acknowledge(delivery=delivery, actor=manager_a)
    assert Acknowledgement.history.filter(history_type="+").count() == Acknowledgement.objects.count() == 1
    assert Delivery.history.filter(id=delivery.id, history_type="~").exists()


def test_case_changes_and_bulk_assignment_are_recorded(manager_a, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=manager_a)
    case_change_status(case=case, actor=manager_a, status=Case.Status.IN_PROGRESS)
    cases_bulk_assign(case_ids=[case.pk], actor=manager_a, assignee=agent_a)
    rows = list(Case.history.filter(id=case.pk).order_by("history_date", "history_id"))
    assert [r.history_type for r in rows][:1] == ["+"]
    assert rows[-1].assignee_id == agent_a.pk and rows[-1].history_user == manager_a
    assert any(r.status == Case.Status.IN_PROGRESS for r in rows)


def test_the_audited_list_covers_the_issue():
    assert set(AUDITED) >= {"fuite", "cohorte", "consigne", "diffusion", "accusé de réception", "dossier",
                            "rattachement"}
