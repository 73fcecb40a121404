"""Exports cannot carry formulas: hostile values through config.exports and through every export of the
application (board CSV/XLSX, history, access log, a fund's people, the import's rejection report)."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from breaches.importing import cohort_import, cohort_register, report_file
from breaches.models import AccessLog
from breaches.services import breach_create
from config.exports import csv_response, neutralise, xlsx_response
from network.services import membership_grant
from notifications import services as notices
from tests.breaches.factories import BreachFactory, person
from tests.factories import FundFactory, UserFactory
from tests.notifications.factories import issued

HOSTILE = ["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A2)", "\t=1", "\r=1"]
HARMLESS = ["Durand", "1 250 €", "", "Caisse 561 – relance"]


def _csv_cells(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _assert_neutral_csv(rows: list[list[str]], column: int, expected: list[str]) -> None:
    cells = [row[column] for row in rows[1:]]
    assert sorted(cells) == sorted("'" + value for value in expected)


def _assert_text_cells(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type in ("s", "n"), f"{cell.coordinate} is {cell.data_type}: {cell.value!r}"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# --- the helper --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", HOSTILE)
def test_neutralise_prefixes_what_a_spreadsheet_would_run(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [*HARMLESS, -1, 3.5, None])
def test_neutralise_leaves_the_rest(value):
    assert neutralise(value) == value


def test_csv_response_streams_neutral_cells():
    response = csv_response("x.csv", ["=entête", "b"], [[value, 7] for value in HOSTILE + HARMLESS])
    rows = _csv_cells(response)
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert rows[0] == ["'=entête", "b"]
    assert [row[0] for row in rows[1:]] == ["'" + v for v in HOSTILE] + HARMLESS
    assert all(row[1] == "7" for row in rows[1:])


def test_xlsx_response_writes_text_as_strings_never_formulas():
    response = xlsx_response("x.xlsx", ["Valeur", "Nombre"], [[value, -1] for value in HOSTILE] + [["a\x00b", 2]],
                             title="VIG-2026-0001/[suivi]")
    rows = _assert_text_cells(response)
    assert rows[0] == ["Valeur", "Nombre"]
    assert [row[0].replace("\n", "\r") for row in rows[1:-1]] == HOSTILE  # XML reads a lone CR as LF
    assert rows[-1] == ["ab", 2]  # control characters dropped, not a server error
    assert all(row[1] in (-1, 2) for row in rows[1:])


def test_only_config_exports_writes_csv_or_xlsx():
    writers = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|from openpyxl import .*Workbook\b(?!,? *load)")
    offenders = []
    for app in ("config", "network", "accounts", "breaches", "casework", "notifications", "audit"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if path.name != "exports.py" or path.parent.name != "config":
                if writers.search(path.read_text()):
                    offenders.append(str(path.relative_to(settings.BASE_DIR)))
    assert not offenders, f"write CSV/XLSX with config.exports: {offenders}"


# --- every export of the application ---------------------------------------------------------------------------

@pytest.fixture
def answered_board(national, django_capture_on_commit_callbacks):
    funds = [FundFactory(code=f"{900 + n}", departments=[f"{10 + n}"]) for n in range(len(HOSTILE))]
    with django_capture_on_commit_callbacks(execute=True):
        instruction = issued(national)
    for fund, comment in zip(funds, HOSTILE, strict=True):
        manager = UserFactory(username=f"resp{fund.code}")
        membership_grant(user=manager, role="manager", fund=fund)
        delivery = instruction.deliveries.get(fund=fund)
        notices.delivery_attest(delivery=delivery, actor=manager, actions_done=[0, 1], comment=comment)
    return instruction


@pytest.mark.django_db
def test_board_csv_and_xlsx_carry_no_formula(client_as, national, answered_board):
    client = client_as(national)
    stored = [d.comment for d in answered_board.deliveries.all()]  # the service trims the comment
    assert sorted(stored) == sorted(["=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A2)", "=1", "=1"])
    rows = _csv_cells(client.get(reverse("notifications:board-export", args=[answered_board.id, "csv"])))
    _assert_neutral_csv(rows, rows[0].index("Commentaire"), stored)
    xlsx = client.get(reverse("notifications:board-export", args=[answered_board.id, "xlsx"]))
    sheet_rows = _assert_text_cells(xlsx)
    comments = [row[sheet_rows[0].index("Commentaire")] for row in sheet_rows[1:]]
    assert sorted(comments) == sorted(stored)


@pytest.mark.django_db
def test_history_csv_carries_no_formula(client_as, national):
    authors = [UserFactory(username=name) for name in ("+1", "-1", "@SUM")]  # names Django accepts
    for author in authors:  # outside a request the history has no author: give it the one a page would
        breach = breach_create(actor=author, title="Fuite", discovered_on="2026-03-02")
        breach.history.update(history_user=author)
    rows = _csv_cells(client_as(national).get(reverse("history-export"), {"kind": "fuite"}))
    _assert_neutral_csv(rows, rows[0].index("auteur"), ["+1", "-1", "@SUM"])


@pytest.mark.django_db
def test_access_log_csv_carries_no_formula(client_as, national, fund_a):
    for purpose in HOSTILE:
        AccessLog.objects.create(user=national, fund=fund_a, action=AccessLog.Action.LOOKUP, purpose=purpose,
                                 result=purpose[:60])
    rows = _csv_cells(client_as(national).get(reverse("access-log-export")))
    _assert_neutral_csv(rows, rows[0].index("motif"), HOSTILE)
    _assert_neutral_csv(rows, rows[0].index("résultat"), HOSTILE)


@pytest.mark.django_db
def test_people_export_carries_no_formula(client_as, manager_a, fund_a):
    breach = BreachFactory()
    for name in HOSTILE:
        person(breach=breach, fund=fund_a, last_name=name, first_name=name)
    response = client_as(manager_a).post(reverse("breaches:fund-export", args=["561"]), {"purpose": "courrier"})
    rows = _csv_cells(response)
    _assert_neutral_csv(rows, rows[0].index("nom"), HOSTILE)
    _assert_neutral_csv(rows, rows[0].index("prenom"), HOSTILE)
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_rejection_report_carries_no_formula(tmp_path, fund_a):
    lines = ["nir;nom"] + [f'"{value}";Durand' for value in HOSTILE if value not in ("\t=1", "\r=1")]
    path = tmp_path / "cohorte.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cohort = cohort_register(actor=None, breach=BreachFactory(), path=path, queue=False)
    cohort_import(cohort_id=cohort.pk)
    cohort.refresh_from_db()
    report = list(csv.reader(report_file(cohort).open(encoding="utf-8-sig"), delimiter=";"))
    assert len(report) == 1 + 4
    for _line, reason, masked in report[1:]:
        assert not reason.startswith(("=", "+", "-", "@")) and not masked.startswith(("=", "+", "-", "@"))
