import io

import pytest
from django.core.management import call_command

from notifications.models import Delivery, Instruction, Notice

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_shows_answers():
    call_command("demo_setup", stdout=io.StringIO())
    call_command("demo_setup", stdout=io.StringIO())
    assert Instruction.objects.filter(status="issued").count() == 2
    assert Instruction.objects.filter(status="draft").count() == 1
    assert Delivery.objects.filter(attested_version=1).count() >= 4
    assert Delivery.objects.filter(acknowledged_version=1, attested_version=0).count() >= 4
    assert not Notice.objects.exclude(status="sent").exists()


def test_demo_instruction_answers_the_demo_breach():
    call_command("demo_setup", stdout=io.StringIO())
    instruction = Instruction.objects.get(status="issued", targeting="all")
    assert instruction.breach is not None and instruction.breach.reference.startswith("BR-")
