"""The register's one gate (breaches/lookup/gate.py, throttle.py): nothing matches a digest outside it, its quota
holds under real concurrency, the lookup page's person token is opaque, and an answered lookup has exactly its
access-log row even when the optional part of the answer fails."""

import ast
import base64
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from breaches.crypto import nir_digest
from breaches.lookup import gate, service
from breaches.lookup.gate import _flagged_digests
from breaches.models import AccessLog
from breaches.nir import NirError, make_nir
from config.errors import ApplicationError, Throttled
from tests.breaches.factories import CLEAN, FLAGGED, BreachFactory, lookup_as, person

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "audit", "breaches", "casework", "config", "network", "notifications")
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL requis")

# What tells whether a digest (a person's or an account's) is known: the matchers and the statements that match.
MATCHERS = {"_flagged_digests", "_people_flagged", "_accounts_matched", "flagged_digests", "flagged_people",
            "people_by_digest", "rows_logged", "_rows_then_log", "rows_sql", "rows_logged_sql",
            "iban_sightings_record", "_alerts_raise"}
# ORM filters on the digest columns (`.filter(nir_digest__in=…)`) match too.
DIGEST_FIELDS = ("nir_digest", "iban_digest")
GATE = {"breaches/lookup/gate.py", "breaches/lookup/service.py", "breaches/lookup/log.py", "breaches/lookup/sql.py"}
# The account matcher itself (registered with the gate, which alone calls it), and the key rotation, which re-keys
# rows and answers nobody.
# casework/history.py: the person's history at the caller's fund, called back by the lookup only after the gate has
# answered and logged that very lookup (breaches/lookup/history.py); it answers nothing the lookup did not.
ALLOWED_FILTERS = GATE | {"casework/risk/alerts.py", "breaches/rotation.py", "casework/history.py"}
ALLOWED_CALLS = GATE | {"casework/risk/alerts.py"}


