"""The register's gate (breaches/lookup/): one view for every caller of POST /api/v1/lookups/ (token, session,
form body), the caller's access read once, the throttle shared with the page, and the API's own rules
(headers, content negotiation, error bodies) on the most sensitive endpoint."""

import datetime
import json

import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from breaches.importing import cohort_import, cohort_register
from breaches.lookup.access import caller_by_token, caller_of
from breaches.models import AccessLog, AffectedPerson
from breaches.nir import NirError, make_nir
from network.permissions import funds_of, is_national
from network.roles import LOOKUP_PERSON
from tests.breaches.factories import CLEAN, FLAGGED, BreachFactory, lookup_as
from tests.factories import UserFactory
from tests.support.api_tokens import api_token_for

postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL requis")
LOG_FIELDS = ("user_id", "fund_id", "action", "nir_digest", "result", "purpose", "client_address")
SECURITY_HEADERS = ("X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
                    "Cross-Origin-Opener-Policy", "Content-Language", "Vary", "Content-Type")


def token_of(user) -> str:
    return api_token_for(user)


def _client(caller: str, user) -> tuple[Client, dict]:
    """A client for `caller` ("token", "session" or "form") and the extra request arguments it sends."""
    client = Client()
    if caller == "session":
        client.force_login(user)
        return client, {}
    return client, {"HTTP_AUTHORIZATION": f"Token {token_of(user)}"}


def ask(caller: str, user, body, url=None, **extra):
    """POST `body` to the lookup API (or `url`) the way `caller` sends it: JSON with a token or a session, or a
    form body with a token."""
    client, auth = _client(caller, user)
    if caller == "form":
        data, content_type = body, "application/x-www-form-urlencoded"
        data = "&".join(f"{name}={value}" for name, value in body.items()) if isinstance(body, dict) else body
    else:
        data, content_type = (body if isinstance(body, str) else json.dumps(body)), "application/json"
    return client.post(url or reverse("api:lookup"), data=data, content_type=content_type, REMOTE_ADDR="10.1.2.3",
                       **auth, **extra)


def answer(caller: str, user, body) -> tuple:
    """(status, JSON body, security headers, the access-log rows written) of one request."""
    before = set(AccessLog.objects.values_list("id", flat=True))
    response = ask(caller, user, body)
    rows = list(AccessLog.objects.exclude(id__in=before).values_list(*LOG_FIELDS))
    return response.status_code, response.json(), {h: response.get(h) for h in SECURITY_HEADERS}, rows


@pytest.mark.parametrize("body", [
    {"nir": FLAGGED, "purpose": "changement de RIB"},
    {"nir": FLAGGED[:7] + " " + FLAGGED[7:]},
    {"nir": CLEAN},
    {"nir": FLAGGED[:13] + "00"},
    {"nir": "12345"},
    {},
    {"nir": ""},
    {"nir": "1" * 41},
])
def test_token_session_and_form_callers_get_the_same_answer_and_log(agent_a, breach, body):
    answers = {caller: answer(caller, agent_a, body) for caller in ("token", "session", "form")}
    assert answers["token"] == answers["session"] == answers["form"]
    assert answers["token"][2]["Content-Type"] == "application/json"


@pytest.mark.parametrize("body", [[1, 2], "{nir", "null", "42", '"texte"', {"nir": 2770856178042}, {"nir": None}])
def test_token_and_session_callers_get_the_same_answer_to_a_malformed_json_body(agent_a, breach, body):
    assert answer("token", agent_a, body) == answer("session", agent_a, body)


@pytest.mark.parametrize("who", ["national", "agent_b", "outsider"])
def test_callers_agree_on_who_may_look_up(request, breach, who):
    user = UserFactory(username=who) if who == "outsider" else request.getfixturevalue(who)
    answers = {caller: answer(caller, user, {"nir": FLAGGED}) for caller in ("token", "session")}
    assert answers["token"] == answers["session"]
    assert answers["token"][0] == {"national": 200, "agent_b": 200, "outsider": 404}[who]


