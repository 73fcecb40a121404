"""Reads behind the home pages' instruction blocks."""

import datetime

from notifications.models import Instruction
from notifications.selectors import instructions_summary, open_deliveries_of
from notifications.services import delivery_attest
from tests.notifications.factories import draft, issued


def test_open_deliveries_leave_out_the_answered_ones(national, manager_a, agent_b, fund_a, fund_b):
    done, pending = issued(national, title="Mise en œuvre"), issued(national, title="À traiter")
    delivery_attest(delivery=done.deliveries.get(fund=fund_a), actor=manager_a, actions_done=[0, 1])
    rows = open_deliveries_of(user=manager_a, fund=fund_a)
    assert [(row["delivery"].instruction, row["state"]) for row in rows] == [(pending, "pending")]
    assert open_deliveries_of(user=agent_b, fund=fund_a) == []


def test_instructions_summary_counts_issued_drafts_and_overdue_answers(national, fund_a, fund_b):
    draft(national)
    issued(national)
    late = issued(national)
    Instruction.objects.filter(pk=late.pk).update(reply_by=datetime.date.today() - datetime.timedelta(days=3))
    assert instructions_summary() == {"issued": 2, "drafts": 1, "overdue": 2}  # the late one, at both funds
