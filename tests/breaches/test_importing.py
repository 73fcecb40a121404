"""Cohort import: messy files give exact counts and an exact report; all-or-nothing; same file refused."""

import csv
import datetime
import json
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from breaches.crypto import nir_digest, unseal_nir
from breaches.importing import cohort_import, cohort_imports_resume, cohort_register, cohort_upload, report_file
from breaches.importing.reading import as_date
from breaches.models import AffectedPerson, Cohort
from breaches.nir import make_nir
from config.errors import ApplicationError, ConflictError
from tests.breaches.factories import BreachFactory, person
from tests.factories import FundFactory

N = [make_nir(sex=1 + n % 2, year=60 + n, month=1 + n % 12, place="56034", order=n) for n in range(1, 12)]
CORSICAN = make_nir(year=90, place="2A004", order=3)


@pytest.fixture
def nord(db):
    """Department 59 has several funds: a postcode there cannot route alone."""
    return [FundFactory(code=code, departments=["59"]) for code in ("594", "595")]


def spaced(nir: str) -> str:
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


def messy_lines() -> list[str]:
    bad_key = N[2][:13] + f"{(int(N[2][13:]) % 97) + 1:02d}"
    return [
        "NIR;Nom;Prénom;Date de naissance;Code postal;Caisse;Laboratoire",
        f"{N[0]};Lefèvre;Hélène;12/05/1985;56100;561;Labo Ouest",     # 2: fund by code
        f"{spaced(N[1])};Guénolé;Loïc;1990-03-01;29200;;Labo Ouest",  # 3: fund by postcode (29)
        "",                                                            # 4: blank
        f"{bad_key};Cœur;Zoé;;56000;561;Labo Ouest",                  # 5: wrong key
        f"{N[0].lower()};Lefèvre;Hélène;12/05/1985;56100;561;Labo Ouest",  # 6: duplicate in file
        f"{N[3]};Dupré;Noël;31/02/1980;59000;999;Labo Nord",            # 7: unknown code, dept 59 ambiguous
        f"{N[4]};Sans;Adresse;;;;",                                      # 8: nothing to route by
        ";Sans;NIR;;56000;561;",                                         # 9: NIR missing
        f"{N[5][:14]};Court;Trop;;56000;561;",                           # 10: 14 characters
        f"7{N[6][1:]};Provisoire;Ancien;;56000;561;",                    # 11: sex 7
        ";;;;;;",                                                        # 12: blank cells
        f"{CORSICAN};Santoni;Ghjuvanni;;20000;;Labo Sud",               # 13: 2A has no fund here
        f"{N[7]};Déjà;Connu;;56000;561;",                                # 14: already in the breach
        "",
    ]


def write(tmp_path, name: str, lines: list[str], encoding: str) -> str:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding))
    return path


def test_messy_latin1_semicolon_file_gives_exact_counts_and_report(tmp_path, fund_a, fund_b, nord):
    breach = BreachFactory()
    person(breach=breach, nir=N[7], fund=fund_a)
    path = write(tmp_path, "cohorte latin1.csv", messy_lines(), "cp1252")
    cohort = cohort_import(cohort_id=cohort_register(actor=None, breach=breach, path=path, queue=False).pk)

    assert cohort.status == Cohort.Status.DONE
    counts = {k: getattr(cohort, k) for k in ("rows", "imported", "rejected", "duplicates", "unassigned")}
    assert counts == {"rows": 11, "imported": 5, "rejected": 4, "duplicates": 2, "unassigned": 3}
    people = {p.nir_digest: p for p in AffectedPerson.objects.filter(cohort=cohort).select_related("fund")}
    assert people[nir_digest(N[0])].fund == fund_a
    assert people[nir_digest(N[0])].last_name == "Lefèvre" and people[nir_digest(N[0])].first_name == "Hélène"
    assert people[nir_digest(N[0])].birth_date == datetime.date(1985, 5, 12)
    assert people[nir_digest(N[0])].source == "Labo Ouest"
    assert people[nir_digest(N[1])].fund == fund_b
    assert people[nir_digest(N[3])].fund is None and people[nir_digest(N[3])].birth_date is None
    assert people[nir_digest(N[4])].fund is None
    assert people[nir_digest(CORSICAN)].fund is None and people[nir_digest(CORSICAN)].department == "2A"
    assert unseal_nir(people[nir_digest(N[1])].nir_sealed, people[nir_digest(N[1])].seal_key_id) == N[1]

    with report_file(cohort).open(encoding="utf-8-sig", newline="") as handle:
        report = list(csv.reader(handle, delimiter=";"))
    bad = N[2][:13] + f"{(int(N[2][13:]) % 97) + 1:02d}"
    assert report == [
        ["ligne", "motif", "nir_masque"],
        ["5", f"NIR invalide : clé {bad[13:]} incorrecte.", f"{bad[0]} {bad[1:3]} {bad[3:5]} ** *** *** {bad[13:]}"],
        ["9", "NIR manquant.", ""],
        ["10", "NIR invalide : longueur de 14 caractères au lieu de 15 caractères (clé comprise).",
         N[5][:5] + "*" * 7 + N[5][12:14]],
        ["11", "NIR invalide : premier chiffre 7 ou 8 : numéro provisoire, ces numéros sont abolis.",
         f"7 {N[6][1:3]} {N[6][3:5]} ** *** *** {N[6][13:]}"],
    ]


