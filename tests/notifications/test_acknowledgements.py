import pytest

from config.errors import ApplicationError
from network.services import fund_update
from notifications import services
from notifications.models import Acknowledgement
from notifications.services import TargetSpec
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivery_a(national, fund_a, fund_b):
    return issued(national).deliveries.get(fund=fund_a)


def test_manager_acknowledges_once_and_twice_is_harmless(delivery_a, manager_a):
    first = services.delivery_acknowledge(delivery=delivery_a, actor=manager_a)
    when = first.acknowledged_at
    again = services.delivery_acknowledge(delivery=delivery_a, actor=manager_a)
    assert again.acknowledged_version == 1 and again.acknowledged_at == when and again.acknowledged_by == manager_a
    assert Acknowledgement.objects.filter(delivery=delivery_a).count() == 1


def test_agent_acknowledges_only_when_the_fund_allows_it(delivery_a, agent_a, fund_a):
    with pytest.raises(ApplicationError):
        services.delivery_acknowledge(delivery=delivery_a, actor=agent_a)
    fund_update(fund=fund_a, agents_may_acknowledge=True)
    assert services.delivery_acknowledge(delivery=delivery_a, actor=agent_a).acknowledged_by == agent_a


def test_other_fund_and_national_cannot_acknowledge(delivery_a, agent_b, national):
    for outsider in (agent_b, national):
        with pytest.raises(ApplicationError):
            services.delivery_acknowledge(delivery=delivery_a, actor=outsider)


def test_attest_requires_every_action_and_records_comment(delivery_a, manager_a):
    with pytest.raises(ApplicationError, match="manquantes : 2"):
        services.delivery_attest(delivery=delivery_a, actor=manager_a, actions_done=[0])
    with pytest.raises(ApplicationError, match="n'existe pas"):
        services.delivery_attest(delivery=delivery_a, actor=manager_a, actions_done=[0, 1, 5])
    done = services.delivery_attest(delivery=delivery_a, actor=manager_a, actions_done=[1, 0], comment="Fait")
    assert done.attested_version == 1 and done.actions_done == [0, 1] and done.comment == "Fait"
    assert done.acknowledged_version == 1  # attesting implies receipt
    steps = list(Acknowledgement.objects.filter(delivery=delivery_a).values_list("step", flat=True))
    assert steps == ["receipt", "implementation"]


def test_information_only_fund_does_not_attest(national, manager_a, fund_a):
    instruction = issued(national, targets=TargetSpec(targeting="all", for_information=["561"]))
    delivery = instruction.deliveries.get()
    with pytest.raises(ApplicationError, match="pour information"):
        services.delivery_attest(delivery=delivery, actor=manager_a, actions_done=[0, 1])
    assert services.delivery_acknowledge(delivery=delivery, actor=manager_a).acknowledged_version == 1
