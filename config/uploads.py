"""Uploaded files are checked by their content, not only their name. Shared by every app that takes files.

    kind = validate_upload(file, allowed={"pdf", "png", "jpeg"}, max_bytes=10 * MB)

raises django.core.exceptions.ValidationError with a message in French naming the reason, or returns the
detected kind. `UploadValidator` wraps it for a form or model FileField. Files are stored with
`private_storage()`, outside the web root and without any URL: they are served only through a view that
checks permissions.
"""

import hashlib
import io
import re
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.utils.deconstruct import deconstructible

MB = 1024 * 1024
SNIFF_BYTES = 64 * 1024

LABELS = {"pdf": "PDF", "png": "PNG", "jpeg": "JPEG", "xlsx": "Excel (.xlsx)", "csv": "CSV", "txt": "texte",
          "eml": "e-mail (.eml)"}
EXTENSIONS = {
    "pdf": {".pdf"}, "png": {".png"}, "jpeg": {".jpg", ".jpeg"}, "xlsx": {".xlsx"},
    "csv": {".csv", ".txt"}, "txt": {".txt", ".csv"}, "eml": {".eml"},
}
MAGIC = {"pdf": b"%PDF-", "png": b"\x89PNG\r\n\x1a\n", "jpeg": b"\xff\xd8\xff"}
CONTENT_TYPES = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg", "eml": "message/rfc822",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv",
                 "txt": "text/plain"}
TEXT_ENCODINGS = ("utf-8-sig", "cp1252")
# An e-mail file (RFC 5322) opens with header lines; these are the ones every real message carries one of.
EMAIL_HEADER = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
EMAIL_KEY_HEADERS = (b"from:", b"date:", b"subject:", b"received:", b"message-id:", b"mime-version:")


def _is_xlsx(file) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in TEXT_ENCODINGS:
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            # the sample may end in the middle of a multi-byte character
            try:
                text = head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return all(c.isprintable() or c in "\r\n\t" for c in text)
    return False


def _is_email(head: bytes) -> bool:
    """Header lines (folded lines start with a blank) up to the first empty line, at least two of them known."""
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    headers = []
    for line in lines:
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue
        if not EMAIL_HEADER.match(line):
            return False
        headers.append(line.lower())
    return sum(any(h.startswith(key) for h in headers) for key in EMAIL_KEY_HEADERS) >= 2


def magic_kind(head: bytes) -> str | None:
    """The binary kind (pdf, png, jpeg) that the first bytes announce, or None."""
    return next((kind for kind, magic in MAGIC.items() if head.startswith(magic)), None)


def detect_kind(file) -> str | None:
    """The kind of content of `file` (pdf, png, jpeg, xlsx, eml, csv) from its bytes, or None if unknown."""
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    if kind := magic_kind(head):
        return kind
    if head.startswith(b"PK\x03\x04"):
        kind = "xlsx" if _is_xlsx(file) else None
        file.seek(0)
        return kind
    if not head or not _is_text(head):
        return None
    return "eml" if _is_email(head) else "csv"


def _size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
        file.seek(0)
    return size


def validate_upload(file, *, allowed: set[str], max_bytes: int) -> str:
    """Check size, content and extension of an uploaded file; return its detected kind."""
    accepted = ", ".join(LABELS[k] for k in sorted(allowed))
    size = _size(file)
    if size == 0:
        raise ValidationError("Le fichier est vide.", code="empty")
    if size > max_bytes:
        raise ValidationError(
            "Le fichier pèse %(size)s Mo : la taille maximale autorisée est de %(max)s Mo.",
            code="too_large", params={"size": f"{size / MB:.1f}", "max": f"{max_bytes / MB:g}"},
        )
    kind = detect_kind(file)
    if kind == "eml" and "eml" not in allowed:
        kind = "csv"  # an e-mail is text: a CSV or text upload that happens to look like one stays text
    if kind == "csv" and "txt" in allowed and "csv" not in allowed:
        kind = "txt"
    if kind is None or kind not in allowed:
        raise ValidationError(
            "Le contenu du fichier n'est pas d'un type accepté (%(accepted)s).",
            code="bad_content", params={"accepted": accepted},
        )
    extension = Path(getattr(file, "name", "") or "").suffix.lower()
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(
            "Le nom du fichier (%(ext)s) ne correspond pas à son contenu (%(kind)s).",
            code="extension_mismatch", params={"ext": extension or "sans extension", "kind": LABELS[kind]},
        )
    return kind