def test_utf8_bom_comma_file_and_english_headers(tmp_path, fund_a):
    lines = ["last_name,first_name,nir,postcode,fund_code,source", f"Smith,Ann,{N[0]},56100,,Lab A",
             f"Doe,John,{N[1][:13]},56200,561,Lab A"]
    path = write(tmp_path, "cohort.csv", lines, "utf-8-sig")
    breach = BreachFactory()
    cohort = cohort_register(actor=None, breach=breach, path=path, queue=False, allow_missing_key=True)
    cohort = cohort_import(cohort_id=cohort.pk)
    assert (cohort.rows, cohort.imported, cohort.rejected, cohort.unassigned) == (2, 2, 0, 0)
    assert set(AffectedPerson.objects.values_list("nir_digest", flat=True)) == {nir_digest(N[0]), nir_digest(N[1])}


def test_xlsx_with_numbers_and_dates(tmp_path, fund_b):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["N° de sécurité sociale", "Date de naissance", "CP", "Date de prélèvement"])
    sheet.append([int(N[0]), datetime.datetime(1961, 2, 3), 29200, datetime.datetime(2026, 1, 15)])
    sheet.append([None, None, None, None])
    sheet.append(["1 23", None, 29200, None])
    workbook.save(tmp_path / "cohorte.xlsx")
    cohort = cohort_register(actor=None, breach=BreachFactory(), path=tmp_path / "cohorte.xlsx", queue=False)
    cohort = cohort_import(cohort_id=cohort.pk)
    assert (cohort.rows, cohort.imported, cohort.rejected) == (2, 1, 1)
    stored = AffectedPerson.objects.get()
    assert (stored.fund, stored.birth_date, stored.sample_date) == (fund_b, datetime.date(1961, 2, 3),
                                                                      datetime.date(2026, 1, 15))
    with report_file(cohort).open(encoding="utf-8-sig") as handle:
        assert handle.read().splitlines()[1].startswith("4;NIR invalide : longueur de 3")


def test_failure_in_the_middle_leaves_no_rows_and_no_report(tmp_path, fund_a, monkeypatch):
    lines = ["nir"] + N[:8]
    path = write(tmp_path, "cohorte.csv", lines, "utf-8")
    real_mask = __import__("breaches.importing.rows", fromlist=["mask_valid_nir"]).mask_valid_nir
    calls = []

    def failing_mask(nir):
        calls.append(nir)
        if len(calls) == 5:
            raise OSError("disque plein")
        return real_mask(nir)

    monkeypatch.setattr("breaches.importing.rows.mask_valid_nir", failing_mask)
    breach = BreachFactory()
    cohort = cohort_register(actor=None, breach=breach, path=path, queue=False)
    with pytest.raises(OSError):
        cohort_import(cohort_id=cohort.pk)
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.FAILED and "rien n'a été enregistré" in cohort.error_message
    assert AffectedPerson.objects.count() == 0
    assert (cohort.imported, cohort.rows, cohort.error_report) == (0, 0, "")
    assert not list((tmp_path / "private" / "imports" / "reports").glob("*"))
    # A failed file may be loaded again.
    monkeypatch.setattr("breaches.importing.rows.mask_valid_nir", real_mask)
    again = cohort_import(cohort_id=cohort_register(actor=None, breach=breach, path=path, queue=False).pk)
    assert again.imported == 8


def test_same_file_twice_is_refused_by_checksum(tmp_path, fund_a):
    path = write(tmp_path, "a.csv", ["nir", N[0]], "utf-8")
    copy = write(tmp_path, "b.csv", ["nir", N[0]], "utf-8")
    breach = BreachFactory()
    cohort_import(cohort_id=cohort_register(actor=None, breach=breach, path=path, queue=False).pk)
    with pytest.raises(ConflictError, match="déjà été chargé"):
        cohort_register(actor=None, breach=breach, path=copy, queue=False)
    other = cohort_register(actor=None, breach=BreachFactory(), path=copy, queue=False)
    assert other.status == Cohort.Status.PENDING


def test_missing_nir_column_fails_with_reason(tmp_path, db):
    path = write(tmp_path, "x.csv", ["nom;prenom", "Durand;Paul"], "utf-8")
    cohort = cohort_import(cohort_id=cohort_register(actor=None, breach=BreachFactory(), path=path, queue=False).pk)
    assert cohort.status == Cohort.Status.FAILED
    assert cohort.error_message.startswith("Colonne NIR introuvable")