def test_the_page_writes_the_same_access_log_row_as_the_api(client_as, agent_a, breach):
    client_as(agent_a).post(reverse("breaches:lookup"), {"nir": FLAGGED, "purpose": "RIB"}, REMOTE_ADDR="10.1.2.3")
    api_row = answer("token", agent_a, {"nir": FLAGGED, "purpose": "RIB"})[3]
    assert list(AccessLog.objects.order_by("id").values_list(*LOG_FIELDS)[:1]) == api_row


def test_the_lookup_carries_the_same_security_headers_as_the_rest_of_the_api(agent_a, breach):
    lookup = ask("token", agent_a, {"nir": CLEAN})
    other = Client().get(reverse("api:fund-list"), HTTP_AUTHORIZATION=f"Token {token_of(agent_a)}")
    assert lookup.status_code == other.status_code == 200
    for header in SECURITY_HEADERS:
        assert lookup.get(header) == other.get(header), header
    assert lookup["X-Frame-Options"] == "DENY" and "default-src 'self'" in lookup["Content-Security-Policy"]


def test_an_unacceptable_format_is_refused_before_anything_is_looked_up_or_logged(agent_a, breach):
    lookup = ask("token", agent_a, {"nir": FLAGGED}, HTTP_ACCEPT="application/xml")
    other = Client().get(reverse("api:fund-list"), HTTP_AUTHORIZATION=f"Token {token_of(agent_a)}",
                         HTTP_ACCEPT="application/xml")
    assert lookup.status_code == other.status_code == 406
    assert lookup.json() == other.json()
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize("token", ["0" * 40, "vigie_" + "0" * 64, "inactive"])
def test_a_refused_token_gets_the_same_error_as_on_the_rest_of_the_api(breach, token):
    if token == "inactive":
        token = token_of(UserFactory(username="inactive", is_active=False))
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"}
    lookup = Client().post(reverse("api:lookup"), {"nir": FLAGGED}, content_type="application/json", **headers)
    other = Client().get(reverse("api:fund-list"), **headers)
    assert (lookup.status_code, lookup.json()) == (other.status_code, other.json())
    assert lookup.status_code in (401, 403)
    assert AccessLog.objects.count() == 0


def test_a_host_outside_allowed_hosts_is_refused(agent_a, breach):
    assert ask("token", agent_a, {"nir": FLAGGED}, HTTP_HOST="ailleurs.example").status_code == 400
    assert AccessLog.objects.count() == 0


def test_api_and_page_share_one_throttle(client_as, agent_a, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"lookup": "3/min"}}
    codes = [ask("token", agent_a, {"nir": CLEAN}).status_code, ask("session", agent_a, {"nir": CLEAN}).status_code]
    codes.append(client_as(agent_a).post(reverse("breaches:lookup"), {"nir": CLEAN}).status_code)
    refused = ask("token", agent_a, {"nir": CLEAN})
    codes += [refused.status_code, client_as(agent_a).post(reverse("breaches:lookup"), {"nir": CLEAN}).status_code]
    assert codes == [200, 200, 200, 429, 429]
    assert int(refused["Retry-After"]) > 0
    assert AccessLog.objects.count() == 3


