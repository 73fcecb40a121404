"""Instruction templates: the shipped one, national staff's CRUD, a draft started from one, and the issue
confirmation naming the recipient funds."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from config.errors import ApplicationError
from notifications import services
from notifications.models import InstructionTemplate
from notifications.services import TargetSpec
from tests.notifications.factories import draft

pytestmark = pytest.mark.django_db


def test_the_letter_of_31_march_2021_ships_as_a_template():
    template = InstructionTemplate.objects.get(name__contains="31 mars 2021")
    text = template.body + " ".join(template.required_actions)
    for measure in ("identité", "titulaire du RIB", "récupération", "hameçonnage"):
        assert measure in text
    assert template.reply_days == 7


def test_national_staff_create_change_and_delete_a_template(client_as, national):
    client = client_as(national)
    data = {"name": "Relance RIB", "title": "Vigilance RIB", "body": "Vérifiez le **RIB**.",
            "required_actions": "Vérifier le titulaire\nTracer la vérification", "reply_days": "10"}
    assert client.post(reverse("notifications:template-create"), data).status_code == 302
    template = InstructionTemplate.objects.get(name="Relance RIB")
    assert template.required_actions == ["Vérifier le titulaire", "Tracer la vérification"]
    client.post(reverse("notifications:template-edit", args=[template.id]), {**data, "reply_days": "3"})
    template.refresh_from_db()
    assert template.reply_days == 3
    assert "Relance RIB" in client.get(reverse("notifications:templates")).content.decode()
    client.post(reverse("notifications:template-delete", args=[template.id]))
    assert not InstructionTemplate.objects.filter(name="Relance RIB").exists()


def test_a_template_refuses_a_nir_and_non_national_staff(national, manager_a):
    with pytest.raises(ApplicationError):
        services.template_save(actor=national, name="X", title="X", body="Assuré 1 84 12 75 108 123 45",
                               required_actions=[], reply_days=7)
    with pytest.raises(ApplicationError):
        services.template_save(actor=manager_a, name="X", title="X", body="Texte", required_actions=[],
                               reply_days=7)


def test_a_template_fills_the_compose_form(client_as, national):
    template = InstructionTemplate.objects.get(name__contains="31 mars 2021")
    content = client_as(national).get(reverse("notifications:compose"), {"modele": template.id}).content.decode()
    reply_by = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    assert 'data-testid="template-used"' in content and f'value="{template.title}"' in content.replace("&#x27;", "'")
    assert "Relayer la communication nationale contre l&#x27;hameçonnage" in content
    assert f'value="{reply_by}"' in content and "Accueil physique et téléphonique" in content


def test_issue_confirmation_names_the_funds_for_action_and_for_information(client_as, national, fund_a, fund_b):
    instruction = draft(national, targets=TargetSpec(targeting="all", for_information=["291"]))
    content = client_as(national).get(reverse("notifications:issue", args=[instruction.id])).content.decode()
    action = content.split('data-testid="issue-action-funds">', 1)[1].split("</ul>", 1)[0]
    information = content.split('data-testid="issue-information-funds">', 1)[1].split("</ul>", 1)[0]
    assert "561 — CPAM du Morbihan" in action and "291" not in action
    assert "291 — CPAM du Finistère" in information
