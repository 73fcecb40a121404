"""Hostile cohort files are refused with a clear French error while they are read, and the rejection report keeps
little of each row. The files are built here, small, against lowered limits (COHORT_*_MAX_CHARS)."""

import zipfile

import pytest
from openpyxl import Workbook

from breaches.importing import cohort_import, cohort_register, report_file
from breaches.importing.service import REPORT_CELL_MAX
from breaches.models import Cohort
from breaches.nir import make_nir
from tests.breaches.factories import BreachFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"


def _import(path) -> Cohort:
    cohort = cohort_register(actor=None, breach=BreachFactory(), path=path, queue=False)
    cohort_import(cohort_id=cohort.pk)
    cohort.refresh_from_db()
    return cohort


def _shared_strings_xlsx(path, strings: list[str], rows: list[list[int]]) -> None:
    """A minimal XLSX whose cells reference a shared-string table (openpyxl itself writes inline strings)."""
    cells = "".join(f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}" t="s"><v>{index}</v></c>'
                                               for c, index in enumerate(row)) + "</row>"
                    for r, row in enumerate(rows, start=1))
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                            '<sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{cells}</sheetData></worksheet>',
        "xl/sharedStrings.xml": (f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
                                 + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>"),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


def _xlsx(path, rows) -> None:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)


def test_the_handmade_workbook_is_read_like_a_real_one(tmp_path):
    path = tmp_path / "partage.xlsx"
    _shared_strings_xlsx(path, ["nir", "nom", make_nir(), "Durand"], [[0, 1], [2, 3]])
    cohort = _import(path)
    assert (cohort.status, cohort.imported) == (Cohort.Status.DONE, 1)


@pytest.mark.parametrize("inline", [False, True])
def test_xlsx_with_one_huge_string_is_refused_before_it_is_expanded(tmp_path, settings, inline):
    # The review's file: 155 KB holding one 150 MB shared string. Here 2 MB of one letter, in a few KB.
    settings.COHORT_CELL_MAX_CHARS = 1000
    path = tmp_path / "bombe.xlsx"
    if inline:
        _xlsx(path, [["nir", "nom"], [make_nir(), "A" * 2_000_000]])
    else:
        _shared_strings_xlsx(path, ["nir", "nom", make_nir(), "A" * 2_000_000], [[0, 1], [2, 3]])
    assert path.stat().st_size < 50_000
    cohort = _import(path)
    assert cohort.status == Cohort.Status.FAILED
    assert "plus de 1000 caractères" in cohort.error_message and cohort.error_report == ""


def test_xlsx_referencing_one_long_string_many_times_is_refused(tmp_path, settings):
    # The review's second file: 3.8 KB referencing one 50 KB string 400 times (a 20 MB report).
    settings.COHORT_CELL_MAX_CHARS = 100
    path = tmp_path / "repetition.xlsx"
    _shared_strings_xlsx(path, ["nir", "nom", "B" * 5_000], [[0, 1]] + [[2, 2]] * 400)
    assert path.stat().st_size < 10_000
    cohort = _import(path)
    assert cohort.status == Cohort.Status.FAILED and "plus de 100 caractères" in cohort.error_message


def test_long_cells_under_the_limit_leave_a_small_report(tmp_path, settings):
    settings.COHORT_CELL_MAX_CHARS = 3_000
    path = tmp_path / "longues.xlsx"
    _xlsx(path, [["nir", "nom"]] + [["9" * 2_500, "Durand"] for _ in range(400)])
    cohort = _import(path)
    assert cohort.status == Cohort.Status.DONE and cohort.rejected == 400
    report = report_file(cohort)
    assert report.stat().st_size < 400 * (2 * REPORT_CELL_MAX + 20)


def test_csv_line_over_the_row_limit_is_refused_before_it_is_read_whole(tmp_path, settings):
    # The review's 20 MB line, scaled: the limit is lowered, the line is 50 times over it.
    settings.COHORT_ROW_MAX_CHARS = 1_000
    path = tmp_path / "ligne.csv"
    path.write_text(f"nir;nom\n{make_nir()};{'x' * 50_000}\n{make_nir(order=2)};Durand\n", encoding="utf-8")
    cohort = _import(path)
    assert cohort.status == Cohort.Status.FAILED
    assert cohort.error_message.startswith("Ligne 2 trop longue (plus de 1000 caractères)")


def test_csv_field_over_the_csv_modules_limit_is_a_clear_error_not_a_500(tmp_path):
    # 131,073 characters in one field (csv's own limit), spread over short lines inside quotes: default limits.
    path = tmp_path / "champ.csv"
    field = "\n".join(["y" * 999] * 132)
    path.write_text(f'nir;nom\n{make_nir()};"{field}"\n', encoding="utf-8")
    cohort = _import(path)
    assert cohort.status == Cohort.Status.FAILED
    assert cohort.error_message.startswith("Fichier CSV illisible vers la ligne")


def test_csv_field_over_131072_characters_on_one_line_is_refused(tmp_path):
    path = tmp_path / "champ-long.csv"
    path.write_text(f"nir;nom\n{make_nir()};{'z' * 140_000}\n", encoding="utf-8")
    cohort = _import(path)
    assert cohort.status == Cohort.Status.FAILED and "trop longue" in cohort.error_message


def test_a_cell_over_the_cell_limit_is_refused(tmp_path, settings):
    settings.COHORT_CELL_MAX_CHARS = 50
    path = tmp_path / "cellule.csv"
    path.write_text(f"nir;nom\n{make_nir()};Durand\n{make_nir(order=2)};{'w' * 60}\n", encoding="utf-8")
    cohort = _import(path)
    assert cohort.status == Cohort.Status.FAILED
    assert cohort.error_message.startswith("Ligne 3 : une cellule dépasse 50 caractères")


def test_ordinary_files_still_import(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(f"nir;nom\n{make_nir()};Durand\n{make_nir(order=2)};Le Gall\n", encoding="utf-8")
    cohort = _import(path)
    assert cohort.status == Cohort.Status.DONE and cohort.imported == 2