@pytest.mark.parametrize("nir, flagged", [(CLEAN, False), (FLAGGED, True)])
def test_a_token_lookup_reads_its_caller_once(agent_a, breach, nir, flagged):
    """Who is asking (token, user, access, recent lookups) in one statement; the gate's lock on the user, then the
    count, the rows and the access log in one; the instructions' actions in one more when flagged. SQLite counts,
    reads and logs in three. (Savepoints are the test's transaction, not the lookup's.)"""
    client, headers = Client(), {"HTTP_AUTHORIZATION": f"Token {token_of(agent_a)}"}

    def lookup(nir):
        return client.post(reverse("api:lookup"), {"nir": nir}, content_type="application/json", **headers)

    lookup(CLEAN)  # Django loads its content types once
    with CaptureQueriesContext(connection) as counted:
        assert lookup(nir).json()["flagged"] is flagged
    statements = [query["sql"] for query in counted.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert len(statements) == (3 if connection.vendor == "postgresql" else 4) + flagged
    if connection.vendor == "postgresql":
        assert "pg_advisory_xact_lock" in statements[1]


def test_the_page_reads_its_caller_once(client_as, agent_a, breach):
    client = client_as(agent_a)
    client.post(reverse("breaches:lookup"), {"nir": CLEAN})
    with CaptureQueriesContext(connection) as counted:
        assert client.post(reverse("breaches:lookup"), {"nir": CLEAN}).status_code == 200
    assert sum("AS recent" in query["sql"] for query in counted.captured_queries) == 1  # the caller statement


def test_the_caller_read_by_token_or_by_user_agrees_with_the_gates(agent_a, manager_a, agent_b, national, admin_user):
    outsider = UserFactory(username="outsider")
    since = timezone.now()
    for user in (agent_a, manager_a, agent_b, national, admin_user, outsider):
        by_token = caller_by_token(token_of(user), since=since)
        by_user = caller_of(user, since=since)
        fund = None if is_national(user) else funds_of(user=user, perm=LOOKUP_PERSON).first()
        expected = (is_national(user), fund.pk if fund else None)
        assert by_token.user == user and by_token.user.username == user.username
        assert (by_token.national, by_token.fund_id) == (by_user.national, by_user.fund_id) == expected
        assert by_user.may_look_up is (user != outsider)
    assert caller_by_token("0" * 40, since=since) is None
    assert caller_by_token("vigie_" + "0" * 64, since=since) is None


def test_the_recent_lookups_are_those_of_the_access_log(agent_a, agent_b):
    for order in range(3):
        lookup_as(agent_a, make_nir(order=order + 1))
    lookup_as(agent_b, make_nir(order=9))
    with pytest.raises(NirError):  # an invalid NIR is logged, and counts
        lookup_as(agent_a, "1" * 15)
    old = AccessLog.objects.filter(user=agent_a).order_by("id").values_list("created_at", flat=True).first()
    token = token_of(agent_a)
    assert caller_by_token(token, since=old - datetime.timedelta(seconds=1)).recent == 4
    assert caller_by_token(token, since=old).recent == 3
    assert caller_of(agent_a, since=old).recent == 3
    assert caller_of(agent_b, since=old - datetime.timedelta(seconds=1)).recent == 1


@postgresql
@pytest.mark.django_db(transaction=True, databases=["default", "lookup"])
def test_the_lookup_has_its_own_connection_whose_statements_are_prepared(agent_a, settings):
    settings.LOOKUP_DATABASE = "lookup"
    for order in range(6):
        lookup_as(agent_a, make_nir(order=order + 1))
    with connections["lookup"].cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any("INSERT INTO breaches_accesslog" in sql for sql in prepared)
    assert any("guardian_userobjectpermission" in sql for sql in prepared)
    with connection.cursor() as cursor:  # the rest of the site binds on the client: nothing prepared
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0
    assert AccessLog.objects.filter(user=agent_a).count() == 6


@postgresql
def test_an_import_leaves_fresh_statistics_for_the_lookup_planner(tmp_path, fund_a):
    path = tmp_path / "cohorte.csv"
    path.write_text("nir\n" + "\n".join(make_nir(order=n) for n in range(1, 41)) + "\n", encoding="utf-8")
    cohort = cohort_register(actor=None, breach=BreachFactory(), path=str(path), queue=False)
    assert cohort_import(cohort_id=cohort.pk).imported == 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [AffectedPerson._meta.db_table])
        assert cursor.fetchone()[0] == 40


def test_a_user_or_fund_named_in_the_access_log_cannot_be_deleted(agent_a, fund_a):
    from django.db.models import ProtectedError

    lookup_as(agent_a, make_nir(order=3))
    assert AccessLog.objects.filter(user=agent_a, fund=fund_a).count() == 1
    for named in (agent_a, fund_a):
        with pytest.raises(ProtectedError) as refused:
            named.delete()
        assert any(isinstance(row, AccessLog) for row in refused.value.protected_objects)