def upload_check(file, *, allowed: set[str], max_bytes: int) -> str:
    """`validate_upload` for services: the same checks, raised as an ApplicationError (shown as-is to the user)."""
    from config.errors import ApplicationError

    try:
        return validate_upload(file, allowed=allowed, max_bytes=max_bytes)
    except ValidationError as error:
        raise ApplicationError(error.messages[0])


@deconstructible
class UploadValidator:
    """`validators=[UploadValidator(allowed={"pdf"}, max_bytes=10 * MB)]` on a FileField."""

    def __init__(self, *, allowed: set[str], max_bytes: int):
        self.allowed = set(allowed)
        self.max_bytes = max_bytes

    def __call__(self, file) -> None:
        validate_upload(file, allowed=self.allowed, max_bytes=self.max_bytes)

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and (self.allowed, self.max_bytes) == (other.allowed, other.max_bytes)


class PrivateStorage(FileSystemStorage):
    """Files under PRIVATE_ROOT have no public URL: a view that checks permissions serves them."""

    def url(self, name):
        raise ValueError("Les fichiers privés n'ont pas d'adresse publique.")


def private_storage() -> PrivateStorage:
    return PrivateStorage(location=settings.PRIVATE_ROOT)


def store_upload(file, path: Path, *, exclusive: bool = False) -> str:
    """Write an upload to `path` chunk by chunk (memory stays flat); returns its SHA-256 in hex.
    `exclusive` refuses to overwrite an existing file."""
    digest = hashlib.sha256()
    with path.open("xb" if exclusive else "wb") as handle:
        for chunk in file.chunks():
            digest.update(chunk)
            handle.write(chunk)
    return digest.hexdigest()


# --- refusing an oversize upload while it streams -----------------------------------------------------------------

def upload_limit(max_bytes: int | str):
    """Declare the largest upload a view (or a DRF action) takes: bytes, or the name of a setting read at request
    time. `SizeLimitUploadHandler` stops reading the request there; undeclared views get UPLOAD_MAX_BYTES."""

    def declare(view):
        view.upload_max_bytes = max_bytes
        return view

    return declare


def _declared_limit(request) -> int:
    func = getattr(getattr(request, "resolver_match", None), "func", None)
    actions = getattr(func, "actions", None)  # a DRF viewset route: the method that answers this HTTP method
    if actions and request.method and hasattr(func, "cls"):
        func = getattr(func.cls, actions.get(request.method.lower(), ""), func)
    declared = getattr(func, "upload_max_bytes", None) or "UPLOAD_MAX_BYTES"
    return int(getattr(settings, declared)) if isinstance(declared, str) else int(declared)


def too_large_message(max_bytes: int) -> str:
    return f"Fichier trop volumineux : {max_bytes / MB:g} Mo au plus. L'envoi a été interrompu."


class SizeLimitUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts the bytes of the request's files as they arrive and stops reading
    the body past the view's limit, so an oversize file is never received whole nor written to disk. The view
    then finds `upload_refusal(request)` set (and the file missing)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.max_bytes = _declared_limit(request) if request is not None else int(settings.UPLOAD_MAX_BYTES)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self.request.upload_refused = too_large_message(self.max_bytes)
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None


def upload_refusal(request) -> str | None:
    """The reason an upload of this request was cut short (too large), else None."""
    return getattr(request, "upload_refused", None)
