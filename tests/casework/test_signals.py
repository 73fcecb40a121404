import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from casework.cases.models import Case
from casework.risk import bulk
from casework.risk import services as risk_services
from casework.risk.models import IbanSighting, SignalBatch
from casework.risk.services import SignalsRejected, signals_ingest
from config.errors import NotFound
from tests.casework.factories import flagged_nir, new_nir

TWO_DAYS_AGO = (datetime.date.today() - datetime.timedelta(days=2)).isoformat()


def signal(nir, kind="bank_details", fund="291", occurred_on=TWO_DAYS_AGO, **extra):
    return {"nir": nir, "kind": kind, "occurred_on": occurred_on, "fund": fund, **extra}


def test_flagged_person_opens_one_case_in_the_signal_fund(national, fund_a, fund_b):
    nir = flagged_nir(fund=fund_a)  # the cohort routes them to 561; the signal comes from 291 (they moved)
    result = signals_ingest(actor=national, rows=[signal(nir, fund="291")])
    assert (result.received, result.matched, result.cases_opened) == (1, 1, 1)
    case = Case.objects.get()
    assert case.fund == fund_b and case.origin == "signal" and case.signal_kind == "bank_details"
    assert case.priority == Case.Priority.HIGH and "coordonnées bancaires" in case.summary
    assert case.events.get().kind == "opened"


def test_same_signal_twice_opens_no_second_case(national, fund_a, fund_b):
    nir = flagged_nir(fund=fund_b)
    signals_ingest(actor=national, rows=[signal(nir)])
    again = signals_ingest(actor=national, rows=[signal(nir), signal(nir)])
    assert (again.matched, again.cases_opened) == (2, 0)
    assert Case.objects.count() == 1
    other_date = signals_ingest(actor=national, rows=[signal(nir, occurred_on="2026-01-05")])
    assert other_date.cases_opened == 1


def test_database_constraint_refuses_a_duplicate_signal_case(national, fund_b):
    signals_ingest(actor=national, rows=[signal(flagged_nir(fund=fund_b))])
    case = Case.objects.get()
    case.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        case.save(force_insert=True)


@pytest.fixture(params=["database", "orm"])
def insert_path(request, monkeypatch):
    """Each test runs on the path of the database under test ("database": raw SQL on PostgreSQL) and on the ORM
    path, which must leave the same rows."""
    if request.param == "orm":
        monkeypatch.setattr(risk_services, "insert_signal_cases", bulk._insert_with_orm)
    return request.param


def test_signal_case_gets_its_opened_event_and_history_row(national, fund_b, insert_path):
    result = signals_ingest(actor=national, rows=[signal(flagged_nir(fund=fund_b))])
    case = Case.objects.get()
    event = case.events.get()
    assert (event.kind, event.actor, event.body) == ("opened", national, case.summary)
    history = Case.history.get(id=case.pk)
    assert (history.history_type, history.history_user, history.history_change_reason) == ("+", national, "")
    tracked = [field.attname for field in Case.history.model.tracked_fields]
    assert {name: getattr(history, name) for name in tracked} == {name: getattr(case, name) for name in tracked}
    assert history.signal_batch_id == result.batch.pk and history.opened_by == national


def test_signal_already_opened_writes_no_second_event_nor_history_row(national, fund_b, insert_path):
    nir = flagged_nir(fund=fund_b)
    signals_ingest(actor=national, rows=[signal(nir)])
    assert signals_ingest(actor=national, rows=[signal(nir)]).cases_opened == 0
    case = Case.objects.get()
    assert case.events.count() == 1 and Case.history.filter(id=case.pk).count() == 1


def test_unflagged_person_creates_nothing_but_the_count(national, fund_b):
    nir = new_nir()
    result = signals_ingest(actor=national, rows=[signal(nir, kind="address_change")])
    assert (result.received, result.matched, result.cases_opened) == (1, 0, 0)
    assert not Case.objects.exists() and not IbanSighting.objects.exists()
    assert SignalBatch.objects.get().received == 1


