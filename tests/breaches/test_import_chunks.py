"""A big file is read in chunks, parsed in worker processes and written as COPY text: the result is the same as a
reading in one pass, whatever falls on a chunk's edge (a quoted cell over several lines, blank lines, duplicates,
rejections), whatever the names hold (tab, backslash, newline), and a refusal names the first bad row."""

import datetime

import pytest

from breaches.importing import cohort_import, cohort_register, report_file
from breaches.models import AffectedPerson, Cohort
from breaches.nir import make_nir
from tests.breaches.factories import BreachFactory

pytestmark = pytest.mark.django_db

NIRS = [make_nir(sex=1 + n % 2, year=50 + n % 40, month=1 + n % 12, place="56034", order=n) for n in range(1, 60)]
AWKWARD_NAMES = ['Le "Gall"', "Tab\there", "Back\\slash", "Anne\nMarie", "Retour\r\nchariot", "Point;virgule",
                 "O\"Brien", "Fin\\", "\\N"]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cohort_file(path) -> None:
    """Fifty-nine people, one in three with an awkward name, a blank line every seventh, a duplicate and a bad
    key now and then: with chunks of three records, every kind of row lands on a chunk's edge."""
    lines = ["NIR;Nom;Prénom;Code postal;Caisse"]
    for index, nir in enumerate(NIRS):
        name = AWKWARD_NAMES[index // 3 % len(AWKWARD_NAMES)] if index % 3 == 0 else f"Nom{index}"
        lines.append(f"{nir};{_quoted(name)};{_quoted('Jean' + chr(10) + 'Paul') if index % 5 == 0 else 'Anne'};"
                     "56100;561")
        if index % 7 == 0:
            lines.append("")
        if index % 11 == 0:
            lines.append(f"{NIRS[index // 2]};Doublon;Anne;56100;561")
        if index % 13 == 0:
            lines.append(f"{nir[:13]}00;Mauvaise;Clé;56100;561")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _import(path, breach=None) -> Cohort:
    cohort = cohort_register(actor=None, breach=breach or BreachFactory(), path=path, queue=False)
    cohort_import(cohort_id=cohort.pk)
    cohort.refresh_from_db()
    return cohort


@pytest.fixture
def in_workers(monkeypatch, settings):
    """Parsing in two forked processes, three records a chunk, whatever the file's size."""
    settings.COHORT_PARALLEL_FROM_BYTES = 0
    monkeypatch.setattr("breaches.importing.parallel.POOL_CHUNK", 3)
    settings.COHORT_IMPORT_PROCESSES = 2


def _outcome(cohort: Cohort) -> tuple:
    people = sorted(AffectedPerson.objects.filter(cohort=cohort).values_list(
        "nir_digest", "last_name", "first_name", "postcode", "fund__code", "nir_masked"))
    counts = (cohort.rows, cohort.imported, cohort.rejected, cohort.duplicates, cohort.unassigned)
    return counts, people, report_file(cohort).read_text(encoding="utf-8-sig")


def test_workers_and_one_pass_give_the_same_people_and_report(tmp_path, fund_a, in_workers, settings):
    path = tmp_path / "cohorte.csv"
    _cohort_file(path)
    in_chunks = _import(path)
    settings.COHORT_PARALLEL_FROM_BYTES = 1 << 40
    one_pass = _import(path)
    assert in_chunks.status == one_pass.status == Cohort.Status.DONE
    assert _outcome(in_chunks) == _outcome(one_pass)
    assert in_chunks.imported == len(NIRS) and in_chunks.duplicates == 6 and in_chunks.rejected == 5
    # The report names the file's physical lines, counted across quoted cells over two lines.
    assert _outcome(in_chunks)[2].splitlines()[1].startswith("6;")


def test_awkward_names_are_stored_as_written(tmp_path, fund_a, in_workers):
    path = tmp_path / "cohorte.csv"
    _cohort_file(path)
    cohort = _import(path)
    stored = set(AffectedPerson.objects.filter(cohort=cohort).values_list("last_name", flat=True))
    assert set(AWKWARD_NAMES) <= stored
    assert AffectedPerson.objects.filter(cohort=cohort, first_name="Jean\nPaul").count() == 12


def test_a_nul_character_is_dropped_not_a_failure(tmp_path, fund_a, in_workers):
    path = tmp_path / "cohorte.csv"
    path.write_text(f"nir;nom\n{NIRS[0]};Du\x00rand\n", encoding="utf-8")
    cohort = _import(path)
    assert cohort.status == Cohort.Status.DONE
    from django.db import connection

    expected = "Durand" if connection.vendor == "postgresql" else "Du\x00rand"  # PostgreSQL text cannot hold it
    assert AffectedPerson.objects.get(cohort=cohort).last_name == expected


def test_a_refusal_in_an_early_chunk_is_the_one_reported(tmp_path, fund_a, in_workers, settings):
    # Line 3 holds a cell over the limit (found by a worker); line 10 is over the row limit (found while reading,
    # chunks ahead of the workers). The first bad line is the one named, as in a reading in one pass.
    settings.COHORT_CELL_MAX_CHARS = 50
    settings.COHORT_ROW_MAX_CHARS = 200
    lines = ["nir;nom", f"{NIRS[0]};Durand", f"{NIRS[1]};{'w' * 60}"]
    lines += [f"{nir};Nom" for nir in NIRS[2:8]] + [f"{NIRS[40]};{'x' * 500}"]
    path = tmp_path / "cohorte.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cohort = _import(path)
    assert cohort.status == Cohort.Status.FAILED
    assert cohort.error_message.startswith("Ligne 3 : une cellule dépasse 50 caractères")


def test_a_refusal_after_good_chunks_leaves_nothing(tmp_path, fund_a, in_workers, settings):
    settings.COHORT_ROW_MAX_CHARS = 200
    lines = ["nir;nom"] + [f"{nir};Nom" for nir in NIRS[:30]] + [f"{NIRS[40]};{'x' * 500}"]
    path = tmp_path / "cohorte.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cohort = _import(path)
    assert cohort.status == Cohort.Status.FAILED and cohort.error_message.startswith("Ligne 32 trop longue")
    assert not AffectedPerson.objects.exists()


def test_an_unclosed_quote_is_refused_with_its_line(tmp_path, fund_a, in_workers):
    lines = ["nir;nom"] + [f"{nir};Nom" for nir in NIRS[:10]] + [f'{NIRS[40]};"Durand']
    lines += [f"{nir};Nom" for nir in NIRS[41:43]]
    path = tmp_path / "cohorte.csv"
    path.write_text("\n".join(lines + ["y" * 999] * 140) + "\n", encoding="utf-8")  # csv's field limit
    cohort = _import(path)
    assert cohort.status == Cohort.Status.FAILED
    assert cohort.error_message.startswith("Fichier CSV illisible vers la ligne")
    assert not AffectedPerson.objects.exists()


def test_the_move_plans_no_nested_loop_even_when_statistics_say_the_register_is_empty(tmp_path, fund_a):
    # On a new database, or after a purge, the people table's statistics say it is empty; a nested loop planned
    # on that belief scans every row inserted so far for each row inserted (a 500,000-row import never ended).
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the move is one SQL statement there")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE breaches_affectedperson")
    plans = []

    def explain(execute, sql, params, many, context):
        if sql.startswith("WITH moved"):
            context["cursor"].execute("EXPLAIN " + sql, params)
            plans.append("\n".join(row[0] for row in context["cursor"].fetchall()))
        return execute(sql, params, many, context)

    path = tmp_path / "cohorte.csv"
    _cohort_file(path)
    with connection.execute_wrapper(explain):
        cohort = _import(path)
    assert cohort.imported == len(NIRS) and len(plans) == 1
    assert "Nested Loop" not in plans[0] and "Anti Join" in plans[0]


def test_a_workbook_in_workers_gives_what_one_pass_gives(tmp_path, fund_a, in_workers, settings):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["NIR", "Nom", "Date de naissance", "Caisse"])
    for index, nir in enumerate(NIRS):
        workbook.active.append([nir, AWKWARD_NAMES[index % len(AWKWARD_NAMES)], datetime.date(1980, 1, 1 + index % 28),
                                561 if index % 4 else None])
        if index % 9 == 0:
            workbook.active.append([f"{nir[:13]}00", "Mauvaise", None, 561])
    path = tmp_path / "cohorte.xlsx"
    workbook.save(path)
    in_chunks = _import(path)
    settings.COHORT_PARALLEL_FROM_BYTES = 1 << 40
    one_pass = _import(path)
    assert in_chunks.status == one_pass.status == Cohort.Status.DONE
    assert _outcome(in_chunks) == _outcome(one_pass)
    assert (in_chunks.imported, in_chunks.rejected) == (len(NIRS), 7)
