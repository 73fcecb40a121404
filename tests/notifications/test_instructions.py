import pytest
from django.core import mail

from config.errors import ApplicationError, ConflictError
from notifications import services
from notifications.models import Acknowledgement, Delivery, Instruction, Notice
from notifications.services import TargetSpec
from tests.factories import FundFactory
from tests.notifications.factories import draft, issued

pytestmark = pytest.mark.django_db


def test_draft_gets_a_yearly_reference(national, fund_a):
    first, second = draft(national), draft(national)
    year = first.created_at.year
    assert first.reference == f"VIG-{year}-0001" and second.reference == f"VIG-{year}-0002"
    assert first.status == Instruction.Status.DRAFT and first.version == 0 and first.author == national


def test_fund_user_cannot_draft(manager_a):
    with pytest.raises(ApplicationError):
        draft(manager_a)


def test_a_nir_in_the_text_is_refused(national, fund_a):
    with pytest.raises(ApplicationError, match="NIR"):
        services.instruction_create(actor=national, title="Alerte", body="Assuré 1 84 12 75 115 423 57 ciblé",
                                    targets=TargetSpec(targeting="all"))
    assert not Instruction.objects.exists()


def test_follow_up_must_name_the_instruction_it_follows(national, fund_a):
    with pytest.raises(ApplicationError, match="consigne suivie"):
        draft(national, nature=Instruction.Nature.FOLLOW_UP)
    first = issued(national)
    follow = draft(national, nature=Instruction.Nature.FOLLOW_UP, follows=first)
    assert follow.follows == first


def test_issue_creates_one_delivery_per_active_fund_and_queues_notices(national, fund_a, fund_b,
                                                                       django_capture_on_commit_callbacks):
    FundFactory(code="999", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        instruction = issued(national)
    assert instruction.status == Instruction.Status.ISSUED and instruction.version == 1
    assert instruction.issued_by == national and instruction.versions.count() == 1
    assert sorted(Delivery.objects.values_list("fund__code", flat=True)) == ["291", "561"]
    assert Notice.objects.filter(status=Notice.Status.SENT, kind=Notice.Kind.INITIAL).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["vigilance.291@test.invalid", "vigilance.561@test.invalid"]


def test_notices_are_queued_only_after_commit(national, fund_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        issued(national)
    assert len(callbacks) == 1 and not mail.outbox
    assert Notice.objects.get().status == Notice.Status.PENDING


def test_targets_by_department_with_one_fund_for_information(national, fund_a, fund_b):
    other = FundFactory(code="592", departments=["59"])
    instruction = issued(national, targets=TargetSpec(targeting="departments", departments=["56", "59"],
                                                      for_information=["592"]))
    rows = dict(Delivery.objects.filter(instruction=instruction).values_list("fund__code", "for_action"))
    assert rows == {"561": True, other.code: False}


def test_targets_by_chosen_funds(national, fund_a, fund_b):
    instruction = issued(national, targets=TargetSpec(targeting="funds", funds=["291"]))
    assert list(instruction.deliveries.values_list("fund__code", flat=True)) == ["291"]


def test_unknown_fund_or_department_is_refused(national, fund_a):
    with pytest.raises(ApplicationError, match="inconnue"):
        draft(national, targets=TargetSpec(targeting="funds", funds=["561", "000"]))
    with pytest.raises(ApplicationError, match="Département"):
        draft(national, targets=TargetSpec(targeting="departments", departments=["98"]))


def test_target_payload_shape():
    spec = TargetSpec.from_payload({"departments": ["56"], "for_information": ["561"]})
    assert spec == TargetSpec(targeting="departments", departments=["56"], for_information=["561"])
    with pytest.raises(ApplicationError):
        TargetSpec.from_payload({"all": True, "funds": ["561"]})


def test_issuing_twice_is_refused(national, fund_a):
    instruction = issued(national)
    with pytest.raises(ConflictError):
        services.instruction_issue(instruction=instruction, actor=national)
    assert Delivery.objects.count() == 1


def test_amend_needs_every_fund_to_acknowledge_again(national, manager_a, fund_a):
    instruction = issued(national)
    delivery = instruction.deliveries.get()
    services.delivery_acknowledge(delivery=delivery, actor=manager_a)
    amended = services.instruction_amend(instruction=instruction, actor=national, changes="Délai avancé",
                                         title="Vigilance RIB renforcée")
    delivery.refresh_from_db()
    assert amended.version == 2 and delivery.acknowledged_version == 1
    assert amended.versions.get(number=2).changes == "Délai avancé"
    assert Notice.objects.filter(kind=Notice.Kind.AMENDMENT, version=2).count() == 1
    services.delivery_acknowledge(delivery=delivery, actor=manager_a)
    assert Acknowledgement.objects.filter(delivery=delivery, step="receipt").count() == 2


def test_withdraw_notifies_and_stops_answers(national, manager_a, fund_a, django_capture_on_commit_callbacks):
    instruction = issued(national)
    with django_capture_on_commit_callbacks(execute=True):
        services.instruction_withdraw(instruction=instruction, actor=national, reason="Fuite démentie")
    assert Notice.objects.filter(kind=Notice.Kind.WITHDRAWAL).count() == 1
    assert any("retirée" in m.subject for m in mail.outbox)
    with pytest.raises(ApplicationError, match="plus en vigueur"):
        services.delivery_acknowledge(delivery=instruction.deliveries.get(), actor=manager_a)
    with pytest.raises(ConflictError):
        services.instruction_amend(instruction=instruction, actor=national, changes="x")


def test_draft_can_be_updated_but_not_an_issued_one(national, fund_a):
    instruction = draft(national)
    services.instruction_update(instruction=instruction, actor=national, title="Nouveau titre",
                                targets=TargetSpec(targeting="funds", funds=["561"]))
    instruction.refresh_from_db()
    assert instruction.title == "Nouveau titre" and instruction.targeting == "funds"
    services.instruction_issue(instruction=instruction, actor=national)
    with pytest.raises(ConflictError):
        services.instruction_update(instruction=instruction, actor=national, title="Autre")


def test_update_refuses_fields_outside_the_draft(national, fund_a):
    instruction = draft(national)
    with pytest.raises(ApplicationError, match="non modifiable"):
        services.instruction_update(instruction=instruction, actor=national, status="issued")
    instruction.refresh_from_db()
    assert instruction.status == Instruction.Status.DRAFT
