"""Case attachments: scans checked by their content (magic bytes) and size, stored under PRIVATE_ROOT."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from casework.cases.models import Attachment, Case, CaseEvent
from casework.cases.services import _event, _locked
from config.errors import ApplicationError
from config.uploads import CONTENT_TYPES, magic_kind, store_upload

# The browser's declared type and the file name are not trusted: the first bytes decide (config.uploads' table).
EXTENSIONS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}


def attachments_root() -> Path:
    return Path(settings.PRIVATE_ROOT) / "case-attachments"


def sniff(head: bytes) -> tuple[str, str]:
    kind = magic_kind(head)
    if kind in EXTENSIONS:
        return CONTENT_TYPES[kind], EXTENSIONS[kind]
    raise ApplicationError("Type de fichier refusé : seuls les PDF, PNG et JPEG sont acceptés.")


def _check_size(size: int) -> None:
    limit = settings.CASE_ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ApplicationError(f"Fichier trop volumineux : {limit // (1024 * 1024)} Mo au plus.")
    if size == 0:
        raise ApplicationError("Le fichier est vide.")


@transaction.atomic
def case_attach(*, case: Case, actor: AbstractBaseUser, upload: UploadedFile) -> Attachment:
    """Store a scan on a case the actor works. Refuses other types (by content) and oversize files."""
    case = _locked(case, actor=actor)
    _check_size(upload.size)
    upload.seek(0)
    content_type, extension = sniff(upload.read(16))
    upload.seek(0)
    stored_name = f"{case.fund.code}/{uuid.uuid4().hex}{extension}"
    path = attachments_root() / stored_name
    path.parent.mkdir(parents=True, exist_ok=True)
    sha256 = store_upload(upload, path, exclusive=True)
    try:
        attachment = Attachment.objects.create(
            case=case, uploaded_by=actor, original_name=Path(upload.name or "piece").name[:200],
            content_type=content_type, size=upload.size, sha256=sha256, stored_name=stored_name)
        _event(case, CaseEvent.Kind.ATTACHMENT, actor, attachment=attachment, body=attachment.original_name)
    except Exception:
        path.unlink(missing_ok=True)  # no orphan file when the rows are not written
        raise
    return attachment


def attachment_path(attachment: Attachment) -> Path:
    return attachments_root() / attachment.stored_name
