"""Uploads are checked by content, not only by name; size limits give a clear reason."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from config.uploads import MB, UploadValidator, detect_kind, private_storage, validate_upload

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
CSV = "nir;nom\n1 84 12 76 451 089 46;Dupont Élodie\n".encode()


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    book = Workbook()
    book.active.append(["nir", "nom"])
    book.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("name, content, kind", [
    ("piece.pdf", PDF, "pdf"), ("scan.PNG", PNG, "png"), ("photo.jpg", JPEG, "jpeg"),
    ("cohorte.xlsx", None, "xlsx"), ("cohorte.csv", CSV, "csv"),
    ("ancien.csv", "nir;nom\n1;Hélène\n".encode("cp1252"), "csv"),
])
def test_accepted_files_report_their_kind(name, content, kind):
    content = xlsx_bytes() if content is None else content
    assert validate_upload(upload(name, content), allowed={"pdf", "png", "jpeg", "xlsx", "csv"}, max_bytes=MB) == kind


def test_a_renamed_executable_is_refused_by_content():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("facture.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64), allowed={"pdf"}, max_bytes=MB)
    assert "n'est pas d'un type accepté (PDF)" in error.value.messages[0]


def test_a_png_named_pdf_is_refused_for_its_name():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("facture.pdf", PNG), allowed={"pdf", "png"}, max_bytes=MB)
    assert error.value.messages[0] == "Le nom du fichier (.pdf) ne correspond pas à son contenu (PNG)."


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", b"MZ")
    assert detect_kind(io.BytesIO(buffer.getvalue())) is None
    with pytest.raises(ValidationError):
        validate_upload(upload("cohorte.xlsx", buffer.getvalue()), allowed={"xlsx"}, max_bytes=MB)


def test_binary_data_named_csv_is_refused():
    with pytest.raises(ValidationError):
        validate_upload(upload("cohorte.csv", b"nir\x00\x01\x02\xff"), allowed={"csv"}, max_bytes=MB)


def test_size_limit_gives_a_clear_error():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("gros.pdf", PDF + b"0" * (2 * MB)), allowed={"pdf"}, max_bytes=MB)
    assert error.value.code == "too_large"
    assert error.value.messages[0] == "Le fichier pèse 2.0 Mo : la taille maximale autorisée est de 1 Mo."


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="vide"):
        validate_upload(upload("vide.csv", b""), allowed={"csv"}, max_bytes=MB)


def test_validator_for_file_fields_and_reads_from_the_start():
    validator = UploadValidator(allowed={"pdf"}, max_bytes=MB)
    file = upload("piece.pdf", PDF)
    file.read(3)
    validator(file)
    assert file.tell() == 0
    assert validator == UploadValidator(allowed={"pdf"}, max_bytes=MB)


def test_private_files_live_outside_the_web_root_and_have_no_url(tmp_path, settings):
    settings.PRIVATE_ROOT = tmp_path / "private"
    storage = private_storage()
    name = storage.save("pieces/piece.pdf", upload("piece.pdf", PDF))
    assert (tmp_path / "private" / name).read_bytes() == PDF
    with pytest.raises(ValueError):
        storage.url(name)
    web_roots = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    assert not any(str(settings.PRIVATE_ROOT).startswith(str(root)) for root in web_roots)


def test_cohort_upload_refuses_a_file_that_is_not_a_table(national, settings, tmp_path):
    from breaches.importing.service import cohort_upload
    from config.errors import ApplicationError
    from tests.breaches.factories import BreachFactory

    settings.PRIVATE_ROOT = tmp_path
    with pytest.raises(ApplicationError, match="n'est pas d'un type accepté"):
        cohort_upload(actor=national, breach=BreachFactory(), uploaded_file=upload("cohorte.csv", PNG))
    settings.COHORT_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ApplicationError, match="taille maximale"):
        cohort_upload(actor=national, breach=BreachFactory(), uploaded_file=upload("cohorte.csv", CSV))
    assert not list(tmp_path.rglob("*.csv"))


EML = (b"Received: from mx.labo.test\r\nFrom: Laboratoire <contact@labo.test>\r\nSubject: Incident\r\n"
       b" (suite du sujet)\r\nDate: Wed, 31 Mar 2021 10:00:00 +0200\r\n\r\nBonjour,\r\n")


def test_an_email_file_is_recognised_by_its_headers_and_stays_text_where_emails_are_not_asked():
    assert detect_kind(io.BytesIO(EML)) == "eml"
    assert detect_kind(io.BytesIO(CSV)) == "csv"
    assert detect_kind(io.BytesIO(b"Nom: Dupont\nPrenom: Anne\n\n")) == "csv"  # one known header is not enough
    assert validate_upload(upload("lettre.eml", EML), allowed={"eml", "pdf"}, max_bytes=MB) == "eml"
    assert validate_upload(upload("notes.txt", EML), allowed={"txt"}, max_bytes=MB) == "txt"
    with pytest.raises(ValidationError, match="ne correspond pas"):
        validate_upload(upload("lettre.pdf", EML), allowed={"eml", "pdf"}, max_bytes=MB)