def test_highest_risk_first(national, fund_b):
    address, bank, account = (flagged_nir(fund=fund_b) for _ in range(3))
    signals_ingest(actor=national, rows=[signal(address, kind="address_change"), signal(bank),
                                         signal(account, kind="account_recovery")])
    queue = list(Case.objects.values_list("signal_kind", flat=True))
    assert queue[-1] == "address_change" and set(queue[:2]) == {"bank_details", "account_recovery"}
    assert Case.objects.get(signal_kind="address_change").priority == Case.Priority.NORMAL


def test_any_bad_row_rejects_the_batch_with_reasons(national, fund_b):
    rows = [signal(flagged_nir(fund=fund_b)), signal("123", kind="bank_details"),
            signal(new_nir(), kind="teleportation"), signal(new_nir(), fund="999"),
            signal(new_nir(), occurred_on="2999-01-01"), signal(new_nir(), iban="FR76 0000")]
    with pytest.raises(SignalsRejected) as error:
        signals_ingest(actor=national, rows=rows)
    rows_in_error = [e["row"] for e in error.value.extra["errors"]]
    assert rows_in_error == [2, 3, 4, 5, 6]
    assert not Case.objects.exists() and not SignalBatch.objects.exists()


def test_each_bad_row_is_named_with_its_french_reason(national, fund_b):
    rows = [signal(flagged_nir(fund=fund_b)), signal("123"), signal(new_nir(), kind="teleportation"),
            signal(new_nir(), fund="999"), signal(new_nir(), occurred_on="2999-01-01"),
            signal(new_nir(), iban="FR76 0000"), signal(new_nir(), kind="address_change", iban="FR76 0000"),
            signal(new_nir(), occurred_on="31/13/2025"), signal("2 85 05 56 034 001 99")]
    with pytest.raises(SignalsRejected) as error:
        signals_ingest(actor=national, rows=rows)
    assert error.value.message == "8 signal(s) refusé(s) : rien n'a été chargé."
    assert error.value.extra["errors"] == [
        {"row": 2, "detail": "NIR invalide : longueur de 3 caractères au lieu de 15 caractères (clé comprise)."},
        {"row": 3, "detail": "Type de signal inconnu : « teleportation »."},
        {"row": 4, "detail": "Caisse inconnue : « 999 »."},
        {"row": 5, "detail": "La date du signal est dans le futur."},
        {"row": 6, "detail": "IBAN invalide : clé de contrôle (modulo 97) ou format incorrect."},
        {"row": 7, "detail": "Un IBAN n'accompagne qu'un changement de coordonnées bancaires."},
        {"row": 8, "detail": "Date invalide : « 2025-13-31 » (AAAA-MM-JJ attendu)."},
        {"row": 9, "detail": "NIR invalide : clé 99 incorrecte."},
    ]


def test_a_batch_opens_each_new_case_once_with_its_event_and_history_row(national, fund_b, insert_path):
    nirs = [flagged_nir(fund=fund_b) for _ in range(6)]
    signals_ingest(actor=national, rows=[signal(nirs[0])])
    rows = [signal(nir) for nir in nirs] + [signal(nirs[1]), signal(nirs[2], kind="address_change")]
    result = signals_ingest(actor=national, rows=rows)
    assert (result.matched, result.cases_opened) == (8, 6)  # nirs[0] was already opened, nirs[1] is asked twice
    opened = Case.objects.filter(signal_batch=result.batch)
    assert opened.count() == 6
    for case in opened:
        assert list(case.events.values_list("kind", flat=True)) == ["opened"]
        assert Case.history.filter(id=case.pk, history_type="+", history_user=national).count() == 1


def test_only_national_staff_load_signals(agent_a, fund_a):
    with pytest.raises(NotFound):
        signals_ingest(actor=agent_a, rows=[signal(new_nir(), fund="561")])


def test_no_nir_in_clear_is_stored(national, fund_b):
    nirs = [flagged_nir(fund=fund_b), new_nir()]
    signals_ingest(actor=national, rows=[signal(n) for n in nirs])
    _assert_nowhere_in_casework_tables(nirs)


