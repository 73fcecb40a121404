"""An instruction's reply-by date cannot precede its effective date (form, API, service); errors keep the input and
show a summary at the top; the smaller page fixes (preview title first, withdraw "Annuler", "Renvoyer")."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.errors import ApplicationError
from notifications import services
from notifications.models import Instruction
from notifications.selectors import board_rows
from tests.notifications.factories import draft, issued

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2030, 3, 10)


def test_service_refuses_reply_by_before_effective_date(national, fund_a):
    with pytest.raises(ApplicationError, match="précéder la date d'effet"):
        draft(national, effective_date=TODAY, reply_by=TODAY - datetime.timedelta(days=2))
    instruction = draft(national, effective_date=TODAY, reply_by=TODAY)  # the same day is fine
    with pytest.raises(ApplicationError, match="précéder"):
        services.instruction_update(instruction=instruction, actor=national, reply_by=TODAY - datetime.timedelta(1))
    services.instruction_issue(instruction=instruction, actor=national)
    with pytest.raises(ApplicationError, match="précéder"):
        services.instruction_amend(instruction=instruction, actor=national, changes="Date",
                                   effective_date=TODAY + datetime.timedelta(days=5))


def test_api_refuses_reply_by_before_effective_date(api, national, fund_a):
    api.force_authenticate(national)
    payload = {"title": "Vigilance", "body": "Texte", "targets": {"all": True},
               "effective_date": "2030-03-10", "reply_by": "2030-03-08"}
    response = api.post(reverse("api:instruction-list"), payload, format="json")
    assert response.status_code == 400 and "précéder la date d'effet" in str(response.data)
    assert not Instruction.objects.exists()


def test_form_error_keeps_the_input_and_shows_a_summary(client_as, national, fund_a):
    data = {"title": "Vigilance dates", "body": "Un texte **important**", "nature": "new", "targeting": "all",
            "effective_date": "2030-03-10", "reply_by": "2030-03-08", "required_actions": "Agir", "save": "1"}
    response = client_as(national).post(reverse("notifications:compose"), data)
    content = response.content.decode()
    assert response.status_code == 200 and not Instruction.objects.exists()
    summary = content.split('data-testid="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_reply_by"' in summary and "précéder la date d&#x27;effet" in summary
    assert content.index('data-testid="error-summary"') < content.index('<form method="post" novalidate>')
    assert 'value="Vigilance dates"' in content and "Un texte **important**" in content
    assert 'value="2030-03-08"' in content


def test_service_error_lands_on_its_field(client_as, national, fund_a):
    data = {"title": "Vigilance", "body": "Voir https://phishing.example/", "nature": "new", "targeting": "all",
            "save": "1"}
    content = client_as(national).post(reverse("notifications:compose"), data).content.decode()
    assert 'href="#id_body"' in content and "phishing.example" in content


def test_compose_shows_formatting_help_not_markdown_jargon(client_as, national):
    content = client_as(national).get(reverse("notifications:compose")).content.decode()
    assert "Texte (Markdown)" not in content and "Texte de la consigne" in content
    assert "Séparez les paragraphes par une ligne vide" in content


def test_preview_shows_the_title_before_the_body(client_as, national, fund_a):
    data = {"title": "Titre d'abord", "body": "Le corps du texte", "nature": "new", "targeting": "all",
            "preview": "1"}
    content = client_as(national).post(reverse("notifications:compose"), data).content.decode()
    preview = content.split('data-testid="preview"')[1]
    assert preview.index("Titre d&#x27;abord") < preview.index("Le corps du texte")
    assert "fr-card__title" not in preview.split("</section>")[0]  # the card's CSS order put the title last


def test_withdraw_page_has_a_cancel_button(client_as, national, fund_a):
    instruction = issued(national)
    content = client_as(national).get(reverse("notifications:withdraw", args=[instruction.id])).content.decode()
    cancel = reverse("notifications:instruction", args=[instruction.id])
    assert f'href="{cancel}">Annuler</a>' in content


def test_resend_is_not_offered_to_a_fund_that_has_attested(client_as, national, manager_a, fund_a, fund_b):
    instruction = issued(national)
    delivery = instruction.deliveries.get(fund=fund_a)
    services.delivery_attest(delivery=delivery, actor=manager_a, actions_done=[0, 1])
    content = client_as(national).get(reverse("notifications:board", args=[instruction.id])).content.decode()
    rows = {code: content.split(f'data-fund="{code}"')[1].split("</tr>")[0] for code in ("561", "291")}
    assert "Renvoyer" not in rows["561"] and "Renvoyer" in rows["291"]


def test_demo_instructions_are_not_late_on_the_day_they_arrive(national):
    call_command("demo_setup", stdout=io.StringIO())
    today = timezone.localdate()
    for instruction in Instruction.objects.filter(status=Instruction.Status.ISSUED):
        assert instruction.reply_by >= instruction.effective_date
        rows, counts = board_rows(user=national, instruction=instruction, today=today)
        assert counts["overdue"] == 0
    brittany = Instruction.objects.get(targeting="departments")
    assert brittany.deliveries.filter(fund__code="561", for_action=False).exists()
