import datetime

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import Delivery, Instruction, Notice
from tests.notifications.factories import issued

pytestmark = pytest.mark.django_db


def _payload(**extra):
    return {"title": "Vigilance RIB", "body": "Vérifiez **tout** changement de RIB.",
            "required_actions": ["Vérifier le titulaire du RIB", "Rappeler l'assuré"],
            "targets": {"departments": ["56"]}, "reply_by": "2030-01-15", **extra}


def test_national_creates_issues_and_follows_an_instruction(api, national, fund_a, fund_b,
                                                            django_capture_on_commit_callbacks):
    api.force_authenticate(national)
    created = api.post(reverse("api:instruction-list"), _payload(), format="json")
    assert created.status_code == 201, created.data
    assert created.data["status"] == "draft" and created.data["targets"] == {"departments": ["56"],
                                                                             "for_information": []}
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api:instruction-issue", args=[created.data["id"]]))
    assert response.status_code == 200 and response.data["status"] == "issued"
    assert [m.to for m in mail.outbox] == [["vigilance.561@test.invalid"]]
    deliveries = api.get(reverse("api:instruction-deliveries", args=[created.data["id"]]))
    assert [d["fund"] for d in deliveries.data["results"]] == ["561"]
    assert deliveries.data["results"][0]["state"] == "sent"


def test_bad_targets_give_a_french_detail(api, national, fund_a):
    api.force_authenticate(national)
    response = api.post(reverse("api:instruction-list"), _payload(targets={"funds": ["000"]}), format="json")
    assert response.status_code == 400 and "Caisse(s) inconnue(s)" in response.data["detail"]


def test_fund_users_cannot_create_or_issue(api, manager_a, national, fund_a):
    api.force_authenticate(manager_a)
    assert api.post(reverse("api:instruction-list"), _payload(), format="json").status_code == 404
    instruction = issued(national)
    assert api.post(reverse("api:instruction-withdraw", args=[instruction.id]), {"reason": "x"}).status_code == 404


def test_amend_and_withdraw(api, national, fund_a, django_capture_on_commit_callbacks):
    instruction = issued(national)
    api.force_authenticate(national)
    url = reverse("api:instruction-amend", args=[instruction.id])
    assert api.post(url, {"title": "Nouveau"}, format="json").status_code == 400  # changes required
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url, {"changes": "Titre précisé", "title": "Nouveau"}, format="json")
    assert response.status_code == 200 and response.data["version"] == 2 and response.data["title"] == "Nouveau"
    response = api.post(reverse("api:instruction-withdraw", args=[instruction.id]), {"reason": "Caduque"})
    assert response.status_code == 200 and response.data["status"] == "withdrawn"
    again = api.post(reverse("api:instruction-withdraw", args=[instruction.id]), {"reason": "Caduque"})
    assert again.status_code == 409


def test_fund_user_lists_acknowledges_and_attests_own_delivery(api, national, manager_a, fund_a, fund_b):
    instruction = issued(national)
    api.force_authenticate(manager_a)
    listing = api.get(reverse("api:delivery-list"))
    assert [d["fund"] for d in listing.data["results"]] == ["561"]
    delivery_id = listing.data["results"][0]["id"]
    for _ in range(2):
        ack = api.post(reverse("api:delivery-acknowledge", args=[delivery_id]))
        assert ack.status_code == 200 and ack.data["state"] == "received"
    attest = api.post(reverse("api:delivery-attest", args=[delivery_id]),
                      {"actions_done": [0, 1], "comment": "Consigne diffusée"}, format="json")
    assert attest.status_code == 200 and attest.data["state"] == "implemented"
    own = api.get(reverse("api:instruction-deliveries", args=[instruction.id]))
    assert [d["fund"] for d in own.data["results"]] == ["561"]


def test_other_funds_delivery_is_404(api, national, manager_a, agent_b, fund_a, fund_b):
    issued(national)
    other = Delivery.objects.get(fund=fund_b)
    api.force_authenticate(manager_a)
    assert api.post(reverse("api:delivery-acknowledge", args=[other.id])).status_code == 404
    assert api.post(reverse("api:delivery-attest", args=[other.id]), {"actions_done": [0, 1]},
                    format="json").status_code == 404
    assert api.get(reverse("api:delivery-detail", args=[other.id])).status_code == 404


def test_agent_without_right_gets_404_on_acknowledge(api, national, agent_a, fund_a):
    issued(national)
    api.force_authenticate(agent_a)
    delivery = Delivery.objects.get()
    assert api.get(reverse("api:delivery-detail", args=[delivery.id])).status_code == 200
    assert api.post(reverse("api:delivery-acknowledge", args=[delivery.id])).status_code == 404


def test_fund_user_does_not_see_drafts(api, national, manager_a, fund_a):
    api.force_authenticate(national)
    api.post(reverse("api:instruction-list"), _payload(), format="json")
    api.force_authenticate(manager_a)
    assert api.get(reverse("api:instruction-list")).data["count"] == 0


def test_national_resends_to_one_fund(api, national, fund_a, django_capture_on_commit_callbacks):
    issued(national, reply_by=datetime.date(2030, 1, 1))
    api.force_authenticate(national)
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(reverse("api:delivery-resend", args=[delivery.id])).status_code == 202
    assert Notice.objects.filter(status="sent").count() == 1  # the first one was never sent (not committed)
    assert Instruction.objects.get().status == "issued"