def _assert_nowhere_in_casework_tables(secrets):
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if t.startswith("casework_")]
        for table in tables:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from introspection
            dump = repr(cursor.fetchall())
            for secret in secrets:
                assert secret not in dump, table


# API and file

def test_api_batch_answers_how_many_matched(api, national, fund_a, fund_b):
    api.force_authenticate(national)
    rows = [signal(flagged_nir(fund=fund_b)), signal(new_nir(), fund="561", kind="address_change")]
    response = api.post("/api/v1/signals/", rows, format="json")
    assert response.status_code == 201
    assert response.json() | {"batch": 0} == {"batch": 0, "received": 2, "matched": 1, "cases_opened": 1,
                                              "alerts": 0}
    assert api.get("/api/v1/signals/").json()["count"] == 1


def test_api_rejects_bad_rows_with_their_index(api, national, fund_b):
    api.force_authenticate(national)
    response = api.post("/api/v1/signals/", {"signals": [signal(new_nir()), signal("1 85")]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 1 and "refusé" in response.json()["detail"]


def test_api_signals_are_for_national_staff(api, agent_a, fund_a):
    api.force_authenticate(agent_a)
    assert api.post("/api/v1/signals/", [signal(new_nir(), fund="561")], format="json").status_code == 404
    assert api.get("/api/v1/signals/").status_code == 404


def test_file_upload_page(client_as, national, fund_b):
    nir = flagged_nir(fund=fund_b)
    content = f"nir;kind;occurred_on;fund;iban\n{nir};account_recovery;{TWO_DAYS_AGO};291;\n".encode()
    client = client_as(national)
    response = client.post(reverse("signal-load"), {"file": SimpleUploadedFile("signaux.csv", content)},
                           follow=True)
    assert "1 signaux chargés, 1 personnes exposées, 1 dossiers ouverts" in response.content.decode()
    assert Case.objects.get().signal_kind == "account_recovery"


def test_file_errors_name_line_numbers(client_as, national, fund_b):
    content = f"nir,kind,occurred_on,fund\n{new_nir()},bank_details,{TWO_DAYS_AGO},291\nabc,x,y,291\n".encode()
    response = client_as(national).post(reverse("signal-load"), {"file": SimpleUploadedFile("s.csv", content)})
    assert response.status_code == 400
    assert "<td>3</td>" in response.content.decode()


def test_agent_gets_404_on_signal_page(client_as, agent_a):
    assert client_as(agent_a).get(reverse("signal-load")).status_code == 404


def test_queue_says_how_long_ago_and_filters_on_origin(client_as, national, fund_b, agent_b):
    signals_ingest(actor=national, rows=[signal(flagged_nir(fund=fund_b))])
    client = client_as(agent_b)
    content = client.get(reverse("case-queue"), {"origin": "signal"}).content.decode()
    assert "changement de coordonnées bancaires" in content and "il y a 2 jours" in content
    assert "Personne exposée" not in client.get(reverse("case-queue"), {"origin": "check"}).content.decode()


def test_person_still_under_the_previous_digest_key_is_matched_during_a_rotation(national, agent_b, fund_a, fund_b,
                                                                               settings):
    from breaches.crypto import nir_digests
    from casework.checks.services import check_log

    nir = flagged_nir(fund=fund_a)  # in the register under today's key
    settings.NIR_DIGEST_PREVIOUS_KEYS = [settings.NIR_DIGEST_KEY]
    settings.NIR_DIGEST_KEY = "cle-d-empreinte-apres-rotation-0123456789"
    result = signals_ingest(actor=national, rows=[signal(nir, fund="291")])
    assert (result.matched, result.cases_opened) == (1, 1)
    assert Case.objects.get().subject_digest == nir_digests(nir)[0]  # kept under the new key
    check = check_log(actor=agent_b, nir=nir, kind="identity", channel="phone", outcome="compliant").check
    assert check.person_flagged
