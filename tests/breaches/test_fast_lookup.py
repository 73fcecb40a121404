"""The token fast lane of POST /api/v1/lookups/ (breaches/api/fast_lookup.py) answers exactly as the DRF view
does, with the same access log and the same throttle, in fewer queries.

A request carrying a session cookie goes to DRF (which tries the session first), so the same token request with
and without a cookie exercises both roads."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from breaches.models import AccessLog
from tests.breaches.factories import CLEAN, FLAGGED
from tests.factories import UserFactory

LANES = ("fast", "drf")


def token_of(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def lookup(lane: str, token: str, body="", **extra):
    client = Client()
    if lane == "drf":
        client.cookies["sessionid"] = "aucune"
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(reverse("api:lookup"), data=data, content_type=extra.pop("content_type", "application/json"),
                       HTTP_AUTHORIZATION=f"Token {token}", REMOTE_ADDR="10.1.2.3", **extra)


def answers(user_token: str, body) -> dict:
    """Per lane: (status, JSON body, content type, the access-log rows it wrote)."""
    out = {}
    for lane in LANES:
        before = set(AccessLog.objects.values_list("id", flat=True))
        response = lookup(lane, user_token, body)
        rows = list(AccessLog.objects.exclude(id__in=before).values_list(
            "user_id", "fund_id", "action", "nir_digest", "result", "purpose", "client_address"))
        out[lane] = (response.status_code, response.json(), response["Content-Type"], rows)
    return out


@pytest.mark.parametrize("body", [
    {"nir": FLAGGED, "purpose": "changement de RIB"},
    {"nir": FLAGGED[:7] + " " + FLAGGED[7:]},
    {"nir": CLEAN},
    {"nir": FLAGGED[:13] + "00"},
    {"nir": "12345"},
    {},
    {"nir": ""},
    {"nir": "1" * 41},
    [1, 2],
    "{nir",
    "null",
    "42",
    '"texte"',
    {"nir": 2770856178042},
    {"nir": None},
])
def test_both_lanes_answer_and_log_the_same(agent_a, breach, body):
    both = answers(token_of(agent_a), body)
    assert both["fast"] == both["drf"]
    assert both["fast"][2] == "application/json"


def test_a_flagged_person_is_found_through_the_fast_lane(agent_a, breach, fund_a):
    status, body, _, rows = answers(token_of(agent_a), {"nir": FLAGGED, "purpose": "RIB"})["fast"]
    assert status == 200
    assert body["flagged"] is True and body["fund_code"] == "561"
    assert [hit["reference"] for hit in body["breaches"]] == [breach.reference]
    assert rows == [(agent_a.pk, fund_a.pk, "lookup", breach.people.get().nir_digest, "signalé", "RIB",
                     "10.1.2.3")]


@pytest.mark.parametrize("who", ["national", "agent_b", "outsider", "inactive"])
def test_both_lanes_agree_on_who_may_look_up(request, breach, who):
    user = (UserFactory(username=who, is_active=who != "inactive") if who in ("outsider", "inactive")
            else request.getfixturevalue(who))
    both = answers(token_of(user), {"nir": FLAGGED})
    assert both["fast"] == both["drf"]
    expected = {"national": 200, "agent_b": 200, "outsider": 404, "inactive": 403}[who]
    assert both["fast"][0] == expected


def test_an_unknown_token_is_refused_alike(breach):
    both = {lane: lookup(lane, "0" * 40, {"nir": FLAGGED}) for lane in LANES}
    assert [r.status_code for r in both.values()] == [403, 403]
    assert both["fast"].json() == both["drf"].json()
    assert AccessLog.objects.count() == 0


def test_both_lanes_share_one_throttle(agent_a, settings, monkeypatch):
    monkeypatch.setitem(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "lookup", "3/min")
    monkeypatch.setattr("breaches.throttling.LookupThrottle.THROTTLE_RATES",
                        settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    token = token_of(agent_a)
    responses = [lookup(lane, token, {"nir": CLEAN}) for lane in ("fast", "drf", "fast", "fast", "drf")]
    assert [r.status_code for r in responses] == [200, 200, 200, 429, 429]
    assert responses[3].json() == responses[4].json()
    assert int(responses[3]["Retry-After"]) > 0
    assert AccessLog.objects.count() == 3


def test_a_host_outside_allowed_hosts_is_refused_on_both_roads(agent_a, breach):
    token = token_of(agent_a)
    for lane in LANES:
        assert lookup(lane, token, {"nir": FLAGGED}, HTTP_HOST="ailleurs.example").status_code == 400
    assert AccessLog.objects.count() == 0


def test_other_requests_to_the_url_still_go_to_drf(agent_a, breach):
    token = token_of(agent_a)
    form = lookup("fast", token, f"nir={FLAGGED}", content_type="application/x-www-form-urlencoded")
    assert form.status_code == 200 and form.json()["flagged"] is True
    assert Client().get(reverse("api:lookup"), HTTP_AUTHORIZATION=f"Token {token}").status_code == 405


@pytest.mark.parametrize("nir, flagged", [(CLEAN, False), (FLAGGED, True)])
def test_a_token_lookup_costs_two_queries_on_postgresql(agent_a, breach, django_assert_num_queries, nir, flagged):
    """Who is asking (token, user, fund) in one; the rows and the access log in one; the instructions' actions
    in one more when the person is flagged. SQLite needs a separate INSERT for the log."""
    token = token_of(agent_a)
    lookup("fast", token, {"nir": CLEAN})  # Django loads its content types once
    expected = (2 if connection.vendor == "postgresql" else 3) + flagged
    with django_assert_num_queries(expected):
        assert lookup("fast", token, {"nir": nir}).json()["flagged"] is flagged