def _called_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def bypasses(source: str, path: str) -> list[str]:
    """Where `source` (the module at `path`) matches a digest outside the gate: calls of a matcher, and ORM
    filters on a digest column."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name in MATCHERS and path not in ALLOWED_CALLS:
            found.append(f"{path}:{node.lineno} calls {name}")
        digest_filter = any(keyword.arg and keyword.arg.split("__")[0] in DIGEST_FIELDS for keyword in node.keywords)
        if name in {"filter", "exclude", "get", "get_or_create"} and digest_filter and path not in ALLOWED_FILTERS:
            found.append(f"{path}:{node.lineno} filters on a digest")
    return found


def test_nothing_outside_the_gate_matches_a_digest():
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" not in relative:
                found += bypasses(path.read_text(encoding="utf-8"), relative)
    assert found == []


@pytest.mark.parametrize("source", [
    "from breaches.lookup.gate import _flagged_digests\nflagged = _flagged_digests(digests)",
    "from casework.risk import alerts\nalerts.iban_sightings_record(sightings=[])",
    "AffectedPerson.objects.filter(nir_digest__in=digests).exists()",
    "IbanSighting.objects.filter(iban_digest=digest).values('fund_id')",
])
def test_the_scan_catches_a_road_that_bypasses_the_gate(source):
    assert bypasses(source, "casework/checks/services.py")


def test_the_account_matcher_is_registered_with_the_gate():
    from casework.risk.alerts import iban_sightings_record

    assert iban_sightings_record in gate._account_matchers


def test_flagged_digests_in_one_statement_on_postgresql_else_in_batches(db, django_assert_num_queries, monkeypatch):
    breach = BreachFactory()
    flagged = [make_nir(order=n) for n in range(1, 6)]
    for nir in flagged:
        person(breach=breach, nir=nir)
    others = [nir_digest(make_nir(order=n)) for n in range(100, 120)]
    monkeypatch.setattr(gate, "DIGEST_BATCH", 10)
    asked = [nir_digest(n) for n in flagged] * 2 + others  # asked twice: found once
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 3):
        assert _flagged_digests(iter(asked)) == {nir_digest(n) for n in flagged}
    with django_assert_num_queries(0):
        assert _flagged_digests([]) == set()


def _concurrently(count: int, ask) -> list[str]:
    """`ask(n)` in `count` threads released together (each on its own connection): 'answered' or 'refused'."""
    start = threading.Barrier(count)

    def one(n: int) -> str:
        try:
            start.wait()
            ask(n)
            return "answered"
        except Throttled:
            return "refused"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


@postgresql
@pytest.mark.django_db(transaction=True)
def test_thirty_concurrent_lookups_at_five_a_minute_give_exactly_five_answers(agent_a, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"lookup": "5/min"}}
    outcomes = _concurrently(30, lambda n: lookup_as(agent_a, make_nir(order=n + 1)))
    assert (outcomes.count("answered"), outcomes.count("refused")) == (5, 25)
    assert AccessLog.objects.filter(user=agent_a).count() == 5


@postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_lookups_and_checks_share_the_quota_and_its_lock(agent_a, settings):
    from casework.checks.services import check_log

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"lookup": "5/min"}}

    def ask(n: int) -> None:
        nir = make_nir(order=n + 1)
        if n % 2:
            check_log(actor=agent_a, nir=nir, kind="identity", channel="phone", outcome="compliant")
        else:
            lookup_as(agent_a, nir)

    outcomes = _concurrently(30, ask)
    assert (outcomes.count("answered"), outcomes.count("refused")) == (5, 25)
    assert AccessLog.objects.filter(user=agent_a).count() == 5


def test_a_spent_quota_answers_nothing_and_logs_nothing(agent_a, breach, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"lookup": "2/min"}}
    lookup_as(agent_a, CLEAN)
    with pytest.raises(NirError):  # an invalid NIR is a question too: logged, and counted
        lookup_as(agent_a, "1" * 15)
    with pytest.raises(Throttled) as refused:
        lookup_as(agent_a, FLAGGED)
    assert refused.value.status_code == 429 and refused.value.retry_after >= 1
    assert AccessLog.objects.filter(user=agent_a).count() == 2


def test_the_person_token_is_opaque_and_holds_no_digest(client_as, agent_a, breach):
    response = client_as(agent_a).post(reverse("breaches:lookup"), {"nir": FLAGGED})
    token = re.search(r'name="person" value="([^"]+)"', response.content.decode()).group(1)
    digest = nir_digest(FLAGGED)
    padded = token + "=" * (-len(token) % 4)
    decoded = base64.urlsafe_b64decode(padded)
    for text in (token, decoded.decode("latin-1"), decoded.hex()):
        assert digest not in text and digest[:16] not in text and FLAGGED[:13] not in text
    assert service.looked_up_person(token, user=agent_a) == (digest, response.context["result"].nir_masked)


def test_the_person_token_is_refused_when_altered_or_in_another_users_hands(agent_a, agent_b, breach):
    token = lookup_as(agent_a, FLAGGED).person_token
    with pytest.raises(ApplicationError):
        service.looked_up_person(token, user=agent_b)
    altered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    with pytest.raises(ApplicationError):
        service.looked_up_person(altered, user=agent_a)
    with pytest.raises(ApplicationError):
        service.looked_up_person("not a token", user=agent_a)


def test_an_expired_person_token_is_refused(agent_a, breach, monkeypatch):
    token = lookup_as(agent_a, FLAGGED).person_token
    later = service.time.time() + service.LOOKED_UP_MAX_AGE + 1
    monkeypatch.setattr(service.time, "time", lambda: later)
    with pytest.raises(ApplicationError):
        service.looked_up_person(token, user=agent_a)


@pytest.fixture
def failing_actions(monkeypatch):
    """An instructions' actions provider whose database read fails (a real database error, on PostgreSQL as on
    SQLite, where a division by zero is no error)."""

    def provider(**_):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM vigie_table_absente")
        return []

    monkeypatch.setattr(service, "_action_providers", [provider])


def test_a_lookup_whose_actions_cannot_be_read_is_answered_once_and_logged_once(agent_a, breach, failing_actions):
    client = Client()
    client.force_login(agent_a)
    response = client.post(reverse("api:lookup"), {"nir": FLAGGED}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["flagged"] is True and response.json()["actions_complete"] is False
    assert list(AccessLog.objects.values_list("result", flat=True)) == ["signalé"]
    page = client.post(reverse("breaches:lookup"), {"nir": FLAGGED})
    assert page.status_code == 200 and b'data-testid="lookup-actions-missing"' in page.content
    assert AccessLog.objects.count() == 2