def test_upload_runs_the_task_after_commit_and_deletes_the_uploaded_file(national, fund_a, private_root,
                                                                        django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("cohorte.csv", f"nir\n{N[0]}\n{N[1]}\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        cohort = cohort_upload(actor=national, breach=BreachFactory(), uploaded_file=upload)
    cohort.refresh_from_db()
    assert (cohort.status, cohort.imported, cohort.created_by) == (Cohort.Status.DONE, 2, national)
    assert not list((private_root / "imports" / "uploads").glob("*"))
    with pytest.raises(ApplicationError, match="Format"):
        cohort_upload(actor=national, breach=BreachFactory(), uploaded_file=SimpleUploadedFile("x.pdf", b"%PDF"))


def test_a_cohort_whose_worker_died_is_resumed(tmp_path, fund_a):
    path = write(tmp_path, "c.csv", ["nir"] + N[:3], "utf-8")
    cohort = cohort_register(actor=None, breach=BreachFactory(), path=path, queue=False)
    long_ago = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.RUNNING, attempts=1, heartbeat_at=long_ago)
    fresh = cohort_register(actor=None, breach=BreachFactory(), path=path, queue=False)
    Cohort.objects.filter(pk=fresh.pk).update(status=Cohort.Status.RUNNING, attempts=1,
                                              heartbeat_at=datetime.datetime.now(datetime.UTC))
    assert cohort_imports_resume() == [cohort.pk]  # eager Celery: it runs right away
    cohort.refresh_from_db()
    assert (cohort.status, cohort.imported, cohort.attempts) == (Cohort.Status.DONE, 3, 2)
    assert cohort_import(cohort_id=fresh.pk) is None  # a live worker holds it


def test_command_prints_json(tmp_path, fund_a):
    breach = BreachFactory()
    path = write(tmp_path, "c.csv", ["nir;caisse", f"{N[0]};561", f"{N[0]};561", "123;561", f"{N[1]};"], "utf-8")
    out = StringIO()
    call_command("import_cohort", str(path), "--breach", breach.reference, "--json", "--no-progress", stdout=out)
    result = json.loads(out.getvalue().strip().splitlines()[-1])
    cohort = Cohort.objects.get()
    assert result == {"rows": 4, "imported": 2, "rejected": 1, "duplicates": 1, "unassigned": 1,
                      "cohort": cohort.pk}
    with pytest.raises(CommandError, match="déjà été chargé"):
        call_command("import_cohort", str(path), "--breach", breach.reference, "--no-progress")
    with pytest.raises(CommandError, match="Fuite inconnue"):
        call_command("import_cohort", str(path), "--breach", "BR-1999-0001")


def test_no_clear_nir_anywhere_in_the_database(tmp_path, fund_a, fund_b, nord):
    from django.apps import apps

    breach = BreachFactory()
    path = write(tmp_path, "cohorte.csv", messy_lines(), "cp1252")
    cohort_import(cohort_id=cohort_register(actor=None, breach=breach, path=path, queue=False).pk)
    assert AffectedPerson.objects.count() == 6
    needles = {nir[:13] for nir in N + [CORSICAN]}
    for model in apps.get_models():
        for row in model.objects.values_list():
            text = "|".join(str(value) for value in row).replace(" ", "")
            assert not any(needle in text for needle in needles), model


def test_command_shows_a_progress_bar(tmp_path, fund_a, capsys, monkeypatch):
    monkeypatch.setattr("breaches.importing.progress.Tracker.EVERY_ROWS", 500)
    lines = ["nir"] + [make_nir(order=n % 999 + 1, month=1 + n // 999) for n in range(1500)]
    path = write(tmp_path, "c.csv", lines, "utf-8")
    call_command("import_cohort", str(path), "--breach", BreachFactory().reference, stdout=StringIO())
    bar = capsys.readouterr().err
    assert "500 lignes, 500 acceptées, 0 rejetées" in bar and "1000 lignes" in bar and "[" in bar


@pytest.mark.parametrize(("value", "expected"), [
    ("12/05/1985", datetime.date(1985, 5, 12)), ("1985-05-12", datetime.date(1985, 5, 12)),
    ("12.05.1985", datetime.date(1985, 5, 12)), ("1985-05-12T08:30:00", datetime.date(1985, 5, 12)),
    ("31/02/1980", None), ("hier", None), ("", None), (None, None),
    (datetime.datetime(1985, 5, 12, 8, 30), datetime.date(1985, 5, 12)),
])
def test_dates_read_from_cells_the_same_every_time(value, expected):
    # Text dates are remembered (a cohort repeats its birth dates): the second reading gives the same answer.
    assert as_date(value) == expected
    assert as_date(value) == expected
